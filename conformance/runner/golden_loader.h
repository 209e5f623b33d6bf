// golden_loader.h: reads golden/<kind>_test.json (the five kinds) into
// cases named golden/<kind>/tc<tcId>.
//
// A missing or malformed file is an error of the run, not of a case: the
// loader returns one line naming the file (and the line and column of a
// JSON syntax error, or the tcId and member of a bad test) and the runner
// exits 2. So is a duplicate tcId, and a value that does not fit protocol.x
// (the reference implementation cannot encode it: the vector is wrong, not
// the implementation under test). Files whose protocolSha256 is not this
// build's protocol.x are refused unless any_protocol is set; then a note
// says so.
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
std::variant<GoldenSet, std::string> load_golden(const std::string& dir, bool any_protocol = false);

}  // namespace qemud::conform
