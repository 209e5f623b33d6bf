// SPDX-License-Identifier: Apache-2.0
// common.cpp: flags, results, byte helpers, encoder agreement and layouts
// shared by the per-kind builders.
#include <algorithm>
#include <array>
#include <cstdio>

#include "arm_layout.h"
#include "codecs/registry.h"
#include "codecs/value_model.h"
#include "vectors.h"
#include "xdrc/analysis.h"

namespace qemud::golden {

namespace {

using D = policy::DecoderRule;

// Flags the generator adds on top of the policy rows. They describe how a
// vector was built; none of them decides its result.
constexpr std::array<GeneratorFlag, 25> extra_flags{{
    {"zeros", D::must_accept, "Value plan: every number 0, every byte 0x00."},
    {"realistic", D::must_accept, "Value plan: real-looking domain XML, names, UUIDs, versions and errors."},
    {"boundary", D::must_accept,
     "Value plan or header: integers at their type's minimum or maximum, byte arrays full (no NUL) of bytes "
     "0x80-0xFF and 0x01-0x7F; for headers, the smallest and largest lengths."},
    {"decode_only", D::must_accept,
     "The wire is valid but not canonical: decoding must give `value`, and encoding `value` must give "
     "`canonicalWire`, not `wire`."},
    {"truncated_field_boundary", D::must_reject, "The input stops exactly at the start of a field (or is empty)."},
    {"truncated_mid_field", D::must_reject, "The input stops inside a field: within a word or between elements."},
    {"discriminant_max", D::must_reject,
     "The discriminant is the enum's ..._PKT_MAX item, a count of the arms and not an arm."},
    {"sign_extended_uchar", D::acceptable,
     "An unsigned char byte >= 0x80 written sign-extended (FF FF FF XX), as a signed-char encoder would; "
     "libtirpc keeps the low 8 bits, so the value is unchanged."},
    {"libvirt_0_3_framing", D::must_reject,
     "The header words in the libvirt-0.3 order (total length, then magic): a default-framing decoder sees a bad "
     "magic."},
    {"seed_framing", D::must_reject,
     "The header words in the seed order (magic, then payload length): a libvirt-0.3 decoder sees a bad program "
     "number."},
    {"cross_direction_length", D::must_reject,
     "A framed client length that only a server payload could have (above 16396, up to 20016)."},
    // The rules of unencodable_value, one flag each; errorPath names the member.
    {"missing_member", D::must_reject, "A member the type has is missing (a field, the arm member, type, serial)."},
    {"extra_member", D::must_reject, "A member the type does not have (unknownMember)."},
    {"other_arm_member", D::must_reject,
     "The union carries another arm's member in place of, or beside, the one its type names."},
    {"void_arm_member", D::must_reject, "A void arm's union carries a member (another arm's)."},
    {"unknown_type", D::must_reject,
     "type names no arm: an unknown name, the ..._PKT_MAX count, or a number instead of a name."},
    {"int32_out_of_range", D::must_reject, "An int32_t outside -2^31..2^31-1 (2147483648, -2147483649)."},
    {"uint32_out_of_range", D::must_reject, "A uint32_t outside 0..2^32-1 (-1, 4294967296)."},
    {"non_integer_number", D::must_reject,
     "An integer field holding a number with a fraction or an exponent (1.5, 1e3 written 1000.0): not an "
     "integer token, even when its value is whole."},
    {"string_for_integer", D::must_reject, "An integer field holding a string of digits (\"42\")."},
    {"non_canonical_uint64", D::must_reject,
     "A uint64_t that is not a canonical decimal string: negative (\"-1\"), a leading zero (\"01\"), above "
     "2^64-1 (\"18446744073709551616\"), or a JSON number."},
    {"hex_too_short", D::must_reject, "A char or unsigned char array's hex one byte (two digits) short."},
    {"hex_too_long", D::must_reject, "A char or unsigned char array's hex one byte (two digits) long."},
    {"hex_odd_length", D::must_reject, "A char or unsigned char array's hex one digit short: an odd length."},
    {"hex_not_hex", D::must_reject, "A char or unsigned char array's hex starting with 'zz'."},
}};

std::string offset_note(std::size_t at) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%zu (0x%zx)", at, at);
    return buf;
}

std::size_t first_difference(const Bytes& a, const Bytes& b) {
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    return i;
}

std::string describe(const Outcome<Bytes>& out) {
    if (out.ok()) return "encoded " + std::to_string(out.value().size()) + " bytes";
    if (out.failed()) return "error: " + out.error().to_string();
    return "unsupported: " + out.unsupported_reason().what;
}

}  // namespace

