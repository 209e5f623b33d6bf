// SPDX-License-Identifier: Apache-2.0
// reply_checks.cpp: the per-reply rules.
#include "reply_checks.h"

namespace qemud::peers {
namespace {

constexpr std::string_view failure_type = "QEMUD_SERVER_PKT_FAILURE";

std::string at(std::size_t offset) { return " (byte " + std::to_string(offset) + ")"; }

}  // namespace

std::size_t in_reply_to_offset(const FramingProfile& profile) { return profile.header_size() + 4; }
std::size_t type_offset(const FramingProfile& profile) { return profile.header_size() + 8; }

bool is_failure(const Reply& reply) { return reply.type() == failure_type; }

std::optional<std::string> check_answer(const Reply& reply, std::uint32_t serial, const ArmInfo& call_arm,
                                        const FramingProfile& profile) {
    if (reply.in_reply_to() != serial)
        return "inReplyTo" + at(in_reply_to_offset(profile)) + " is " + std::to_string(reply.in_reply_to()) +
               ", expected the call's serial " + std::to_string(serial);
    const ArmInfo* answer = server_arm_for(call_arm);
    const std::string type = reply.type();
    if (type == failure_type) return check_failure(reply, profile);
    if (answer == nullptr || type != answer->name)
        return "data.type" + at(type_offset(profile)) + " is " + type + ", expected " +
               (answer ? answer->name : std::string("(no server arm)")) + " or " + std::string(failure_type) +
               " for " + call_arm.name;
    return std::nullopt;
}

std::optional<std::string> check_failure(const Reply& reply, const FramingProfile& profile) {
    const auto& message = reply.value.at("data").at("failureReply").at("message").get_ref<const std::string&>();
    // The value model writes char arrays as hex, two digits a byte; each
    // element is one XDR word on the wire.
    const std::size_t first_word = profile.header_size() + 12 + 4;
    std::size_t count = message.size() / 2;
    std::optional<std::size_t> first_nul;
    for (std::size_t i = 0; i < count; ++i) {
        bool nul = message.compare(2 * i, 2, "00") == 0;
        if (!first_nul && nul) first_nul = i;
        if (first_nul && !nul)
            return "data.failureReply.message[" + std::to_string(i) + "]" + at(first_word + 4 * i) +
                   " is 0x" + message.substr(2 * i, 2) + " after the NUL at message[" + std::to_string(*first_nul) +
                   "]: the message is not NUL-padded";
    }
    if (!first_nul)
        return "data.failureReply.message" + at(first_word) + " has no NUL in its " + std::to_string(count) +
               " bytes: the message is not NUL-terminated";
    return std::nullopt;
}

}  // namespace qemud::peers
