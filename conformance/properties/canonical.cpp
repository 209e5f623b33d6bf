// SPDX-License-Identifier: Apache-2.0
#include "canonical.h"

#include <bit>
#include <cstring>
#include <sstream>

#include "arm_layout.h"
#include "codecs/value_model.h"
#include "framing/framing.h"
#include "runtime/reader.h"
#include "runtime/writer.h"
#include "xdrc/analysis.h"

namespace qemud::comparator {

namespace {

const ProtocolInfo& info() { return ProtocolInfo::get(); }

std::uint32_t be32(ByteView wire, std::size_t offset) {
    // One 4-byte load (a sanitizer build checks each load it sees).
    std::uint32_t w;
    std::memcpy(&w, wire.data() + offset, sizeof w);
    return std::endian::native == std::endian::little ? __builtin_bswap32(w) : w;
}

void put_be32(Bytes& wire, std::size_t offset, std::uint32_t word) {
    for (int i = 0; i < 4; ++i) wire[offset + i] = static_cast<std::uint8_t>(word >> (24 - 8 * i));
}

// walk adds the element words of one declaration placed at `offset`. Nested
// fixed-size structs and fixed arrays of them are followed through the AST;
// nothing of variable size occurs in an arm of this protocol (every arm has
// one payload size, docs/WIRE.md), so none is followed.
void walk(const xdr::Declaration& d, std::size_t offset, const std::string& path, std::vector<ElementSite>& out) {
    const auto& spec = info().spec();
    const xdr::TypeRef type = xdr::resolve_typedefs(spec, d.type);
    if (type.is_primitive()) {
        const auto p = type.primitive();
        const bool byte_type = p == xdr::PrimitiveType::char_ || p == xdr::PrimitiveType::uchar;
        if (!byte_type) return;
        const bool is_char = p == xdr::PrimitiveType::char_;
        if (d.array == xdr::ArrayKind::none) out.push_back({offset, is_char, path});
        if (d.array == xdr::ArrayKind::fixed)
            for (std::uint32_t i = 0; i < *d.size; ++i)
                out.push_back({offset + 4 * i, is_char, path + "[" + std::to_string(i) + "]"});
        return;
    }
    const auto* s = spec.find_struct(type.name());
    if (!s) return;
    const auto struct_size = xdr::wire_size(spec, type);
    if (!struct_size.fixed()) return;
    auto fields = [&](std::size_t base, const std::string& prefix) {
        std::size_t at = base;
        for (const auto& field : s->fields) {
            walk(field, at, prefix + "." + field.name, out);
            at += xdr::wire_size(spec, field).max;
        }
    };
    if (d.array == xdr::ArrayKind::none) fields(offset, path);
    if (d.array == xdr::ArrayKind::fixed)
        for (std::uint32_t i = 0; i < *d.size; ++i)
            fields(offset + i * struct_size.max, path + "[" + std::to_string(i) + "]");
}

int severity(policy::DecoderRule rule) {
    switch (rule) {
        case policy::DecoderRule::must_accept: return 0;
        case policy::DecoderRule::acceptable: return 1;
        case policy::DecoderRule::must_reject: return 2;
    }
    return 2;
}

void add_flag(Classification& c, policy::Flag flag, std::size_t offset, std::string_view path = {}) {
    const auto bit = std::uint64_t{1} << static_cast<unsigned>(flag);
    if (!(c.flag_set & bit)) {
        c.flag_set |= bit;
        c.first_offset[static_cast<std::size_t>(flag)] = offset;
    }
    const auto rule = policy::row(flag).decoder;
    auto& first = c.first_of_rule[static_cast<std::size_t>(rule)];
    if (first == policy::Flag::canonical) first = flag;
    if (severity(rule) > severity(c.rule)) c.rule = rule;
    if (!c.summary_only) c.flags.push_back({flag, offset, path});
}

static_assert(static_cast<std::size_t>(policy::Flag::unencodable_value) < std::tuple_size_v<decltype(Classification::first_offset)>,
              "Classification::first_offset has a slot per policy flag");

// ArmTables holds, for every arm of both directions, its element sites
// and their runs, built once (thread-safe static initialization) and found
// by the arm's index: the classification of every wire needs them, so no
// lock or map lookup per call.
struct ArmTables {
    std::vector<std::vector<ElementSite>> sites[2];
    std::vector<std::vector<ElementRun>> runs[2];
};

std::vector<ElementSite> compute_sites(const ArmInfo& arm) {
    std::vector<ElementSite> sites;
    for (const auto& field : testing::arm_fields(arm))
        walk(field.declaration, field.offset, "data." + arm.member + "." + field.name, sites);
    return sites;
}

std::vector<ElementRun> compute_runs(const std::vector<ElementSite>& sites) {
    std::vector<ElementRun> runs;
    for (std::size_t i = 0; i < sites.size(); ++i) {
        const auto& s = sites[i];
        if (!runs.empty()) {
            auto& last = runs.back();
            if (last.is_char == s.is_char && last.offset + 4 * last.count == s.offset) {
                ++last.count;
                continue;
            }
        }
        runs.push_back({s.offset, 1, s.is_char, i});
    }
    return runs;
}

const ArmTables& arm_tables() {
    static const ArmTables tables = [] {
        ArmTables t;
        for (const Direction d : all_directions) {
            const auto i = static_cast<std::size_t>(d);
            for (const auto& arm : info().arms(d)) {
                t.sites[i].push_back(compute_sites(arm));
                t.runs[i].push_back(compute_runs(t.sites[i].back()));
            }
        }
        return t;
    }();
    return tables;
}

// arm_index: where `arm` sits in info().arms(its direction); the arm need
// not be ProtocolInfo's own object (a copy is looked up by value).
std::size_t arm_index(const ArmInfo& arm) {
    const auto& arms = info().arms(arm.direction);
    if (&arm >= arms.data() && &arm < arms.data() + arms.size()) return static_cast<std::size_t>(&arm - arms.data());
    return static_cast<std::size_t>(info().find_arm(arm.direction, arm.value) - arms.data());
}

// check_element_word classes one element word and adds its flag, if any:
// the cold path, taken only in blocks the kernel did not pass.
void check_element_word(ByteView payload, std::size_t base, const ElementSite& site, Classification& c) {
    const std::uint32_t word = be32(payload, site.offset);
    if (site.is_char) {
        const auto cls = policy::classify_char_word(word);
        if (cls != policy::ElementClass::canonical) add_flag(c, policy::char_word_flag(cls), base + site.offset, site.path);
    } else if (policy::classify_uchar_word(word) != policy::ElementClass::canonical) {
        add_flag(c, policy::Flag::non_canonical_uchar, base + site.offset, site.path);
    }
}

// classify_elements flags the element words of `arm` in `payload` (the
// words present; a short payload ends the scan), in wire order. Each run of
// like words goes through the cxx runtime's bulk kernel in blocks; a block
// the kernel passes holds only canonical words and, for char, zero-extended
// bytes >= 0x80 (also passed: decoders must accept them), which are the
// words whose decoded byte has its top bit set and whose first wire byte is
// 0. Only words of a block that failed are classed one by one.
void classify_elements(const ArmInfo& arm, ByteView payload, std::size_t base, Classification& c) {
    const auto d = static_cast<std::size_t>(arm.direction);
    const std::size_t index = arm_index(arm);
    const auto& sites = arm_tables().sites[d][index];
    constexpr std::size_t block = 256;
    std::uint8_t bytes[block];
    for (const auto& run : arm_tables().runs[d][index]) {
        if (run.offset + 4 > payload.size()) return;
        const std::size_t present = std::min<std::size_t>(run.count, (payload.size() - run.offset) / 4);
        for (std::size_t i = 0; i < present; i += block) {
            const std::size_t n = std::min(block, present - i);
            const std::uint8_t* p = payload.data() + run.offset + 4 * i;
            const bool passed = run.is_char ? wire::byte_words::decode<true>(p, n, bytes)
                                            : wire::byte_words::decode<false>(p, n, bytes);
            const auto bad = run.is_char ? policy::Flag::non_canonical_char : policy::Flag::non_canonical_uchar;
            if (passed) {
                if (!run.is_char || (c.summary_only && c.has(policy::Flag::zero_extended_char))) continue;
                std::uint8_t high = 0;
                for (std::size_t j = 0; j < n; ++j) high |= bytes[j];
                if (!(high & 0x80)) continue;
                for (std::size_t j = 0; j < n; ++j)
                    if ((bytes[j] & 0x80) && p[4 * j] == 0) {
                        const auto& site = sites[run.first_site + i + j];
                        add_flag(c, policy::Flag::zero_extended_char, base + site.offset, site.path);
                        if (c.summary_only) break;
                    }
                continue;
            }
            // A summary keeps each flag's first word only: past the run's
            // first non-canonical word a failing block adds nothing to it
            // (a zero-extended word in such a block goes unseen).
            if (c.summary_only && c.has(bad)) continue;
            for (std::size_t j = 0; j < n; ++j) {
                check_element_word(payload, base, sites[run.first_site + i + j], c);
                if (c.summary_only && c.has(bad)) break;
            }
        }
        if (present < run.count) return;
    }
}

// payload_arm: the arm a payload's discriminant names; nullptr when the
// payload ends before the discriminant or it names no arm.
const ArmInfo* payload_arm(Direction d, ByteView payload) {
    const std::size_t prefix = info().payload_prefix_size(d);
    if (payload.size() < prefix + 4) return nullptr;
    return info().find_arm(d, static_cast<std::int32_t>(be32(payload, prefix)));
}

// classify_payload judges the payload that starts at `base` in wire.
// size_flags false leaves out truncated and trailing_bytes past the
// discriminant: inside a framed message those are the length's fault.
void classify_payload(Direction d, ByteView wire, std::size_t base, Classification& c, bool size_flags = true) {
    const ByteView payload = wire.subspan(base);
    const std::size_t prefix = info().payload_prefix_size(d);
    if (payload.size() < prefix + 4) {
        add_flag(c, policy::Flag::truncated, base + payload.size());
        return;
    }
    c.arm = payload_arm(d, payload);
    if (!c.arm) {
        add_flag(c, policy::Flag::unknown_discriminant, base + prefix, "data.type");
        return;
    }
    classify_elements(*c.arm, payload, base, c);
    if (!size_flags) return;
    if (payload.size() < c.arm->payload_size) add_flag(c, policy::Flag::truncated, base + payload.size());
    if (payload.size() > c.arm->payload_size) add_flag(c, policy::Flag::trailing_bytes, base + c.arm->payload_size);
}

void classify_header(ByteView wire, Classification& c, std::optional<Direction> direction, Framing framing) {
    const FramingProfile& p = framing_profile(framing);
    const std::size_t h = p.header_size();
    if (wire.size() < h) {
        add_flag(c, policy::Flag::truncated, wire.size());
        return;
    }
    const HeaderWords words = p.read(wire.data());
    if (!p.constant_ok(words)) add_flag(c, policy::Flag::bad_magic, p.constant_offset());
    if (!direction) {
        if (!p.bare_length_ok(words.length)) add_flag(c, policy::Flag::bad_header_length, p.length_offset());
        if (wire.size() > h) add_flag(c, policy::Flag::trailing_bytes, h);
        return;
    }
    if (p.framed_length_flag(*direction, words.length) == policy::Flag::length_too_large) {
        add_flag(c, policy::Flag::length_too_large, p.length_offset());
        return;
    }
    // A libvirt-0.3 length below its own 8 header bytes announces no payload.
    const std::size_t end = h + (words.length >= p.length_bias() ? p.payload_size(words) : 0);
    if (wire.size() < end) add_flag(c, policy::Flag::truncated, wire.size());
    if (wire.size() > end) add_flag(c, policy::Flag::trailing_bytes, end);
    // The payload within `length` is judged on its own, and length against
    // the arm it names: a payload cut short (or left long) by the length
    // word is a length mismatch, not a truncation.
    const ByteView within = wire.subspan(0, std::min(wire.size(), end));
    const ArmInfo* arm = payload_arm(*direction, within.subspan(h));
    if (c.summary_only && (c.has(policy::Flag::bad_magic) || wire.size() != end)) {
        // Every decoder refuses this wire in the shared framing checks
        // before it reads a payload byte, so the payload's flags decide
        // nothing; a fuzzed wire is often 20 KB of them.
        c.arm = arm;
        c.payload_unread = true;
        return;
    }
    const bool mismatch = arm && words.length != p.length_for(arm->payload_size) && wire.size() >= end;
    if (mismatch) add_flag(c, policy::Flag::length_mismatch, p.length_offset());
    classify_payload(*direction, within, h, c, !mismatch);
}

// rewrite: canonical_into into a new buffer.
Bytes rewrite(ByteView wire, const Classification& c, bool low_byte) {
    Bytes out;
    canonical_into(wire, c, low_byte, out);
    return out;
}

template <class T>
std::string describe(const Outcome<T>& out) {
    if (out.ok()) return "accepted";
    if (out.unsupported()) return "unsupported (" + out.unsupported_reason().what + ")";
    return "rejected: " + out.error().to_string() + " [" + out.error().flag + "]";
}

// first_word_difference names the first differing byte offset.
std::string first_difference(ByteView a, ByteView b) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) {
            std::ostringstream os;
            os << "first difference at byte 0x" << std::hex << i;
            return os.str();
        }
    if (a.size() != b.size())
        return "sizes differ: " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
    return "identical";
}

