// SPDX-License-Identifier: Apache-2.0
// output.h: qemud-cli's lines. stdout carries one JSON line per call that
// got a reply (its value or its FAILURE), which is what a conformance
// runner reads; stderr carries one line per call that got no usable reply
// and per message ignored, for people.
#pragma once

#include <optional>
#include <string>

#include "cli/reply_matcher.h"

namespace qemud::cli {

// result_line: {"serial":N,"type":"QEMUD_SERVER_PKT_...","value":<data>}
// for a value, {"serial":N,"failure":{"code":C,"message":"<hex>"}} for a
// FAILURE; nullopt for an error (nothing on stdout).
std::optional<std::string> result_line(const Settled& settled);

// diagnostic_line: "qemud-cli: call serial N (QEMUD_CLIENT_PKT_...): why"
// for an error; nullopt otherwise.
std::optional<std::string> diagnostic_line(const Settled& settled);

// ignored_line: "qemud-cli: ignored QEMUD_SERVER_PKT_... (inReplyTo N, at
// stream byte X): no outstanding call has that serial".
std::string ignored_line(const Ignored& ignored);

}  // namespace qemud::cli
