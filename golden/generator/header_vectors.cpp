// SPDX-License-Identifier: Apache-2.0
// header_vectors.cpp: the `header` kind (the 8-byte header alone, whose
// direction is unknown). Valid headers are encoded by every implementation;
// invalid header values are refused by every implementation and their wire
// is the reference encoding of a valid header with one word edited.
#include <algorithm>
#include <set>

#include "vectors.h"
#include "xdrc/analysis.h"

namespace qemud::golden {

namespace {

using policy::Flag;

const ProtocolInfo& info() { return ProtocolInfo::get(); }

// A header value the policy rejects: its wire is a valid header's reference
// encoding with the words replaced, and every encoder must refuse the value.
Vector refused(const FramingProfile& p, std::uint32_t constant, std::uint32_t length, std::vector<std::string> flags,
               std::string comment, std::size_t error_offset) {
    const Json valid = p.to_json({p.constant(), p.min_bare_length()});
    Bytes wire = encode_agreed(Kind::header, valid, "valid header", p.id());
    p.write({constant, length}, wire.data());
    const Json value = p.to_json({constant, length});
    refuse_agreed(Kind::header, value, comment, p.id());
    Vector v{std::move(comment), std::move(flags), std::move(wire)};
    v.value = value;
    v.error_offset = error_offset;
    return v;
}

// other_order_comment: how a header of profile `o` reads, for comments.
std::string other_order_comment(const FramingProfile& o, std::uint32_t length) {
    return std::string(o.name()) + " word order: " +
           (o.constant_offset() < o.length_offset()
                ? "the " + std::string(o.constant_title()) + ", then the payload length " + std::to_string(length)
                : "total length " + std::to_string(length) + ", then the magic");
}

}  // namespace

VectorFile build_header_file(Framing framing) {
    const FramingProfile& p = framing_profile(framing);
    VectorFile file{Kind::header, {}, framing};
    const std::uint32_t magic = p.constant();
    const std::uint32_t min = p.min_bare_length();
    const std::uint32_t max = p.max_bare_length();

    // Valid: the smallest and largest lengths, every arm's message length,
    // and one multiple of 4 in range that is no arm's (the bare header
    // cannot know the direction or the arm).
    Group valid{"", "valid_lengths", std::nullopt, std::nullopt, {}};
    std::set<std::uint32_t> lengths{min, max};
    for (const auto& arm : info().all_arms()) lengths.insert(p.length_for(arm.payload_size));
    std::uint32_t unused = min + 4;
    while (lengths.count(unused)) unused += 4;
    const std::uint32_t not_an_arm = unused;
    lengths.insert(not_an_arm);
    for (const std::uint32_t length : lengths) {
        const Json value = p.to_json({magic, length});
        std::vector<std::string> flags{flag(Flag::canonical)};
        std::string comment = "length " + std::to_string(length);
        const std::string of = p.length_bias() ? "message" : "payload";
        if (length == min) comment += ", the smallest " + of + " of either direction", flags.push_back("boundary");
        if (length == max) comment += ", the largest " + of + " of either direction", flags.push_back("boundary");
        if (length == not_an_arm) comment += ", a multiple of 4 in range that is no arm's " + of + " size";
        Vector v{comment, flags, encode_agreed(Kind::header, value, comment, framing)};
        v.value = value;
        v.layout = header_layout(p, "");
        valid.tests.push_back(std::move(v));
    }
    file.groups.push_back(std::move(valid));

    Group bad_length{"", "bad_header_length", std::nullopt, std::nullopt, {}};
    std::vector<std::uint32_t> bad_lengths;
    for (const std::uint32_t length : {0u, 4u, min - 4, min - 1, min + 1, min + 2, min + 3, max - 3, max - 1, max + 1,
                                       max + 4, max + 8, 65536u, 0x7FFFFFFCu, 0x80000000u, 0xFFFFFFFCu, 0xFFFFFFFFu})
        if (std::find(bad_lengths.begin(), bad_lengths.end(), length) == bad_lengths.end())
            bad_lengths.push_back(length);
    for (const std::uint32_t length : bad_lengths) {
        std::string why = length < min ? "below " + std::to_string(min) : length > max ? "above " + std::to_string(max) : "";
        if (length % 4 != 0) why += std::string(why.empty() ? "" : ", ") + "not a multiple of 4";
        bad_length.tests.push_back(refused(p, magic, length, {flag(Flag::bad_header_length)},
                                           "length " + std::to_string(length) + ": " + why, p.length_offset()));
    }
    file.groups.push_back(std::move(bad_length));

    Group bad_magic{"", "bad_magic", std::nullopt, std::nullopt, {}};
    const std::uint32_t swapped = ((magic & 0xFF) << 24) | ((magic & 0xFF00) << 8) | ((magic >> 8) & 0xFF00) | (magic >> 24);
    const std::vector<std::pair<std::uint32_t, std::string>> magics{
        {0, "zero"},
        {magic + 1, "off by one"},
        {magic - 1, "off by one"},
        {swapped, "byte-swapped (little-endian writer)"},
        {magic ^ 0x80000000u, "top bit flipped"},
        {0xFFFFFFFF, "all ones"}};
    const std::string title(p.constant_title());
    for (const auto& [m, why] : magics)
        bad_magic.tests.push_back(refused(p, m, min + 4, {flag(Flag::bad_magic)}, title + " " + hex32(m) + ": " + why,
                                          p.constant_offset()));
    // Every other profile's header of the same payload, read in this one.
    for (const Framing other : all_framings) {
        if (other == framing) continue;
        const FramingProfile& o = framing_profile(other);
        const Bytes theirs = o.header_for(info().min_any_payload() + 4);
        const HeaderWords read = p.read(theirs.data());
        std::vector<std::string> flags{flag(Flag::bad_magic)};
        if (!p.bare_length_ok(read.length)) flags.push_back(flag(Flag::bad_header_length));
        flags.push_back(std::string(o.name() == "seed" ? "seed" : "libvirt_0_3") + "_framing");
        bad_magic.tests.push_back(refused(p, read.constant, read.length, flags,
                                          other_order_comment(o, o.read(theirs.data()).length), p.constant_offset()));
    }
    bad_magic.tests.push_back(refused(p, 0, 0, {flag(Flag::bad_magic), flag(Flag::bad_header_length)},
                                      "all zero: bad " + title + " and length 0", p.constant_offset()));
    file.groups.push_back(std::move(bad_magic));

    // Wire-only: a header shorter or longer than 8 bytes has no value.
    Group size{"", "header_size", std::nullopt, std::nullopt, {}};
    const Bytes good = encode_agreed(Kind::header, p.to_json({magic, min + 4}), "valid header", framing);
    for (const std::size_t n : {0, 1, 4, 6, 7}) {
        Vector v{"the header cut to " + std::to_string(n) + " bytes",
                 {flag(Flag::truncated), n % 4 == 0 ? "truncated_field_boundary" : "truncated_mid_field"},
                 Bytes(good.begin(), good.begin() + n)};
        size.tests.push_back(std::move(v));
    }
    for (const std::size_t extra : {1, 4}) {
        Bytes wire = good;
        wire.resize(wire.size() + extra, 0);
        Vector v{std::to_string(extra) + " zero byte(s) after a valid header", {flag(Flag::trailing_bytes)}, wire};
        v.error_offset = good.size();
        size.tests.push_back(std::move(v));
    }
    file.groups.push_back(std::move(size));
    return file;
}

}  // namespace qemud::golden
