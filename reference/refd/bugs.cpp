// SPDX-License-Identifier: Apache-2.0
#include "refd/bugs.h"

#include <array>

namespace qemud::refd {

namespace {

// The one table of deliberate bugs. The names are stable: tests, scripts
// and docs/PEERS.md use them.
constexpr std::array<BugInfo, bug_count> table{{
    {Bug::inreplyto_off_by_one, "inreplyto-off-by-one", "every reply's inReplyTo is the call's serial plus one"},
    {Bug::pipeline_swap, "pipeline-swap",
     "calls that arrive in one read are answered with each other's bodies: inReplyTo in arrival order, bodies reversed"},
    {Bug::client_enum_type, "client-enum-type",
     "a successful reply's type word is the call's client value (the +1 for FAILURE is missing)"},
    {Bug::serial_repeats, "serial-repeats", "every server message carries serial 1: serials no longer increase"},
    {Bug::abort_on_large_length, "abort-on-large-length",
     "a length word above the direction's largest message calls abort(): the daemon dies"},
    {Bug::hang_on_byte_writer, "hang-on-byte-writer",
     "after a whole header arrives one byte per read, the connection is never answered again (kept open)"},
    {Bug::ignore_trailing_bytes, "ignore-trailing-bytes",
     "a payload longer than its arm is answered as if the extra bytes were not there, instead of FAILURE"},
    {Bug::desync_after_bad_magic, "desync-after-bad-magic",
     "a bad constant word gets FAILURE but no close; the next header is read from the bad header's payload"},
    {Bug::lookup_after_undefine, "lookup-after-undefine",
     "DOMAIN_LOOKUP_BY_UUID / _BY_NAME still find a domain after DOMAIN_UNDEFINE"},
    {Bug::stale_count_after_destroy, "stale-count-after-destroy",
     "NUM_DOMAINS and LIST_DOMAINS still count a domain after DOMAIN_DESTROY"},
}};

static_assert(peer_bugs::in_enum_order(table), "bug table rows must follow enum Bug's order");

}  // namespace

std::span<const BugInfo> bug_table() { return table; }

std::string_view to_string(Bug bug) { return table[static_cast<std::size_t>(bug)].name; }

std::optional<Bug> bug_from_string(std::string_view name) { return peer_bugs::bug_named(table, name); }

}  // namespace qemud::refd
