// SPDX-License-Identifier: Apache-2.0
#include "framing/framing.h"

#include <cstdio>
#include <cstdlib>

#include "codecs/value_model.h"
#include "policy/policy.h"
#include "xdrc/analysis.h"
#include "xdrc/parser.h"

namespace qemud {

// Defined in libvirt_0_3_header_text.gen.cpp, which xdrc writes from
// framing/libvirt_0_3_header.x.
extern const char qemud_libvirt_0_3_header_x_text[];
extern const std::size_t qemud_libvirt_0_3_header_x_size;

namespace {

// The table: per profile, the .x struct of its header, the name of its
// constant, what the profile calls it, and what `length` counts. Everything
// else (word order, value, size) is read from the .x file.
struct ProfileRow {
    Framing id;
    const char* header_type;
    const char* constant_name;
    const char* constant_member;
    const char* constant_title;
    bool length_counts_header;
};
constexpr ProfileRow rows[] = {
    {Framing::seed, "qemud_packet_header", "QEMUD_PKT_HEADER_MAGIC", "magic", "magic", false},
    {Framing::libvirt_0_3, "qemud_packet_header_libvirt_0_3", "QEMUD_PROGRAM", "prog", "program number", true},
};
constexpr const char* length_member = "length";

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "qemud-harness: framing profiles: %s\n", message.c_str());
    std::abort();
}

std::string hex32(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", v);
    return buf;
}

std::uint32_t load_be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

void store_be32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

CodecError flagged(std::string path, std::optional<std::size_t> offset, policy::Flag flag, std::string message) {
    return CodecError{std::move(path), offset, std::string(policy::name(flag)), std::move(message)};
}

// word_name: "word 1 (length)", 1-based as people count header words.
std::string word_name(std::size_t offset, const std::string& member) {
    return "word " + std::to_string(offset / 4 + 1) + " (" + member + ")";
}

}  // namespace

std::string_view to_string(Framing framing) {
    switch (framing) {
        case Framing::seed: return "seed";
        case Framing::libvirt_0_3: return "libvirt-0.3";
    }
    return "?";
}

std::optional<Framing> framing_from_string(std::string_view name) {
    for (const Framing f : all_framings)
        if (to_string(f) == name) return f;
    return std::nullopt;
}

// FramingProfiles builds every profile once from the embedded .x files.
struct FramingProfiles {
    xdr::Specification libvirt_spec;
    FramingProfile profiles[all_framings.size()];

    FramingProfiles() {
        auto parsed = xdr::parse_specification(
            std::string_view(qemud_libvirt_0_3_header_x_text, qemud_libvirt_0_3_header_x_size),
            "reference/framing/libvirt_0_3_header.x");
        if (auto* error = std::get_if<xdr::ParseError>(&parsed)) die(error->to_string());
        libvirt_spec = std::move(std::get<xdr::Specification>(parsed));
        for (const auto& row : rows) {
            const auto& spec = row.id == Framing::seed ? ProtocolInfo::get().spec() : libvirt_spec;
            load(profiles[static_cast<std::size_t>(row.id)], row, spec);
        }
    }

    static void load(FramingProfile& p, const ProfileRow& row, const xdr::Specification& spec) {
        p.id_ = row.id;
        p.spec_ = &spec;
        p.header_type_ = row.header_type;
        p.constant_name_ = row.constant_name;
        p.constant_member_ = row.constant_member;
        p.constant_title_ = row.constant_title;
        p.length_member_ = length_member;
        const auto* constant = spec.find_const(row.constant_name);
        const auto* header = spec.find_struct(row.header_type);
        if (!constant || !header) die(std::string(row.header_type) + " or " + row.constant_name + " is not declared");
        p.constant_ = static_cast<std::uint32_t>(constant->value);
        std::size_t offset = 0;
        bool has_constant = false, has_length = false;
        for (const auto& field : header->fields) {
            const auto size = xdr::wire_size(spec, field);
            if (!size.fixed() || size.max != 4) die(std::string(row.header_type) + "." + field.name + " is not one word");
            if (field.name == row.constant_member) p.constant_offset_ = offset, has_constant = true;
            else if (field.name == length_member) p.length_offset_ = offset, has_length = true;
            else die(std::string(row.header_type) + " has an unknown member " + field.name);
            offset += 4;
        }
        if (!has_constant || !has_length || offset != 8)
            die(std::string(row.header_type) + " is not {" + row.constant_member + ", length}");
        p.header_size_ = static_cast<std::uint32_t>(offset);
        if (row.id == Framing::seed && p.header_size_ != ProtocolInfo::get().header_size())
            die("QEMUD_PKT_HEADER_XDR_LEN disagrees with the seed header");
        p.length_bias_ = row.length_counts_header ? p.header_size_ : 0;
    }
};

