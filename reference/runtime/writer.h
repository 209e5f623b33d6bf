// writer.h: appends XDR words to a byte vector, and the big-endian stores
// the encoder is built from.
//
// The vector is the caller's, so a hot loop that clears and reuses it keeps
// its capacity and does not reallocate.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace qemud::wire {

// store_be32 writes w big-endian at p (4 writable bytes).
inline void store_be32(std::uint8_t* p, std::uint32_t w) {
    if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap32(w);
    std::memcpy(p, &w, sizeof w);
}

// store_be64 writes w as two big-endian words, high word first.
inline void store_be64(std::uint8_t* p, std::uint64_t w) {
    store_be32(p, static_cast<std::uint32_t>(w >> 32));
    store_be32(p + 4, static_cast<std::uint32_t>(w));
}

class Writer {
public:
    explicit Writer(std::vector<std::uint8_t>& out) : out_(&out) {}

    std::size_t size() const { return out_->size(); }
    // extend appends n zero bytes and returns a pointer to the first; the
    // pointer is valid until the next call on this Writer.
    std::uint8_t* extend(std::size_t n) {
        const std::size_t old = out_->size();
        out_->resize(old + n);
        return out_->data() + old;
    }
    void put_u32(std::uint32_t w) { store_be32(extend(4), w); }
    void put_u64(std::uint64_t w) { store_be64(extend(8), w); }

private:
    std::vector<std::uint8_t>* out_;
};

}  // namespace qemud::wire
