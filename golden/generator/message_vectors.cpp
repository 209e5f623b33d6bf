// SPDX-License-Identifier: Apache-2.0
// message_vectors.cpp: the `client_message` and `server_message` kinds
// (header + payload, as on the stream). Per arm: the three value plans, the
// header alone, the length one word too small and one word too large (bytes
// consistent with it), and a word after the message. Per direction: bad
// magic, lengths beyond the largest payload, odd lengths, short input,
// unknown discriminants and representative element words, framed.
#include <algorithm>

#include "arm_layout.h"
#include "sample_values.h"
#include "vectors.h"
#include "xdrc/analysis.h"

namespace qemud::golden {

namespace {

using policy::Flag;
using samples::Plan;

const ProtocolInfo& info() { return ProtocolInfo::get(); }

std::vector<LayoutEntry> message_layout(const FramingProfile& p, const ArmInfo& arm) {
    std::vector<LayoutEntry> out = header_layout(p, "header.");
    for (auto& e : payload_layout(arm, p.header_size())) out.push_back(std::move(e));
    return out;
}

Bytes realistic_payload(const ArmInfo& arm) {
    return encode_agreed(payload_kind(arm.direction), samples::payload_value(arm, Plan::realistic),
                         arm.name + " realistic value");
}

Vector wire_only(std::string comment, std::vector<std::string> flags, Bytes wire,
                 std::optional<std::size_t> error_offset = std::nullopt) {
    Vector v{std::move(comment), std::move(flags), std::move(wire)};
    v.error_offset = error_offset;
    return v;
}

// of: a themed group's vector built from arm's encoding says so.
Vector of(const ArmInfo& arm, Vector v) {
    v.arm = arm.name;
    return v;
}

// length_flags: a framed length above the direction's largest message is
// length_too_large whatever follows; otherwise the given flag.
std::vector<std::string> length_flags(const FramingProfile& p, Direction d, std::uint32_t length_word, Flag otherwise) {
    if (p.framed_length_flag(d, length_word) == Flag::length_too_large) return {flag(Flag::length_too_large)};
    return {flag(otherwise)};
}

void add_arm(VectorFile& file, const FramingProfile& p, const ArmInfo& arm) {
    const Direction d = arm.direction;
    const Kind kind = message_kind(d);
    const Framing framing = p.id();
    Group g{arm.name, "", d, arm.payload_size, {}};
    for (const Plan plan : samples::all_plans) {
        const Json value = samples::payload_value(arm, plan);
        const std::string comment = arm.name + " " + std::string(samples::to_string(plan)) + " value, framed";
        std::vector<std::string> flags{flag(Flag::canonical), std::string(samples::to_string(plan))};
        Vector v{comment, flags, encode_agreed(kind, value, comment, framing)};
        const Bytes payload = encode_agreed(payload_kind(d), value, comment);
        if (v.wire != p.frame(payload))
            throw GenerationError(std::string(to_string(kind)) + " " + comment + ": the message is not the " +
                                  std::string(p.name()) + " header followed by the payload");
        v.value = value;
        v.layout = message_layout(p, arm);
        g.tests.push_back(std::move(v));
    }
    const Bytes payload = realistic_payload(arm);
    const std::uint32_t n = arm.payload_size;
    g.tests.push_back(wire_only(arm.name + ": the header alone, length " + std::to_string(p.length_for(n)),
                                {flag(Flag::truncated), "truncated_field_boundary"}, frame(p, {}, p.length_for(n))));
    if (!gets_large_edits(arm)) {
        file.groups.push_back(std::move(g));
        return;
    }
    g.tests.push_back(wire_only(arm.name + ": length one word too small (" + std::to_string(p.length_for(n - 4)) +
                                    "), the payload cut to it",
                                length_flags(p, d, p.length_for(n - 4), Flag::length_mismatch),
                                frame(p, ByteView(payload).first(n - 4), p.length_for(n - 4)), p.length_offset()));
    Bytes longer = payload;
    append_be32(longer, 0);
    g.tests.push_back(wire_only(arm.name + ": length one word too large (" + std::to_string(p.length_for(n + 4)) +
                                    "), a zero word after the payload",
                                length_flags(p, d, p.length_for(n + 4), Flag::length_mismatch),
                                frame(p, longer, p.length_for(n + 4)), p.length_offset()));
    Bytes after = p.frame(payload);
    append_be32(after, 0);
    g.tests.push_back(wire_only(arm.name + ": a zero word after the message", {flag(Flag::trailing_bytes)}, after,
                                8 + std::size_t{n}));
    file.groups.push_back(std::move(g));
}

const ArmInfo& pick_arm(Direction d, bool (*want)(const ArmInfo&), bool largest) {
    const ArmInfo* best = nullptr;
    for (const auto& arm : info().arms(d)) {
        if (!want(arm)) continue;
        if (!best || (largest ? arm.payload_size > best->payload_size : arm.payload_size < best->payload_size))
            best = &arm;
    }
    if (!best) throw GenerationError("no arm fits");
    return *best;
}

bool any_arm(const ArmInfo&) { return true; }
bool has_char_array(const ArmInfo& arm) {
    for (const auto& f : testing::arm_fields(arm))
        if (testing::is_byte_array(f.declaration, true)) return true;
    return false;
}
bool has_uchar_array(const ArmInfo& arm) {
    for (const auto& f : testing::arm_fields(arm))
        if (testing::is_byte_array(f.declaration, false)) return true;
    return false;
}

void add_direction(VectorFile& file, const FramingProfile& p, Direction d) {
    const Kind kind = message_kind(d);
    const Framing framing = p.id();
    const std::uint32_t magic = p.constant();
    const std::uint32_t max = p.max_length(d);
    const ArmInfo& small = pick_arm(d, any_arm, false);
    const ArmInfo& large = pick_arm(d, any_arm, true);
    const Bytes small_payload = realistic_payload(small);
    const std::uint32_t sn = small.payload_size;
    const std::uint32_t sl = p.length_for(sn);  // the small arm's length word
    const std::string title(p.constant_title());

    Group bad_magic{"", "bad_magic", d, std::nullopt, {}};
    const std::uint32_t swapped =
        ((magic & 0xFF) << 24) | ((magic & 0xFF00) << 8) | ((magic >> 8) & 0xFF00) | (magic >> 24);
    for (const std::uint32_t m : {0u, magic + 1, swapped, 0xFFFFFFFFu}) {
        Bytes w = frame(p, small_payload, sl);
        p.write({m, sl}, w.data());
        bad_magic.tests.push_back(of(small, wire_only(small.name + " realistic, framed with " + title + " " + hex32(m),
                                                      {flag(Flag::bad_magic)}, w, p.constant_offset())));
    }
    // Every other profile's framing of the same payload.
    for (const Framing other : all_framings) {
        if (other == framing) continue;
        const FramingProfile& o = framing_profile(other);
        const Bytes w = o.frame(small_payload);
        const std::string order = o.constant_offset() < o.length_offset()
                                      ? "the " + std::string(o.constant_title()) + ", then the payload length " +
                                            std::to_string(o.length_for(sn))
                                      : "total length " + std::to_string(o.length_for(sn)) + ", then the magic";
        bad_magic.tests.push_back(of(small, wire_only(small.name + " realistic, " + std::string(o.name()) +
                                                          " header order (" + order + ")",
                                                      {flag(Flag::bad_magic), other == Framing::seed
                                                                                  ? "seed_framing"
                                                                                  : "libvirt_0_3_framing"},
                                                      w, p.constant_offset())));
    }
    file.groups.push_back(std::move(bad_magic));

    Group too_large{"", "length_too_large", d, std::nullopt, {}};
    const std::string largest = p.length_bias() ? " message" : " payload";
    for (const std::uint32_t length : {max + 1, max + 4, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu})
        too_large.tests.push_back(wire_only("the header alone, length " + std::to_string(length) + " (largest " +
                                                std::string(to_string(d)) + largest + ": " + std::to_string(max) + ")",
                                            {flag(Flag::length_too_large)}, frame(p, {}, length), p.length_offset()));
    if (p.max_bare_length() > max) {
        const std::uint32_t other = p.max_bare_length();
        too_large.tests.push_back(wire_only("the header alone, length " + std::to_string(other) +
                                                ": the largest" + largest + " of the other direction",
                                            {flag(Flag::length_too_large), "cross_direction_length"},
                                            frame(p, {}, other), p.length_offset()));
    }
    {
        Bytes longer = realistic_payload(large);
        longer.resize(info().max_payload(d) + 4, 0);
        too_large.tests.push_back(of(large, wire_only(large.name + " realistic and zero bytes up to length " +
                                                          std::to_string(max + 4) + ", all present",
                                                      {flag(Flag::length_too_large)}, frame(p, longer, max + 4),
                                                      p.length_offset())));
    }
    file.groups.push_back(std::move(too_large));

    Group mismatch{"", "length_mismatch", d, std::nullopt, {}};
    for (const std::uint32_t length : {0u, 4u, sn - 1, sn + 1, sn + 2}) {
        Bytes payload = small_payload;
        payload.resize(length, 0);
        mismatch.tests.push_back(of(small, wire_only(small.name + " realistic, length " +
                                                         std::to_string(p.length_for(length)) +
                                                         (p.length_bias()
                                                              ? " with " + std::to_string(length) + " payload bytes"
                                                              : std::string(" with that many payload bytes")),
                                                     {flag(Flag::length_mismatch)},
                                                     frame(p, payload, p.length_for(length)), p.length_offset())));
    }
    // A length word below the header's own size, where the length counts it.
    if (p.length_bias())
        for (const std::uint32_t length : {0u, 4u})
            mismatch.tests.push_back(wire_only("the header alone, length " + std::to_string(length) +
                                                   ": less than the header's own " + std::to_string(p.length_bias()) +
                                                   " bytes",
                                               {flag(Flag::length_mismatch)}, frame(p, {}, length), p.length_offset()));
    const std::string end = p.length_bias() ? "length" : "8 + length";
    mismatch.tests.push_back(of(small, wire_only(small.name + " realistic (" + std::to_string(sn) + " bytes), length " +
                                                     std::to_string(sl - 4) + ": bytes after " + end,
                                                 {flag(Flag::length_mismatch), flag(Flag::trailing_bytes)},
                                                 frame(p, small_payload, sl - 4), p.length_offset())));
    mismatch.tests.push_back(of(small, wire_only(small.name + " realistic (" + std::to_string(sn) + " bytes), length " +
                                                     std::to_string(sl + 4) + ": input ends before " + end,
                                                 {flag(Flag::truncated)}, frame(p, small_payload, sl + 4))));
    file.groups.push_back(std::move(mismatch));

    Group truncated{"", "truncated", d, std::nullopt, {}};
    const Bytes small_message = p.frame(small_payload);
    for (const std::size_t cut : {0, 2, 4, 7}) {
        truncated.tests.push_back(of(small, wire_only(small.name + " realistic message cut to " +
                                                          std::to_string(cut) + " bytes",
                                                      {flag(Flag::truncated), cut % 4 == 0 ? "truncated_field_boundary"
                                                                                           : "truncated_mid_field"},
                                                      Bytes(small_message.begin(), small_message.begin() + cut))));
    }
    {
        const Bytes m = p.frame(realistic_payload(large));
        truncated.tests.push_back(of(large, wire_only(large.name + " realistic message less its last byte",
                                                      {flag(Flag::truncated), "truncated_mid_field"},
                                                      Bytes(m.begin(), m.end() - 1))));
    }
    file.groups.push_back(std::move(truncated));

    Group trailing{"", "trailing_bytes", d, std::nullopt, {}};
    for (const std::size_t extra : {1, 3}) {
        Bytes w = small_message;
        w.resize(w.size() + extra, 0);
        trailing.tests.push_back(of(small, wire_only(small.name + " realistic message followed by " +
                                                         std::to_string(extra) + " zero byte(s)",
                                                     {flag(Flag::trailing_bytes)}, w, small_message.size())));
    }
    file.groups.push_back(std::move(trailing));

    Group unknown{"", "unknown_discriminant", d, std::nullopt, {}};
    const auto max_disc = static_cast<std::uint32_t>(info().discriminant_enum(d).items.back().value);
    for (auto& [comment, payload] : unknown_discriminant_payloads(d)) {
        std::vector<std::string> flags{flag(Flag::unknown_discriminant)};
        if (get_be32(payload, info().payload_prefix_size(d)) == max_disc) flags.push_back("discriminant_max");
        unknown.tests.push_back(wire_only(comment + ", framed", flags, p.frame(payload),
                                          p.header_size() + info().payload_prefix_size(d)));
    }
    file.groups.push_back(std::move(unknown));

    // One representative of each element-word row, framed; the payload
    // files hold every char and unsigned char field of every arm.
    Group elements{"", "element_words", d, std::nullopt, {}};
    const std::size_t h = p.header_size();
    {
        const ArmInfo& arm = pick_arm(d, has_char_array, false);
        const auto fields = testing::arm_fields(arm);
        const auto f = *std::find_if(fields.begin(), fields.end(),
                                     [](const auto& x) { return testing::is_byte_array(x.declaration, true); });
        const std::size_t last = *f.declaration.size - 1;
        const std::string path = arm.member + "." + f.name + "[" + std::to_string(last) + "]";
        Json value = samples::payload_value(arm, Plan::realistic);
        std::string& hx = value[info().spec().find_struct(info().payload_type(d))->fields.back().name][arm.member]
                               [f.name].get_ref<std::string&>();
        // Zero-extended 0xE9: valid, decode-only.
        hx.replace(2 * last, 2, "e9");
        const Bytes canonical = encode_agreed(kind, value, arm.name + " " + path + " = 0xE9", framing);
        Bytes zero_extended = canonical;
        put_be32(zero_extended, h + f.offset + 4 * last, 0xE9);
        Vector v{arm.name + " " + path + " byte 0xE9 written zero-extended 000000E9, framed",
                 {flag(Flag::zero_extended_char), "decode_only"}, zero_extended};
        v.value = reference_decode(kind, zero_extended, v.comment, framing);
        if (*v.value != value) throw GenerationError(v.comment + ": libtirpc decodes another value");
        v.canonical_wire = canonical;
        v.layout = message_layout(p, arm);
        elements.tests.push_back(of(arm, std::move(v)));
        // 00000141: acceptable, libtirpc keeps 0x41.
        Bytes odd = canonical;
        put_be32(odd, h + f.offset + 4 * last, 0x00000141);
        hx.replace(2 * last, 2, "41");
        Vector a{arm.name + " " + path + " written 00000141, framed", {flag(Flag::non_canonical_char)}, odd};
        a.value = reference_decode(kind, odd, a.comment, framing);
        if (*a.value != value) throw GenerationError(a.comment + ": libtirpc decodes another value");
        a.layout = message_layout(p, arm);
        elements.tests.push_back(of(arm, std::move(a)));
    }
    {
        const ArmInfo& arm = pick_arm(d, has_uchar_array, false);
        const auto fields = testing::arm_fields(arm);
        const auto f = *std::find_if(fields.begin(), fields.end(),
                                     [](const auto& x) { return testing::is_byte_array(x.declaration, false); });
        Json value = samples::payload_value(arm, Plan::realistic);
        Bytes odd = encode_agreed(kind, value, arm.name + " realistic", framing);
        put_be32(odd, h + f.offset, 0x000001E9);
        value[info().spec().find_struct(info().payload_type(d))->fields.back().name][arm.member][f.name]
            .get_ref<std::string&>()
            .replace(0, 2, "e9");
        Vector a{arm.name + " " + arm.member + "." + f.name + "[0] written 000001E9, framed",
                 {flag(Flag::non_canonical_uchar)}, odd};
        a.value = reference_decode(kind, odd, a.comment, framing);
        if (*a.value != value) throw GenerationError(a.comment + ": libtirpc decodes another value");
        a.layout = message_layout(p, arm);
        elements.tests.push_back(of(arm, std::move(a)));
    }
    file.groups.push_back(std::move(elements));
}

}  // namespace

VectorFile build_message_file(Direction d, Framing framing) {
    const FramingProfile& p = framing_profile(framing);
    VectorFile file{message_kind(d), {}, framing};
    for (const auto& arm : info().arms(d)) add_arm(file, p, arm);
    add_direction(file, p, d);
    return file;
}

std::vector<VectorFile> build_all() {
    // The seed's files first, as before the profiles; then, per further
    // profile, its framed files (the payload files serve every profile).
    std::vector<VectorFile> files;
    files.push_back(build_header_file(Framing::seed));
    for (const Direction d : all_directions) files.push_back(build_payload_file(d));
    for (const Direction d : all_directions) files.push_back(build_message_file(d, Framing::seed));
    for (const Framing f : all_framings) {
        if (f == Framing::seed) continue;
        files.push_back(build_header_file(f));
        for (const Direction d : all_directions) files.push_back(build_message_file(d, f));
    }
    for (auto& f : files) number_tests(f);
    return files;
}

}  // namespace qemud::golden
