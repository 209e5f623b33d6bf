// SPDX-License-Identifier: Apache-2.0
// failure.h: the codes qemud-refd puts in a FAILURE reply
// (failureReply.code), one enum, listed in docs/PEERS.md. The protocol
// leaves the codes to the server; a client reports them, never interprets
// them, so these are the daemon's own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace qemud::refd {

enum class FailureCode : std::uint32_t {
    malformed_message = 1,  // the message could not be decoded (framing or payload)
    no_such_domain = 2,     // no domain with that id, uuid or name
    no_such_network = 3,    // no network with that uuid or name
    invalid_xml = 4,        // the XML has no usable <name>
    duplicate_name = 5,     // a domain or network of that name exists
    invalid_state = 6,      // not possible in the current state (start a running domain, ...)
    no_such_image = 7,      // DOMAIN_RESTORE of a path nothing was saved under
    invalid_argument = 8,   // an argument the operation cannot use (empty path, ...)
    limit_reached = 9,      // the daemon holds as many domains or networks as a list reply can carry
};

std::string_view to_string(FailureCode code);

// Failure is a refused request: the code and a one-line message (at most
// QEMUD_MAX_ERROR_LEN - 1 bytes are sent, NUL-padded).
struct Failure {
    FailureCode code;
    std::string message;
};

}  // namespace qemud::refd