// first_value_difference names the first differing member path of two
// values of the value model.
std::string first_value_difference(const Json& a, const Json& b, const std::string& path = "") {
    if (a.is_object() && b.is_object()) {
        for (const auto& [key, value] : a.items()) {
            const std::string p = path.empty() ? key : path + "." + key;
            if (!b.contains(key)) return p + " missing on one side";
            if (value != b.at(key)) return first_value_difference(value, b.at(key), p);
        }
        for (const auto& [key, _] : b.items())
            if (!a.contains(key)) return (path.empty() ? key : path + "." + key) + " missing on one side";
    }
    if (a.is_string() && b.is_string() && a.get_ref<const std::string&>().size() == b.get_ref<const std::string&>().size()) {
        const auto& x = a.get_ref<const std::string&>();
        const auto& y = b.get_ref<const std::string&>();
        for (std::size_t i = 0; i < x.size(); i += 2)
            if (x.compare(i, 2, y, i, 2) != 0)
                return path + "[" + std::to_string(i / 2) + "]: " + x.substr(i, 2) + " vs " + y.substr(i, 2);
    }
    std::string sa = a.dump(), sb = b.dump();
    if (sa.size() > 80) sa = sa.substr(0, 80) + "...";
    if (sb.size() > 80) sb = sb.substr(0, 80) + "...";
    return path + ": " + sa + " vs " + sb;
}

}  // namespace

