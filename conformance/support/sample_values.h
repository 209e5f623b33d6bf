// SPDX-License-Identifier: Apache-2.0
// sample_values.h: deterministic values of every arm, built from the AST of
// protocol.x, for tests, the golden generator and seed corpora.
#pragma once

#include <string_view>
#include <vector>

#include "codecs/codec.h"

namespace qemud::samples {

// Plan says how fields are filled.
enum class Plan {
    zeros,      // every number 0, every byte 0x00
    realistic,  // real-looking domain XML, names, UUIDs, versions, errors
    boundary,   // int32 min/max, uint32 max, uint64 max, byte arrays full with no NUL, bytes 0x80-0xFF
};
inline constexpr Plan all_plans[] = {Plan::zeros, Plan::realistic, Plan::boundary};
std::string_view to_string(Plan plan);

// payload_value is the JSON value of a whole payload (serial, inReplyTo for
// a server, and the union on the given arm) under a plan.
Json payload_value(const ArmInfo& arm, Plan plan);

// value_of_type fills any named type of protocol.x under a plan.
Json value_of_type(std::string_view type_name, Plan plan);

}  // namespace qemud::samples
