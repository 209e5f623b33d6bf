// SPDX-License-Identifier: Apache-2.0
// reader.h: a bounds-checked cursor over XDR input, the big-endian loads
// the decoder is built from, and the bulk kernel that decodes arrays of
// char / unsigned char element words (the bulk of this protocol).
//
// Reader never reads past its input: every read_* call is preceded by a
// has(n) check in the caller (the decoder checks once per field, or once per
// fixed array, then reads without further checks).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string_view>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <immintrin.h>
#define QEMUD_WIRE_X86_SIMD 1
#else
#define QEMUD_WIRE_X86_SIMD 0
#endif

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

// ------------------------------------------------------------ SIMD level
//
// SimdLevel is the instruction set the bulk kernels (here and in writer.h)
// use: plain C++ (portable; what other architectures run), SSE2 (the
// x86-64 baseline, so never missing there), AVX2, AVX-512 (F, BW, VL).
// simd_level() picks the best the CPU has, once; the environment variable
// QEMUD_CXX_SIMD=portable|sse2|avx2|avx512 lowers it (never raises it
// beyond what the CPU has), so every kernel can be tested on one machine.
enum class SimdLevel { portable, sse2, avx2, avx512 };

inline std::string_view to_string(SimdLevel level) {
    switch (level) {
        case SimdLevel::avx512: return "avx512";
        case SimdLevel::avx2: return "avx2";
        case SimdLevel::sse2: return "sse2";
        case SimdLevel::portable: break;
    }
    return "portable";
}

inline SimdLevel detect_simd_level() {
    SimdLevel best = SimdLevel::portable;
#if QEMUD_WIRE_X86_SIMD
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse2")) best = SimdLevel::sse2;
    if (__builtin_cpu_supports("avx2")) best = SimdLevel::avx2;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl"))
        best = SimdLevel::avx512;
#endif
    if (const char* want = std::getenv("QEMUD_CXX_SIMD")) {
        const std::string_view w(want);
        const SimdLevel asked = w == "avx512" ? SimdLevel::avx512
                                : w == "avx2" ? SimdLevel::avx2
                                : w == "sse2" ? SimdLevel::sse2
                                              : SimdLevel::portable;
        if (asked < best) best = asked;
    }
    return best;
}

inline SimdLevel simd_level() {
    static const SimdLevel level = detect_simd_level();
    return level;
}

