// SPDX-License-Identifier: Apache-2.0
#include "known_constants.h"

#include <array>
#include <utility>

namespace qemud::xdr {

std::optional<std::int64_t> known_c_constant(std::string_view name) {
    // Values of glibc's <limits.h> on Linux, the platform rpcgen's output is
    // compiled on here.
    static constexpr std::array<std::pair<std::string_view, std::int64_t>, 4> table{{
        {"PATH_MAX", 4096},
        {"NAME_MAX", 255},
        {"HOST_NAME_MAX", 64},
        {"LINE_MAX", 2048},
    }};
    for (const auto& [known, value] : table)
        if (known == name) return value;
    return std::nullopt;
}

}  // namespace qemud::xdr