const std::vector<ElementSite>& element_sites(const ArmInfo& arm) {
    return arm_tables().sites[static_cast<std::size_t>(arm.direction)][arm_index(arm)];
}

const std::vector<ElementRun>& element_runs(const ArmInfo& arm) {
    return arm_tables().runs[static_cast<std::size_t>(arm.direction)][arm_index(arm)];
}

policy::Flag Classification::deciding() const { return first_of_rule[static_cast<std::size_t>(rule)]; }

std::string Classification::to_string() const {
    std::ostringstream os;
    os << "policy: " << policy::to_string(rule) << " (" << policy::name(deciding()) << ")";
    if (arm) os << ", arm " << arm->name;
    std::size_t shown = 0;
    for (const auto& f : flags) {
        if (shown++ == 8) {
            os << ", ... " << flags.size() - 8 << " more";
            break;
        }
        os << (shown == 1 ? "; flags: " : ", ") << policy::name(f.flag) << " at 0x" << std::hex << f.offset
           << std::dec;
        if (!f.path.empty()) os << " (" << f.path << ")";
    }
    return os.str();
}

Classification classify(Kind kind, ByteView wire, Framing framing) {
    Classification c;
    classify_into(kind, wire, framing, c);
    return c;
}

void classify_into(Kind kind, ByteView wire, Framing framing, Classification& c) {
    const bool summary_only = c.summary_only;
    c = Classification{};
    c.summary_only = summary_only;
    switch (kind) {
        case Kind::header: classify_header(wire, c, std::nullopt, framing); break;
        case Kind::client:
        case Kind::server: classify_payload(*direction_of(kind), wire, 0, c); break;
        case Kind::client_message:
        case Kind::server_message: classify_header(wire, c, direction_of(kind), framing); break;
    }
}

