// SPDX-License-Identifier: Apache-2.0
// writer.h: writes XDR words into a caller-owned byte vector, the
// big-endian stores the encoder is built from, and the bulk kernel that
// encodes arrays of char / unsigned char as element words.
//
// The vector is the caller's and Writer overwrites it from the start,
// growing it only when the encoding is longer than what it already holds,
// so a hot loop that encodes into one vector neither reallocates nor
// zero-fills. Every byte of the result is written (padding included); the
// caller trims the vector to size() when done.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "runtime/reader.h"  // SimdLevel, byte_words::Layout

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

    // size is the number of bytes written so far.
    std::size_t size() const { return pos_; }
    // extend reserves the next n bytes and returns a pointer to the first;
    // the caller writes all n of them (their old contents are arbitrary).
    // The pointer is valid until the next call on this Writer.
    std::uint8_t* extend(std::size_t n) {
        if (out_->size() - pos_ < n) [[unlikely]]
            grow(n);
        std::uint8_t* p = out_->data() + pos_;
        pos_ += n;
        return p;
    }
    void put_u32(std::uint32_t w) { store_be32(extend(4), w); }
    void put_u64(std::uint64_t w) { store_be64(extend(8), w); }
    // finish trims the vector to the bytes written.
    void finish() { out_->resize(pos_); }

private:
    [[gnu::noinline]] void grow(std::size_t n) {
        // Geometric, so a first encode into an empty vector grows it a few
        // times rather than once per field.
        const std::size_t want = pos_ + n;
        out_->resize(want < 2 * out_->size() ? 2 * out_->size() : want);
    }

    std::vector<std::uint8_t>* out_;
    std::size_t pos_ = 0;
};

// ------------------------------------------------- char element kernels
// The inverse of reader.h's byte_words::decode: each byte becomes its
// canonical element word (sign-extended for char, zero-extended for
// unsigned char), written in native byte order as the big-endian word.
// wire_codec.h checks canonical() against policy.h for all 256 bytes.
namespace byte_words {

template <bool Signed>
constexpr std::uint32_t canonical(std::uint8_t b) {
    using L = Layout;
    const std::uint32_t fill = Signed && b >= 0x80 ? L::high_bits : 0u;
    return (static_cast<std::uint32_t>(b) << L::byte_shift) | fill;
}

// encode_portable: plain C++ that GCC vectorizes at -O2 (see reader.h,
// decode_portable): whole blocks of byte_words::portable_block elements
// in a fixed-trip loop the "very cheap" cost model takes, then the rest
// one by one. The sign fill is an arithmetic shift, not a select, so the
// block is shifts and masks only.
template <bool Signed>
constexpr std::uint32_t canonical_shift(std::uint32_t b) {
    using L = Layout;
    std::uint32_t x = b << L::byte_shift;
    if constexpr (Signed) x |= static_cast<std::uint32_t>(static_cast<std::int32_t>(b << 24) >> 31) & L::high_bits;
    return x;
}

// canonical_shift is canonical: checked for every byte at compile time.
template <bool Signed>
consteval bool canonical_shift_agrees() {
    for (std::uint32_t b = 0; b < 256; ++b)
        if (canonical_shift<Signed>(b) != canonical<Signed>(static_cast<std::uint8_t>(b))) return false;
    return true;
}
static_assert(canonical_shift_agrees<true>() && canonical_shift_agrees<false>());

template <bool Signed>
inline void encode_portable(const std::uint8_t* __restrict in, std::size_t n, std::uint8_t* __restrict p) {
    std::size_t i = 0;
    for (; i + portable_block <= n; i += portable_block)
        for (std::size_t j = 0; j < portable_block; ++j) {
            const std::uint32_t x = canonical_shift<Signed>(in[i + j]);
            std::memcpy(p + 4 * (i + j), &x, sizeof x);
        }
    for (; i < n; ++i) {
        const std::uint32_t x = canonical_shift<Signed>(in[i]);
        std::memcpy(p + 4 * i, &x, sizeof x);
    }
}

#if QEMUD_WIRE_X86_SIMD
// GCC 12's AVX-512 headers trip -Wuninitialized on their own
// _mm512_undefined_* placeholders (GCC bug 105593); nothing here reads
// uninitialized data.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
// x86 kernels: widen 8 / 16 bytes to words (sign- or zero-extending) and
// byte-swap each word.
template <bool Signed>
[[gnu::target("sse2")]] inline void encode_sse2(const std::uint8_t* in, std::size_t n, std::uint8_t* p) {
    const __m128i zero = _mm_setzero_si128();
    const __m128i high = _mm_set1_epi32(0x00FFFFFF);
    // Interleaving zeros below each byte twice puts it in bits 24..31 of a
    // word; an arithmetic shift of that gives the sign fill.
#define QEMUD_STORE_WORDS(at, v)                                                                           \
    do {                                                                                                   \
        const __m128i w_ = (v);                                                                            \
        _mm_storeu_si128(reinterpret_cast<__m128i*>(at),                                                   \
                         Signed ? _mm_or_si128(w_, _mm_and_si128(_mm_srai_epi32(w_, 31), high)) : w_);     \
    } while (0)
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
        const __m128i lo = _mm_unpacklo_epi8(zero, b);
        const __m128i hi = _mm_unpackhi_epi8(zero, b);
        QEMUD_STORE_WORDS(p + 4 * i, _mm_unpacklo_epi16(zero, lo));
        QEMUD_STORE_WORDS(p + 4 * i + 16, _mm_unpackhi_epi16(zero, lo));
        QEMUD_STORE_WORDS(p + 4 * i + 32, _mm_unpacklo_epi16(zero, hi));
        QEMUD_STORE_WORDS(p + 4 * i + 48, _mm_unpackhi_epi16(zero, hi));
    }
#undef QEMUD_STORE_WORDS
    encode_portable<Signed>(in + i, n - i, p + 4 * i);
}

