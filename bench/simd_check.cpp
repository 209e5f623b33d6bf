// SPDX-License-Identifier: Apache-2.0
// simd_check.cpp: checks every char-element kernel of the cxx runtime
// (runtime/reader.h, runtime/writer.h: portable, SSE2, AVX2, AVX-512, as
// the CPU has them) against policy.h, word by word and position by
// position, so the levels ctest does not reach on this machine are still
// proven equal to the rule. Not a benchmark and not timed; ci/bench.sh runs
// it before measuring. Exit 0 if every kernel agrees, 1 otherwise.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "policy/policy.h"
#include "runtime/reader.h"
#include "runtime/writer.h"

namespace {

using namespace qemud;
namespace bw = wire::byte_words;

using DecodeFn = bool (*)(const std::uint8_t*, std::size_t, std::uint8_t*);
using EncodeFn = void (*)(const std::uint8_t*, std::size_t, std::uint8_t*);

struct Kernel {
    std::string name;
    DecodeFn decode_char, decode_uchar;
    EncodeFn encode_char, encode_uchar;
};

std::vector<Kernel> kernels() {
    std::vector<Kernel> out{{"portable", bw::decode_portable<true>, bw::decode_portable<false>,
                             bw::encode_portable<true>, bw::encode_portable<false>}};
#if QEMUD_WIRE_X86_SIMD
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse2"))
        out.push_back({"sse2", bw::decode_sse2<true>, bw::decode_sse2<false>, bw::encode_sse2<true>,
                       bw::encode_sse2<false>});
    if (__builtin_cpu_supports("avx2"))
        out.push_back({"avx2", bw::decode_avx2<true>, bw::decode_avx2<false>, bw::encode_avx2<true>,
                       bw::encode_avx2<false>});
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"))
        out.push_back({"avx512", bw::decode_avx512<true>, bw::decode_avx512<false>, bw::encode_avx512<true>,
                       bw::encode_avx512<false>});
#endif
    return out;
}

void put_be32(std::uint8_t* p, std::uint32_t w) {
    p[0] = static_cast<std::uint8_t>(w >> 24);
    p[1] = static_cast<std::uint8_t>(w >> 16);
    p[2] = static_cast<std::uint8_t>(w >> 8);
    p[3] = static_cast<std::uint8_t>(w);
}

bool accepted(bool is_char, std::uint32_t w) {
    return is_char ? policy::classify_char_word(w) != policy::ElementClass::non_canonical
                   : policy::classify_uchar_word(w) == policy::ElementClass::canonical;
}

std::uint32_t canonical(bool is_char, std::uint8_t b) {
    return is_char ? policy::canonical_char_word(b) : policy::canonical_uchar_word(b);
}

int failures = 0;
void fail(const std::string& what) {
    if (++failures <= 20) std::fprintf(stderr, "simd_check: %s\n", what.c_str());
}

// Decodes n words, all canonical except word k (= probe), and compares
// the kernel's answer and bytes with the policy's.
void check_decode(const Kernel& k, bool is_char, std::size_t n, std::size_t at, std::uint32_t probe) {
    std::vector<std::uint8_t> wire(4 * n + 64, 0xA5), out(n + 64, 0x5A);
    for (std::size_t i = 0; i < n; ++i) put_be32(wire.data() + 4 * i, canonical(is_char, static_cast<std::uint8_t>(i * 37)));
    put_be32(wire.data() + 4 * at, probe);
    const bool ok = (is_char ? k.decode_char : k.decode_uchar)(wire.data(), n, out.data());
    const bool want = accepted(is_char, probe);
    if (ok != want)
        fail(k.name + (is_char ? " char" : " uchar") + " decode n=" + std::to_string(n) + " at=" + std::to_string(at) +
             " word=" + std::to_string(probe) + ": kernel says " + (ok ? "ok" : "bad"));
    for (std::size_t i = 0; i < n; ++i)
        if (out[i] != wire[4 * i + 3]) {
            fail(k.name + " decode wrote a wrong byte at " + std::to_string(i) + " n=" + std::to_string(n));
            break;
        }
    for (std::size_t i = n; i < out.size(); ++i)
        if (out[i] != 0x5A) {
            fail(k.name + " decode wrote past n=" + std::to_string(n));
            break;
        }
}

void check_encode(const Kernel& k, bool is_char, std::size_t n) {
    std::vector<std::uint8_t> in(n + 64), out(4 * n + 64, 0xA5), want(4 * n);
    for (std::size_t first = 0; first < 256; first += n) {  // every byte value at every position
        for (std::size_t i = 0; i < n; ++i) {
            in[i] = static_cast<std::uint8_t>(first + i * 97);
            put_be32(want.data() + 4 * i, canonical(is_char, in[i]));
        }
        (is_char ? k.encode_char : k.encode_uchar)(in.data(), n, out.data());
        if (!std::equal(want.begin(), want.end(), out.begin()))
            fail(k.name + (is_char ? " char" : " uchar") + " encode differs, n=" + std::to_string(n));
        for (std::size_t i = 4 * n; i < out.size(); ++i)
            if (out[i] != 0xA5) {
                fail(k.name + " encode wrote past n=" + std::to_string(n));
                break;
            }
    }
}

}  // namespace

int main() {
    const std::size_t sizes[] = {1,  2,  3,  7,  8,  9,  15, 16, 17, 31,  32,  33,  47,  48,  49,
                                 50, 63, 64, 65, 79, 80, 81, 95, 96, 127, 128, 129, 143, 200, 257};
    const std::uint32_t highs[] = {0x000000, 0xFFFFFF, 0x000001, 0xFFFFFE, 0x7FFFFF, 0x800000,
                                   0x0000FF, 0xFF0000, 0x00FF00, 0xFFFF00, 0x00FFFF, 0x100000};
    const std::uint32_t lows[] = {0x00, 0x01, 0x41, 0x7F, 0x80, 0xE9, 0xFF};
    std::vector<std::uint32_t> every, some;
    for (const std::uint32_t h : highs)
        for (std::uint32_t b = 0; b < 256; ++b) every.push_back((h << 8) | b);
    for (const std::uint32_t h : highs)
        for (const std::uint32_t b : lows) some.push_back((h << 8) | b);
    std::string levels;
    for (const Kernel& k : kernels()) {
        levels += " " + k.name;
        for (const bool is_char : {true, false}) {
            for (const std::size_t n : sizes) {
                for (std::size_t at = 0; at < n; ++at)
                    for (const std::uint32_t w : some) check_decode(k, is_char, n, at, w);
                for (const std::uint32_t w : every) check_decode(k, is_char, n, n - 1, w);
                check_encode(k, is_char, n);
            }
        }
    }
    std::printf("simd_check: kernels%s (dispatch picks %s): %s\n", levels.c_str(),
                std::string(to_string(wire::simd_level())).c_str(), failures ? "FAILED" : "all agree with policy.h");
    return failures ? 1 : 0;
}
