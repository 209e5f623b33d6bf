// SPDX-License-Identifier: Apache-2.0
// reply_checks.h: the rules a single reply must keep (docs/PEERS.md,
// "A conforming server", 2 and 7). Each check returns nullopt or one line
// naming the field path and its byte offset in the reply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "conversation.h"

namespace qemud::peers {

// check_answer: reply answers the call of `call_arm` with `serial`:
// inReplyTo is the serial, data.type the server type of the same name or
// QEMUD_SERVER_PKT_FAILURE, and a FAILURE is well-formed.
std::optional<std::string> check_answer(const Reply& reply, std::uint32_t serial, const ArmInfo& call_arm,
                                        const FramingProfile& profile);

// check_failure: a FAILURE's message is NUL-padded (a NUL, then only NULs).
std::optional<std::string> check_failure(const Reply& reply, const FramingProfile& profile);

bool is_failure(const Reply& reply);

// Byte offsets, in a framed server message, of the fields the checks name.
std::size_t in_reply_to_offset(const FramingProfile& profile);
std::size_t type_offset(const FramingProfile& profile);

}  // namespace qemud::peers
