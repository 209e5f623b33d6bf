// SPDX-License-Identifier: Apache-2.0
// dispatch.h: one call in, one reply out. Maps every client message type of
// protocol.x onto the HypervisorModel and builds the server message with
// the generated model types (no JSON, no wire bytes).
#pragma once

#include <string_view>

#include "protocol_model.gen.h"
#include "refd/failure.h"
#include "refd/hypervisor_model.h"

namespace qemud::refd {

// dispatch answers `call`: the reply's inReplyTo is call.serial and its
// type is the call's client value + 1, or QEMUD_SERVER_PKT_FAILURE with a
// FailureCode (failure.h) when the model refuses the request, or
// malformed_message when call.data.arm does not hold the struct its type
// selects (or the type has no arm). Its serial is 0: the connection
// numbers what it sends. Never throws for any call.
model::qemud_packet_server dispatch(HypervisorModel& model, const model::qemud_packet_client& call);

// failure_data is a FAILURE body: the code and the message, cut to
// QEMUD_MAX_ERROR_LEN - 1 bytes and NUL-padded.
model::qemud_packet_server_data failure_data(FailureCode code, std::string_view message);

}  // namespace qemud::refd
