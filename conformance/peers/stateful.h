// SPDX-License-Identifier: Apache-2.0
// stateful.h: `qemud-conform --connect ADDR --stateful N`: N command
// sequences that RapidCheck generates (rc::state) over domains and networks
// (define, create, start, suspend, resume, destroy, undefine, lookups,
// lists and counts, autostart), run against the server and against a model
// of what a server with the documented semantics must answer
// (docs/PEERS.md, "--stateful"). Every reply is compared with the model; a
// failing sequence is shrunk, and the result names the shrunk sequence, the
// command and field that differed, and carries the transcript of the
// shrunk sequence's conversation.
//
// It changes the server's state: it defines, starts and removes objects
// (named rc<tag>-<run>-d<slot> / -n<slot>, removed again after each
// sequence as far as the server lets it). Run it against a server in a test
// mode, never against one that manages real guests.
#pragma once

#include <cstddef>
#include <cstdint>

#include "peer_check.h"

namespace qemud::peers {

struct StatefulOptions {
    std::size_t sequences = 100;  // successful sequences before it passes
    std::uint64_t seed = 1;       // RapidCheck's seed: the same seed, the same sequences
};

// run_stateful runs the sequences as one case (its name is the caller's);
// repro is a command line that repeats the run (same seed, same count).
PeerResult run_stateful(const PeerOptions& options, const StatefulOptions& stateful);

}  // namespace qemud::peers
