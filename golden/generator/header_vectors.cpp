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

Json header_value(std::uint32_t magic, std::uint32_t length) { return Json{{"magic", magic}, {"length", length}}; }

std::vector<LayoutEntry> header_layout() {
    const auto& spec = info().spec();
    std::vector<LayoutEntry> out;
    std::size_t offset = 0;
    for (const auto& field : spec.find_struct(info().header_type())->fields) {
        const std::size_t size = xdr::wire_size(spec, field).max;
        out.push_back({offset, size, field.name});
        offset += size;
    }
    return out;
}

// A header value the policy rejects: its wire is a valid header's reference
// encoding with the words replaced, and every encoder must refuse the value.
Vector refused(std::uint32_t magic, std::uint32_t length, std::vector<std::string> flags, std::string comment,
               std::size_t error_offset) {
    const Json valid = header_value(info().header_magic(), info().min_any_payload());
    Bytes wire = encode_agreed(Kind::header, valid, "valid header");
    put_be32(wire, 0, magic);
    put_be32(wire, 4, length);
    const Json value = header_value(magic, length);
    refuse_agreed(Kind::header, value, comment);
    Vector v{std::move(comment), std::move(flags), std::move(wire)};
    v.value = value;
    v.error_offset = error_offset;
    return v;
}

}  // namespace

VectorFile build_header_file() {
    VectorFile file{Kind::header, {}};
    const std::uint32_t magic = info().header_magic();
    const std::uint32_t min = info().min_any_payload();
    const std::uint32_t max = info().max_any_payload();

    // Valid: the smallest and largest lengths, every arm's payload size, and
    // one multiple of 4 in range that is no arm's size (the bare header
    // cannot know the direction or the arm).
    Group valid{"", "valid_lengths", std::nullopt, std::nullopt, {}};
    std::set<std::uint32_t> lengths{min, max};
    for (const auto& arm : info().all_arms()) lengths.insert(arm.payload_size);
    std::uint32_t unused = min + 4;
    while (lengths.count(unused)) unused += 4;
    const std::uint32_t not_an_arm = unused;
    lengths.insert(not_an_arm);
    for (const std::uint32_t length : lengths) {
        const Json value = header_value(magic, length);
        std::vector<std::string> flags{flag(Flag::canonical)};
        std::string comment = "length " + std::to_string(length);
        if (length == min) comment += ", the smallest payload of either direction", flags.push_back("boundary");
        if (length == max) comment += ", the largest payload of either direction", flags.push_back("boundary");
        if (length == not_an_arm) comment += ", a multiple of 4 in range that is no arm's payload size";
        Vector v{comment, flags, encode_agreed(Kind::header, value, comment)};
        v.value = value;
        v.layout = header_layout();
        valid.tests.push_back(std::move(v));
    }
    file.groups.push_back(std::move(valid));

    Group bad_length{"", "bad_header_length", std::nullopt, std::nullopt, {}};
    const std::vector<std::uint32_t> bad_lengths{0,       4,       min - 1, min + 1,          min + 2,   min + 3,
                                                 max - 3, max - 1, max + 1, max + 4,          max + 8,   65536,
                                                 0x7FFFFFFC, 0x80000000, 0xFFFFFFFC, 0xFFFFFFFF};
    for (const std::uint32_t length : bad_lengths) {
        std::string why = length < min ? "below " + std::to_string(min) : length > max ? "above " + std::to_string(max) : "";
        if (length % 4 != 0) why += std::string(why.empty() ? "" : ", ") + "not a multiple of 4";
        bad_length.tests.push_back(refused(magic, length, {flag(Flag::bad_header_length)},
                                           "length " + std::to_string(length) + ": " + why, 4));
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
    for (const auto& [m, why] : magics)
        bad_magic.tests.push_back(refused(m, min + 4, {flag(Flag::bad_magic)}, "magic " + hex32(m) + ": " + why, 0));
    bad_magic.tests.push_back(refused(info().header_size() + min + 4, magic,
                                      {flag(Flag::bad_magic), flag(Flag::bad_header_length), "libvirt_0_3_framing"},
                                      "libvirt-0.3 word order: total length " +
                                          std::to_string(info().header_size() + min + 4) + ", then the magic",
                                      0));
    bad_magic.tests.push_back(
        refused(0, 0, {flag(Flag::bad_magic), flag(Flag::bad_header_length)}, "all zero: bad magic and length 0", 0));
    file.groups.push_back(std::move(bad_magic));

    // Wire-only: a header shorter or longer than 8 bytes has no value.
    Group size{"", "header_size", std::nullopt, std::nullopt, {}};
    const Bytes good = encode_agreed(Kind::header, header_value(magic, min + 4), "valid header");
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
