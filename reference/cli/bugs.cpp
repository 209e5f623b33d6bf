// SPDX-License-Identifier: Apache-2.0
#include "cli/bugs.h"

#include <array>

namespace qemud::cli {

namespace {

// The one table of deliberate bugs. The names are stable: tests, scripts
// and the README use them.
constexpr std::array<BugInfo, bug_count> table{{
    {Bug::match_by_order, "match-by-order",
     "replies are matched to calls in arrival order; inReplyTo is ignored"},
    {Bug::async_confusion, "async-confusion",
     "a server message whose inReplyTo names no outstanding call is taken as the oldest call's reply"},
    {Bug::short_read, "short-read",
     "under the seed framing each frame's payload is read 8 bytes short (length miscounted as covering the header)"},
    {Bug::serial_reuse, "serial-reuse", "every call carries serial 1: serials are no longer unique"},
    {Bug::abort_on_failure, "abort-on-failure", "a FAILURE reply calls abort(): the client dies"},
    {Bug::accept_wrong_type, "accept-wrong-type",
     "a reply of a type other than the call's or FAILURE is delivered as the call's value"},
}};

static_assert(peer_bugs::in_enum_order(table), "bug table rows must follow enum Bug's order");

}  // namespace

std::span<const BugInfo> bug_table() { return table; }

std::string_view to_string(Bug bug) { return table[static_cast<std::size_t>(bug)].name; }

std::optional<Bug> bug_from_string(std::string_view name) { return peer_bugs::bug_named(table, name); }

}  // namespace qemud::cli
