// SPDX-License-Identifier: Apache-2.0
// bugs.h: the deliberate bugs of qemud-cli (`--bug NAME`), one table in
// bugs.cpp. Each one breaks one rule of a conforming client on purpose, so
// that a conformance runner driving the client can prove it notices; none
// is ever on by default.
#pragma once

#include <bitset>
#include <optional>
#include <span>
#include <string_view>

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

// BugInfo is one row of the table: the flag, its `--bug` name and what it
// breaks (one line, for `--bug help` and the README).
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

// BugSet is the bugs switched on; empty (a conforming client) by default.
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

}  // namespace qemud::cli
