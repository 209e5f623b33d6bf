// SPDX-License-Identifier: Apache-2.0
// dispatch_check.h: what server_dispatch_fuzzer checks. The input is the
// stream input format (stream/stream_input.h: parts of a 2-byte big-endian
// length and bytes); the stream is a client's side of one conversation and
// each part is one read the daemon gets. It is fed, part by part, to a
// fresh qemud::refd::Connection over a fresh HypervisorModel (no bugs), in
// process.
#pragma once

#include "codecs/codec.h"

namespace qemud::fuzz {

// check_dispatch runs one conversation and aborts through report_finding
// (title "refd dispatch <what>") unless:
//  * every reply decodes strictly (server message, cxx codec, the framing
//    the connection speaks), and the replies of each read are exactly one
//    per call that read completed, in call order, each with inReplyTo = the
//    call's serial and the call's type + 1 or FAILURE; FAILURE
//    malformed_message exactly when the strict decoder (the one the daemon
//    uses) refuses the call's payload;
//  * the only other reply is the one FAILURE (inReplyTo 0) to a header the
//    framing profile refuses, after which the connection closes and stays
//    closed; it closes for nothing else;
//  * the daemon's serials count up by one from 1;
//  * (GCC replay build only) no allocation during a read is larger than one
//    largest client message, one largest server message, or what the
//    replies written need.
// The framing: an input of an even number of parts runs the connection with
// detection (ConnectionOptions::framing = nullopt, `--framing auto`); an
// odd number, fixed to the profile the stream's first header tells (seed
// when it tells none), so both modes see every stream the mutator makes.
void check_dispatch(ByteView input);

}  // namespace qemud::fuzz
