// SPDX-License-Identifier: Apache-2.0
#include "refd/dispatch.h"

#include <utility>

#include "refd/xml_fields.h"

namespace qemud::refd {

namespace {

using C = model::qemud_packet_client_data_type;
using S = model::qemud_packet_server_data_type;
using Data = model::qemud_packet_server_data;

// Answer builds the body of one reply. Its type is the call's client value
// + 1 (protocol.x pairs the two enums by name), or FAILURE.
struct Answer {
    S type;

    Data done() const {
        Data d;
        d.type = type;
        d.arm = std::monostate{};
        return d;
    }
    template <class Arm>
    Data with(Arm arm) const {
        Data d;
        d.type = type;
        d.arm = std::move(arm);
        return d;
    }
    Data status(const Status& s) const { return s ? failure_data(s->code, s->message) : done(); }
};

Data refused(const Failure& f) { return failure_data(f.code, f.message); }

// names_buffer lays names out as qemud did: name i in the 50-byte slot at
// i * QEMUD_MAX_NAME_LEN, NUL-padded. The model holds at most 100 names,
// which fill the 5000-byte buffer exactly.
template <class Array>
std::uint32_t names_buffer(const std::vector<std::string>& names, Array& out) {
    constexpr std::size_t slot = model::QEMUD_MAX_NAME_LEN;
    out.fill(0);
    std::uint32_t count = 0;
    for (const auto& name : names) {
        if ((count + 1) * slot > out.size()) break;
        for (std::size_t i = 0; i < name.size() && i < slot - 1; ++i) out[count * slot + i] = name[i];
        ++count;
    }
    return count;
}

template <class Array>
Array padded(std::string_view text) {
    Array out{};
    copy_padded(text, out);
    return out;
}

Data answer_domain(HypervisorModel& m, const Answer& a, C type, const model::qemud_packet_client_data& in);
Data answer_network(HypervisorModel& m, const Answer& a, C type, const model::qemud_packet_client_data& in);

// arm_of gives the request struct of the call, or nullptr when the union
// holds another alternative than its type selects (a value built in process
// can be inconsistent; a decoded one never is).
template <class Request>
const Request* arm_of(const model::qemud_packet_client_data& in) {
    return std::get_if<Request>(&in.arm);
}

Data mismatched_arm() {
    return failure_data(FailureCode::malformed_message, "data: the arm does not match the type");
}

// Each case below names its request struct once; the macro keeps the
// "wrong arm" check from being repeated by hand 27 times.
#define QEMUD_REQUEST(var, Struct)          \
    const auto* var = arm_of<Struct>(in);   \
    if (!var) return mismatched_arm();

Data answer_domain(HypervisorModel& m, const Answer& a, C type, const model::qemud_packet_client_data& in) {
    switch (type) {
        case C::QEMUD_CLIENT_PKT_DOMAIN_CREATE: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_create_request);
            const auto d = m.create_domain(c_string(req->xml));
            if (!d.ok()) return refused(d.failure());
            return a.with(model::qemud_packet_domain_create_reply{
                d.value().id, d.value().uuid, padded<std::array<char, 50>>(d.value().name)});
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_DEFINE: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_define_request);
            const auto d = m.define_domain(c_string(req->xml));
            if (!d.ok()) return refused(d.failure());
            return a.with(
                model::qemud_packet_domain_define_reply{d.value().uuid, padded<std::array<char, 50>>(d.value().name)});
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_ID: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_lookup_by_id_request);
            const auto d = m.domain_by_id(req->id);
            if (!d.ok()) return refused(d.failure());
            return a.with(model::qemud_packet_domain_lookup_by_id_reply{
                d.value().uuid, padded<std::array<char, 50>>(d.value().name)});
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_UUID: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_lookup_by_uuid_request);
            const auto d = m.domain_by_uuid(req->uuid);
            if (!d.ok()) return refused(d.failure());
            return a.with(model::qemud_packet_domain_lookup_by_uuid_reply{
                d.value().id, padded<std::array<char, 50>>(d.value().name)});
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_lookup_by_name_request);
            const auto d = m.domain_by_name(c_string(req->name));
            if (!d.ok()) return refused(d.failure());
            return a.with(model::qemud_packet_domain_lookup_by_name_reply{d.value().id, d.value().uuid});
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_SUSPEND: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_suspend_request);
            return a.status(m.suspend_domain(req->id));
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_RESUME: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_resume_request);
            return a.status(m.resume_domain(req->id));
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_DESTROY: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_destroy_request);
            return a.status(m.destroy_domain(req->id));
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_GET_INFO: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_get_info_request);
            const auto d = m.domain_info(req->uuid);
            if (!d.ok()) return refused(d.failure());
            const Domain& v = d.value();
            return a.with(model::qemud_packet_domain_get_info_reply{
                v.cpu_time_ns, static_cast<std::uint32_t>(v.state), v.memory_kib, v.memory_kib, v.vcpus});
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_SAVE: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_save_request);
            return a.status(m.save_domain(req->id, c_string(req->file)));
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_RESTORE: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_restore_request);
            const auto d = m.restore_domain(c_string(req->file));
            if (!d.ok()) return refused(d.failure());
            return a.with(model::qemud_packet_domain_restore_reply{d.value().id});
        }
        case C::QEMUD_CLIENT_PKT_DUMP_XML: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_dump_xml_request);
            const auto d = m.domain_by_uuid(req->uuid);
            if (!d.ok()) return refused(d.failure());
            return a.with(model::qemud_packet_domain_dump_xml_reply{padded<std::array<char, 4096>>(d.value().xml)});
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_START: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_start_request);
            const auto d = m.start_domain(req->uuid);
            if (!d.ok()) return refused(d.failure());
            return a.with(model::qemud_packet_domain_start_reply{d.value().id});
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_UNDEFINE: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_undefine_request);
            return a.status(m.undefine_domain(req->uuid));
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_GET_AUTOSTART: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_get_autostart_request);
            const auto d = m.domain_by_uuid(req->uuid);
            if (!d.ok()) return refused(d.failure());
            return a.with(model::qemud_packet_domain_get_autostart_reply{d.value().autostart ? 1u : 0u});
        }
        case C::QEMUD_CLIENT_PKT_DOMAIN_SET_AUTOSTART: {
            QEMUD_REQUEST(req, model::qemud_packet_domain_set_autostart_request);
            return a.status(m.set_domain_autostart(req->uuid, req->autostart != 0));
        }
        default:
            return answer_network(m, a, type, in);
    }
}

