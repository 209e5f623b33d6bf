// SPDX-License-Identifier: Apache-2.0
// peer_run.h: what --connect (a server under test) and --listen (a client
// under test) share once their cases are named: run each case, report it
// like every other run (summary, --junit, --json, --transcript), stop on a
// signal, and choose the exit status.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "executor.h"
#include "options.h"
#include "peer_check.h"
#include "report.h"

namespace qemud::conform {

struct PeerRun {
    std::string implementation;       // the summary's name: "server at unix:/tmp/s"
    std::vector<std::string> names;   // the cases, selected, in run order
    std::optional<std::string> vectors_sha256;  // of the golden vectors the cases read, if any
    std::function<peers::PeerResult(const std::string& name)> run_case;
    // after_case may change a finished case's result (a server that died
    // during it) and add notes; returning an error ends the run (exit 2).
    std::function<std::optional<std::string>(const std::string& name, CaseResult& result, peers::PeerResult& peer,
                                             RunReport& report)>
        after_case;
};

// checked_outputs checks the --junit / --json paths and makes the
// --transcript folder: an error line (exit 2) or nullopt.
std::optional<std::string> checked_outputs(const Options& options);

// family is what a peer run's summary groups by: the case name's first
// segment (call, pipeline, hostile, ...).
std::string family(const std::string& name);

int report_peer_run(const Options& options, PeerRun& run);

int cannot_run(const std::string& why);

}  // namespace qemud::conform
