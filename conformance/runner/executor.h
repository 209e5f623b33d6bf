// SPDX-License-Identifier: Apache-2.0
// executor.h: runs one case against an endpoint and says how it went
// (docs/SHIM-CONTRACT.md "What the runner checks").
#pragma once

#include <optional>
#include <string>

#include "cases.h"
#include "endpoint.h"

namespace qemud::conform {

enum class Status { passed, failed, skipped, accepted, rejected };
std::string_view to_string(Status status);

struct CaseResult {
    Status status = Status::passed;
    std::string reason;  // failure (step: where: what), skip reason, or the acceptable outcome
    // What the implementation answered when that is the failure (a wrong
    // or unexpected wire or value), for the reports' failing-case detail.
    std::optional<std::string> actual_wire = std::nullopt;
    std::optional<Json> actual_value = std::nullopt;
};

// run_case sends the case's requests. A case of a kind the endpoint did not
// list in hello is skipped without a request; an "unsupported" answer skips
// it unless another step failed.
CaseResult run_case(Endpoint& endpoint, const Case& c);

}  // namespace qemud::conform
