// SPDX-License-Identifier: Apache-2.0
// selection.h: which cases run: --only globs, and the --disabled file (a
// JSON object mapping a case-name glob to the reason it is skipped). Globs
// are fnmatch(3) patterns over the whole name; `*` crosses `/`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace qemud::conform {

struct Disabled {
    std::vector<std::pair<std::string, std::string>> entries;  // glob, reason (file order)
    std::map<std::string, std::size_t> hits;                   // glob -> cases matched
};

// load_disabled returns the entries, or a one-line error (the run exits 2).
std::variant<Disabled, std::string> load_disabled(const std::string& path);

// disabled_reason returns the reason of the first glob matching name, and
// counts the hit.
std::optional<std::string> disabled_reason(Disabled& disabled, const std::string& name);

// stale_globs lists the globs that matched no case.
std::vector<std::string> stale_globs(const Disabled& disabled);

bool glob_match(const std::string& glob, const std::string& name);
bool matches_any(const std::vector<std::string>& globs, const std::string& name);

}  // namespace qemud::conform
