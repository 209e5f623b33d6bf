// SPDX-License-Identifier: Apache-2.0
// registry.h: every in-tree implementation of the protocol, by name.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "codecs/codec.h"

namespace qemud {

// Factories, one per implementation; each lives in its codec's folder.
std::unique_ptr<Codec> make_rpcgen_codec();   // rpcgen's C over libtirpc (lenient)
std::unique_ptr<Codec> make_cxx_codec();      // generated C++ model + strict runtime
std::unique_ptr<Codec> make_dynamic_codec();  // interprets protocol.x at run time

// all_codecs lists every in-tree implementation, rpcgen first (the golden
// reference), then cxx and dynamic. The codecs live as long as the program.
const std::vector<const Codec*>& all_codecs();
// find_codec returns nullptr for an unknown name.
const Codec* find_codec(std::string_view name);
// reference_codec is the implementation other answers are compared with.
const Codec& reference_codec();

}  // namespace qemud
