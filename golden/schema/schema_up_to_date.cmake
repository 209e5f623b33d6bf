# SPDX-License-Identifier: Apache-2.0
# schema_up_to_date.cmake: the committed schema of the golden files is what
# the tools write today: qemud-golden --schema-envelope (the file format,
# the flags), then xdrc --emit json-schema (the protocol's types into it).
#
#   cmake -DGOLDEN=<qemud-golden> -DXDRC=<xdrc> -DPROTOCOL_X=<protocol.x>
#         -DINCLUDES=<more .x files, ;-separated> -DSCHEMA_DIR=<golden/schema>
#         -DWORK=<scratch dir> [-DUPDATE=ON] -P schema_up_to_date.cmake
#
# Fails naming the first differing line; with UPDATE=ON writes the schema
# into SCHEMA_DIR instead (the target update_golden_schema).
foreach(var GOLDEN XDRC PROTOCOL_X SCHEMA_DIR WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "schema_up_to_date.cmake: -D${var}= is required")
  endif()
endforeach()
file(MAKE_DIRECTORY "${WORK}")

execute_process(COMMAND "${GOLDEN}" --schema-envelope "${WORK}/envelope.json" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "qemud-golden --schema-envelope failed (${status})")
endif()
# The file name carries the format version: the envelope's $id is it.
file(READ "${WORK}/envelope.json" envelope)
string(JSON name GET "${envelope}" "$id")
set(include_args "")
foreach(x IN LISTS INCLUDES)
  list(APPEND include_args --include "${x}")
endforeach()
execute_process(COMMAND "${XDRC}" --emit json-schema --envelope "${WORK}/envelope.json" ${include_args}
                        -o "${WORK}/${name}" "${PROTOCOL_X}"
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "xdrc --emit json-schema failed (${status})")
endif()

set(committed "${SCHEMA_DIR}/${name}")
if(UPDATE)
  file(COPY_FILE "${WORK}/${name}" "${committed}" ONLY_IF_DIFFERENT)
  message(STATUS "wrote ${committed}")
  return()
endif()
if(NOT EXISTS "${committed}")
  message(FATAL_ERROR "stale: ${committed} is missing; run cmake --build <build> --target update_golden_schema")
endif()
file(READ "${committed}" old)
file(READ "${WORK}/${name}" new)
if(old STREQUAL new)
  message(STATUS "${committed} is up to date")
  return()
endif()
# The first difference, by a binary search over the common prefix (the
# texts are JSON: a CMake list of their lines would mangle brackets).
string(LENGTH "${old}" old_length)
string(LENGTH "${new}" new_length)
set(low 0)
set(high ${old_length})
if(new_length LESS high)
  set(high ${new_length})
endif()
while(low LESS high)
  math(EXPR mid "(${low} + ${high} + 1) / 2")
  string(SUBSTRING "${old}" 0 ${mid} a)
  string(SUBSTRING "${new}" 0 ${mid} b)
  if(a STREQUAL b)
    set(low ${mid})
  else()
    math(EXPR high "${mid} - 1")
  endif()
endwhile()
string(SUBSTRING "${old}" 0 ${low} prefix)
string(REGEX MATCHALL "\n" newlines "${prefix}")
list(LENGTH newlines line)
math(EXPR line "${line} + 1")
string(FIND "${prefix}" "\n" start REVERSE)
math(EXPR start "${start} + 1")
foreach(which old new)
  string(SUBSTRING "${${which}}" ${start} 160 text)
  string(FIND "${text}" "\n" end)
  if(end GREATER_EQUAL 0)
    string(SUBSTRING "${text}" 0 ${end} text)
  endif()
  set(${which}_line "${text}")
endforeach()
message(FATAL_ERROR "stale: ${committed} differs from the tools' output at line ${line}\n"
                    "  committed: ${old_line}\n  generated: ${new_line}\n"
                    "run cmake --build <build> --target update_golden_schema and commit it with the change")
