// SPDX-License-Identifier: Apache-2.0
// version.h: what every tool's --version and every report says about the
// build: the project version, `git describe` when built from a git
// checkout, and the SHA-256 of the protocol.x it was built from.
#pragma once

#include <string>
#include <string_view>

namespace qemud {

std::string_view project_version();   // "0.1.0"
std::string_view git_describe();      // "v0.1.0-12-gabc1234-dirty", or "" outside git
std::string_view build_protocol_sha256();

// version_text is the --version output of a tool: "<tool> 0.1.0 (git
// abc1234)\nprotocol.x sha256 <hex>".
std::string version_text(std::string_view tool);

}  // namespace qemud
