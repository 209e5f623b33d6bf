// SPDX-License-Identifier: Apache-2.0
// bugs.h: the deliberate bugs of qemud-cli (`--bug NAME`), one table in
// bugs.cpp. Each one breaks one rule of a conforming client on purpose, so
// that a conformance runner driving the client can prove it notices; none
// is ever on by default.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "peer_bugs/bug_table.h"

namespace qemud::cli {

enum class Bug {
    match_by_order,
    async_confusion,
    short_read,
    serial_reuse,
    abort_on_failure,
    accept_wrong_type,
};
inline constexpr std::size_t bug_count = 6;

using BugInfo = peer_bugs::BugInfo<Bug>;

// bug_table lists every bug, in the order `--bug help` prints them.
std::span<const BugInfo> bug_table();
std::string_view to_string(Bug bug);
// bug_from_string: nullopt for a name not in the table.
std::optional<Bug> bug_from_string(std::string_view name);

// BugSet is the bugs switched on; empty by default.
using BugSet = peer_bugs::BugSet<Bug, bug_count>;

}  // namespace qemud::cli
