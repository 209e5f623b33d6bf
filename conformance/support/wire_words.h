// SPDX-License-Identifier: Apache-2.0
// wire_words.h: reading and writing big-endian XDR words in a byte vector,
// for tools and tests that build or alter wires by hand.
#pragma once

#include <cstdint>

#include "codecs/codec.h"

namespace qemud::wire_words {

inline void put_be32(Bytes& bytes, std::size_t offset, std::uint32_t word) {
    for (int i = 0; i < 4; ++i) bytes[offset + i] = static_cast<std::uint8_t>(word >> (24 - 8 * i));
}

inline std::uint32_t get_be32(const Bytes& bytes, std::size_t offset) {
    return (std::uint32_t{bytes[offset]} << 24) | (std::uint32_t{bytes[offset + 1]} << 16) |
           (std::uint32_t{bytes[offset + 2]} << 8) | bytes[offset + 3];
}

inline void append_be32(Bytes& bytes, std::uint32_t word) {
    bytes.resize(bytes.size() + 4);
    put_be32(bytes, bytes.size() - 4, word);
}

}  // namespace qemud::wire_words
