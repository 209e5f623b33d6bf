// SPDX-License-Identifier: Apache-2.0
// refd_dispatch_test.cpp: qemud-refd's hypervisor model through dispatch
// (reference/refd/dispatch.h, hypervisor_model.h): every client message
// type answered with its own reply type at least once, every impossible
// request refused with FAILURE and the documented code, and the reply
// rules (inReplyTo, type + 1) for every arm of the client union.
#define BOOST_TEST_MODULE refd_dispatch
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <utility>

#include "protocol_model.gen.h"
#include "refd/dispatch.h"
#include "refd/hypervisor_model.h"
#include "refd/xml_fields.h"

using namespace qemud;
using namespace qemud::refd;
using C = model::qemud_packet_client_data_type;
using S = model::qemud_packet_server_data_type;

namespace {

// Session runs calls against one model and remembers which client types
// got a non-FAILURE reply, so a test can prove every type was answered.
struct Session {
    HypervisorModel model{7};
    std::uint32_t serial = 100;
    std::set<std::int32_t> answered;

    template <class Arm = std::monostate>
    model::qemud_packet_server call(C type, Arm arm = {}) {
        model::qemud_packet_client c{};
        c.serial = ++serial;
        c.data.type = type;
        c.data.arm = std::move(arm);
        auto reply = dispatch(model, c);
        BOOST_TEST(reply.inReplyTo == c.serial);
        const auto want = static_cast<S>(static_cast<std::int32_t>(type) + 1);
        BOOST_TEST((reply.data.type == want || reply.data.type == S::QEMUD_SERVER_PKT_FAILURE));
        if (reply.data.type == want) answered.insert(static_cast<std::int32_t>(type));
        return reply;
    }
    template <class Reply, class Arm = std::monostate>
    Reply ok(C type, Arm arm = {}) {
        auto reply = call(type, std::move(arm));
        const auto* failure = std::get_if<model::qemud_packet_failure_reply>(&reply.data.arm);
        BOOST_TEST_REQUIRE(!failure, "FAILURE: " << (failure ? std::string(c_string(failure->message)) : ""));
        if constexpr (std::is_same_v<Reply, std::monostate>) {
            return {};
        } else {
            const auto* value = std::get_if<Reply>(&reply.data.arm);
            BOOST_TEST_REQUIRE(value != nullptr);
            return *value;
        }
    }
    template <class Arm>
    FailureCode refused(C type, Arm arm) {
        auto reply = call(type, std::move(arm));
        BOOST_TEST_REQUIRE(static_cast<int>(reply.data.type) == static_cast<int>(S::QEMUD_SERVER_PKT_FAILURE));
        const auto& failure = std::get<model::qemud_packet_failure_reply>(reply.data.arm);
        BOOST_TEST(failure.message.back() == '\0');  // NUL-padded
        BOOST_TEST(!c_string(failure.message).empty());
        return static_cast<FailureCode>(failure.code);
    }
};

template <class Array>
Array text(std::string_view s) {
    Array out{};
    copy_padded(s, out);
    return out;
}
using Xml = std::array<char, 4096>;
using Name = std::array<char, 50>;
using Path = std::array<char, 4096>;

std::string domain_xml(const std::string& name) {
    return "<domain type='qemu'><name>" + name + "</name><memory>65536</memory><vcpu>2</vcpu></domain>";
}
std::string network_xml(const std::string& name) {
    return "<network><name>" + name + "</name><bridge name='br-" + name + "'/></network>";
}

}  // namespace