const FramingProfile& framing_profile(Framing framing) {
    static const FramingProfiles all;
    return all.profiles[static_cast<std::size_t>(framing)];
}

std::string FramingProfile::describe() const {
    const std::string length_word = "word " + std::to_string(length_offset_ / 4 + 1) +
                                    (length_bias_ ? " the total length (header included)" : " the payload length");
    const std::string constant_word = "word " + std::to_string(constant_offset_ / 4 + 1) + " the " + constant_title_ +
                                      " " + hex32(constant_);
    return std::string(name()) + ": " + (constant_offset_ < length_offset_ ? constant_word + ", " + length_word
                                                                           : length_word + ", " + constant_word);
}

std::uint32_t FramingProfile::length_for(std::uint64_t payload_size) const {
    return static_cast<std::uint32_t>(payload_size + length_bias_);
}

std::uint32_t FramingProfile::min_length(Direction d) const { return ProtocolInfo::get().min_payload(d) + length_bias_; }
std::uint32_t FramingProfile::max_length(Direction d) const { return ProtocolInfo::get().max_payload(d) + length_bias_; }
std::uint32_t FramingProfile::min_bare_length() const { return ProtocolInfo::get().min_any_payload() + length_bias_; }
std::uint32_t FramingProfile::max_bare_length() const { return ProtocolInfo::get().max_any_payload() + length_bias_; }

void FramingProfile::write(HeaderWords words, std::uint8_t* header) const {
    store_be32(header + constant_offset_, words.constant);
    store_be32(header + length_offset_, words.length);
}

Bytes FramingProfile::header_for(std::uint64_t payload_size) const {
    Bytes out(header_size_);
    write({constant_, length_for(payload_size)}, out.data());
    return out;
}