Bytes canonical(Kind kind, ByteView wire, Framing framing) {
    return rewrite(wire, classify(kind, wire, framing), false);
}
Bytes low_byte_canonical(Kind kind, ByteView wire, Framing framing) {
    return rewrite(wire, classify(kind, wire, framing), true);
}
void canonical_into(ByteView wire, const Classification& c, bool low_byte, Bytes& out) {
    out.assign(wire.begin(), wire.end());
    for (const auto& f : c.flags) {
        const bool zero_ext = f.flag == policy::Flag::zero_extended_char;
        const bool other = f.flag == policy::Flag::non_canonical_char || f.flag == policy::Flag::non_canonical_uchar;
        if (!zero_ext && !(low_byte && other)) continue;
        const auto byte = wire[f.offset + 3];
        put_be32(out, f.offset,
                 f.flag == policy::Flag::non_canonical_uchar ? policy::canonical_uchar_word(byte)
                                                             : policy::canonical_char_word(byte));
    }
}

Bytes canonical(ByteView wire, const Classification& c) { return rewrite(wire, c, false); }

void canonical_elements_into(Kind kind, ByteView wire, const Classification& c, Bytes& out) {
    out.assign(wire.begin(), wire.end());
    if (!c.arm || kind == Kind::header) return;
    const std::size_t base = is_message(kind) ? info().header_size() : 0;
    constexpr std::size_t block = 256;
    std::uint8_t bytes[block];
    for (const auto& run : element_runs(*c.arm)) {
        const std::size_t at = base + run.offset;
        if (at + 4 > out.size()) return;
        const std::size_t present = std::min<std::size_t>(run.count, (out.size() - at) / 4);
        for (std::size_t i = 0; i < present; i += block) {
            const std::size_t n = std::min(block, present - i);
            if (run.is_char) {
                wire::byte_words::decode<true>(wire.data() + at + 4 * i, n, bytes);
                wire::byte_words::encode<true>(bytes, n, out.data() + at + 4 * i);
            } else {
                wire::byte_words::decode<false>(wire.data() + at + 4 * i, n, bytes);
                wire::byte_words::encode<false>(bytes, n, out.data() + at + 4 * i);
            }
        }
        if (present < run.count) return;
    }
}
Bytes low_byte_canonical(ByteView wire, const Classification& c) { return rewrite(wire, c, true); }