BOOST_AUTO_TEST_CASE(refd_dispatch_every_client_type_answered) {
    Session s;
    BOOST_TEST(s.ok<model::qemud_packet_get_version_reply>(C::QEMUD_CLIENT_PKT_GET_VERSION).versionNum > 0u);
    BOOST_TEST(s.ok<model::qemud_packet_get_node_info_reply>(C::QEMUD_CLIENT_PKT_GET_NODEINFO).cpus > 0u);
    const auto caps = s.ok<model::qemud_packet_get_capabilities_reply>(C::QEMUD_CLIENT_PKT_GET_CAPABILITIES);
    BOOST_TEST(c_string(caps.xml).starts_with("<capabilities>"));

    // A transient domain: created running.
    const auto created = s.ok<model::qemud_packet_domain_create_reply>(
        C::QEMUD_CLIENT_PKT_DOMAIN_CREATE, model::qemud_packet_domain_create_request{text<Xml>(domain_xml("web"))});
    BOOST_TEST(created.id > 0);
    BOOST_TEST(c_string(created.name) == "web");
    // A persistent one: defined stopped, then started.
    const auto defined = s.ok<model::qemud_packet_domain_define_reply>(
        C::QEMUD_CLIENT_PKT_DOMAIN_DEFINE, model::qemud_packet_domain_define_request{text<Xml>(domain_xml("db"))});
    BOOST_TEST(s.ok<model::qemud_packet_num_defined_domains_reply>(C::QEMUD_CLIENT_PKT_NUM_DEFINED_DOMAINS).numDomains == 1u);
    const auto defined_list =
        s.ok<model::qemud_packet_list_defined_domains_reply>(C::QEMUD_CLIENT_PKT_LIST_DEFINED_DOMAINS);
    BOOST_TEST(defined_list.numDomains == 1u);
    BOOST_TEST(std::string(defined_list.domains.data()) == "db");
    const auto started = s.ok<model::qemud_packet_domain_start_reply>(
        C::QEMUD_CLIENT_PKT_DOMAIN_START, model::qemud_packet_domain_start_request{defined.uuid});
    BOOST_TEST(started.id > created.id);
    BOOST_TEST(s.ok<model::qemud_packet_num_domains_reply>(C::QEMUD_CLIENT_PKT_NUM_DOMAINS).numDomains == 2);
    const auto ids = s.ok<model::qemud_packet_list_domains_reply>(C::QEMUD_CLIENT_PKT_LIST_DOMAINS);
    BOOST_TEST(ids.numDomains == 2);
    BOOST_TEST(ids.domains[0] == created.id);
    BOOST_TEST(ids.domains[1] == started.id);

    const auto by_id = s.ok<model::qemud_packet_domain_lookup_by_id_reply>(
        C::QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_ID, model::qemud_packet_domain_lookup_by_id_request{started.id});
    BOOST_TEST((by_id.uuid == defined.uuid));
    const auto by_uuid = s.ok<model::qemud_packet_domain_lookup_by_uuid_reply>(
        C::QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_UUID, model::qemud_packet_domain_lookup_by_uuid_request{created.uuid});
    BOOST_TEST(by_uuid.id == created.id);
    BOOST_TEST(c_string(by_uuid.name) == "web");
    const auto by_name = s.ok<model::qemud_packet_domain_lookup_by_name_reply>(
        C::QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME, model::qemud_packet_domain_lookup_by_name_request{text<Name>("db")});
    BOOST_TEST(by_name.id == started.id);

    s.ok<std::monostate>(C::QEMUD_CLIENT_PKT_DOMAIN_SUSPEND, model::qemud_packet_domain_suspend_request{started.id});
    auto info = s.ok<model::qemud_packet_domain_get_info_reply>(
        C::QEMUD_CLIENT_PKT_DOMAIN_GET_INFO, model::qemud_packet_domain_get_info_request{defined.uuid});
    BOOST_TEST(info.runstate == 2u);  // QEMUD_STATE_PAUSED
    BOOST_TEST(info.memory == 65536u);
    BOOST_TEST(info.nrVirtCpu == 2u);
    s.ok<std::monostate>(C::QEMUD_CLIENT_PKT_DOMAIN_RESUME, model::qemud_packet_domain_resume_request{started.id});
    info = s.ok<model::qemud_packet_domain_get_info_reply>(C::QEMUD_CLIENT_PKT_DOMAIN_GET_INFO,
                                                          model::qemud_packet_domain_get_info_request{defined.uuid});
    BOOST_TEST(info.runstate == 1u);  // QEMUD_STATE_RUNNING
    const auto xml = s.ok<model::qemud_packet_domain_dump_xml_reply>(
        C::QEMUD_CLIENT_PKT_DUMP_XML, model::qemud_packet_domain_dump_xml_request{defined.uuid});
    BOOST_TEST(c_string(xml.xml) == domain_xml("db"));

    s.ok<std::monostate>(C::QEMUD_CLIENT_PKT_DOMAIN_SET_AUTOSTART,
                         model::qemud_packet_domain_set_autostart_request{defined.uuid, 1});
    BOOST_TEST(s.ok<model::qemud_packet_domain_get_autostart_reply>(
                      C::QEMUD_CLIENT_PKT_DOMAIN_GET_AUTOSTART, model::qemud_packet_domain_get_autostart_request{defined.uuid})
                   .autostart == 1u);

    // Save stops the domain; restore starts it again under a new id.
    s.ok<std::monostate>(C::QEMUD_CLIENT_PKT_DOMAIN_SAVE,
                         model::qemud_packet_domain_save_request{started.id, text<Path>("/images/db.img")});
    info = s.ok<model::qemud_packet_domain_get_info_reply>(C::QEMUD_CLIENT_PKT_DOMAIN_GET_INFO,
                                                          model::qemud_packet_domain_get_info_request{defined.uuid});
    BOOST_TEST(info.runstate == 3u);  // QEMUD_STATE_STOPPED
    const auto restored = s.ok<model::qemud_packet_domain_restore_reply>(
        C::QEMUD_CLIENT_PKT_DOMAIN_RESTORE, model::qemud_packet_domain_restore_request{text<Path>("/images/db.img")});
    BOOST_TEST(restored.id > started.id);

    s.ok<std::monostate>(C::QEMUD_CLIENT_PKT_DOMAIN_DESTROY, model::qemud_packet_domain_destroy_request{restored.id});
    s.ok<std::monostate>(C::QEMUD_CLIENT_PKT_DOMAIN_UNDEFINE, model::qemud_packet_domain_undefine_request{defined.uuid});

    // Networks.
    const auto net = s.ok<model::qemud_packet_network_create_reply>(
        C::QEMUD_CLIENT_PKT_NETWORK_CREATE, model::qemud_packet_network_create_request{text<Xml>(network_xml("lan"))});
    const auto netdef = s.ok<model::qemud_packet_network_define_reply>(
        C::QEMUD_CLIENT_PKT_NETWORK_DEFINE, model::qemud_packet_network_define_request{text<Xml>(network_xml("dmz"))});
    BOOST_TEST(s.ok<model::qemud_packet_num_networks_reply>(C::QEMUD_CLIENT_PKT_NUM_NETWORKS).numNetworks == 1u);
    BOOST_TEST(s.ok<model::qemud_packet_num_defined_networks_reply>(C::QEMUD_CLIENT_PKT_NUM_DEFINED_NETWORKS).numNetworks == 1u);
    const auto active = s.ok<model::qemud_packet_list_networks_reply>(C::QEMUD_CLIENT_PKT_LIST_NETWORKS);
    BOOST_TEST(std::string(active.networks.data()) == "lan");
    const auto inactive = s.ok<model::qemud_packet_list_defined_networks_reply>(C::QEMUD_CLIENT_PKT_LIST_DEFINED_NETWORKS);
    BOOST_TEST(std::string(inactive.networks.data()) == "dmz");
    s.ok<std::monostate>(C::QEMUD_CLIENT_PKT_NETWORK_START, model::qemud_packet_network_start_request{netdef.uuid});
    const auto two = s.ok<model::qemud_packet_list_networks_reply>(C::QEMUD_CLIENT_PKT_LIST_NETWORKS);
    BOOST_TEST(two.numNetworks == 2u);
    BOOST_TEST(std::string(two.networks.data() + 50) == "dmz");  // name i in the 50-byte slot i
    const auto n_by_uuid = s.ok<model::qemud_packet_network_lookup_by_uuid_reply>(
        C::QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_UUID, model::qemud_packet_network_lookup_by_uuid_request{net.uuid});
    BOOST_TEST(c_string(n_by_uuid.name) == "lan");
    const auto n_by_name = s.ok<model::qemud_packet_network_lookup_by_name_reply>(
        C::QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_NAME, model::qemud_packet_network_lookup_by_name_request{text<Name>("dmz")});
    BOOST_TEST((n_by_name.uuid == netdef.uuid));
    const auto bridge = s.ok<model::qemud_packet_network_get_bridge_name_reply>(
        C::QEMUD_CLIENT_PKT_NETWORK_GET_BRIDGE_NAME, model::qemud_packet_network_get_bridge_name_request{net.uuid});
    BOOST_TEST(c_string(bridge.ifname) == "br-lan");
    const auto nxml = s.ok<model::qemud_packet_network_dump_xml_reply>(
        C::QEMUD_CLIENT_PKT_NETWORK_DUMP_XML, model::qemud_packet_network_dump_xml_request{netdef.uuid});
    BOOST_TEST(c_string(nxml.xml) == network_xml("dmz"));
    s.ok<std::monostate>(C::QEMUD_CLIENT_PKT_NETWORK_SET_AUTOSTART,
                         model::qemud_packet_network_set_autostart_request{netdef.uuid, 1});
    BOOST_TEST(s.ok<model::qemud_packet_network_get_autostart_reply>(
                      C::QEMUD_CLIENT_PKT_NETWORK_GET_AUTOSTART, model::qemud_packet_network_get_autostart_request{netdef.uuid})
                   .autostart == 1u);
    s.ok<std::monostate>(C::QEMUD_CLIENT_PKT_NETWORK_DESTROY, model::qemud_packet_network_destroy_request{netdef.uuid});
    s.ok<std::monostate>(C::QEMUD_CLIENT_PKT_NETWORK_UNDEFINE, model::qemud_packet_network_undefine_request{netdef.uuid});

    // Every client type got its own reply type at least once.
    for (std::int32_t t = 0; t < static_cast<std::int32_t>(C::QEMUD_CLIENT_PKT_MAX); ++t)
        BOOST_TEST(s.answered.count(t) == 1u, "client type " << t << " never answered with type " << t + 1);
}

