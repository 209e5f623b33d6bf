// SPDX-License-Identifier: Apache-2.0
// peer_check.h: the conversation engine that tests a running server
// (docs/PEERS.md "A conforming server"). Each named case is a short
// conversation on fresh connections; the result says passed, failed or
// skipped, and on failure which step, which field or byte, and how to
// repeat it.
//
// Nothing here throws to the caller and nothing waits past a step's
// timeout: every connect, read and write has a deadline.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framing/framing_id.h"

namespace qemud::peers {

// PeerOptions: where the server under test listens and how to talk to it.
struct PeerOptions {
    std::string address;                 // unix:PATH or tcp:HOST:PORT
    Framing framing = Framing::seed;
    int timeout_ms = 2000;               // per step: one connect, one write, one reply
    std::uint64_t seed = 1;              // chooses serials; the same seed, the same bytes
    std::string golden_dir;              // empty: the golden/ of this tree (hostile cases)
    // repro_command names the tool in repro lines ("qemud-peer-check").
    std::string repro_command = "qemud-peer-check";
};

// TranscriptEntry: one thing that happened on a connection.
struct TranscriptEntry {
    enum class Direction { sent, received, event } direction = Direction::event;
    int connection = 0;       // 0 for the case's first connection, 1, ... for more
    double at_seconds = 0;    // since the case began
    std::string hex;          // the bytes (sent, received)
    nlohmann::json decoded;   // the message's value, where it decodes; null otherwise
    std::string note;         // "closed by the server", "shutdown write", a decode error
};

struct PeerResult {
    enum class Status { passed, failed, skipped };
    std::string name;
    Status status = Status::passed;
    std::string reason;  // failed, skipped: one line, with field path or byte offset when there is one
    std::string step;    // the conversation step that failed: "call 3 of 16: reply"
    std::string repro;   // one command line that runs this case alone
    double seconds = 0;
    std::vector<TranscriptEntry> transcript;
};

std::string_view to_string(PeerResult::Status status);

// list_server_cases names every case, in run order. The hostile cases come
// from the golden vectors of options.framing; if they cannot be read the
// list still holds the other cases and one `hostile/unavailable` case that
// fails naming the file.
std::vector<std::string> list_server_cases(const PeerOptions& options);

// run_server_case runs one case. An unknown name is a failed result saying
// so. It never throws.
PeerResult run_server_case(const std::string& name, const PeerOptions& options);

// probe_server opens one connection (one step timeout) and closes it:
// nullopt when it connects, else why not. A driver uses it to tell "cannot
// connect at all" (exit 2) from failed cases; a server that connects but
// answers wrongly is the cases' business.
std::optional<std::string> probe_server(const PeerOptions& options);

// shell_quote wraps text in single quotes for /bin/sh (repro lines).
std::string shell_quote(const std::string& text);

// transcript_json is a result as JSON: name, status, step, reason, repro
// and the transcript (the --transcript files).
nlohmann::json transcript_json(const PeerResult& result);

}  // namespace qemud::peers