Bytes FramingProfile::frame(ByteView payload) const {
    Bytes out = header_for(payload.size());
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

Json FramingProfile::to_json(HeaderWords words) const {
    return Json{{constant_member_, words.constant}, {length_member_, words.length}};
}

Outcome<HeaderWords> FramingProfile::from_json(const Json& value) const {
    const std::string shape = "{" + constant_member_ + ", " + length_member_ + "}";
    if (!value.is_object()) return value_model::value_error("", "a " + std::string(name()) + " header is an object " + shape);
    for (const auto& [key, _] : value.items())
        if (key != constant_member_ && key != length_member_)
            return value_model::value_error(key, "unknown member of a " + std::string(name()) + " header " + shape);
    HeaderWords words;
    for (const std::string* member : {&constant_member_, &length_member_}) {
        if (!value.contains(*member)) return value_model::value_error(*member, "missing member");
        std::string why;
        const auto v = value_model::read_uint32(value.at(*member), &why);
        if (!v) return value_model::value_error(*member, why);
        (member == &constant_member_ ? words.constant : words.length) = *v;
    }
    return words;
}

bool FramingProfile::bare_length_ok(std::uint32_t length) const {
    return length % 4 == 0 && length >= min_bare_length() && length <= max_bare_length();
}

std::optional<policy::Flag> FramingProfile::framed_length_flag(Direction d, std::uint32_t length) const {
    if (length > max_length(d)) return policy::Flag::length_too_large;
    if (length < min_length(d) || length % 4 != 0) return policy::Flag::length_mismatch;
    return std::nullopt;
}

std::optional<CodecError> FramingProfile::check_framed(Direction d, HeaderWords words, std::size_t at) const {
    const std::string dir(to_string(d));
    if (!constant_ok(words))
        return flagged(constant_member_, at + constant_offset_, policy::Flag::bad_magic,
                       constant_title_ + " " + hex32(words.constant) + " is not " + hex32(constant_) + " (" +
                           std::string(name()) + " framing)");
    // Decided from the header alone, before anything else is read, so that
    // a length of 4 GiB costs nothing.
    const auto flag = framed_length_flag(d, words.length);
    if (flag == policy::Flag::length_too_large)
        return flagged(length_member_, at + length_offset_, *flag,
                       "length " + std::to_string(words.length) + " exceeds the largest " + dir + " message's (" +
                           std::to_string(max_length(d)) + (length_bias_ ? ", header included)" : ")"));
    if (flag)
        return flagged(length_member_, at + length_offset_, *flag,
                       "length " + std::to_string(words.length) + " is not the " +
                           (length_bias_ ? "total size of any " + dir + " message (8 + payload)"
                                         : "size of any " + dir + " payload"));
    return std::nullopt;
}

std::optional<CodecError> FramingProfile::check_bare(HeaderWords words) const {
    if (!constant_ok(words))
        return flagged(constant_member_, constant_offset_, policy::Flag::bad_magic,
                       constant_title_ + " " + hex32(words.constant) + " is not " + hex32(constant_) + " (" +
                           std::string(name()) + " framing)");
    if (!bare_length_ok(words.length))
        return flagged(length_member_, length_offset_, policy::Flag::bad_header_length,
                       "length " + std::to_string(words.length) + " is not a multiple of 4 in " +
                           std::to_string(min_bare_length()) + ".." + std::to_string(max_bare_length()) + " (" +
                           std::string(name()) + " framing)");
    return std::nullopt;
}

std::optional<CodecError> FramingProfile::refuse_bare(HeaderWords words) const {
    auto error = check_bare(words);
    if (!error) return std::nullopt;
    error->offset.reset();
    error->message = "refusing to encode: " + error->message;
    return error;
}

std::string FramingProfile::explain_mismatch(ByteView expected, ByteView actual) const {
    if (expected.size() < header_size_ || actual.size() < header_size_) return "";
    const HeaderWords want = read(expected.data());
    const HeaderWords got = read(actual.data());
    if (want == got) return "";
    // Another profile's header of the same payload?
    for (const Framing other : all_framings) {
        if (other == id_) continue;
        const FramingProfile& o = framing_profile(other);
        const HeaderWords as_other = o.read(actual.data());
        if (as_other.constant == o.constant() && as_other.length >= o.length_bias() &&
            o.payload_size(as_other) == payload_size(want))
            return "the header is framed as " + o.describe() + "; this run expects " + describe();
    }
    std::string out;
    const auto add = [&](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
    if (load_be32(actual.data() + length_offset_) == constant_ && load_be32(actual.data() + constant_offset_) != constant_)
        add("the header words are swapped: " + word_name(length_offset_, length_member_) + " holds the " +
            constant_title_ + " " + hex32(constant_));
    else if (got.constant != want.constant)
        add(word_name(constant_offset_, constant_member_) + " is " + hex32(got.constant) + ", expected the " +
            constant_title_ + " " + hex32(want.constant));
    if (got.length != want.length) {
        std::string s = word_name(length_offset_, length_member_) + " is " + std::to_string(got.length) +
                        ", expected " + std::to_string(want.length);
        if (length_bias_ && got.length + length_bias_ == want.length)
            s += ": it counts the payload only; in " + std::string(name()) + " it counts the " +
                 std::to_string(length_bias_) + " header bytes too";
        else if (!length_bias_ && got.length == want.length + header_size_)
            s += ": it counts the header too; in " + std::string(name()) + " it counts the payload only";
        add(s);
    }
    return out;
}

std::string FramingProfile::reading_hint(ByteView wire) const {
    if (wire.size() < header_size_) return "";
    const HeaderWords w = read(wire.data());
    const std::string length = word_name(length_offset_, length_member_) + " is " +
                               (length_bias_ ? "the total length " : "the payload length ") +
                               std::to_string(w.length) + (length_bias_ ? " (header included)" : "");
    const std::string constant = word_name(constant_offset_, constant_member_) + " is the " + constant_title_ + " " +
                                 hex32(w.constant);
    return "a " + std::string(name()) + " header: " +
           (constant_offset_ < length_offset_ ? constant + ", " + length : length + ", " + constant);
}

Outcome<Framing> detect_framing(ByteView first_header, std::size_t at) {
    std::optional<Framing> found;
    int matches = 0;
    for (const Framing f : all_framings) {
        const FramingProfile& p = framing_profile(f);
        if (first_header.size() < p.header_size())
            return flagged("", at + first_header.size(), policy::Flag::truncated,
                           "the stream ends before its first header is complete");
        if (p.read(first_header.data()).constant == p.constant()) found = f, ++matches;
    }
    if (matches == 1) return *found;
    // Only a refusal describes the readings (a stream decoder meets every
    // first header here, so the common case builds no text).
    std::string readings;
    for (const Framing f : all_framings) {
        const FramingProfile& p = framing_profile(f);
        const HeaderWords w = p.read(first_header.data());
        const bool match = w.constant == p.constant();
        readings += (readings.empty() ? "" : "; ") + std::string(p.name()) + " reads " + std::string(p.constant_title()) + " " +
                    hex32(w.constant) + (match ? "" : " (not " + hex32(p.constant()) + ")") + " and length " +
                    std::to_string(w.length);
    }
    return flagged("", at, policy::Flag::bad_magic,
                   std::string(matches ? "the first header is ambiguous: " : "the first header is no profile's: ") +
                       readings);
}

}  // namespace qemud
