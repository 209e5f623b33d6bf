// SPDX-License-Identifier: Apache-2.0
// analysis.h: facts derived from a Specification that several consumers
// need: how many bytes a type takes on the wire, and what a name resolves to.
#pragma once

#include <cstdint>

#include "ast.h"

namespace qemud::xdr {

// WireSize is the range of encoded sizes of a type, in bytes. max saturates
// at UINT64_MAX for unbounded types (string<>, recursive optionals).
struct WireSize {
    std::uint64_t min = 0;
    std::uint64_t max = 0;
    bool fixed() const { return min == max; }
};

// element_wire_size is the encoded size of one element of a primitive type:
// 4 for every 32-bit type, char and unsigned char included (rpcgen encodes
// each as an int), 8 for hyper and double, 1 for opaque/string bytes.
std::uint64_t element_wire_size(PrimitiveType type);

// wire_size of a declaration (arrays, optionals and void included) or of a
// named type. An unknown name yields {0, 0}; parse_specification has
// already rejected such files.
WireSize wire_size(const Specification& spec, const Declaration& declaration);
WireSize wire_size(const Specification& spec, const TypeRef& type);

// resolve_typedefs follows typedef chains that are plain aliases (no array)
// to the type they name.
TypeRef resolve_typedefs(const Specification& spec, TypeRef type);

}  // namespace qemud::xdr
