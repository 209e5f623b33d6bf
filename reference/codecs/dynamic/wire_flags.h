// SPDX-License-Identifier: Apache-2.0
// wire_flags.h: error flags for wire faults that the qemud protocol cannot
// contain, because protocol.x uses no bool, optional, variable-length or
// padded type, so policy.h (docs/POLICY.md) has no row for them.
// The dynamic codec still walks any .x file, and a strict decoder rejects
// these so that encode(decode(b)) == b keeps holding. Every fault the
// protocol *can* contain is reported with a policy::Flag name instead.
#pragma once

#include <string_view>

namespace qemud::dynamic::wire_flag {

inline constexpr std::string_view non_zero_padding = "non_zero_padding";      // opaque/string padding byte != 0
inline constexpr std::string_view bad_bool = "bad_bool";                      // bool or optional flag not 0 / 1
inline constexpr std::string_view unknown_enum_value = "unknown_enum_value";  // enum field value with no name
inline constexpr std::string_view count_too_large = "count_too_large";        // variable count above its maximum
inline constexpr std::string_view invalid_utf8 = "invalid_utf8";              // string<N> bytes that are not UTF-8
inline constexpr std::string_view too_deep = "too_deep";                      // nesting beyond the walker's limit
inline constexpr std::string_view unresolved_type = "unresolved_type";        // a typedef cycle with no type

}  // namespace qemud::dynamic::wire_flag
