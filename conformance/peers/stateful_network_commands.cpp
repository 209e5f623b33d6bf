// SPDX-License-Identifier: Apache-2.0
// stateful_network_commands.cpp: the network commands of --stateful
// (stateful_commands.h says the rules). Networks are named by uuid; their
// id is > 0 while active and -1 while not.
#include <set>
#include <sstream>

#include "stateful_commands.h"

namespace qemud::peers::stateful {

namespace {

constexpr std::size_t xml_length = 4096;  // QEMUD_MAX_XML_LEN

std::string n(std::size_t slot) { return "n" + std::to_string(slot); }

Json by_uuid(const StatefulSut& sut, std::size_t slot) { return {{"uuid", sut.network_uuid[slot]}}; }

void check_text(const StatefulSut& sut, const std::string& path, const std::string& got, const std::string& want) {
    if (got != want) sut.fail(path + " is '" + got + "', the model says '" + want + "'");
}

void check_id(const StatefulSut& sut, const std::string& path, std::int32_t id, const NetworkSlot& s) {
    if (s.active && id <= 0) sut.fail(path + " is " + std::to_string(id) + ", but the network is active (id > 0)");
    if (!s.active && id != -1) sut.fail(path + " is " + std::to_string(id) + ", but the network is inactive (id -1)");
}

}  // namespace

void NetworkByUuid::checkPreconditions(const StatefulModel& m) const { RC_PRE(m.networks[slot].uuid_known); }

void DefineNetwork::apply(StatefulModel& m) const {
    auto& s = m.networks[slot];
    if (!s.exists) s = NetworkSlot{true, true, false, false, true};
}
void DefineNetwork::run(const StatefulModel& m, StatefulSut& sut) const {
    sut.begin("define-network " + n(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_NETWORK_DEFINE", {{"xml", char_field(sut.network_xml(slot), xml_length)}});
    if (m.networks[slot].exists) return sut.expect_failure(reply, "a network named " + sut.network_name(slot) + " exists");
    Json body = sut.expect_ok(reply, "the new network");
    check_text(sut, "data.networkDefineReply.name", text_of(body.at("name")), sut.network_name(slot));
    sut.network_uuid[slot] = body.at("uuid").get<std::string>();
}
void DefineNetwork::show(std::ostream& os) const { os << "define-network " << n(slot); }

void CreateNetwork::apply(StatefulModel& m) const {
    auto& s = m.networks[slot];
    if (!s.exists) s = NetworkSlot{true, false, true, false, true};
}
void CreateNetwork::run(const StatefulModel& m, StatefulSut& sut) const {
    sut.begin("create-network " + n(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_NETWORK_CREATE", {{"xml", char_field(sut.network_xml(slot), xml_length)}});
    if (m.networks[slot].exists) return sut.expect_failure(reply, "a network named " + sut.network_name(slot) + " exists");
    Json body = sut.expect_ok(reply, "the new active network");
    check_text(sut, "data.networkCreateReply.name", text_of(body.at("name")), sut.network_name(slot));
    sut.network_uuid[slot] = body.at("uuid").get<std::string>();
}
void CreateNetwork::show(std::ostream& os) const { os << "create-network " << n(slot); }

void StartNetwork::apply(StatefulModel& m) const {
    auto& s = m.networks[slot];
    if (s.exists) s.active = true;
}
void StartNetwork::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.networks[slot];
    sut.begin("start-network " + n(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_NETWORK_START", by_uuid(sut, slot));
    if (!s.exists) return sut.expect_failure(reply, n(slot) + " no longer exists");
    if (s.active) return sut.expect_failure(reply, n(slot) + " is active");
    sut.expect_ok(reply, "the start to succeed");
}
void StartNetwork::show(std::ostream& os) const { os << "start-network " << n(slot); }

void DestroyNetwork::apply(StatefulModel& m) const {
    auto& s = m.networks[slot];
    if (!s.exists || !s.active) return;
    if (s.persistent) s.active = false;
    else s.exists = false;
}
void DestroyNetwork::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.networks[slot];
    sut.begin("destroy-network " + n(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_NETWORK_DESTROY", by_uuid(sut, slot));
    if (!s.exists) return sut.expect_failure(reply, n(slot) + " no longer exists");
    if (!s.active) return sut.expect_failure(reply, n(slot) + " is inactive");
    sut.expect_ok(reply, "the destroy to succeed");
}
void DestroyNetwork::show(std::ostream& os) const { os << "destroy-network " << n(slot); }

void UndefineNetwork::apply(StatefulModel& m) const {
    auto& s = m.networks[slot];
    if (s.exists && !s.active) s.exists = false;
}
void UndefineNetwork::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.networks[slot];
    sut.begin("undefine-network " + n(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_NETWORK_UNDEFINE", by_uuid(sut, slot));
    if (!s.exists) return sut.expect_failure(reply, n(slot) + " no longer exists");
    if (s.active) return sut.expect_failure(reply, n(slot) + " is active");
    sut.expect_ok(reply, "the undefine to succeed");
}
void UndefineNetwork::show(std::ostream& os) const { os << "undefine-network " << n(slot); }

void LookupNetworkByName::apply(StatefulModel&) const {}
void LookupNetworkByName::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.networks[slot];
    sut.begin("lookup-network-by-name " + n(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_NAME",
                           {{"name", char_field(sut.network_name(slot), 50)}});
    if (!s.exists) return sut.expect_failure(reply, "no network is named " + sut.network_name(slot));
    Json body = sut.expect_ok(reply, n(slot));
    check_id(sut, "data.networkLookupByNameReply.id", body.at("id").get<std::int32_t>(), s);
    check_text(sut, "data.networkLookupByNameReply.uuid", body.at("uuid").get<std::string>(), sut.network_uuid[slot]);
}
void LookupNetworkByName::show(std::ostream& os) const { os << "lookup-network-by-name " << n(slot); }

void LookupNetworkByUuid::apply(StatefulModel&) const {}
void LookupNetworkByUuid::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.networks[slot];
    sut.begin("lookup-network-by-uuid " + n(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_UUID", by_uuid(sut, slot));
    if (!s.exists) return sut.expect_failure(reply, n(slot) + " no longer exists");
    Json body = sut.expect_ok(reply, n(slot));
    check_id(sut, "data.networkLookupByUUIDReply.id", body.at("id").get<std::int32_t>(), s);
    check_text(sut, "data.networkLookupByUUIDReply.name", text_of(body.at("name")), sut.network_name(slot));
}
void LookupNetworkByUuid::show(std::ostream& os) const { os << "lookup-network-by-uuid " << n(slot); }

void NetworkSetAutostart::apply(StatefulModel& m) const {
    auto& s = m.networks[slot];
    if (s.exists && s.persistent) s.autostart = value;
}
void NetworkSetAutostart::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.networks[slot];
    sut.begin("set-network-autostart " + n(slot) + " " + (value ? "1" : "0"));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_NETWORK_SET_AUTOSTART",
                           {{"uuid", sut.network_uuid[slot]}, {"autostart", value ? 1 : 0}});
    if (!s.exists) return sut.expect_failure(reply, n(slot) + " no longer exists");
    if (!s.persistent) return sut.expect_failure(reply, n(slot) + " is transient");
    sut.expect_ok(reply, "autostart to be set");
}
void NetworkSetAutostart::show(std::ostream& os) const {
    os << "set-network-autostart " << n(slot) << " " << (value ? 1 : 0);
}

void NetworkGetAutostart::apply(StatefulModel&) const {}
void NetworkGetAutostart::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.networks[slot];
    sut.begin("get-network-autostart " + n(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_NETWORK_GET_AUTOSTART", by_uuid(sut, slot));
    if (!s.exists) return sut.expect_failure(reply, n(slot) + " no longer exists");
    Json body = sut.expect_ok(reply, "the autostart flag");
    const auto got = body.at("autostart").get<unsigned>();
    if (got != (s.autostart ? 1u : 0u))
        sut.fail("data.networkGetAutostartReply.autostart is " + std::to_string(got) + ", the model says " +
                 (s.autostart ? "1" : "0"));
}
void NetworkGetAutostart::show(std::ostream& os) const { os << "get-network-autostart " << n(slot); }

// list-networks: NUM_/LIST_NETWORKS (active) and NUM_/LIST_DEFINED_NETWORKS
// (inactive), each the baseline plus the model's own.
void ListNetworks::apply(StatefulModel&) const {}
void ListNetworks::run(const StatefulModel& m, StatefulSut& sut) const {
    sut.begin("list-networks");
    std::set<std::string> active = sut.baseline().active_network_names;
    std::set<std::string> defined = sut.baseline().defined_network_names;
    for (std::size_t slot = 0; slot < network_slots; ++slot) {
        const auto& s = m.networks[slot];
        if (s.exists) (s.active ? active : defined).insert(sut.network_name(slot));
    }
    struct Pair {
        const char *num, *list, *num_path, *list_path;
        const std::set<std::string>* want;
    };
    const Pair pairs[] = {
        {"QEMUD_CLIENT_PKT_NUM_NETWORKS", "QEMUD_CLIENT_PKT_LIST_NETWORKS", "data.numNetworksReply.numNetworks",
         "data.listNetworksReply.networks", &active},
        {"QEMUD_CLIENT_PKT_NUM_DEFINED_NETWORKS", "QEMUD_CLIENT_PKT_LIST_DEFINED_NETWORKS",
         "data.numDefinedNetworksReply.numNetworks", "data.listDefinedNetworksReply.networks", &defined},
    };
    for (const auto& p : pairs) {
        Json body = sut.expect_ok(sut.call(p.num, nullptr), "a network count");
        const auto count = body.at("numNetworks").get<std::uint32_t>();
        if (count != p.want->size())
            sut.fail(std::string(p.num_path) + " is " + std::to_string(count) + ", the model says " +
                     std::to_string(p.want->size()));
        body = sut.expect_ok(sut.call(p.list, nullptr), "network names");
        std::vector<std::string> names = names_of(body.at("networks"));
        std::set<std::string> named(names.begin(), names.end());
        for (const auto& name : *p.want)
            if (!named.count(name)) sut.fail(std::string(p.list_path) + " lacks " + name);
        for (const auto& name : named)
            if (!p.want->count(name)) sut.fail(std::string(p.list_path) + " names " + name + ", which the model does not have there");
    }
}
void ListNetworks::show(std::ostream& os) const { os << "list-networks"; }

}  // namespace qemud::peers::stateful
