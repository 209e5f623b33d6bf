// SPDX-License-Identifier: Apache-2.0
// payload_vectors.cpp: the `client` and `server` kinds (a payload with no
// header). Per arm: the three value plans, element-word variants of every
// char and unsigned char array (decode-only and acceptable), truncation at
// every field boundary and inside fields, and trailing bytes. Per direction:
// unknown discriminants and odd trailing bytes. Every edited wire starts
// from the reference (rpcgen) encoding of the realistic value.
#include <algorithm>
#include <set>

#include "arm_layout.h"
#include "sample_values.h"
#include "vectors.h"
#include "xdrc/analysis.h"

namespace qemud::golden {

namespace {

using policy::Flag;
using samples::Plan;

const ProtocolInfo& info() { return ProtocolInfo::get(); }

std::string data_member(Direction d) {
    return info().spec().find_struct(info().payload_type(d))->fields.back().name;
}

// set_byte rewrites byte i of the hex string at value.data.<member>.<field>.
void set_byte(Json& value, const ArmInfo& arm, const std::string& field, std::size_t i, std::uint8_t byte) {
    std::string& h = value[data_member(arm.direction)][arm.member][field].get_ref<std::string&>();
    const std::string b = hex(ByteView(&byte, 1));
    h.replace(2 * i, 2, b);
}

std::uint8_t get_byte(const Json& value, const ArmInfo& arm, const std::string& field, std::size_t i) {
    const std::string& h = value[data_member(arm.direction)][arm.member][field].get_ref<const std::string&>();
    return static_cast<std::uint8_t>(std::stoul(h.substr(2 * i, 2), nullptr, 16));
}

std::string arm_what(const ArmInfo& arm, const std::string& rest) { return arm.name + " " + rest; }

// checked_acceptable builds an acceptable or decode-only vector whose value
// is what libtirpc decodes, and checks that it is the expected one.
Vector decoded_as(const ArmInfo& arm, Kind kind, std::string comment, std::vector<std::string> flags, Bytes wire,
                  const Json& expected) {
    const Json got = reference_decode(kind, wire, comment);
    if (got != expected)
        throw GenerationError(std::string(to_string(kind)) + " " + comment + ": libtirpc decodes " + got.dump() +
                              ", the generator expected " + expected.dump());
    Vector v{std::move(comment), std::move(flags), std::move(wire)};
    v.value = expected;
    v.layout = payload_layout(arm, 0);
    return v;
}

bool plan_has_semantic_oddity(const ArmInfo& arm, Plan plan) {
    // Every integer of the boundary plan is at its type's minimum or maximum
    // and every char array is full with no NUL: wire-valid, semantically odd.
    // (A UUID full of high bytes is an ordinary UUID.)
    if (plan != Plan::boundary) return false;
    for (const auto& f : testing::arm_fields(arm))
        if (!testing::is_byte_array(f.declaration, false)) return true;
    return false;
}

void add_valid(Group& g, const ArmInfo& arm, Kind kind) {
    for (const Plan plan : samples::all_plans) {
        const Json value = samples::payload_value(arm, plan);
        const std::string comment = arm_what(arm, std::string(samples::to_string(plan)) + " value");
        std::vector<std::string> flags{flag(Flag::canonical), std::string(samples::to_string(plan))};
        if (plan_has_semantic_oddity(arm, plan)) flags.push_back(flag(Flag::semantic_value));
        Vector v{comment, flags, encode_agreed(kind, value, comment)};
        if (v.wire.size() != arm.payload_size)
            throw GenerationError(comment + ": " + std::to_string(v.wire.size()) + " bytes, protocol.x says " +
                                  std::to_string(arm.payload_size));
        v.value = value;
        v.layout = payload_layout(arm, 0);
        g.tests.push_back(std::move(v));
    }
}

void add_element_words(Group& g, const ArmInfo& arm, Kind kind) {
    if (!gets_large_edits(arm)) return;
    // A large arm's char arrays get one acceptable vector with both odd
    // words; its zero-extended bytes are in add_unsigned_char_platform's.
    const bool compact = is_large(arm);
    const Json base = samples::payload_value(arm, Plan::realistic);
    const Bytes wire = encode_agreed(kind, base, arm_what(arm, "realistic value"));
    for (const auto& f : testing::arm_fields(arm)) {
        const bool is_char = testing::is_byte_array(f.declaration, true);
        if (!is_char && !testing::is_byte_array(f.declaration, false)) continue;
        const std::size_t n = *f.declaration.size;
        const std::size_t last = n - 1, middle = n / 2;
        const auto at = [&](std::size_t i) { return f.offset + 4 * i; };
        const auto where = [&](std::size_t i) { return f.name + "[" + std::to_string(i) + "]"; };
        if (is_char && compact) {
            Bytes e = wire;
            put_be32(e, at(0), 0xFFFFFF41);
            put_be32(e, at(last), 0x00000141);
            Json expected = base;
            set_byte(expected, arm, f.name, 0, 0x41);
            set_byte(expected, arm, f.name, last, 0x41);
            g.tests.push_back(decoded_as(arm, kind, arm_what(arm, where(0) + " written FFFFFF41 and " + where(last) +
                                                                 " written 00000141"),
                                         {flag(Flag::non_canonical_char)}, e, expected));
        } else if (is_char) {
            // Zero-extended byte >= 0x80: valid, decode-only.
            Json value = base;
            set_byte(value, arm, f.name, middle, 0xE9);
            const Bytes canonical = encode_agreed(kind, value, arm_what(arm, where(middle) + " = 0xE9"));
            Bytes edited = canonical;
            put_be32(edited, at(middle), 0x000000E9);
            Vector v = decoded_as(arm, kind, arm_what(arm, where(middle) + " byte 0xE9 written zero-extended 000000E9"),
                                  {flag(Flag::zero_extended_char), "decode_only"}, edited, value);
            v.canonical_wire = canonical;
            g.tests.push_back(std::move(v));
            // Neither sign- nor zero-extended: acceptable, low 8 bits kept.
            for (const auto& [i, word] : {std::pair<std::size_t, std::uint32_t>{last, 0x00000141},
                                          std::pair<std::size_t, std::uint32_t>{0, 0xFFFFFF41}}) {
                Bytes e = wire;
                put_be32(e, at(i), word);
                Json expected = base;
                set_byte(expected, arm, f.name, i, 0x41);
                g.tests.push_back(decoded_as(arm, kind, arm_what(arm, where(i) + " written " + hex32(word)),
                                             {flag(Flag::non_canonical_char)}, e, expected));
            }
        } else {
            Bytes e = wire;
            put_be32(e, at(last), 0x000001E9);
            Json expected = base;
            set_byte(expected, arm, f.name, last, 0xE9);
            g.tests.push_back(decoded_as(arm, kind, arm_what(arm, where(last) + " written 000001E9"),
                                         {flag(Flag::non_canonical_uchar)}, e, expected));
            // A byte >= 0x80 sign-extended, as a signed-char encoder writes it.
            Json value = base;
            if (get_byte(value, arm, f.name, middle) < 0x80) set_byte(value, arm, f.name, middle, 0xC3);
            const std::uint8_t b = get_byte(value, arm, f.name, middle);
            Bytes s = encode_agreed(kind, value, arm_what(arm, where(middle) + " >= 0x80"));
            put_be32(s, at(middle), 0xFFFFFF00u | b);
            g.tests.push_back(decoded_as(arm, kind, arm_what(arm, where(middle) + " written " + hex32(0xFFFFFF00u | b)),
                                         {flag(Flag::non_canonical_uchar), "sign_extended_uchar"}, s, value));
        }
    }
}

// The boundary value with every char byte >= 0x80 zero-extended: what an
// unsigned-char platform's rpcgen code writes. Valid, decode-only.
void add_unsigned_char_platform(Group& g, const ArmInfo& arm, Kind kind) {
    if (!gets_large_edits(arm)) return;
    const Json value = samples::payload_value(arm, Plan::boundary);
    const Bytes canonical = encode_agreed(kind, value, arm_what(arm, "boundary value"));
    Bytes edited = canonical;
    std::size_t changed = 0;
    for (const auto& f : testing::arm_fields(arm)) {
        if (!testing::is_byte_array(f.declaration, true)) continue;
        for (std::size_t i = 0; i < *f.declaration.size; ++i) {
            const std::uint32_t w = get_be32(edited, f.offset + 4 * i);
            if (policy::classify_char_word(w) == policy::ElementClass::canonical && (w & 0x80)) {
                put_be32(edited, f.offset + 4 * i, w & 0xFF);
                ++changed;
            }
        }
    }
    if (changed == 0) return;
    Vector v = decoded_as(arm, kind,
                          arm_what(arm, "boundary value as an unsigned-char platform writes it: " +
                                            std::to_string(changed) + " char bytes >= 0x80 zero-extended"),
                          {flag(Flag::zero_extended_char), "decode_only", "boundary"}, edited, value);
    v.canonical_wire = canonical;
    g.tests.push_back(std::move(v));
}

void add_truncations(Group& g, const ArmInfo& arm, Kind kind) {
    const Bytes wire = encode_agreed(kind, samples::payload_value(arm, Plan::realistic), arm_what(arm, "realistic"));
    // Field starts (serial, inReplyTo, discriminant, each arm field) and,
    // inside each field, the middle of its first word, the end of its first
    // element, and for the last field the middle of its last word.
    std::set<std::size_t> boundaries{0};
    std::set<std::size_t> inside;
    for (const auto& e : payload_layout(arm, 0)) {
        boundaries.insert(e.offset);
        inside.insert(e.offset + 2);
        if (e.length > 4) inside.insert(e.offset + 4);
    }
    const bool large_edits = gets_large_edits(arm);
    if (large_edits) inside.insert(wire.size() - 1);
    std::set<std::size_t> cuts = boundaries;
    cuts.insert(inside.begin(), inside.end());
    const auto layout = payload_layout(arm, 0);
    for (const std::size_t cut : cuts) {
        if (cut >= wire.size()) continue;
        const bool boundary = boundaries.count(cut) != 0;
        std::string field = "(end)";
        for (const auto& e : layout)
            if (cut >= e.offset && cut < e.offset + e.length) field = e.path;
        Vector v{arm_what(arm, "realistic value cut to " + std::to_string(cut) + " of " + std::to_string(wire.size()) +
                                   " bytes (" + (boundary ? "at the start of " : "inside ") + field + ")"),
                 {flag(Flag::truncated), boundary ? "truncated_field_boundary" : "truncated_mid_field"},
                 Bytes(wire.begin(), wire.begin() + cut)};
        g.tests.push_back(std::move(v));
    }
    if (!large_edits) return;
    Bytes longer = wire;
    append_be32(longer, 0);
    Vector t{arm_what(arm, "realistic value followed by one zero word"), {flag(Flag::trailing_bytes)}, longer};
    t.error_offset = wire.size();
    g.tests.push_back(std::move(t));
}

const ArmInfo& smallest_arm(Direction d, bool with_body) {
    const ArmInfo* best = nullptr;
    for (const auto& arm : info().arms(d))
        if ((!with_body || !arm.member.empty()) && (!best || arm.payload_size < best->payload_size)) best = &arm;
    return *best;
}

}  // namespace

// unknown_discriminants lists the values the vectors use: the ..._PKT_MAX
// count, one past it, the extremes of the word. None may be an arm.
std::vector<std::uint32_t> unknown_discriminants(Direction d) {
    const auto& items = info().discriminant_enum(d).items;
    const auto max = static_cast<std::uint32_t>(items.back().value);
    std::vector<std::uint32_t> out{max, max + 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
    for (const std::uint32_t v : out)
        if (info().find_arm(d, static_cast<std::int32_t>(v)))
            throw GenerationError("discriminant " + hex32(v) + " is an arm of " + std::string(to_string(d)));
    return out;
}

// unknown_discriminant_payloads: a realistic prefix, an unknown
// discriminant, and either nothing or the body of the smallest arm.
std::vector<std::pair<std::string, Bytes>> unknown_discriminant_payloads(Direction d) {
    const Kind kind = payload_kind(d);
    const ArmInfo& body_arm = smallest_arm(d, true);
    const Bytes body_wire = encode_agreed(kind, samples::payload_value(body_arm, Plan::realistic),
                                          arm_what(body_arm, "realistic value"));
    const std::size_t disc = info().payload_prefix_size(d);
    const auto& max_name = info().discriminant_enum(d).items.back().name;
    std::vector<std::pair<std::string, Bytes>> out;
    for (const std::uint32_t value : unknown_discriminants(d)) {
        const std::string name = hex32(value) + (value == static_cast<std::uint32_t>(
                                                               info().discriminant_enum(d).items.back().value)
                                                     ? " (" + max_name + ")"
                                                     : "");
        Bytes bare(body_wire.begin(), body_wire.begin() + disc + 4);
        put_be32(bare, disc, value);
        out.emplace_back("discriminant " + name + ", nothing after it", bare);
        Bytes with_body = body_wire;
        put_be32(with_body, disc, value);
        out.emplace_back("discriminant " + name + ", then the body of " + body_arm.name, with_body);
    }
    return out;
}

VectorFile build_payload_file(Direction d) {
    const Kind kind = payload_kind(d);
    VectorFile file{kind, {}, std::nullopt};
    for (const auto& arm : info().arms(d)) {
        Group g{arm.name, "", d, arm.payload_size, {}};
        add_valid(g, arm, kind);
        add_unsigned_char_platform(g, arm, kind);
        add_element_words(g, arm, kind);
        add_truncations(g, arm, kind);
        add_refusals(g, arm, kind);
        file.groups.push_back(std::move(g));
    }
    const std::uint32_t max = static_cast<std::uint32_t>(info().discriminant_enum(d).items.back().value);
    Group unknown{"", "unknown_discriminant", d, std::nullopt, {}};
    for (auto& [comment, wire] : unknown_discriminant_payloads(d)) {
        std::vector<std::string> flags{flag(Flag::unknown_discriminant)};
        if (get_be32(wire, info().payload_prefix_size(d)) == max) flags.push_back("discriminant_max");
        Vector v{comment, flags, wire};
        v.error_offset = info().payload_prefix_size(d);
        unknown.tests.push_back(std::move(v));
    }
    file.groups.push_back(std::move(unknown));

    Group trailing{"", "trailing_bytes", d, std::nullopt, {}};
    const ArmInfo& small = smallest_arm(d, false);
    const Bytes wire = encode_agreed(kind, samples::payload_value(small, Plan::realistic), small.name);
    for (const std::size_t extra : {1, 2, 3, 8}) {
        Bytes longer = wire;
        longer.resize(longer.size() + extra, extra == 8 ? 0xFF : 0);
        Vector v{arm_what(small, "realistic value followed by " + std::to_string(extra) + " byte(s)"),
                 {flag(Flag::trailing_bytes)}, longer};
        v.error_offset = wire.size();
        v.arm = small.name;
        trailing.tests.push_back(std::move(v));
    }
    file.groups.push_back(std::move(trailing));
    file.groups.push_back(refusal_group(d));
    return file;
}

}  // namespace qemud::golden