// ------------------------------------------------- char element kernels
//
// An element word of a char / unsigned char array is loaded in native
// byte order, with no byte swap. byte_words::Layout says where the
// element's byte and its 24 high bits sit in such a word. fast_ok is the
// test every kernel applies (wire_codec.h proves at compile time that a
// word it passes is one policy.h accepts, and that it passes every word
// policy.h accepts):
//
//   unsigned char: the 24 high bits are 0
//   char:          the 24 high bits are 0, or they are all 1 and the
//                  byte's sign bit is set (sign-extended)
//
// Kernels make one pass with no early exit and no data-dependent branch
// and return whether every word passed; finding and reporting the first
// bad word is the policy classifier's job (wire_codec.h), on the cold path.
namespace byte_words {

struct Layout {
    static constexpr bool little = std::endian::native == std::endian::little;
    static constexpr unsigned byte_shift = little ? 24 : 0;
    static constexpr std::uint32_t high_bits = little ? 0x00FFFFFFu : 0xFFFFFF00u;
    static constexpr std::uint32_t byte_sign = little ? 0x80000000u : 0x00000080u;
};

template <bool Signed>
constexpr bool fast_ok(std::uint32_t x) {
    using L = Layout;
    if constexpr (Signed)
        return (x & L::high_bits) == 0 || (x & (L::high_bits | L::byte_sign)) == (L::high_bits | L::byte_sign);
    else
        return (x & L::high_bits) == 0;
}

// decode_portable: plain C++ that GCC vectorizes at -O2, the default
// build's level (ci/build.sh: RelWithDebInfo), with the baseline
// instruction set. At -O2 GCC 12 vectorizes only under its "very cheap"
// cost model: a loop whose trip count is a known multiple of the vector
// width, with no permutes and no run-time alias checks. So the words go
// in blocks of portable_block with fixed-trip inner loops (each one whole
// vector iterations), and only the last n % portable_block words take the
// scalar loop. The result is accumulated, never branched on.
inline constexpr std::size_t portable_block = 16;

// odd_byte is the byte at at + 1, read through a 16-bit load: GCC narrows
// 16-bit lanes to bytes with one mask and one pack on SSE2, where it
// narrows 32-bit lanes with a long shuffle sequence (SSE2 has no
// unsigned 32 -> 16 pack).
inline std::uint8_t odd_byte(const std::uint8_t* at) {
    std::uint16_t h;
    std::memcpy(&h, at, sizeof h);
    return static_cast<std::uint8_t>(Layout::little ? h >> 8 : h);
}

// decode_block_bytes: out[j] = p[4 * j + 3] (the element's byte is the
// word's last byte on the wire) for one block. GCC: two halving steps of
// odd_byte (bytes 1 and 3 of each word, then byte 3), each a plain
// 16 -> 8 narrowing the very cheap model takes. The unroll pragma stops
// -O3 from unrolling these loops before the vectorizer sees them (it then
// builds worse code from the straight-line copy). Clang vectorizes the
// 32-bit form well and the two-step one badly, so it keeps the former.
inline void decode_block_bytes(const std::uint8_t* __restrict p, std::uint8_t* __restrict out) {
#if defined(__clang__)
    for (std::size_t j = 0; j < portable_block; ++j) {
        std::uint32_t x;
        std::memcpy(&x, p + 4 * j, sizeof x);
        out[j] = static_cast<std::uint8_t>(x >> Layout::byte_shift);
    }
#else
    std::uint8_t half[2 * portable_block];  // bytes 1 and 3 of each word
#pragma GCC unroll 1
    for (std::size_t k = 0; k < 2 * portable_block; ++k) half[k] = odd_byte(p + 2 * k);
#pragma GCC unroll 1
    for (std::size_t j = 0; j < portable_block; ++j) out[j] = odd_byte(half + 2 * j);
#endif
}

template <bool Signed>
inline bool decode_portable(const std::uint8_t* __restrict p, std::size_t n, std::uint8_t* __restrict out) {
    // One all-ones-or-zero lane per block position, ANDed across blocks:
    // no reduction inside the loop.
    std::uint32_t good[portable_block];
    for (std::uint32_t& g : good) g = ~0u;
    std::size_t i = 0;
    for (; i + portable_block <= n; i += portable_block) {
        const std::uint8_t* __restrict q = p + 4 * i;
        // unroll 4: one block is 4 vectors of 4 words at SSE2's width; the
        // hint lets GCC unroll the vector loop completely (at -O2 it
        // otherwise keeps a 4-trip loop, which costs ~20% here).
#pragma GCC unroll 4
        for (std::size_t j = 0; j < portable_block; ++j) {
            std::uint32_t x;
            std::memcpy(&x, q + 4 * j, sizeof x);
            good[j] &= fast_ok<Signed>(x) ? ~0u : 0u;
        }
        decode_block_bytes(q, out + i);
    }
    std::uint32_t all = ~0u;
    for (const std::uint32_t g : good) all &= g;
    for (; i < n; ++i) {
        std::uint32_t x;
        std::memcpy(&x, p + 4 * i, sizeof x);
        out[i] = static_cast<std::uint8_t>(x >> Layout::byte_shift);
        all &= fast_ok<Signed>(x) ? ~0u : 0u;
    }
    return all == ~0u;
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
// decode_sse2: 16 words per step; the bytes are gathered with two
// saturating packs (every value is <= 0xFF after the shift, so they are
// exact).
template <bool Signed>
[[gnu::target("sse2")]] inline bool decode_sse2(const std::uint8_t* p, std::size_t n, std::uint8_t* out) {
    const __m128i high = _mm_set1_epi32(0x00FFFFFF);
    const __m128i low7 = _mm_set1_epi32(0x7F000000);
    const __m128i ones = _mm_set1_epi32(-1);
    const __m128i zero = _mm_setzero_si128();
    __m128i ok = ones;
#define QEMUD_WORD_OK(v)                                                                                 \
    (Signed ? _mm_or_si128(_mm_cmpeq_epi32(_mm_and_si128(v, high), zero),                                 \
                           _mm_cmpeq_epi32(_mm_or_si128(v, low7), ones))                                  \
            : _mm_cmpeq_epi32(_mm_and_si128(v, high), zero))
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 4 * i));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 4 * i + 16));
        const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 4 * i + 32));
        const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 4 * i + 48));
        ok = _mm_and_si128(ok, _mm_and_si128(_mm_and_si128(QEMUD_WORD_OK(a), QEMUD_WORD_OK(b)),
                                             _mm_and_si128(QEMUD_WORD_OK(c), QEMUD_WORD_OK(d))));
        const __m128i ab = _mm_packs_epi32(_mm_srli_epi32(a, 24), _mm_srli_epi32(b, 24));
        const __m128i cd = _mm_packs_epi32(_mm_srli_epi32(c, 24), _mm_srli_epi32(d, 24));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm_packus_epi16(ab, cd));
    }
#undef QEMUD_WORD_OK
    const bool tail_ok = decode_portable<Signed>(p + 4 * i, n - i, out + i);
    return _mm_movemask_epi8(ok) == 0xFFFF && tail_ok;
}

