// SPDX-License-Identifier: Apache-2.0
// libfuzzer_hooks.cpp: libFuzzer's custom mutator and crossover entry
// points, compiled once per target with QEMUD_FUZZ_TARGET_NAME set by
// qemud_add_fuzzer (fuzz/CMakeLists.txt). The `_plain` variants of the
// targets leave this file out, to measure what the mutator buys.
#include <cstdio>
#include <cstdlib>

#include "mutator.h"

namespace {
qemud::fuzz::Surface surface() {
    static const auto s = qemud::fuzz::surface_from_name(QEMUD_FUZZ_TARGET_NAME);
    if (!s) {
        std::fprintf(stderr, "libfuzzer_hooks: no surface for target %s\n", QEMUD_FUZZ_TARGET_NAME);
        std::abort();
    }
    return *s;
}
}  // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
    return qemud::fuzz::mutate(surface(), data, size, max_size, seed);
}

extern "C" std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* data1, std::size_t size1,
                                                 const std::uint8_t* data2, std::size_t size2, std::uint8_t* out,
                                                 std::size_t max_out_size, unsigned int seed) {
    return qemud::fuzz::cross_over(surface(), data1, size1, data2, size2, out, max_out_size, seed);
}
