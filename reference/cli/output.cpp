// SPDX-License-Identifier: Apache-2.0
#include "cli/output.h"

#include "protocol_info/protocol_info.h"

namespace qemud::cli {

std::optional<std::string> result_line(const Settled& s) {
    // ordered_json: the serial first, as a reader scanning the lines expects.
    nlohmann::ordered_json line;
    switch (s.kind) {
        case Settled::Kind::value:
            line = {{"serial", s.serial}, {"type", s.value.at("type")}, {"value", s.value}};
            break;
        case Settled::Kind::failure:
            line = {{"serial", s.serial}, {"failure", {{"code", s.failure_code}, {"message", s.failure_message_hex}}}};
            break;
        case Settled::Kind::error: return std::nullopt;
    }
    return line.dump();
}

std::optional<std::string> diagnostic_line(const Settled& s) {
    if (s.kind != Settled::Kind::error) return std::nullopt;
    const ArmInfo* arm = ProtocolInfo::get().find_arm(Direction::client, s.call_type);
    return "qemud-cli: call serial " + std::to_string(s.serial) + " (" +
           (arm ? arm->name : "type " + std::to_string(s.call_type)) + "): " + s.error;
}

std::string ignored_line(const Ignored& i) {
    return "qemud-cli: ignored " + i.type + " (inReplyTo " + std::to_string(i.in_reply_to) + ", at stream byte " +
           std::to_string(i.stream_offset) + "): no outstanding call has that serial";
}

}  // namespace qemud::cli
