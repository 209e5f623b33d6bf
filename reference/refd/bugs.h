// SPDX-License-Identifier: Apache-2.0
// bugs.h: the deliberate bugs of qemud-refd (`--bug NAME`), one table in
// bugs.cpp. Each one breaks one conversation rule on purpose so that the
// harness's own tests can prove they notice; none is ever on by default.
#pragma once

#include <bitset>
#include <optional>
#include <span>
#include <string_view>

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

// BugInfo is one row of the table: the flag, its `--bug` name and what it
// breaks (one line, for `--bug help` and docs/PEERS.md).
struct BugInfo {
    Bug bug;
    std::string_view name;
    std::string_view description;
};

// bug_table lists every bug, in the order `--bug help` prints them.
std::span<const BugInfo> bug_table();
std::string_view to_string(Bug bug);
// bug_from_string: nullopt for a name not in the table.
std::optional<Bug> bug_from_string(std::string_view name);

// BugSet is the bugs switched on; empty (a conforming daemon) by default.
class BugSet {
public:
    BugSet() = default;
    BugSet& add(Bug bug) {
        bits_.set(static_cast<std::size_t>(bug));
        return *this;
    }
    bool has(Bug bug) const { return bits_.test(static_cast<std::size_t>(bug)); }
    bool none() const { return bits_.none(); }

private:
    std::bitset<bug_count> bits_;
};

}  // namespace qemud::refd