BOOST_AUTO_TEST_CASE(refd_dispatch_impossible_requests_fail) {
    Session s;
    const Uuid nobody{};
    // Unknown ids, uuids, names, paths.
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_ID, model::qemud_packet_domain_lookup_by_id_request{42}) ==
                FailureCode::no_such_domain));
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_UUID, model::qemud_packet_domain_lookup_by_uuid_request{nobody}) ==
                FailureCode::no_such_domain));
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME,
                          model::qemud_packet_domain_lookup_by_name_request{text<Name>("ghost")}) == FailureCode::no_such_domain));
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_SUSPEND, model::qemud_packet_domain_suspend_request{1}) ==
                FailureCode::no_such_domain));
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_DESTROY, model::qemud_packet_domain_destroy_request{-1}) ==
                FailureCode::no_such_domain));
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_RESTORE, model::qemud_packet_domain_restore_request{text<Path>("/nope")}) ==
                FailureCode::no_such_image));
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_NETWORK_START, model::qemud_packet_network_start_request{nobody}) ==
                FailureCode::no_such_network));
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_NAME,
                          model::qemud_packet_network_lookup_by_name_request{text<Name>("ghost")}) == FailureCode::no_such_network));
    // XML without a usable name.
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_CREATE, model::qemud_packet_domain_create_request{text<Xml>("<domain/>")}) ==
                FailureCode::invalid_xml));
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_DEFINE,
                          model::qemud_packet_domain_define_request{text<Xml>(domain_xml(std::string(50, 'x')))}) ==
                FailureCode::invalid_xml));
    // Duplicate names, for create and define, domains and networks.
    const auto web = s.ok<model::qemud_packet_domain_create_reply>(
        C::QEMUD_CLIENT_PKT_DOMAIN_CREATE, model::qemud_packet_domain_create_request{text<Xml>(domain_xml("web"))});
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_CREATE, model::qemud_packet_domain_create_request{text<Xml>(domain_xml("web"))}) ==
                FailureCode::duplicate_name));
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_DEFINE, model::qemud_packet_domain_define_request{text<Xml>(domain_xml("web"))}) ==
                FailureCode::duplicate_name));
    s.ok<model::qemud_packet_network_define_reply>(C::QEMUD_CLIENT_PKT_NETWORK_DEFINE,
                                                  model::qemud_packet_network_define_request{text<Xml>(network_xml("lan"))});
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_NETWORK_CREATE, model::qemud_packet_network_create_request{text<Xml>(network_xml("lan"))}) ==
                FailureCode::duplicate_name));
    // State: start a running domain, undefine a running one, autostart a
    // transient one, destroy an inactive network.
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_START, model::qemud_packet_domain_start_request{web.uuid}) ==
                FailureCode::invalid_state));
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_UNDEFINE, model::qemud_packet_domain_undefine_request{web.uuid}) ==
                FailureCode::invalid_state));
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_SET_AUTOSTART,
                          model::qemud_packet_domain_set_autostart_request{web.uuid, 1}) == FailureCode::invalid_state));
    const auto lan = s.ok<model::qemud_packet_network_lookup_by_name_reply>(
        C::QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_NAME, model::qemud_packet_network_lookup_by_name_request{text<Name>("lan")});
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_NETWORK_DESTROY, model::qemud_packet_network_destroy_request{lan.uuid}) ==
                FailureCode::invalid_state));
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_SAVE, model::qemud_packet_domain_save_request{web.id, text<Path>("")}) ==
                FailureCode::invalid_argument));
    // A transient domain is gone once destroyed.
    s.ok<std::monostate>(C::QEMUD_CLIENT_PKT_DOMAIN_DESTROY, model::qemud_packet_domain_destroy_request{web.id});
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_UUID, model::qemud_packet_domain_lookup_by_uuid_request{web.uuid}) ==
                FailureCode::no_such_domain));
    // At most 100 domains: every list reply stays complete.
    for (int i = 0; i < 100; ++i)
        s.ok<model::qemud_packet_domain_define_reply>(
            C::QEMUD_CLIENT_PKT_DOMAIN_DEFINE, model::qemud_packet_domain_define_request{text<Xml>(domain_xml("d" + std::to_string(i)))});
    BOOST_TEST((s.refused(C::QEMUD_CLIENT_PKT_DOMAIN_DEFINE, model::qemud_packet_domain_define_request{text<Xml>(domain_xml("one-more"))}) ==
                FailureCode::limit_reached));
    const auto all = s.ok<model::qemud_packet_list_defined_domains_reply>(C::QEMUD_CLIENT_PKT_LIST_DEFINED_DOMAINS);
    BOOST_TEST(all.numDomains == 100u);
    BOOST_TEST(std::string(all.domains.data() + 99 * 50) == "d99");
}