std::span<const GeneratorFlag> generator_flags() { return extra_flags; }

policy::DecoderRule rule_of(std::string_view name) {
    if (const auto f = policy::flag_from_name(name)) return policy::row(*f).decoder;
    for (const auto& g : extra_flags)
        if (g.name == name) return g.rule;
    throw GenerationError("unknown flag " + std::string(name));
}

std::string result_of(const std::vector<std::string>& flags) {
    bool reject = false;
    bool acceptable = false;
    bool any_policy = false;
    for (const auto& f : flags) {
        const auto p = policy::flag_from_name(f);
        if (!p) continue;
        any_policy = true;
        reject |= policy::row(*p).decoder == D::must_reject;
        acceptable |= policy::row(*p).decoder == D::acceptable;
    }
    if (!any_policy) throw GenerationError("a vector carries no policy flag");
    return reject ? "invalid" : acceptable ? "acceptable" : "valid";
}

std::string Vector::result() const { return result_of(flags); }

const char* flag(policy::Flag f) { return policy::name(f).data(); }

Bytes frame(const FramingProfile& p, ByteView payload, std::uint32_t length_word) {
    Bytes out(p.header_size());
    p.write({p.constant(), length_word}, out.data());
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

std::vector<LayoutEntry> header_layout(const FramingProfile& p, const std::string& prefix) {
    std::vector<LayoutEntry> out;
    std::size_t offset = 0;
    for (const auto& field : p.spec().find_struct(p.header_type())->fields) {
        const std::size_t size = xdr::wire_size(p.spec(), field).max;
        out.push_back({offset, size, prefix + field.name});
        offset += size;
    }
    return out;
}

std::string hex(ByteView bytes) { return value_model::to_hex(bytes.data(), bytes.size()); }

std::string hex32(std::uint32_t word) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08X", word);
    return buf;
}

Bytes encode_agreed(Kind kind, const Json& value, const std::string& what, Framing framing) {
    const Codec& ref = reference_codec();
    const auto expected = ref.encode(kind, value, framing);
    if (!expected.ok())
        throw GenerationError(std::string(to_string(kind)) + " " + what + ": the reference implementation " +
                              std::string(ref.name()) + " did not encode the value (" + describe(expected) + ")");
    for (const Codec* codec : all_codecs()) {
        if (codec == nullptr) throw GenerationError("an implementation in all_codecs() is missing (nullptr)");
        if (codec == &ref) continue;
        const auto got = codec->encode(kind, value, framing);
        if (!got.ok())
            throw GenerationError(std::string(to_string(kind)) + " " + what + ": implementation " +
                                  std::string(codec->name()) + " did not encode the value (" + describe(got) + ")");
        if (got.value() != expected.value())
            throw GenerationError(std::string(to_string(kind)) + " " + what + ": implementation " +
                                  std::string(codec->name()) + " differs from " + std::string(ref.name()) +
                                  " at byte offset " + offset_note(first_difference(got.value(), expected.value())));
    }
    return expected.value();
}

void refuse_agreed(Kind kind, const Json& value, const std::string& what, Framing framing,
                   const std::vector<std::string>& paths) {
    for (const Codec* codec : all_codecs()) {
        if (codec == nullptr) throw GenerationError("an implementation in all_codecs() is missing (nullptr)");
        const auto got = codec->encode(kind, value, framing);
        if (!got.failed())
            throw GenerationError(std::string(to_string(kind)) + " " + what + ": implementation " +
                                  std::string(codec->name()) + " did not refuse to encode " +
                                  value.dump().substr(0, 400) + " (" + describe(got) + ")");
        if (!paths.empty() && std::find(paths.begin(), paths.end(), got.error().path) == paths.end())
            throw GenerationError(std::string(to_string(kind)) + " " + what + ": implementation " +
                                  std::string(codec->name()) + " refused it naming '" + got.error().path +
                                  "', not " + paths.front() + " (" + describe(got) + ")");
    }
}

Json reference_decode(Kind kind, ByteView wire, const std::string& what, Framing framing) {
    const auto out = reference_codec().decode(kind, wire, framing);
    if (!out.ok())
        throw GenerationError(std::string(to_string(kind)) + " " + what + ": the reference implementation " +
                              std::string(reference_codec().name()) + " did not decode the edited wire: " +
                              (out.failed() ? out.error().to_string() : out.unsupported_reason().what));
    return out.value();
}

