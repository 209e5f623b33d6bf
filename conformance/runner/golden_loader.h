// golden_loader.h: reads golden/<kind>_test.json (the five kinds) into
// cases named golden/<kind>/tc<tcId>. Under a framing profile other than
// the seed's, the framed kinds (header, *_message) come from
// golden/<profile>/<kind>_test.json instead, as golden/<profile>/<kind>/tc<tcId>;
// the payload kinds are the same files in every profile.
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

// load_golden returns the cases of every kind's file in dir for the framing
// profile, or an error. A framed file must say its profile ("framing").
std::variant<GoldenSet, std::string> load_golden(const std::string& dir, Framing framing = Framing::seed);

// golden_file is where a kind's vectors of a profile live, relative to the
// golden directory: "client_test.json", "libvirt-0.3/header_test.json".
std::string golden_file(Kind kind, Framing framing);

}  // namespace qemud::conform
