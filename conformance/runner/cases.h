// SPDX-License-Identifier: Apache-2.0
// cases.h: one conformance case, as the golden loader and the random
// generator produce it and the executor runs it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "codecs/codec.h"

namespace qemud::conform {

enum class Expectation {
    valid,       // decode(wire) == value; encode(value) == canonical_wire or wire
    invalid,     // decode(wire) fails (when there is a wire); encode(value), when a value is given, is refused
    acceptable,  // decode may fail; if it succeeds it must give value
};

// FieldSpan says which field of the expected wire covers some bytes (the
// vectors' "layout").
struct FieldSpan {
    std::size_t offset = 0;
    std::size_t length = 0;
    std::string path;
};

struct Case {
    std::string name;          // golden/client/tc12, random/server_message/QEMUD_SERVER_PKT_.../7
    Kind kind = Kind::client;
    std::string message_type;  // the arm, "header" (header kind), or a themed group's name for a vector of no one arm
    Expectation expect = Expectation::valid;
    std::vector<std::string> flags;
    std::string comment;
    std::string wire;                          // lowercase hex
    bool has_wire = true;                      // false: a value to refuse (invalid, value only)
    std::string error_path;                    // a value to refuse: the member that is wrong
    std::optional<Json> value;
    std::optional<std::string> canonical_wire; // decode-only vectors
    std::vector<FieldSpan> layout;
    Framing framing = Framing::seed;           // the header's, for the framed kinds (header, *_message)
    bool conversation = false;                 // a --connect case: message_type is its family, expect unused
};

std::string_view to_string(Expectation expect);

}  // namespace qemud::conform
