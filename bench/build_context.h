// SPDX-License-Identifier: Apache-2.0
// build_context.h: puts the build type, the compiler and the flags the
// bench programs were compiled with into Google Benchmark's context (the
// console header and the JSON "context" object), so every result says what
// it measured: a figure from a Release build is not the one users of the
// default build get. ci/bench.sh warns when they are not the documented
// ones, and ci/lib/bench_table.py copies them into docs/PERFORMANCE.md.
#pragma once

#include <benchmark/benchmark.h>

#include "build_info.h"  // generated: bench/build_info.h.in

namespace qemud::bench {

inline void add_build_context() {
    benchmark::AddCustomContext("qemud_build_type", QEMUD_BENCH_BUILD_TYPE);
    benchmark::AddCustomContext("qemud_cxx_flags", QEMUD_BENCH_CXX_FLAGS);
    benchmark::AddCustomContext("qemud_cxx_compiler", QEMUD_BENCH_CXX_COMPILER);
}

}  // namespace qemud::bench
