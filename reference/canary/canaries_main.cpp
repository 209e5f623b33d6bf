// SPDX-License-Identifier: Apache-2.0
// qemud-canaries: prints the table of canaries (docs/DETECTION.md), as TSV
// (name, family hint, what it breaks) or, with --json, one JSON object per
// line, for the scripts that switch each one on in turn.
#include <cstdio>
#include <iostream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "canary/canary.h"

namespace {

constexpr std::string_view usage =
    "usage: qemud-canaries [--json]\n"
    "Lists the planted bugs of the canary build of the cxx implementation.\n"
    "Switch one on with QEMUD_CANARY=<name> in the environment of a canary\n"
    "variant (qemud-conform-canary, golden_test_canary, <test>_canary,\n"
    "<fuzzer>_canary); unset, those behave exactly like the product.\n"
    "  (no option)  TSV: name, family hint, what it breaks\n"
    "  --json       one JSON object per line: name, breaks, family_hint\n"
    "  --help       this text\n";

}  // namespace

int main(int argc, char** argv) {
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << usage;
            return 0;
        }
        if (arg == "--json") {
            json = true;
            continue;
        }
        std::cerr << "qemud-canaries: unknown argument '" << arg << "'\n" << usage;
        return 2;
    }
    for (const auto& c : qemud::canary::table()) {
        if (json)
            std::cout << nlohmann::json{{"name", c.name}, {"breaks", c.breaks}, {"family_hint", c.family_hint}}.dump()
                      << '\n';
        else
            std::cout << c.name << '\t' << c.family_hint << '\t' << c.breaks << '\n';
    }
    return 0;
}
