# SPDX-License-Identifier: Apache-2.0
# The one rule for a test whose tool may be missing (node, the shims'
# libraries, Python modules, clang's libFuzzer, a build option that is
# off): the test is always registered, and ci/lib/require_tools.py checks
# its needs when it runs, so a missing tool shows as a skip with its
# reason (exit 77) and, under QEMUD_REQUIRE_ALL=1 (CI), as a failure. A
# test that may skip itself must be registered here too, so that
# QEMUD_REQUIRE_ALL=1 fails its skip as well (ctest tool_skip_rule checks
# that every test with SKIP_RETURN_CODE goes through the checker).
#
# qemud_add_tool_test(NAME <name> [NEEDS <need>...] [PYTHON <interpreter>]
#                     [COMMAND_EXPAND_LISTS] COMMAND <command> [<arg>...])
# NEEDS are require_tools.py's names (node, js-xdr, xdrlib, jsonschema,
# libfuzzer, afl, go, chromium). The checker runs under PYTHON (default: the interpreter the
# build found), which is where it looks for Python modules: give the
# interpreter that runs the test. A target name as <command> (an
# executable, Python3::Interpreter) is replaced by its file, as add_test
# would.
set(QEMUD_REQUIRE_TOOLS "${CMAKE_CURRENT_LIST_DIR}/../ci/lib/require_tools.py")
cmake_path(NORMAL_PATH QEMUD_REQUIRE_TOOLS)

function(qemud_add_tool_test)
  cmake_parse_arguments(PARSE_ARGV 0 arg "COMMAND_EXPAND_LISTS" "NAME;PYTHON" "NEEDS;COMMAND")
  if(NOT arg_NAME OR NOT arg_COMMAND)
    message(FATAL_ERROR "qemud_add_tool_test: NAME and COMMAND are required")
  endif()
  if(NOT arg_PYTHON)
    set(arg_PYTHON "${Python3_EXECUTABLE}")
  endif()
  # String operations only: list operations would drop the escaping of a
  # ';' inside an argument (sh -c "a; b" would become two arguments).
  list(GET arg_COMMAND 0 program)
  if(TARGET "${program}")
    string(LENGTH "${program}" length)
    string(SUBSTRING "${arg_COMMAND}" ${length} -1 rest)
    set(arg_COMMAND "$<TARGET_FILE:${program}>${rest}")
  endif()
  set(expand "")
  if(arg_COMMAND_EXPAND_LISTS)
    set(expand COMMAND_EXPAND_LISTS)
  endif()
  add_test(NAME ${arg_NAME}
    COMMAND "${arg_PYTHON}" "${QEMUD_REQUIRE_TOOLS}" ${arg_NEEDS} -- ${arg_COMMAND}
    ${expand})
  set_tests_properties(${arg_NAME} PROPERTIES SKIP_RETURN_CODE 77)
endfunction()
