// SPDX-License-Identifier: Apache-2.0
// client_cases.h: the table of client cases. A case is a list of calls
// (client arms, realistic sample values) and how the runner's server
// answers them; client_check.cpp plays it.
#pragma once

#include <string>
#include <vector>

#include "protocol_info/protocol_info.h"

namespace qemud::clients {

enum class Answer {
    in_order,         // one write per reply, in call order
    reversed,         // one write per reply, last call first
    one_byte,         // each reply written one byte at a time
    two_in_one,       // every reply in one write
    async_first,      // a notification (inReplyTo naming no call) before the replies
    async_between,    // a notification between the first and second reply
    failure,          // FAILURE (code and message) instead of the reply
    // Hostile: the client must fail the call cleanly (non-zero exit, no
    // value for it, no crash, within its own timeout).
    bad_constant,     // the reply's magic / program word corrupted
    length_too_large, // a header claiming more than the largest server payload
    truncated,        // half the reply, then the connection closes
    wrong_type,       // a well-formed reply of another type, inReplyTo the call's
    hang,             // nothing, the connection kept open
};

bool hostile(Answer answer);

struct ClientCase {
    std::string name;
    std::vector<const ArmInfo*> arms;
    Answer answer = Answer::in_order;
};

const std::vector<ClientCase>& client_cases();

}  // namespace qemud::clients
