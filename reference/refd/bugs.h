// SPDX-License-Identifier: Apache-2.0
// bugs.h: the deliberate bugs of qemud-refd (`--bug NAME`), one table in
// bugs.cpp. Each one breaks one conversation rule on purpose so that the
// harness's own tests can prove they notice; none is ever on by default.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "peer_bugs/bug_table.h"

namespace qemud::refd {

enum class Bug {
    inreplyto_off_by_one,
    pipeline_swap,
    client_enum_type,
    serial_repeats,
    abort_on_large_length,
    hang_on_byte_writer,
    ignore_trailing_bytes,
    desync_after_bad_magic,
    lookup_after_undefine,
    stale_count_after_destroy,
};
inline constexpr std::size_t bug_count = 10;

using BugInfo = peer_bugs::BugInfo<Bug>;

// bug_table lists every bug, in the order `--bug help` prints them.
std::span<const BugInfo> bug_table();
std::string_view to_string(Bug bug);
// bug_from_string: nullopt for a name not in the table.
std::optional<Bug> bug_from_string(std::string_view name);

// BugSet is the bugs switched on; empty by default.
using BugSet = peer_bugs::BugSet<Bug, bug_count>;

}  // namespace qemud::refd
