// SPDX-License-Identifier: Apache-2.0
// connect_run.h: qemud-conform against a running server
// (`--connect ADDR`, docs/PEERS.md): the conversation cases of
// qemud::peer_check, optionally the --stateful sequences, reported like
// every other run (summary, --junit, --json, exit 0/1/2), with
// --transcript files for the failing conversations and --server-cmd to
// start, watch and restart the server.
#pragma once

#include "options.h"

namespace qemud::conform {

int run_connect(const Options& options);

}  // namespace qemud::conform
