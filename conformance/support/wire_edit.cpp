#include "wire_edit.h"

#include <boost/test/unit_test.hpp>

#include "codecs/value_model.h"

namespace qemud::testing {

void put_be32(Bytes& bytes, std::size_t offset, std::uint32_t word) {
    for (int i = 0; i < 4; ++i) bytes[offset + i] = static_cast<std::uint8_t>(word >> (24 - 8 * i));
}

std::uint32_t get_be32(const Bytes& bytes, std::size_t offset) {
    return (std::uint32_t{bytes[offset]} << 24) | (std::uint32_t{bytes[offset + 1]} << 16) |
           (std::uint32_t{bytes[offset + 2]} << 8) | bytes[offset + 3];
}

void append_be32(Bytes& bytes, std::uint32_t word) {
    bytes.resize(bytes.size() + 4);
    put_be32(bytes, bytes.size() - 4, word);
}

std::string hex(ByteView bytes) { return value_model::to_hex(bytes.data(), bytes.size()); }

std::optional<std::size_t> first_difference(ByteView a, ByteView b) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) return i;
    if (a.size() != b.size()) return n;
    return std::nullopt;
}

Bytes frame(ByteView payload) {
    Bytes out;
    append_be32(out, ProtocolInfo::get().header_magic());
    append_be32(out, static_cast<std::uint32_t>(payload.size()));
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

Bytes must_encode(const Codec& codec, Kind kind, const Json& value) {
    auto out = codec.encode(kind, value);
    BOOST_REQUIRE_MESSAGE(out.ok(), codec.name() << " failed to encode " << to_string(kind) << ": " << describe(out));
    return out.value();
}

Json must_decode(const Codec& codec, Kind kind, ByteView wire) {
    auto out = codec.decode(kind, wire);
    BOOST_REQUIRE_MESSAGE(out.ok(), codec.name() << " failed to decode " << to_string(kind) << ": " << describe(out));
    return out.value();
}

}  // namespace qemud::testing
