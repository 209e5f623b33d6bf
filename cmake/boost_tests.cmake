# SPDX-License-Identifier: Apache-2.0
# qemud_add_boost_test(<name> LABEL <label> SOURCES <files...> [LIBS <targets...>] [TIMEOUT <s>])
# builds one Boost.Test executable and registers every one of its test cases
# as a ctest test of its own, named <name>/<suite>/.../<case>, so that
# `ctest --output-junit` and dashboards name the failing arm and
# implementation, and `ctest -R` picks one. The cases are listed after each
# link (`--list_content`, by boost_list_cases.cmake) into a file ctest reads
# when it starts (TEST_INCLUDE_FILES), the way CMake's gtest_discover_tests
# does: cases registered at run time from protocol.x's arms need the built
# program to be known. A program that was not built yet shows as one failing
# test <name>/NOT_BUILT instead of silently running nothing.
function(qemud_add_boost_test name)
  cmake_parse_arguments(arg "" "LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${arg_SOURCES})
  target_compile_definitions(${name} PRIVATE BOOST_TEST_DYN_LINK)
  target_link_libraries(${name} PRIVATE Boost::unit_test_framework ${arg_LIBS})
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 300)
  endif()
  set(cases "${CMAKE_CURRENT_BINARY_DIR}/${name}_cases.cmake")
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND "${CMAKE_COMMAND}" -D "EXE=$<TARGET_FILE:${name}>" -D "NAME=${name}" -D "LABEL=${arg_LABEL}"
            -D "TIMEOUT=${arg_TIMEOUT}" -D "WORKDIR=${CMAKE_CURRENT_BINARY_DIR}" -D "OUT=${cases}"
            -P "${PROJECT_SOURCE_DIR}/cmake/boost_list_cases.cmake"
    VERBATIM)
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_include.cmake")
  file(WRITE "${include_file}"
    "if(EXISTS [==[${cases}]==])\n"
    "  include([==[${cases}]==])\n"
    "else()\n"
    "  add_test([==[${name}/NOT_BUILT]==] \"${CMAKE_COMMAND}\" -E echo [==[${name} is not built: build before ctest]==])\n"
    "  set_tests_properties([==[${name}/NOT_BUILT]==] PROPERTIES WILL_FAIL TRUE LABELS [==[${arg_LABEL}]==])\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()
