// SPDX-License-Identifier: Apache-2.0
#include "client_cases.h"

#include <stdexcept>

namespace qemud::clients {

namespace {

const ArmInfo& arm(const std::string& name) {
    for (const auto& a : ProtocolInfo::get().arms(Direction::client))
        if (a.name == name) return a;
    throw std::logic_error("no client arm " + name);
}

std::vector<ClientCase> build() {
    std::vector<ClientCase> cases;
    for (const auto& a : ProtocolInfo::get().arms(Direction::client))
        cases.push_back({"call/" + a.name, {&a}, Answer::in_order});
    const ArmInfo* version = &arm("QEMUD_CLIENT_PKT_GET_VERSION");
    const ArmInfo* nodeinfo = &arm("QEMUD_CLIENT_PKT_GET_NODEINFO");
    const ArmInfo* lookup = &arm("QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_ID");
    const ArmInfo* numdom = &arm("QEMUD_CLIENT_PKT_NUM_DOMAINS");
    // Calls of different reply types, so a reply given to the wrong call
    // shows in its type as well as its values.
    const std::vector<const ArmInfo*> four{version, nodeinfo, lookup, numdom};
    cases.push_back({"pipeline/reversed-4", four, Answer::reversed});
    cases.push_back({"pipeline/two-in-one-write", {version, nodeinfo}, Answer::two_in_one});
    cases.push_back({"stream/one-byte-writes", {lookup}, Answer::one_byte});
    cases.push_back({"async/notification-first", {nodeinfo}, Answer::async_first});
    cases.push_back({"async/notification-between", {version, nodeinfo}, Answer::async_between});
    cases.push_back({"failure/reply", {lookup}, Answer::failure});
    cases.push_back({"hostile/bad-constant", {version}, Answer::bad_constant});
    cases.push_back({"hostile/length-too-large", {version}, Answer::length_too_large});
    cases.push_back({"hostile/truncated-then-close", {nodeinfo}, Answer::truncated});
    cases.push_back({"hostile/wrong-type", {version}, Answer::wrong_type});
    cases.push_back({"hostile/hang", {version}, Answer::hang});
    return cases;
}

}  // namespace

bool hostile(Answer answer) { return answer >= Answer::bad_constant; }

const std::vector<ClientCase>& client_cases() {
    static const std::vector<ClientCase> cases = build();
    return cases;
}

}  // namespace qemud::clients
