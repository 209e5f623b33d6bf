// SPDX-License-Identifier: Apache-2.0
#include "selection.h"

#include <fnmatch.h>

#include <nlohmann/json.hpp>

#include "io/json_input.h"

namespace qemud::conform {

bool glob_match(const std::string& glob, const std::string& name) {
    return ::fnmatch(glob.c_str(), name.c_str(), 0) == 0;
}

bool matches_any(const std::vector<std::string>& globs, const std::string& name) {
    for (const auto& g : globs)
        if (glob_match(g, name)) return true;
    return false;
}

std::variant<Disabled, std::string> load_disabled(const std::string& path) {
    // ordered_json keeps the file's order, so the first matching glob wins
    // the way the file reads.
    auto read = io::read_json<nlohmann::ordered_json>(path);
    if (auto* error = std::get_if<std::string>(&read)) return "--disabled: " + *error;
    const auto& doc = std::get<nlohmann::ordered_json>(read);
    if (!doc.is_object())
        return "--disabled: " + path + " must be a JSON object mapping a case-name glob to a reason";
    Disabled out;
    for (const auto& [glob, reason] : doc.items()) {
        if (!reason.is_string()) return "--disabled: " + path + ": the reason for \"" + glob + "\" is not a string";
        out.entries.emplace_back(glob, reason.get<std::string>());
        out.hits[glob] = 0;
    }
    return out;
}

std::optional<std::string> disabled_reason(Disabled& disabled, const std::string& name) {
    for (const auto& [glob, reason] : disabled.entries)
        if (glob_match(glob, name)) {
            ++disabled.hits[glob];
            return "disabled (" + glob + "): " + reason;
        }
    return std::nullopt;
}

std::vector<std::string> stale_globs(const Disabled& disabled) {
    std::vector<std::string> out;
    for (const auto& [glob, reason] : disabled.entries)
        if (disabled.hits.at(glob) == 0) out.push_back(glob);
    return out;
}

}  // namespace qemud::conform