template <bool Signed>
[[gnu::target("avx2")]] inline void encode_avx2(const std::uint8_t* in, std::size_t n, std::uint8_t* p) {
    const __m256i swap = _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,  //
                                          3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
    // (A macro, not a lambda: GCC does not give a lambda its function's target.)
#define QEMUD_WIDEN(at)                                                                                   \
    _mm256_shuffle_epi8(Signed ? _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(at))) \
                               : _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(at))), \
                        swap)
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(p + 4 * i), QEMUD_WIDEN(in + i));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(p + 4 * i + 32), QEMUD_WIDEN(in + i + 8));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(p + 4 * i + 64), QEMUD_WIDEN(in + i + 16));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(p + 4 * i + 96), QEMUD_WIDEN(in + i + 24));
    }
    for (; i + 8 <= n; i += 8) _mm256_storeu_si256(reinterpret_cast<__m256i*>(p + 4 * i), QEMUD_WIDEN(in + i));
#undef QEMUD_WIDEN
    encode_portable<Signed>(in + i, n - i, p + 4 * i);
}

template <bool Signed>
[[gnu::target("avx512f,avx512bw,avx512vl")]] inline void encode_avx512(const std::uint8_t* in, std::size_t n,
                                                                      std::uint8_t* p) {
    const __m512i swap = _mm512_broadcast_i32x4(_mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
#define QEMUD_WIDEN(b) _mm512_shuffle_epi8(Signed ? _mm512_cvtepi8_epi32(b) : _mm512_cvtepu8_epi32(b), swap)
#define QEMUD_LOAD16(at) _mm_loadu_si128(reinterpret_cast<const __m128i*>(at))
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        _mm512_storeu_si512(p + 4 * i, QEMUD_WIDEN(QEMUD_LOAD16(in + i)));
        _mm512_storeu_si512(p + 4 * i + 64, QEMUD_WIDEN(QEMUD_LOAD16(in + i + 16)));
        _mm512_storeu_si512(p + 4 * i + 128, QEMUD_WIDEN(QEMUD_LOAD16(in + i + 32)));
        _mm512_storeu_si512(p + 4 * i + 192, QEMUD_WIDEN(QEMUD_LOAD16(in + i + 48)));
    }
    for (; i + 16 <= n; i += 16) _mm512_storeu_si512(p + 4 * i, QEMUD_WIDEN(QEMUD_LOAD16(in + i)));
    if (i < n) {
        const auto m = static_cast<__mmask16>((1u << (n - i)) - 1);
        _mm512_mask_storeu_epi32(p + 4 * i, m, QEMUD_WIDEN(_mm_maskz_loadu_epi8(m, in + i)));
    }
#undef QEMUD_WIDEN
#undef QEMUD_LOAD16
}
#pragma GCC diagnostic pop
#endif

// encode writes the n canonical element words of the n bytes at in to p
// (4 * n writable bytes, not overlapping in).
template <bool Signed>
inline void encode(const std::uint8_t* in, std::size_t n, std::uint8_t* p) {
#if QEMUD_WIRE_X86_SIMD
    switch (simd_level()) {
        case SimdLevel::avx512: return encode_avx512<Signed>(in, n, p);
        case SimdLevel::avx2: return encode_avx2<Signed>(in, n, p);
        case SimdLevel::sse2: return encode_sse2<Signed>(in, n, p);
        case SimdLevel::portable: break;
    }
#endif
    encode_portable<Signed>(in, n, p);
}

}  // namespace byte_words

}  // namespace qemud::wire
