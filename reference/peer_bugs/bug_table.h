// SPDX-License-Identifier: Apache-2.0
// bug_table.h: what the deliberate bugs of qemud-refd and qemud-cli
// (`--bug NAME`) have in common: a table of rows (the flag, its stable
// name, what it breaks), lookups by name, `--bug help`'s listing, and the
// set that is switched on. Each program keeps its own enum and table
// (refd/bugs.cpp, cli/bugs.cpp); this is the one implementation over them.
#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string_view>

namespace qemud::peer_bugs {

template <class Bug>
struct BugInfo {
    Bug bug;
    std::string_view name;
    std::string_view description;
};

// in_enum_order: row i holds enum value i, so a flag indexes its row
// (checked by a static_assert beside each table).
template <class Bug, std::size_t N>
constexpr bool in_enum_order(const std::array<BugInfo<Bug>, N>& table) {
    for (std::size_t i = 0; i < N; ++i)
        if (static_cast<std::size_t>(table[i].bug) != i) return false;
    return true;
}

template <class Bug, std::size_t N>
std::optional<Bug> bug_named(const std::array<BugInfo<Bug>, N>& table, std::string_view name) {
    for (const auto& row : table)
        if (row.name == name) return row.bug;
    return std::nullopt;
}

// print_bug_table is `--bug help`: one bug per line, the name, a tab, what
// it breaks.
template <class Rows>
void print_bug_table(const Rows& table) {
    for (const auto& row : table)
        std::printf("%.*s\t%.*s\n", static_cast<int>(row.name.size()), row.name.data(),
                    static_cast<int>(row.description.size()), row.description.data());
}

// BugSet is the bugs switched on; empty (a conforming peer) by default.
template <class Bug, std::size_t N>
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
    std::bitset<N> bits_;
};

}  // namespace qemud::peer_bugs
