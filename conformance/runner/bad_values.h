// SPDX-License-Identifier: Apache-2.0
// bad_values.h: spoils a valid value in one seeded way that an encoder must
// refuse (policy row unencodable_value): a member missing or unknown, an
// integer out of range or not an integer, a uint64 not a canonical decimal
// string, hex of the wrong length or not hex, a type naming no arm. The
// random cases spoil a share of their values with it, so a random run asks
// encoders to refuse as well as to encode.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "codecs/codec.h"

namespace qemud::conform {

struct Spoiled {
    Json value;
    std::string rule;  // the golden vectors' flag for the rule: missing_member, hex_too_short, ...
    std::string path;  // the member that is wrong, as a value-model path
};

// spoil_payload breaks one thing in a payload value of `arm` (both
// directions' payload and message kinds carry the same value); spoil_header
// in a header value (any framing: its members are two uint32). `draw` is
// any seeded 64-bit number: the same draw gives the same spoiling.
Spoiled spoil_payload(const Json& value, const ArmInfo& arm, std::uint64_t draw);
Spoiled spoil_header(const Json& value, std::uint64_t draw);

}  // namespace qemud::conform
