// SPDX-License-Identifier: Apache-2.0
// stateful_domain_commands.cpp: the domain commands of --stateful
// (stateful_commands.h says the rules).
#include <set>
#include <sstream>

#include "stateful_commands.h"

namespace qemud::peers::stateful {

namespace {

constexpr std::size_t xml_length = 4096;  // QEMUD_MAX_XML_LEN

std::string d(std::size_t slot) { return "d" + std::to_string(slot); }

// check_field fails the sequence when a reply field differs from what the
// model knows.
template <class T>
void check_field(const StatefulSut& sut, const std::string& path, const T& got, const T& want) {
    if (got != want) {
        std::ostringstream os;
        os << path << " is " << got << ", the model says " << want;
        sut.fail(os.str());
    }
}

void check_id(const StatefulSut& sut, const std::string& path, std::int32_t got, const DomainSlot& slot,
              std::int32_t known_id) {
    check_field(sut, path, got, slot.active() ? known_id : std::int32_t{-1});
}

Json by_uuid(const StatefulSut& sut, std::size_t slot) { return {{"uuid", sut.domain_uuid[slot]}}; }
Json by_id(const StatefulSut& sut, std::size_t slot) { return {{"id", sut.domain_id[slot]}}; }

}  // namespace

void DomainByUuid::checkPreconditions(const StatefulModel& m) const { RC_PRE(m.domains[slot].uuid_known); }
void DomainById::checkPreconditions(const StatefulModel& m) const { RC_PRE(m.domains[slot].id_known); }

// --- define / create

void DefineDomain::apply(StatefulModel& m) const {
    auto& s = m.domains[slot];
    if (s.exists) return;
    s = DomainSlot{true, true, DomainState::stopped, false, true, s.id_known};
}
void DefineDomain::run(const StatefulModel& m, StatefulSut& sut) const {
    sut.begin("define-domain " + d(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_DOMAIN_DEFINE", {{"xml", char_field(sut.domain_xml(slot), xml_length)}});
    if (m.domains[slot].exists) return sut.expect_failure(reply, "a domain named " + sut.domain_name(slot) + " exists");
    Json body = sut.expect_ok(reply, "the new domain");
    check_field(sut, "data.domainDefineReply.name", text_of(body.at("name")), sut.domain_name(slot));
    sut.domain_uuid[slot] = body.at("uuid").get<std::string>();
}
void DefineDomain::show(std::ostream& os) const { os << "define-domain " << d(slot); }

void CreateDomain::apply(StatefulModel& m) const {
    auto& s = m.domains[slot];
    if (s.exists) return;
    s = DomainSlot{true, false, DomainState::running, false, true, true};
}
void CreateDomain::run(const StatefulModel& m, StatefulSut& sut) const {
    sut.begin("create-domain " + d(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_DOMAIN_CREATE", {{"xml", char_field(sut.domain_xml(slot), xml_length)}});
    if (m.domains[slot].exists) return sut.expect_failure(reply, "a domain named " + sut.domain_name(slot) + " exists");
    Json body = sut.expect_ok(reply, "the new running domain");
    check_field(sut, "data.domainCreateReply.name", text_of(body.at("name")), sut.domain_name(slot));
    const auto id = body.at("id").get<std::int32_t>();
    if (id <= 0) sut.fail("data.domainCreateReply.id is " + std::to_string(id) + ": a running domain's id is > 0");
    sut.domain_id[slot] = id;
    sut.domain_uuid[slot] = body.at("uuid").get<std::string>();
}
void CreateDomain::show(std::ostream& os) const { os << "create-domain " << d(slot); }

// --- life cycle

void StartDomain::apply(StatefulModel& m) const {
    auto& s = m.domains[slot];
    if (s.exists && !s.active()) s.state = DomainState::running, s.id_known = true;
}
void StartDomain::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.domains[slot];
    sut.begin("start-domain " + d(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_DOMAIN_START", by_uuid(sut, slot));
    if (!s.exists) return sut.expect_failure(reply, d(slot) + " no longer exists");
    if (s.active()) return sut.expect_failure(reply, d(slot) + " is " + std::string(to_string(s.state)));
    Json body = sut.expect_ok(reply, "the started domain's id");
    const auto id = body.at("id").get<std::int32_t>();
    if (id <= 0) sut.fail("data.domainStartReply.id is " + std::to_string(id) + ": a running domain's id is > 0");
    sut.domain_id[slot] = id;
}
void StartDomain::show(std::ostream& os) const { os << "start-domain " << d(slot); }

void SuspendDomain::apply(StatefulModel& m) const {
    if (m.domains[slot].active()) m.domains[slot].state = DomainState::paused;
}
void SuspendDomain::run(const StatefulModel& m, StatefulSut& sut) const {
    sut.begin("suspend-domain " + d(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_DOMAIN_SUSPEND", by_id(sut, slot));
    if (!m.domains[slot].active())
        return sut.expect_failure(reply, "id " + std::to_string(sut.domain_id[slot]) + " names no active domain");
    sut.expect_ok(reply, "the suspend to succeed");
}
void SuspendDomain::show(std::ostream& os) const { os << "suspend-domain " << d(slot); }

void ResumeDomain::apply(StatefulModel& m) const {
    if (m.domains[slot].active()) m.domains[slot].state = DomainState::running;
}
void ResumeDomain::run(const StatefulModel& m, StatefulSut& sut) const {
    sut.begin("resume-domain " + d(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_DOMAIN_RESUME", by_id(sut, slot));
    if (!m.domains[slot].active())
        return sut.expect_failure(reply, "id " + std::to_string(sut.domain_id[slot]) + " names no active domain");
    sut.expect_ok(reply, "the resume to succeed");
}
void ResumeDomain::show(std::ostream& os) const { os << "resume-domain " << d(slot); }

void DestroyDomain::apply(StatefulModel& m) const {
    auto& s = m.domains[slot];
    if (!s.active()) return;
    if (s.persistent) s.state = DomainState::stopped;
    else s.exists = false;
}
void DestroyDomain::run(const StatefulModel& m, StatefulSut& sut) const {
    sut.begin("destroy-domain " + d(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_DOMAIN_DESTROY", by_id(sut, slot));
    if (!m.domains[slot].active())
        return sut.expect_failure(reply, "id " + std::to_string(sut.domain_id[slot]) + " names no active domain");
    sut.expect_ok(reply, "the destroy to succeed");
}
void DestroyDomain::show(std::ostream& os) const { os << "destroy-domain " << d(slot); }

void UndefineDomain::apply(StatefulModel& m) const {
    auto& s = m.domains[slot];
    if (s.exists && !s.active()) s.exists = false;
}
void UndefineDomain::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.domains[slot];
    sut.begin("undefine-domain " + d(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_DOMAIN_UNDEFINE", by_uuid(sut, slot));
    if (!s.exists) return sut.expect_failure(reply, d(slot) + " no longer exists");
    if (s.active()) return sut.expect_failure(reply, d(slot) + " is " + std::string(to_string(s.state)));
    sut.expect_ok(reply, "the undefine to succeed");
}
void UndefineDomain::show(std::ostream& os) const { os << "undefine-domain " << d(slot); }

// --- lookups and info: they change nothing

void LookupDomainByName::apply(StatefulModel&) const {}
void LookupDomainByName::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.domains[slot];
    sut.begin("lookup-domain-by-name " + d(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME",
                           {{"name", char_field(sut.domain_name(slot), 50)}});
    if (!s.exists) return sut.expect_failure(reply, "no domain is named " + sut.domain_name(slot));
    Json body = sut.expect_ok(reply, d(slot));
    check_id(sut, "data.domainLookupByNameReply.id", body.at("id").get<std::int32_t>(), s, sut.domain_id[slot]);
    check_field(sut, "data.domainLookupByNameReply.uuid", body.at("uuid").get<std::string>(), sut.domain_uuid[slot]);
}
void LookupDomainByName::show(std::ostream& os) const { os << "lookup-domain-by-name " << d(slot); }

void LookupDomainByUuid::apply(StatefulModel&) const {}
void LookupDomainByUuid::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.domains[slot];
    sut.begin("lookup-domain-by-uuid " + d(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_UUID", by_uuid(sut, slot));
    if (!s.exists) return sut.expect_failure(reply, d(slot) + " no longer exists");
    Json body = sut.expect_ok(reply, d(slot));
    check_id(sut, "data.domainLookupByUUIDReply.id", body.at("id").get<std::int32_t>(), s, sut.domain_id[slot]);
    check_field(sut, "data.domainLookupByUUIDReply.name", text_of(body.at("name")), sut.domain_name(slot));
}
void LookupDomainByUuid::show(std::ostream& os) const { os << "lookup-domain-by-uuid " << d(slot); }

void LookupDomainById::apply(StatefulModel&) const {}
void LookupDomainById::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.domains[slot];
    sut.begin("lookup-domain-by-id " + d(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_ID", by_id(sut, slot));
    if (!s.active())
        return sut.expect_failure(reply, "id " + std::to_string(sut.domain_id[slot]) + " names no active domain");
    Json body = sut.expect_ok(reply, d(slot));
    check_field(sut, "data.domainLookupByIDReply.name", text_of(body.at("name")), sut.domain_name(slot));
    check_field(sut, "data.domainLookupByIDReply.uuid", body.at("uuid").get<std::string>(), sut.domain_uuid[slot]);
}
void LookupDomainById::show(std::ostream& os) const { os << "lookup-domain-by-id " << d(slot); }

void DomainInfo::apply(StatefulModel&) const {}
void DomainInfo::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.domains[slot];
    sut.begin("domain-info " + d(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_DOMAIN_GET_INFO", by_uuid(sut, slot));
    if (!s.exists) return sut.expect_failure(reply, d(slot) + " no longer exists");
    Json body = sut.expect_ok(reply, "the state of " + d(slot));
    check_field(sut, "data.domainGetInfoReply.runstate", body.at("runstate").get<unsigned>(), runstate_of(s.state));
}
void DomainInfo::show(std::ostream& os) const { os << "domain-info " << d(slot); }

// --- autostart

void DomainSetAutostart::apply(StatefulModel& m) const {
    auto& s = m.domains[slot];
    if (s.exists && s.persistent) s.autostart = value;
}
void DomainSetAutostart::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.domains[slot];
    sut.begin("set-domain-autostart " + d(slot) + " " + (value ? "1" : "0"));
    Reply reply =
        sut.call("QEMUD_CLIENT_PKT_DOMAIN_SET_AUTOSTART", {{"uuid", sut.domain_uuid[slot]}, {"autostart", value ? 1 : 0}});
    if (!s.exists) return sut.expect_failure(reply, d(slot) + " no longer exists");
    if (!s.persistent) return sut.expect_failure(reply, d(slot) + " is transient");
    sut.expect_ok(reply, "autostart to be set");
}
void DomainSetAutostart::show(std::ostream& os) const {
    os << "set-domain-autostart " << d(slot) << " " << (value ? 1 : 0);
}

void DomainGetAutostart::apply(StatefulModel&) const {}
void DomainGetAutostart::run(const StatefulModel& m, StatefulSut& sut) const {
    const auto& s = m.domains[slot];
    sut.begin("get-domain-autostart " + d(slot));
    Reply reply = sut.call("QEMUD_CLIENT_PKT_DOMAIN_GET_AUTOSTART", by_uuid(sut, slot));
    if (!s.exists) return sut.expect_failure(reply, d(slot) + " no longer exists");
    Json body = sut.expect_ok(reply, "the autostart flag");
    check_field(sut, "data.domainGetAutostartReply.autostart", body.at("autostart").get<unsigned>(),
                s.autostart ? 1u : 0u);
}
void DomainGetAutostart::show(std::ostream& os) const { os << "get-domain-autostart " << d(slot); }

// --- counts and lists: the baseline plus the model's own objects

void ListDomains::apply(StatefulModel&) const {}
void ListDomains::run(const StatefulModel& m, StatefulSut& sut) const {
    sut.begin("list-domains");
    std::set<std::int32_t> active = sut.baseline().active_domain_ids;
    std::set<std::string> defined = sut.baseline().defined_domain_names;
    for (std::size_t slot = 0; slot < domain_slots; ++slot) {
        const auto& s = m.domains[slot];
        if (s.active()) active.insert(sut.domain_id[slot]);
        else if (s.exists) defined.insert(sut.domain_name(slot));
    }
    Json body = sut.expect_ok(sut.call("QEMUD_CLIENT_PKT_NUM_DOMAINS", nullptr), "the active domain count");
    check_field(sut, "data.numDomainsReply.numDomains", body.at("numDomains").get<std::int32_t>(),
                static_cast<std::int32_t>(active.size()));
    body = sut.expect_ok(sut.call("QEMUD_CLIENT_PKT_LIST_DOMAINS", nullptr), "the active domain ids");
    const auto count = body.at("numDomains").get<std::int32_t>();
    check_field(sut, "data.listDomainsReply.numDomains", count, static_cast<std::int32_t>(active.size()));
    std::set<std::int32_t> listed;
    for (std::int32_t i = 0; i < count && i < static_cast<std::int32_t>(body.at("domains").size()); ++i)
        listed.insert(body.at("domains").at(i).get<std::int32_t>());
    for (auto id : active)
        if (!listed.count(id)) sut.fail("data.listDomainsReply.domains lacks id " + std::to_string(id));
    body = sut.expect_ok(sut.call("QEMUD_CLIENT_PKT_NUM_DEFINED_DOMAINS", nullptr), "the defined domain count");
    check_field(sut, "data.numDefinedDomainsReply.numDomains", body.at("numDomains").get<std::uint32_t>(),
                static_cast<std::uint32_t>(defined.size()));
    body = sut.expect_ok(sut.call("QEMUD_CLIENT_PKT_LIST_DEFINED_DOMAINS", nullptr), "the defined domain names");
    std::vector<std::string> names = names_of(body.at("domains"));
    std::set<std::string> named(names.begin(), names.end());
    for (const auto& name : defined)
        if (!named.count(name)) sut.fail("data.listDefinedDomainsReply.domains lacks " + name);
    for (const auto& name : named)
        if (!defined.count(name)) sut.fail("data.listDefinedDomainsReply.domains names " + name + ", which is not defined and stopped");
}
void ListDomains::show(std::ostream& os) const { os << "list-domains"; }

}  // namespace qemud::peers::stateful