Data answer_network(HypervisorModel& m, const Answer& a, C type, const model::qemud_packet_client_data& in) {
    switch (type) {
        case C::QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_UUID: {
            QEMUD_REQUEST(req, model::qemud_packet_network_lookup_by_uuid_request);
            const auto n = m.network_by_uuid(req->uuid);
            if (!n.ok()) return refused(n.failure());
            return a.with(model::qemud_packet_network_lookup_by_uuid_reply{
                n.value().id, padded<std::array<char, 50>>(n.value().name)});
        }
        case C::QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_NAME: {
            QEMUD_REQUEST(req, model::qemud_packet_network_lookup_by_name_request);
            const auto n = m.network_by_name(c_string(req->name));
            if (!n.ok()) return refused(n.failure());
            return a.with(model::qemud_packet_network_lookup_by_name_reply{n.value().id, n.value().uuid});
        }
        case C::QEMUD_CLIENT_PKT_NETWORK_CREATE: {
            QEMUD_REQUEST(req, model::qemud_packet_network_create_request);
            const auto n = m.create_network(c_string(req->xml));
            if (!n.ok()) return refused(n.failure());
            return a.with(
                model::qemud_packet_network_create_reply{n.value().uuid, padded<std::array<char, 50>>(n.value().name)});
        }
        case C::QEMUD_CLIENT_PKT_NETWORK_DEFINE: {
            QEMUD_REQUEST(req, model::qemud_packet_network_define_request);
            const auto n = m.define_network(c_string(req->xml));
            if (!n.ok()) return refused(n.failure());
            return a.with(
                model::qemud_packet_network_define_reply{n.value().uuid, padded<std::array<char, 50>>(n.value().name)});
        }
        case C::QEMUD_CLIENT_PKT_NETWORK_UNDEFINE: {
            QEMUD_REQUEST(req, model::qemud_packet_network_undefine_request);
            return a.status(m.undefine_network(req->uuid));
        }
        case C::QEMUD_CLIENT_PKT_NETWORK_START: {
            QEMUD_REQUEST(req, model::qemud_packet_network_start_request);
            return a.status(m.start_network(req->uuid));
        }
        case C::QEMUD_CLIENT_PKT_NETWORK_DESTROY: {
            QEMUD_REQUEST(req, model::qemud_packet_network_destroy_request);
            return a.status(m.destroy_network(req->uuid));
        }
        case C::QEMUD_CLIENT_PKT_NETWORK_DUMP_XML: {
            QEMUD_REQUEST(req, model::qemud_packet_network_dump_xml_request);
            const auto n = m.network_by_uuid(req->uuid);
            if (!n.ok()) return refused(n.failure());
            return a.with(model::qemud_packet_network_dump_xml_reply{padded<std::array<char, 4096>>(n.value().xml)});
        }
        case C::QEMUD_CLIENT_PKT_NETWORK_GET_BRIDGE_NAME: {
            QEMUD_REQUEST(req, model::qemud_packet_network_get_bridge_name_request);
            const auto n = m.network_by_uuid(req->uuid);
            if (!n.ok()) return refused(n.failure());
            return a.with(model::qemud_packet_network_get_bridge_name_reply{padded<std::array<char, 50>>(n.value().bridge)});
        }
        case C::QEMUD_CLIENT_PKT_NETWORK_GET_AUTOSTART: {
            QEMUD_REQUEST(req, model::qemud_packet_network_get_autostart_request);
            const auto n = m.network_by_uuid(req->uuid);
            if (!n.ok()) return refused(n.failure());
            return a.with(model::qemud_packet_network_get_autostart_reply{n.value().autostart ? 1u : 0u});
        }
        case C::QEMUD_CLIENT_PKT_NETWORK_SET_AUTOSTART: {
            QEMUD_REQUEST(req, model::qemud_packet_network_set_autostart_request);
            return a.status(m.set_network_autostart(req->uuid, req->autostart != 0));
        }
        default:
            return failure_data(FailureCode::malformed_message,
                                "data.type: " + std::to_string(static_cast<std::int32_t>(type)) + " has no arm");
    }
}

