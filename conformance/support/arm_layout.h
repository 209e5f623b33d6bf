// SPDX-License-Identifier: Apache-2.0
// arm_layout.h: where each field of an arm's struct sits in the payload,
// computed from the AST (tests use it to alter exactly one element).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "protocol_info/protocol_info.h"
#include "xdrc/ast.h"

namespace qemud::testing {

struct FieldLayout {
    std::string name;
    xdr::Declaration declaration;
    std::size_t offset = 0;  // in the payload
    std::size_t size = 0;    // bytes on the wire
};

// arm_fields lists the fields of the arm's struct (none for a void arm)
// with their payload offsets.
std::vector<FieldLayout> arm_fields(const ArmInfo& arm);

// is_byte_array: a fixed array of char (`want_signed`) or unsigned char.
bool is_byte_array(const xdr::Declaration& d, bool want_signed);

}  // namespace qemud::testing
