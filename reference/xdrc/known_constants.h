// SPDX-License-Identifier: Apache-2.0
// known_constants.h: C constants a .x file may use without declaring them.
//
// rpcgen copies an undeclared identifier in an array size straight into its
// C output, where a system header defines it (PATH_MAX from <limits.h>).
// xdrc must know the number to compute wire sizes, so it keeps this table of
// the Linux values. A name missing here is an error, never a guess.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace qemud::xdr {

std::optional<std::int64_t> known_c_constant(std::string_view name);

}  // namespace qemud::xdr
