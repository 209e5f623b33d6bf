// SPDX-License-Identifier: Apache-2.0
#include "version/version.h"

extern const char qemud_git_describe[];

namespace qemud {

std::string_view project_version() { return QEMUD_PROJECT_VERSION; }
std::string_view git_describe() { return qemud_git_describe; }
std::string_view build_protocol_sha256() { return QEMUD_PROTOCOL_SHA256; }

std::string version_text(std::string_view tool) {
    std::string text = std::string(tool) + " " + std::string(project_version());
    if (!git_describe().empty()) text += " (git " + std::string(git_describe()) + ")";
    return text + "\nprotocol.x sha256 " + std::string(build_protocol_sha256());
}

}  // namespace qemud
