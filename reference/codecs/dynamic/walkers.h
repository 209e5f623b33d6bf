// SPDX-License-Identifier: Apache-2.0
// walkers.h: the two walks over a TypeGraph: JSON value -> wire bytes
// (json_to_wire.cpp) and wire bytes -> JSON value (wire_to_json.cpp).
#pragma once

#include "codecs/codec.h"
#include "type_graph.h"

namespace qemud::dynamic {

// nesting_limit bounds how deep a walk recurses (structs, unions, arrays,
// optionals), so a recursive type cannot exhaust the stack.
inline constexpr int nesting_limit = 256;

// encode_value writes value as type root. It is strict on the value (exact
// members, integer ranges, hex lengths, enum names, array sizes) and fails
// with flag "value" and the path of the first member that does not fit.
// It writes only canonical wire: char bytes sign-extended, unsigned char
// bytes zero-extended, hypers high word first, zero padding.
Outcome<Bytes> encode_value(const Node& root, const Json& value, std::size_t expected_size);

// decode_value reads wire as type root, strictly per docs/POLICY.md
// (policy.h): it fails on a non-canonical char / unsigned char word, an
// unknown discriminant, truncation and trailing bytes, with the field path,
// the byte offset in wire and the policy flag. It never reads past wire and
// checks every count against its maximum and the bytes left before it
// allocates.
// plan, if not null, is root's (decode_plan.h): tried first, and the walk
// above only if it cannot finish, so the outcome is the same either way.
struct DecodePlan;
Outcome<Json> decode_value(const Node& root, ByteView wire, const DecodePlan* plan = nullptr);
// decode_value_into is decode_value into out, which may hold anything. When
// the plan applies and out already holds a value of the same arm (the same
// members, nested objects and discriminant, as the previous call left it),
// only the leaves are overwritten in place: no object is copied or
// destroyed. Otherwise out gets a copy of the arm's object first, as
// decode_value does. On failure the outcome is decode_value's and out is
// unspecified (still a valid Json).
Outcome<void> decode_value_into(const Node& root, ByteView wire, const DecodePlan* plan, Json& out);

}  // namespace qemud::dynamic
