// SPDX-License-Identifier: Apache-2.0
// session.h: one conversation of qemud-cli on a connected socket: write
// every call (serials from Serials), then read until every call is settled,
// the server closes, the matcher ends the conversation, or the deadline
// passes. Writing and reading share one poll(2) loop, so a server that
// answers while calls are still being written never deadlocks the client,
// and nothing blocks past the deadline.
#pragma once

#include <functional>
#include <vector>

#include "cli/calls.h"
#include "cli/connect.h"
#include "cli/reply_matcher.h"

namespace qemud::cli {

struct SessionOptions {
    Framing framing = Framing::seed;
    BugSet bugs;
    Clock::time_point deadline;
    int timeout_ms = 5000;  // for the diagnostic of calls the deadline cut off
};

struct SessionEvents {
    std::function<void(const Settled&)> settled;  // as each call is settled
    std::function<void(const Ignored&)> ignored;  // each message that settled nothing
};

// run_session sends `calls` on `fd` (which it does not close) and reports
// every call's outcome exactly once through `events`. It returns the number
// of calls that got a value (not FAILURE, not an error).
std::size_t run_session(int fd, const std::vector<Call>& calls, const SessionOptions& options,
                        const SessionEvents& events);

}  // namespace qemud::cli
