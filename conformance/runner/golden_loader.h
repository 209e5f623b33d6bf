// golden_loader.h: reads golden/<kind>_test.json (the five kinds) into
// cases named golden/<kind>/tc<tcId>.
//
// A missing or malformed file is an error of the run, not of a case: the
// loader returns one line naming the file (and the tcId) and the runner
// exits 2.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "cases.h"

namespace qemud::conform {

struct GoldenSet {
    std::vector<Case> cases;
    std::vector<std::string> notes;  // e.g. a protocolSha256 that differs from the build's
};

// load_golden returns the cases of every kind's file in dir, or an error.
std::variant<GoldenSet, std::string> load_golden(const std::string& dir);

}  // namespace qemud::conform