// decode_avx2: 32 words per step; the bytes are gathered with two
// saturating packs (every value is <= 0xFF after the shift, so the packs
// are exact) and one cross-lane permute.
template <bool Signed>
[[gnu::target("avx2")]] inline bool decode_avx2(const std::uint8_t* p, std::size_t n, std::uint8_t* out) {
    const __m256i high = _mm256_set1_epi32(0x00FFFFFF);
    const __m256i full = _mm256_set1_epi32(static_cast<int>(0x80FFFFFFu));
    const __m256i zero = _mm256_setzero_si256();
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    __m256i ok = _mm256_set1_epi32(-1);
#define QEMUD_WORD_OK(v)                                                                                      \
    (Signed ? _mm256_or_si256(_mm256_cmpeq_epi32(_mm256_and_si256(v, high), zero),                             \
                              _mm256_cmpeq_epi32(_mm256_and_si256(v, full), full))                             \
            : _mm256_cmpeq_epi32(_mm256_and_si256(v, high), zero))
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 4 * i));
        const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 4 * i + 32));
        const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 4 * i + 64));
        const __m256i d = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 4 * i + 96));
        ok = _mm256_and_si256(ok, _mm256_and_si256(_mm256_and_si256(QEMUD_WORD_OK(a), QEMUD_WORD_OK(b)),
                                                   _mm256_and_si256(QEMUD_WORD_OK(c), QEMUD_WORD_OK(d))));
        const __m256i ab = _mm256_packus_epi32(_mm256_srli_epi32(a, 24), _mm256_srli_epi32(b, 24));
        const __m256i cd = _mm256_packus_epi32(_mm256_srli_epi32(c, 24), _mm256_srli_epi32(d, 24));
        const __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(ab, cd), order);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), bytes);
    }
#undef QEMUD_WORD_OK
    const bool tail_ok = decode_portable<Signed>(p + 4 * i, n - i, out + i);
    return _mm256_movemask_epi8(ok) == -1 && tail_ok;
}

// decode_avx512: 64 words per step, then 16, then one masked step (masked
// loads do not touch the bytes they leave out).
template <bool Signed>
[[gnu::target("avx512f,avx512bw,avx512vl")]] inline bool decode_avx512(const std::uint8_t* p, std::size_t n,
                                                                      std::uint8_t* out) {
    const __m512i high = _mm512_set1_epi32(0x00FFFFFF);
    const __m512i full = _mm512_set1_epi32(static_cast<int>(0x80FFFFFFu));
    // (Macros, not lambdas: GCC does not give a lambda its function's target.)
#define QEMUD_WORD_BAD(v)                                                                                     \
    (Signed ? _mm512_mask_cmpneq_epi32_mask(_mm512_test_epi32_mask(v, high), _mm512_and_si512(v, full), full) \
            : _mm512_test_epi32_mask(v, high))
    __mmask16 bad = 0;
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const __m512i a = _mm512_loadu_si512(p + 4 * i);
        const __m512i b = _mm512_loadu_si512(p + 4 * i + 64);
        const __m512i c = _mm512_loadu_si512(p + 4 * i + 128);
        const __m512i d = _mm512_loadu_si512(p + 4 * i + 192);
        bad = static_cast<__mmask16>(bad | QEMUD_WORD_BAD(a) | QEMUD_WORD_BAD(b) | QEMUD_WORD_BAD(c) | QEMUD_WORD_BAD(d));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm512_cvtepi32_epi8(_mm512_srli_epi32(a, 24)));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i + 16), _mm512_cvtepi32_epi8(_mm512_srli_epi32(b, 24)));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i + 32), _mm512_cvtepi32_epi8(_mm512_srli_epi32(c, 24)));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i + 48), _mm512_cvtepi32_epi8(_mm512_srli_epi32(d, 24)));
    }
    for (; i + 16 <= n; i += 16) {
        const __m512i a = _mm512_loadu_si512(p + 4 * i);
        bad = static_cast<__mmask16>(bad | QEMUD_WORD_BAD(a));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm512_cvtepi32_epi8(_mm512_srli_epi32(a, 24)));
    }
    if (i < n) {
        const auto m = static_cast<__mmask16>((1u << (n - i)) - 1);
        const __m512i a = _mm512_maskz_loadu_epi32(m, p + 4 * i);  // masked-off lanes read as 0: a good word
        bad = static_cast<__mmask16>(bad | QEMUD_WORD_BAD(a));
        _mm512_mask_cvtepi32_storeu_epi8(out + i, m, _mm512_srli_epi32(a, 24));
    }
#undef QEMUD_WORD_BAD
    return bad == 0;
}
#pragma GCC diagnostic pop
#endif

// decode decodes n element words at p into n bytes at out (which must not
// overlap p) and returns whether every word passed fast_ok.
template <bool Signed>
inline bool decode(const std::uint8_t* p, std::size_t n, std::uint8_t* out) {
#if QEMUD_WIRE_X86_SIMD
    switch (simd_level()) {
        case SimdLevel::avx512: return decode_avx512<Signed>(p, n, out);
        case SimdLevel::avx2: return decode_avx2<Signed>(p, n, out);
        case SimdLevel::sse2: return decode_sse2<Signed>(p, n, out);
        case SimdLevel::portable: break;
    }
#endif
    return decode_portable<Signed>(p, n, out);
}

}  // namespace byte_words

}  // namespace qemud::wire
