# SPDX-License-Identifier: Apache-2.0
# test_flags.cmake: qemud_test_debug_info(), called at the top of a
# directory that builds only tests.
#
# RelWithDebInfo's -g writes full debug information (every variable and
# type), and for the template-heavy test files (Boost.Test, RapidCheck,
# nlohmann::json, the generated model) writing it is about a third of their
# compile time. Tests keep line tables (-g1): a sanitizer report, gdb's
# backtrace and a failed check still name the file and line. The tools and
# libraries users run keep the build's full -g.
macro(qemud_test_debug_info)
  add_compile_options($<$<CONFIG:RelWithDebInfo>:-g1>)
endmacro()