std::vector<LayoutEntry> payload_layout(const ArmInfo& arm, std::size_t base) {
    const auto& info = ProtocolInfo::get();
    const auto& spec = info.spec();
    const auto* root = spec.find_struct(info.payload_type(arm.direction));
    std::vector<LayoutEntry> out;
    std::size_t offset = base;
    for (const auto& field : root->fields) {
        if (&field == &root->fields.back()) {
            // The union: its discriminant, then the arm's fields.
            const std::string data = field.name;
            const auto& u = info.payload_union(arm.direction);
            const std::size_t size = xdr::wire_size(spec, u.discriminant).max;
            out.push_back({offset, size, data + "." + u.discriminant.name});
            for (const auto& f : testing::arm_fields(arm))
                out.push_back({base + f.offset, f.size, data + "." + arm.member + "." + f.name});
        } else {
            const std::size_t size = xdr::wire_size(spec, field).max;
            out.push_back({offset, size, field.name});
            offset += size;
        }
    }
    return out;
}

bool is_large(const ArmInfo& arm) { return arm.payload_size > large_payload; }

bool gets_large_edits(const ArmInfo& arm) {
    if (!is_large(arm)) return true;
    // The layout of an arm: its fields' types, array kinds and sizes.
    const auto shape = [](const ArmInfo& a) {
        std::string key;
        for (const auto& f : testing::arm_fields(a)) {
            const auto& t = f.declaration.type;
            key += (t.is_primitive() ? std::to_string(static_cast<int>(t.primitive())) : t.name()) + "/" +
                   std::to_string(static_cast<int>(f.declaration.array)) + "/" + std::to_string(f.size) + ";";
        }
        return key;
    };
    const std::string mine = shape(arm);
    for (const auto& other : ProtocolInfo::get().arms(arm.direction)) {
        if (other.name == arm.name) return true;
        if (is_large(other) && shape(other) == mine) return false;
    }
    return true;
}

namespace {

// check_arm: a themed group's vector carries the arm it was built from, an
// arm of the file's direction, exactly when its comment starts with that
// arm's name (every builder starts an arm's vector's comment so); an arm's
// group says its arm once, and its vectors carry none.
void check_arm(const VectorFile& file, const Group& group, const Vector& v) {
    const std::string where = std::string(to_string(file.kind)) + " " + v.comment;
    if (!group.arm.empty()) {
        if (!v.arm.empty()) throw GenerationError(where + ": a vector of an arm's group carries an arm");
        return;
    }
    const ArmInfo* named = nullptr;  // the arm the comment starts with
    if (const auto d = direction_of(file.kind))
        for (const auto& arm : ProtocolInfo::get().arms(*d))
            if (v.comment.rfind(arm.name, 0) == 0 && v.comment.size() > arm.name.size() &&
                (v.comment[arm.name.size()] == ' ' || v.comment[arm.name.size()] == ':'))
                named = &arm;
    if (!named && !v.arm.empty())
        throw GenerationError(where + ": carries arm " + v.arm + ", which is not an arm of its direction its "
                              "comment starts with");
    if (named && v.arm != named->name)
        throw GenerationError(where + ": built from " + named->name + " but carries arm '" + v.arm + "'");
}

}  // namespace

void number_tests(VectorFile& file) {
    std::uint32_t next = 1;
    for (auto& group : file.groups) {
        for (auto& v : group.tests) {
            v.tc_id = next++;
            check_arm(file, group, v);
            for (const auto& f : v.flags) (void)rule_of(f);  // every flag known
            const std::string result = v.result();
            // Generator flags must agree with the result they sit on.
            for (const auto& f : v.flags) {
                if (policy::flag_from_name(f)) continue;
                const auto rule = rule_of(f);
                const bool fits = (rule == D::must_accept && result == "valid") ||
                                  (rule == D::must_reject && result == "invalid") ||
                                  (rule == D::acceptable && result == "acceptable");
                if (!fits)
                    throw GenerationError(std::string(to_string(file.kind)) + " " + v.comment + ": flag " + f +
                                          " does not fit result " + result);
            }
            if (result == "valid" && !v.value) throw GenerationError(v.comment + ": a valid vector without a value");
            if (result == "acceptable" && !v.value)
                throw GenerationError(v.comment + ": an acceptable vector without libtirpc's value");
            if (result == "invalid" && v.value && v.has_wire && file.kind != Kind::header)
                throw GenerationError(v.comment + ": only header-kind invalid vectors carry a value with a wire");
            if (!v.has_wire && (result != "invalid" || !v.value || !v.error_path))
                throw GenerationError(v.comment + ": a vector without a wire is an invalid value with an errorPath");
            if (v.canonical_wire && result != "valid")
                throw GenerationError(v.comment + ": canonicalWire on a vector that is not valid");
        }
    }
}

}  // namespace qemud::golden
