// SPDX-License-Identifier: Apache-2.0
// golden_loader.h: reads golden/<kind>_test.json (the five kinds) into
// cases named golden/<kind>/tc<tcId>. Under a framing profile other than
// the seed's, the framed kinds (header, *_message) come from
// golden/<profile>/<kind>_test.json instead, as golden/<profile>/<kind>/tc<tcId>;
// the payload kinds are the same files in every profile.
//
// A missing or malformed file is an error of the run, not of a case: the
// loader returns one line naming the file (and the line and column of a
// JSON syntax error, or the tcId and member of a bad test) and the runner
// exits 2. So is a duplicate tcId, and a value that does not fit protocol.x
// (the reference implementation cannot encode it: the vector is wrong, not
// the implementation under test). Files whose protocolSha256 is not this
// build's protocol.x are refused unless any_protocol is set; then a note
// says so. Files of one directory that name different protocols are
// refused even then: such a set tests no one protocol, and the reports
// name one hash for the vectors they ran.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cases.h"

namespace qemud::conform {

struct GoldenSet {
    std::vector<Case> cases;
    std::vector<std::string> notes;  // e.g. a protocolSha256 that differs from the build's
    std::optional<std::string> protocol_sha256;  // the one every file names
};

// load_golden returns the cases of every kind's file in dir for the framing
// profile, or an error. A framed file must say its profile ("framing").
// any_protocol: vectors of another protocol.x are run, not refused.
std::variant<GoldenSet, std::string> load_golden(const std::string& dir, Framing framing = Framing::seed,
                                                 bool any_protocol = false);

// golden_file is where a kind's vectors of a profile live, relative to the
// golden directory: "client_test.json", "libvirt-0.3/header_test.json".
std::string golden_file(Kind kind, Framing framing);

}  // namespace qemud::conform