#undef QEMUD_REQUEST

// answer_void handles the calls whose request is the void arm.
std::optional<Data> answer_void(HypervisorModel& m, const Answer& a, C type) {
    switch (type) {
        case C::QEMUD_CLIENT_PKT_GET_VERSION: return a.with(model::qemud_packet_get_version_reply{m.version()});
        case C::QEMUD_CLIENT_PKT_GET_NODEINFO: {
            const NodeInfo& n = m.node_info();
            return a.with(model::qemud_packet_get_node_info_reply{padded<std::array<char, 32>>(n.model), n.memory_kib,
                                                                  n.cpus, n.mhz, n.nodes, n.sockets, n.cores,
                                                                  n.threads});
        }
        case C::QEMUD_CLIENT_PKT_LIST_DOMAINS: {
            model::qemud_packet_list_domains_reply reply{};
            const auto ids = m.active_domain_ids();
            for (const auto id : ids) {
                if (reply.numDomains >= static_cast<std::int32_t>(reply.domains.size())) break;
                reply.domains[reply.numDomains++] = id;
            }
            return a.with(reply);
        }
        case C::QEMUD_CLIENT_PKT_NUM_DOMAINS:
            return a.with(model::qemud_packet_num_domains_reply{static_cast<std::int32_t>(m.active_domain_ids().size())});
        case C::QEMUD_CLIENT_PKT_LIST_DEFINED_DOMAINS: {
            model::qemud_packet_list_defined_domains_reply reply{};
            reply.numDomains = names_buffer(m.inactive_domain_names(), reply.domains);
            return a.with(reply);
        }
        case C::QEMUD_CLIENT_PKT_NUM_DEFINED_DOMAINS:
            return a.with(model::qemud_packet_num_defined_domains_reply{
                static_cast<std::uint32_t>(m.inactive_domain_names().size())});
        case C::QEMUD_CLIENT_PKT_NUM_NETWORKS:
            return a.with(
                model::qemud_packet_num_networks_reply{static_cast<std::uint32_t>(m.active_network_names().size())});
        case C::QEMUD_CLIENT_PKT_LIST_NETWORKS: {
            model::qemud_packet_list_networks_reply reply{};
            reply.numNetworks = names_buffer(m.active_network_names(), reply.networks);
            return a.with(reply);
        }
        case C::QEMUD_CLIENT_PKT_NUM_DEFINED_NETWORKS:
            return a.with(model::qemud_packet_num_defined_networks_reply{
                static_cast<std::uint32_t>(m.inactive_network_names().size())});
        case C::QEMUD_CLIENT_PKT_LIST_DEFINED_NETWORKS: {
            model::qemud_packet_list_defined_networks_reply reply{};
            reply.numNetworks = names_buffer(m.inactive_network_names(), reply.networks);
            return a.with(reply);
        }
        case C::QEMUD_CLIENT_PKT_GET_CAPABILITIES:
            return a.with(model::qemud_packet_get_capabilities_reply{padded<std::array<char, 4096>>(m.capabilities())});
        default:
            return std::nullopt;
    }
}

}  // namespace

model::qemud_packet_server_data failure_data(FailureCode code, std::string_view message) {
    model::qemud_packet_failure_reply failure{};
    failure.code = static_cast<std::uint32_t>(code);
    copy_padded(message, failure.message);
    Data d;
    d.type = S::QEMUD_SERVER_PKT_FAILURE;
    d.arm = failure;
    return d;
}

model::qemud_packet_server dispatch(HypervisorModel& model, const model::qemud_packet_client& call) {
    model::qemud_packet_server reply{};
    reply.inReplyTo = call.serial;
    const auto type = call.data.type;
    const auto value = static_cast<std::int32_t>(type);
    if (value < 0 || value >= static_cast<std::int32_t>(C::QEMUD_CLIENT_PKT_MAX)) {
        reply.data = failure_data(FailureCode::malformed_message,
                                  "data.type: " + std::to_string(value) + " is no client message type");
        return reply;
    }
    const Answer answer{static_cast<S>(value + 1)};
    if (auto data = answer_void(model, answer, type)) {
        reply.data = std::move(*data);
    } else {
        reply.data = answer_domain(model, answer, type, call.data);
    }
    return reply;
}

}  // namespace qemud::refd
