// SPDX-License-Identifier: Apache-2.0
// afl_custom_mutator.cpp: the structure-aware mutator (mutator.h) as an
// AFL++ custom mutator, libqemud_afl_mutator.so, loaded by afl-fuzz through
// AFL_CUSTOM_MUTATOR_LIBRARY (AFL++'s docs/custom_mutators.md).
//
// The surface comes from QEMUD_FUZZ_SURFACE: a surface (header,
// client_payload, ...) or a target name (header_fuzzer, ...). When it is
// unset or unknown afl_custom_init says so on stderr and returns null; and
// since afl-fuzz (4.04c) does not check that result and would crash in the
// first afl_custom_fuzz, it ends afl-fuzz itself (exit status 1) when called
// by afl-fuzz (a non-null afl state; the dlopen check passes null).
//
// It runs inside afl-fuzz, which has neither sanitizers nor coverage
// instrumentation, so it is built without them (the afl-mutator preset:
// clang -O1, position-independent code). mutate() hands inputs it cannot parse or
// repair to LLVMFuzzerMutate, libFuzzer's byte mutator: here that is a
// small byte mutator of our own (one byte flipped, inserted or removed),
// seeded by afl_custom_init's seed. AFL_CUSTOM_MUTATOR_ONLY is not set by
// the scripts, so AFL++'s own deterministic and havoc stages still do the
// byte-level work on every queue entry; this library adds the structure-aware
// stage, and a crossover (cross_over) with the splice partner afl-fuzz passes
// as add_buf one call in four.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "mutator.h"

namespace {

struct State {
    qemud::fuzz::Surface surface;
    std::string name;
    std::uint64_t rng;
    std::vector<std::uint8_t> out;
};

// splitmix64: the mutator's own seeded stream (afl_custom_init's seed).
std::uint64_t next(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// The state whose afl_custom_fuzz is running: LLVMFuzzerMutate draws from it.
thread_local State* current = nullptr;

}  // namespace

// LLVMFuzzerMutate: what mutate() falls back to for an input it cannot
// parse. afl-fuzz has no libFuzzer, so: one byte flipped, inserted or
// removed, from the running mutator's seeded stream.
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size) {
    static thread_local std::uint64_t fallback_rng = 1;
    const std::uint64_t r = next(current ? current->rng : fallback_rng);
    if (size < max_size && (size == 0 || r % 3 == 0)) {
        const std::size_t at = size ? (r >> 8) % (size + 1) : 0;
        std::memmove(data + at + 1, data + at, size - at);
        data[at] = static_cast<std::uint8_t>(r >> 16);
        return size + 1;
    }
    if (r % 3 == 1 && size > 1) {
        const std::size_t at = (r >> 8) % size;
        std::memmove(data + at, data + at + 1, size - at - 1);
        return size - 1;
    }
    if (size == 0) return 0;
    data[(r >> 8) % size] ^= static_cast<std::uint8_t>(1u << ((r >> 4) % 8));
    return size;
}

namespace {
void* refuse(void* afl) {
    if (afl) std::exit(1);  // inside afl-fuzz: stop it here, not in a crash later
    return nullptr;
}
}  // namespace

extern "C" void* afl_custom_init(void* afl, unsigned int seed) {
    const char* name = std::getenv("QEMUD_FUZZ_SURFACE");
    if (!name || !*name) {
        std::fprintf(stderr,
                     "qemud_afl_mutator: QEMUD_FUZZ_SURFACE is not set (a surface such as header or a target "
                     "such as header_fuzzer)\n");
        return refuse(afl);
    }
    const auto surface = qemud::fuzz::surface_from_name(name);
    if (!surface) {
        std::fprintf(stderr, "qemud_afl_mutator: QEMUD_FUZZ_SURFACE=%s names no surface or fuzz target\n", name);
        return refuse(afl);
    }
    auto* s = new (std::nothrow) State{*surface, name, seed, {}};
    return s;
}

extern "C" std::size_t afl_custom_fuzz(void* data, std::uint8_t* buf, std::size_t buf_size, std::uint8_t** out_buf,
                                       std::uint8_t* add_buf, std::size_t add_buf_size, std::size_t max_size) {
    auto* s = static_cast<State*>(data);
    if (!s) {  // init failed: the input as it is
        *out_buf = buf;
        return buf_size;
    }
    current = s;
    const std::size_t room = std::max<std::size_t>(max_size, 1);
    s->out.assign(room, 0);
    std::size_t n = 0;
    // A few tries for an output that differs from the input: mutate() may
    // pick a change that leaves the bytes as they were.
    for (int attempt = 0; attempt < 4; ++attempt) {
        const auto seed = static_cast<unsigned>(next(s->rng));
        if (add_buf && add_buf_size && seed % 4 == 0) {
            n = qemud::fuzz::cross_over(s->surface, buf, buf_size, add_buf, add_buf_size, s->out.data(), max_size,
                                        seed >> 2);
        } else {
            n = std::min(buf_size, max_size);
            if (n) std::memcpy(s->out.data(), buf, n);
            n = qemud::fuzz::mutate(s->surface, s->out.data(), n, max_size, seed >> 2);
        }
        if (n != buf_size || std::memcmp(s->out.data(), buf, n) != 0) break;
    }
    if (n > max_size) n = max_size;
    // Still the input: one byte-level change, so afl-fuzz never runs the
    // same input twice for this stage.
    if (n == buf_size && std::memcmp(s->out.data(), buf, n) == 0) n = LLVMFuzzerMutate(s->out.data(), n, max_size);
    current = nullptr;
    *out_buf = s->out.data();
    return n;
}

extern "C" const char* afl_custom_describe(void* data, std::size_t max_description_len) {
    auto* s = static_cast<State*>(data);
    static thread_local std::string d;
    d = "qemud-" + (s ? s->name : std::string("unset"));
    if (d.size() > max_description_len) d.resize(max_description_len);
    return d.c_str();
}

extern "C" void afl_custom_deinit(void* data) { delete static_cast<State*>(data); }