// emplace_alternative default-constructs alternative `index` of a variant
// chosen at run time (the arm list gives indices, not types).
template <class Variant, std::size_t... I>
void emplace_alternative(Variant& v, std::size_t index, std::index_sequence<I...>) {
    ((index == I ? (void)v.template emplace<I>() : void()), ...);
}

BOOST_AUTO_TEST_CASE(refd_dispatch_every_arm_follows_the_reply_rules) {
    // Every arm of the client union, with an all-zero request, and the
    // count `..._PKT_MAX` and a negative type that are no arm: each gets
    // exactly one reply, inReplyTo = serial, type + 1 or FAILURE.
    HypervisorModel m(1);
    using Traits = xdr::UnionTraits<model::qemud_packet_client_data>;
    constexpr auto alternatives = std::variant_size_v<decltype(model::qemud_packet_client_data::arm)>;
    std::uint32_t serial = 0;
    for (const auto& arm : Traits::arms) {
        model::qemud_packet_client c{};
        c.serial = ++serial;
        c.data.type = static_cast<C>(arm.value);
        emplace_alternative(c.data.arm, arm.alternative, std::make_index_sequence<alternatives>{});
        const auto reply = dispatch(m, c);
        BOOST_TEST_CONTEXT("client type " << arm.value) {
            BOOST_TEST(reply.inReplyTo == serial);
            BOOST_TEST((static_cast<std::int32_t>(reply.data.type) == arm.value + 1 ||
                        reply.data.type == S::QEMUD_SERVER_PKT_FAILURE));
        }
    }
    for (const std::int32_t bad : {static_cast<std::int32_t>(C::QEMUD_CLIENT_PKT_MAX), -1}) {
        model::qemud_packet_client c{};
        c.serial = 9;
        c.data.type = static_cast<C>(bad);
        const auto reply = dispatch(m, c);
        BOOST_TEST(reply.inReplyTo == 9u);
        BOOST_TEST((reply.data.type == S::QEMUD_SERVER_PKT_FAILURE));
    }
    // A type whose arm holds the wrong struct (possible only in process).
    model::qemud_packet_client c{};
    c.data.type = C::QEMUD_CLIENT_PKT_DOMAIN_START;
    const auto reply = dispatch(m, c);
    BOOST_TEST((reply.data.type == S::QEMUD_SERVER_PKT_FAILURE));
    BOOST_TEST(std::get<model::qemud_packet_failure_reply>(reply.data.arm).code ==
               static_cast<std::uint32_t>(FailureCode::malformed_message));
}

BOOST_AUTO_TEST_CASE(refd_model_seed_makes_uuids_reproducible) {
    HypervisorModel a(42), b(42), c(43);
    const auto da = a.define_domain(domain_xml("x"));
    const auto db = b.define_domain(domain_xml("x"));
    const auto dc = c.define_domain(domain_xml("x"));
    BOOST_TEST_REQUIRE((da.ok() && db.ok() && dc.ok()));
    BOOST_TEST((da.value().uuid == db.value().uuid));
    BOOST_TEST((da.value().uuid != dc.value().uuid));
    BOOST_TEST((da.value().uuid[6] & 0xF0) == 0x40);  // a version-4 uuid
}
