// SPDX-License-Identifier: Apache-2.0
// compare.h: where an implementation's answer first differs from the
// expected one: a field path for values (walked in wire order from
// protocol.x, so hex fields compare case-insensitively and nothing else
// does), a byte offset (and the field there) for wires.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cases.h"

namespace qemud::conform {

struct Difference {
    std::string where;  // field path ("data.domainCreateReply.name[17]") or "byte 0x58 (data.x.name[17])"
    std::string what;   // "expected \"41\", got \"42\""
    std::string to_string() const { return where.empty() ? what : where + ": " + what; }
};

// compare_value checks actual against expected for a value of the kind's
// root type (the header struct, or the direction's payload struct).
std::optional<Difference> compare_value(Kind kind, const Json& expected, const Json& actual,
                                        Framing framing = Framing::seed);

// compare_wire checks two lowercase hex wires; layout names the field at the
// first differing byte.
std::optional<Difference> compare_wire(const std::string& expected_hex, const std::string& actual_hex,
                                       const std::vector<FieldSpan>& layout);

}  // namespace qemud::conform
