// SPDX-License-Identifier: Apache-2.0
// calls.h: what qemud-cli sends. A call is the client union's value in the
// JSON value model ({"type":"QEMUD_CLIENT_PKT_...", "<armMember>": {...}}),
// made from a command line (`lookup-id 3`) through the one command table,
// or read from a JSON line (the stdin contract). Every call is checked by
// encoding it with the strict cxx codec, so a call that is accepted here
// can always be sent.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/bugs.h"
#include "codecs/codec.h"
#include "framing/framing_id.h"

namespace qemud::cli {

// Command is one row of the command table: the name users type, the
// client message type it sends, and the arguments it takes (for usage).
struct Command {
    std::string_view name;
    std::string_view type;  // QEMUD_CLIENT_PKT_...
    std::string_view args;  // "UUID 0|1"; empty for none
    // from_file: the arm's char array (the XML) is read from the file the
    // argument names, not taken as text.
    bool from_file = false;
};

std::span<const Command> command_table();

// Call is one call to send: the client union's value and its discriminant.
struct Call {
    Json data;
    std::int32_t type = 0;
};

// call_from_words builds a call from a command and its arguments
// ({"lookup-id", "3"}). nullopt and `error` (one line naming the command
// and the argument) when the command is unknown, an argument is missing,
// extra or does not parse, or a file cannot be read.
std::optional<Call> call_from_words(std::span<const std::string> words, std::string& error);

// split_words splits one --pipeline argument at whitespace.
std::vector<std::string> split_words(std::string_view line);

// call_from_json checks one value of the client union (a stdin line,
// parsed); nullopt and `error` naming the field path when it does not fit.
std::optional<Call> call_from_json(const Json& data, std::string& error);

// Serials numbers the calls of one connection: 1, 2, 3, ... (serial-reuse:
// always 1).
class Serials {
public:
    explicit Serials(BugSet bugs = {}) : reuse_(bugs.has(Bug::serial_reuse)) {}
    std::uint32_t next() { return reuse_ ? 1 : next_++; }

private:
    bool reuse_;
    std::uint32_t next_ = 1;
};

// frame_call is the framed client message of `call` with `serial`. It
// cannot fail for a Call made above; an empty result says it did.
Bytes frame_call(const Call& call, std::uint32_t serial, Framing framing);

}  // namespace qemud::cli