std::string title(std::string_view first, std::string_view second, Kind kind, const ArmInfo* arm,
                  std::string_view what) {
    std::string a(first), b(second);
    if (!b.empty() && b < a) std::swap(a, b);  // sorted, so duplicates group
    std::string out = "qemud-harness: " + a + (b.empty() ? "" : "-" + b) + " " + std::string(to_string(kind));
    out += " ";
    out += arm ? arm->name : std::string("no-arm");
    out += " ";
    out += what;
    return out;
}

Comparison compare_decoders(Kind kind, ByteView wire, std::span<const Codec* const> codecs, Framing framing) {
    Comparison cmp;
    cmp.classification = classify(kind, wire, framing);
    const auto& c = cmp.classification;
    const auto flag = c.deciding();
    // The two rewrites reuse this classification (canonical() and
    // low_byte_canonical() would classify again), and each is built only
    // for the rule that reads it.
    const Bytes canon = c.rule == policy::DecoderRule::must_accept ? rewrite(wire, c, false) : Bytes{};
    const Bytes low = c.rule == policy::DecoderRule::acceptable ? rewrite(wire, c, true) : Bytes{};
    auto finding = [&](std::string_view a, std::string_view b, std::string_view what, std::string detail) {
        cmp.findings.push_back({std::string(a), std::string(b), title(a, b, kind, c.arm, what), std::move(detail), flag});
    };

    for (const Codec* codec : codecs) {
        Answer answer{codec, codec->decode(kind, wire, framing), std::nullopt};
        if (answer.decoded.ok()) answer.reencoded = codec->encode(kind, answer.decoded.value(), framing);
        cmp.answers.push_back(std::move(answer));
    }

    for (const auto& a : cmp.answers) {
        const std::string name(a.codec->name());
        if (a.decoded.unsupported()) continue;
        const bool accepted = a.decoded.ok();
        switch (c.rule) {
            case policy::DecoderRule::must_reject:
                if (accepted)
                    finding(name, "", "accepts-invalid",
                            name + " accepted a wire the policy rejects (" + std::string(policy::name(flag)) + ")");
                break;
            case policy::DecoderRule::acceptable:
                if (accepted && a.codec->strict())
                    finding(name, "", "strict-accepts-acceptable",
                            name + " claims strict() but accepted a " + std::string(policy::name(flag)) +
                                " wire; a strict decoder rejects it");
                else if (accepted && !(a.reencoded->ok() && a.reencoded->value() == low))
                    finding(name, "", "lenient-misreads",
                            name + " accepted a " + std::string(policy::name(flag)) +
                                " wire but its re-encoding is not the low-8-bit reading: " +
                                (a.reencoded->ok() ? first_difference(a.reencoded->value(), low)
                                                   : describe(*a.reencoded)));
                break;
            case policy::DecoderRule::must_accept:
                if (!accepted)
                    finding(name, "", "rejects-valid",
                            name + " rejected a wire the policy accepts: " + describe(a.decoded));
                else if (!a.reencoded->ok())
                    finding(name, "", "reencode-fails",
                            name + " decoded but cannot re-encode its value: " + describe(*a.reencoded));
                else if (a.reencoded->value() != canon)
                    finding(name, "", "not-canonical-round-trip",
                            name + ": encode(decode(b)) != canonical(b), " +
                                first_difference(a.reencoded->value(), canon));
                break;
        }
    }

    // Pairwise: accept/reject splits and different values.
    for (std::size_t i = 0; i < cmp.answers.size(); ++i)
        for (std::size_t j = i + 1; j < cmp.answers.size(); ++j) {
            const auto& a = cmp.answers[i];
            const auto& b = cmp.answers[j];
            if (a.decoded.unsupported() || b.decoded.unsupported()) continue;
            const std::string an(a.codec->name()), bn(b.codec->name());
            if (a.decoded.ok() && b.decoded.ok()) {
                if (a.decoded.value() != b.decoded.value())
                    finding(an, bn, "decode-disagrees",
                            "values differ at " + first_value_difference(a.decoded.value(), b.decoded.value()));
            } else if (a.decoded.ok() != b.decoded.ok()) {
                const auto& acceptor = a.decoded.ok() ? a : b;
                const auto& rejector = a.decoded.ok() ? b : a;
                const bool allowed = c.rule == policy::DecoderRule::acceptable && !acceptor.codec->strict() &&
                                     rejector.codec->strict();
                Disagreement d{an, bn, title(an, bn, kind, c.arm, "accept-reject"),
                               std::string(acceptor.codec->name()) + " accepts, " +
                                   std::string(rejector.codec->name()) + " " + describe(rejector.decoded),
                               flag};
                (allowed ? cmp.notes : cmp.findings).push_back(std::move(d));
            }
        }
    return cmp;
}

Comparison Comparison::involving(std::string_view name) const {
    Comparison out;
    out.classification = classification;
    out.answers = answers;
    auto keep = [&](const std::vector<Disagreement>& from, std::vector<Disagreement>& to) {
        for (const auto& d : from)
            if (d.first == name || d.second == name) to.push_back(d);
    };
    keep(findings, out.findings);
    keep(notes, out.notes);
    return out;
}

std::string Comparison::to_string() const {
    std::ostringstream os;
    os << classification.to_string() << "\n";
    for (const auto& a : answers) os << "  " << a.codec->name() << ": " << describe(a.decoded) << "\n";
    for (const auto& f : findings) os << "  FINDING " << f.title << ": " << f.detail << "\n";
    for (const auto& n : notes)
        os << "  acceptable [" << policy::name(n.flag) << "] " << n.title << ": " << n.detail << "\n";
    return os.str();
}

}  // namespace qemud::comparator
