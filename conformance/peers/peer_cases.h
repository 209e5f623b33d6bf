// SPDX-License-Identifier: Apache-2.0
// peer_cases.h: the table of server cases. Each case is a function of a
// Session that returns when the conversation kept every rule and throws
// CaseFailure (or CaseSkipped) at the first step that did not.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "conversation.h"

namespace qemud::peers {

struct PeerCase {
    std::string name;
    std::function<void(Session&)> run;
};

// conversation_cases: call/<ARM> per client arm, pipeline/depth-N,
// serial/edges, stream/*, concurrency/K (peer_cases_basic.cpp).
std::vector<PeerCase> conversation_cases();

// hostile_cases: hostile/<flag>/<tcId> per invalid or acceptable
// client_message vector of the golden file of options.framing
// (peer_cases_hostile.cpp). An unreadable file gives one case,
// hostile/unavailable, that fails naming it.
std::vector<PeerCase> hostile_cases(const PeerOptions& options);

// Call is one call of a conversation: its arm, serial and framed bytes.
struct Call {
    const ArmInfo* arm = nullptr;
    std::uint32_t serial = 0;
    Bytes wire;
};

// make_call frames the realistic sample of `arm` with `serial`.
Call make_call(const Connection& connection, const ArmInfo& arm, std::uint32_t serial);

// collect_replies reads one reply per call in `calls` (all already sent on
// `connection`), in any order, and fails the case on a reply that names no
// outstanding call, a duplicate, a wrong type, or a missing reply. `label`
// prefixes the steps ("call 3 of 16").
void collect_replies(Session& session, Connection& connection, const std::vector<Call>& calls,
                     const std::string& label = "call");

// liveness_probe asks GET_VERSION on a new connection and fails the case
// with "server stopped answering after <what>" unless it is answered.
void liveness_probe(Session& session, const std::string& after);

}  // namespace qemud::peers
