// SPDX-License-Identifier: Apache-2.0
// client_check.h: the conversation engine that tests a client: the runner
// listens, starts the client command once per case, plays the server and
// checks what it sees on the wire and what the client reports
// (docs/PEERS.md, "Testing your own client").
//
// Each case gives the client some calls (JSON lines on its standard
// input), reads them off the connection (strict framing and decoding,
// serials unique, each the call the case asked for, in order), answers
// them the way the case says (in order, reversed, split into one-byte
// writes, two in one write, after an asynchronous notification, with
// FAILURE, or with something hostile), and compares the client's output
// lines and exit status with what it sent. Results, repro lines and
// transcripts have the shape of the server cases' (peer_check.h).
#pragma once

#include <string>
#include <vector>

#include "framing/framing_id.h"
#include "peer_check.h"

namespace qemud::clients {

struct ClientOptions {
    std::string client_command;     // run by /bin/sh -c, once per case
    int listen_fd = -1;             // the runner's listening socket (accepting)
    std::string address;            // what it listens on, given to the client as QEMUD_ADDR
    Framing framing = Framing::seed;
    int timeout_ms = 2000;          // per step of the runner's side
    int client_timeout_ms = 5000;   // QEMUD_TIMEOUT_MS: the client's own limit
    std::uint64_t seed = 1;
    std::string repro_command = "qemud-conform";  // + " --listen ADDR --client-cmd CMD --only NAME"
};

std::vector<std::string> list_client_cases();

// run_client_case never throws; an unknown name is a failed result.
peers::PeerResult run_client_case(const std::string& name, const ClientOptions& options);

}  // namespace qemud::clients
