# SPDX-License-Identifier: Apache-2.0
# The canary build (docs/DETECTION.md): test-only variants of executables
# with the cxx implementation's planted bugs linked in, switched on at run
# time by QEMUD_CANARY=<name>. The product targets are never changed.
option(QEMUD_CANARIES
       "Build the canary variants (<target>_canary, qemud-conform-canary, qemud-canaries): the cxx codec with planted bugs"
       OFF)

# The object libraries a canary variant links before everything else
# (reference/canary/CMakeLists.txt). Objects on the link line are always
# linked, so every symbol they define (the cxx codec, the registry) is taken
# from them and the product archives' copies are never pulled in; a product
# object pulled in anyway would be a duplicate-symbol link error, not a
# silent mix.
set(QEMUD_CANARY_OBJECT_LIBS qemud_canary_table qemud_cxx_codec_canary qemud_codecs_canary)

# qemud_add_canary_variant(<target> <variant>) links <variant> from the very
# object files <target> was compiled to, plus the canary libraries, and with
# <target>'s own libraries and link options: nothing of <target> is compiled
# twice (properties.cpp alone takes minutes). The object paths follow
# CMake's layout for the Ninja and Makefile generators
# (<binary dir>/CMakeFiles/<target>.dir/<source relative to the source dir,
# ../ written __/>.o); a path that does not exist fails the link loudly.
# Why not OBJECT libraries for the products: qemud-conform's CMakeLists is
# not this feature's to restructure, and one mechanism serves every target.
function(qemud_add_canary_variant target variant)
  if(NOT QEMUD_CANARIES)
    return()
  endif()
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  get_target_property(binary_dir ${target} BINARY_DIR)
  set(objects "")
  foreach(source IN LISTS sources)
    if(NOT source MATCHES "\\.(c|cc|cpp|cxx)$")
      continue()
    endif()
    cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY "${source_dir}" NORMALIZE OUTPUT_VARIABLE absolute)
    file(RELATIVE_PATH relative "${source_dir}" "${absolute}")
    string(REPLACE "../" "__/" relative "${relative}")
    list(APPEND objects "${binary_dir}/CMakeFiles/${target}.dir/${relative}${CMAKE_CXX_OUTPUT_EXTENSION}")
  endforeach()
  set_source_files_properties(${objects} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  add_executable(${variant} ${objects})
  set_target_properties(${variant} PROPERTIES LINKER_LANGUAGE CXX)
  add_dependencies(${variant} ${target})
  get_target_property(libraries ${target} LINK_LIBRARIES)
  if(NOT libraries)
    set(libraries "")
  endif()
  target_link_libraries(${variant} PRIVATE ${QEMUD_CANARY_OBJECT_LIBS} ${libraries})
  get_target_property(options ${target} LINK_OPTIONS)
  if(options)
    target_link_options(${variant} PRIVATE ${options})
  endif()
  set_property(GLOBAL APPEND PROPERTY QEMUD_CANARY_VARIANTS ${variant})
endfunction()
