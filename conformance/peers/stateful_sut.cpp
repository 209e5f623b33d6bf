// SPDX-License-Identifier: Apache-2.0
#include "stateful_sut.h"

#include <rapidcheck.h>

#include "codecs/value_model.h"
#include "reply_checks.h"

namespace qemud::peers {

namespace {

constexpr std::string_view failure_type = "QEMUD_SERVER_PKT_FAILURE";

std::string failure_text(const Reply& reply) {
    const Json& failure = reply.value.at("data").at("failureReply");
    return "FAILURE code " + std::to_string(failure.at("code").get<std::uint32_t>()) + " (" +
           text_of(failure.at("message")) + ")";
}

}  // namespace

std::string char_field(const std::string& text, std::size_t length) {
    std::string hex = value_model::to_hex(text.data(), std::min(text.size(), length));
    hex.append(2 * (length - std::min(text.size(), length)), '0');
    return hex;
}

std::string text_of(const Json& hex_field) {
    auto bytes = value_model::bytes_from_hex(hex_field.get<std::string>());
    if (!bytes) return "";
    std::string text(bytes->begin(), bytes->end());
    return text.substr(0, text.find('\0'));
}

std::vector<std::string> names_of(const Json& hex_buffer) {
    std::vector<std::string> names;
    auto bytes = value_model::bytes_from_hex(hex_buffer.get<std::string>());
    if (!bytes) return names;
    std::string piece;
    for (auto b : *bytes) {
        if (b == 0) {
            if (!piece.empty()) names.push_back(piece);
            piece.clear();
        } else {
            piece += static_cast<char>(b);
        }
    }
    if (!piece.empty()) names.push_back(piece);
    return names;
}

StatefulSut::StatefulSut(Session& session, std::string prefix, std::string* failure)
    : session_(session), prefix_(std::move(prefix)), failure_(failure) {
    begin("connect and read the baseline");
    try {
        connection_.emplace(session_.open("connect"));
    } catch (const CaseFailure& failure) {
        fail(failure.reason);
    }
    read_baseline();
    commands_.clear();
}

StatefulSut::~StatefulSut() {
    try {
        cleanup();
    } catch (...) {
        // Best effort: a server that fails here was already judged.
    }
}

void StatefulSut::begin(const std::string& command) { commands_.push_back(command); }

void StatefulSut::fail(const std::string& reason) const {
    const std::string& command = commands_.empty() ? std::string("setup") : commands_.back();
    const std::string message = "command " + std::to_string(commands_.size()) + " (" + command + "): " + reason;
    if (failure_ != nullptr) *failure_ = message;
    RC_FAIL(message);
}

Reply StatefulSut::call(const std::string& client_arm, const Json& args) {
    const ArmInfo& arm = arm_by_name(Direction::client, client_arm);
    const std::uint32_t serial = session_.serial();
    Json data = {{"type", arm.name}};
    if (!arm.member.empty()) data[arm.member] = args;
    const std::string step = client_arm + " (serial " + std::to_string(serial) + ")";
    try {
        connection_->send(connection_->frame_call({{"serial", serial}, {"data", data}}), step + ": write");
        Reply reply = connection_->expect_reply(step + ": reply");
        if (auto error = check_answer(reply, serial, arm, session_.profile())) fail(step + ": " + *error);
        return reply;
    } catch (const CaseFailure& failure) {
        fail(failure.step + ": " + failure.reason);
    }
}

Json StatefulSut::expect_ok(const Reply& reply, const std::string& what) const {
    if (reply.type() == failure_type) fail("expected " + what + ", got " + failure_text(reply));
    const ArmInfo* arm = nullptr;
    for (const auto& a : ProtocolInfo::get().arms(Direction::server))
        if (a.name == reply.type()) arm = &a;
    if (arm == nullptr || arm->member.empty()) return nullptr;
    return reply.value.at("data").at(arm->member);
}

void StatefulSut::expect_failure(const Reply& reply, const std::string& why) const {
    if (reply.type() != failure_type)
        fail("expected FAILURE (" + why + "), got " + reply.type() + " " + reply.value.at("data").dump());
}

std::string StatefulSut::domain_name(std::size_t slot) const { return prefix_ + "-d" + std::to_string(slot); }
std::string StatefulSut::network_name(std::size_t slot) const { return prefix_ + "-n" + std::to_string(slot); }

std::string StatefulSut::domain_xml(std::size_t slot) const {
    return "<domain type='qemu'><name>" + domain_name(slot) +
           "</name><memory>131072</memory><vcpu>1</vcpu></domain>";
}

std::string StatefulSut::network_xml(std::size_t slot) const {
    return "<network><name>" + network_name(slot) + "</name></network>";
}

void StatefulSut::read_baseline() {
    Json body = expect_ok(call("QEMUD_CLIENT_PKT_LIST_DOMAINS", nullptr), "the active domains");
    const auto count = body.at("numDomains").get<std::int32_t>();
    for (std::int32_t i = 0; i < count && i < static_cast<std::int32_t>(body.at("domains").size()); ++i)
        baseline_.active_domain_ids.insert(body.at("domains").at(i).get<std::int32_t>());
    body = expect_ok(call("QEMUD_CLIENT_PKT_LIST_DEFINED_DOMAINS", nullptr), "the defined domains");
    for (auto& name : names_of(body.at("domains"))) baseline_.defined_domain_names.insert(name);
    body = expect_ok(call("QEMUD_CLIENT_PKT_LIST_NETWORKS", nullptr), "the active networks");
    for (auto& name : names_of(body.at("networks"))) baseline_.active_network_names.insert(name);
    body = expect_ok(call("QEMUD_CLIENT_PKT_LIST_DEFINED_NETWORKS", nullptr), "the defined networks");
    for (auto& name : names_of(body.at("networks"))) baseline_.defined_network_names.insert(name);
}

void StatefulSut::cleanup() {
    if (!connection_) return;
    session_.record({TranscriptEntry::Direction::event, connection_->index(), session_.elapsed(), "", nullptr,
                     "the sequence ended; removing its objects (not checked)"});
    // Unchecked calls: the first one that does not come back ends the
    // cleanup (the server is gone or hung; it was judged already).
    auto quietly = [&](const std::string& arm, const Json& args) {
        const ArmInfo& info = arm_by_name(Direction::client, arm);
        Json data = {{"type", info.name}, {info.member, args}};
        connection_->send(connection_->frame_call({{"serial", session_.serial()}, {"data", data}}), "cleanup");
        connection_->expect_reply("cleanup");
    };
    try {
        for (std::size_t slot = 0; slot < domain_slots; ++slot) {
            if (domain_uuid[slot].empty()) continue;
            if (domain_id[slot] > 0) quietly("QEMUD_CLIENT_PKT_DOMAIN_DESTROY", {{"id", domain_id[slot]}});
            quietly("QEMUD_CLIENT_PKT_DOMAIN_UNDEFINE", {{"uuid", domain_uuid[slot]}});
        }
        for (std::size_t slot = 0; slot < network_slots; ++slot) {
            if (network_uuid[slot].empty()) continue;
            quietly("QEMUD_CLIENT_PKT_NETWORK_DESTROY", {{"uuid", network_uuid[slot]}});
            quietly("QEMUD_CLIENT_PKT_NETWORK_UNDEFINE", {{"uuid", network_uuid[slot]}});
        }
    } catch (const CaseFailure&) {
    }
}

}  // namespace qemud::peers
