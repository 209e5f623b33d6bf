// reader.h: a bounds-checked cursor over XDR input, and the big-endian loads
// the decoder is built from.
//
// Reader never reads past its input: every read_* call is preceded by a
// has(n) check in the caller (the decoder checks once per field, or once per
// fixed array, then reads without further checks).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace qemud::wire {

// load_be32 reads the big-endian word at p (4 readable bytes).
inline std::uint32_t load_be32(const std::uint8_t* p) {
    std::uint32_t w;
    std::memcpy(&w, p, sizeof w);
    if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap32(w);
    return w;
}

// load_be64 reads two big-endian words at p, high word first (8 readable bytes).
inline std::uint64_t load_be64(const std::uint8_t* p) {
    return (static_cast<std::uint64_t>(load_be32(p)) << 32) | load_be32(p + 4);
}

class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> input)
        : begin_(input.data()), pos_(input.data()), end_(input.data() + input.size()) {}

    // offset is the number of bytes consumed, from the start of the input.
    std::size_t offset() const { return static_cast<std::size_t>(pos_ - begin_); }
    std::size_t remaining() const { return static_cast<std::size_t>(end_ - pos_); }
    bool has(std::size_t n) const { return remaining() >= n; }
    // data is the next unread byte; valid for remaining() bytes.
    const std::uint8_t* data() const { return pos_; }

    // read_u32 / read_u64 / skip consume input; the caller has checked has().
    std::uint32_t read_u32() {
        const std::uint32_t w = load_be32(pos_);
        pos_ += 4;
        return w;
    }
    std::uint64_t read_u64() {
        const std::uint64_t w = load_be64(pos_);
        pos_ += 8;
        return w;
    }
    void skip(std::size_t n) { pos_ += n; }

private:
    const std::uint8_t* begin_;
    const std::uint8_t* pos_;
    const std::uint8_t* end_;
};

}  // namespace qemud::wire
