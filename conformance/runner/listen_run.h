// SPDX-License-Identifier: Apache-2.0
// listen_run.h: qemud-conform against a client under test
// (`--listen ADDR --client-cmd CMD`, docs/PEERS.md): the runner listens on
// ADDR, runs the client once per case of conformance/clients/, plays the
// server, and reports like every other run.
#pragma once

#include "options.h"

namespace qemud::conform {

int run_listen(const Options& options);

}  // namespace qemud::conform
