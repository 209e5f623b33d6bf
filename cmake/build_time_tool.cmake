# SPDX-License-Identifier: Apache-2.0
# build_time_tool.cmake: qemud_build_time_tool(<target>), for a program
# that only runs during the build to generate code or data (xdrc,
# qemud-fuzz-dict).
#
# The fuzzing builds (QEMUD_ENABLE_FUZZING: ClusterFuzzLite's pairs, the
# clang-fuzz and coverage presets; QEMUD_FUZZ_AFL_MUTATOR: the mutator's
# plain build) compile everything with their optimizer and instrumentation
# flags, and the suite makes four such builds. In them a build-time tool is
# compiled at -O0 and, with clang, without sanitizers or coverage: it runs
# a few times on protocol.x, what it writes is data, and optimizing and
# instrumenting it only cost build time: xdrc's and qemud-fuzz-dict's own
# files took 29 s of CPU in the AFL++ + ASan build and 21 s in the
# libFuzzer + ASan + UBSan one, 11 s and 13 s so. The libraries they link
# keep the build's flags, and the GCC build compiles them as it compiles
# everything.
function(qemud_build_time_tool target)
  if(NOT (QEMUD_ENABLE_FUZZING OR QEMUD_FUZZ_AFL_MUTATOR))
    return()
  endif()
  # After the build's own flags on the command line, so these win.
  target_compile_options(${target} PRIVATE -O0)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(${target} PRIVATE -fno-sanitize=all)
  endif()
endfunction()
