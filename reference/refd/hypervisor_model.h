// SPDX-License-Identifier: Apache-2.0
// hypervisor_model.h: the in-memory hypervisor qemud-refd answers for:
// domains, networks, saved images, node info, capabilities and version,
// with the semantics of libvirt's QEMU daemon of 2007 (docs/PEERS.md,
// "What the daemon models"). No sockets and no wire types here: dispatch.h
// maps messages onto these calls.
//
// Every operation that cannot be done returns a Failure (failure.h) and
// leaves the model unchanged. The model holds at most QEMUD_MAX_NUM_DOMAINS
// domains and QEMUD_MAX_NUM_NETWORKS networks, so every list reply is
// complete and memory stays bounded whatever a client sends.
//
// Generated uuids come from a small PRNG seeded by the constructor's seed
// (`--seed N`): the same seed and the same calls give the same uuids. Ids
// count up from 1 and are never reused while the model lives.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "refd/bugs.h"
#include "refd/failure.h"

namespace qemud::refd {

using Uuid = std::array<unsigned char, 16>;

// RunState is the protocol's qemud_domain_runstate, as DOMAIN_GET_INFO's
// runstate word carries it.
enum class RunState : std::uint32_t { running = 1, paused = 2, stopped = 3 };

struct Domain {
    std::int32_t id = -1;  // > 0 while active (running or paused), -1 when stopped
    Uuid uuid{};
    std::string name;
    std::string xml;
    RunState state = RunState::stopped;
    bool persistent = false;  // DOMAIN_DEFINE; DOMAIN_CREATE's are transient
    bool autostart = false;
    std::uint32_t memory_kib = 0;  // <memory>, also maxmem
    std::uint32_t vcpus = 0;       // <vcpu>
    std::uint64_t cpu_time_ns = 0;
    bool active() const { return state != RunState::stopped; }
};

struct Network {
    std::int32_t id = -1;  // > 0 while active, -1 when inactive
    Uuid uuid{};
    std::string name;
    std::string xml;
    std::string bridge;  // <bridge name='...'>, or virbrN
    bool persistent = false;
    bool autostart = false;
    bool active() const { return id > 0; }
};

struct NodeInfo {
    std::string model;
    std::uint32_t memory_kib, cpus, mhz, nodes, sockets, cores, threads;
};

// Result is a value or the Failure that refused the request.
template <class T>
class Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Failure failure) : state_(std::move(failure)) {}
    bool ok() const { return state_.index() == 0; }
    const T& value() const { return std::get<0>(state_); }
    const Failure& failure() const { return std::get<1>(state_); }

private:
    std::variant<T, Failure> state_;
};
// Status is the result of an operation that gives nothing back.
using Status = std::optional<Failure>;

class HypervisorModel {
public:
    // The bugs lookup-after-undefine and stale-count-after-destroy live
    // here; the others are the connection's (connection.h).
    explicit HypervisorModel(std::uint64_t seed, BugSet bugs = {});

    std::uint32_t version() const;
    const NodeInfo& node_info() const;
    const std::string& capabilities() const;

    // --- domains. Lookups by id find active domains only.
    Result<Domain> create_domain(std::string_view xml);  // define transient + start
    Result<Domain> define_domain(std::string_view xml);  // persistent, stopped
    Result<Domain> start_domain(const Uuid& uuid);       // stopped -> running
    Status suspend_domain(std::int32_t id);               // running -> paused (paused: no-op)
    Status resume_domain(std::int32_t id);                // paused -> running (running: no-op)
    Status destroy_domain(std::int32_t id);               // active -> stopped; transient: gone
    Status undefine_domain(const Uuid& uuid);             // stopped only
    Result<Domain> domain_by_id(std::int32_t id) const;
    Result<Domain> domain_by_uuid(const Uuid& uuid) const;
    Result<Domain> domain_by_name(std::string_view name) const;
    // domain_info is domain_by_uuid for DOMAIN_GET_INFO: an active domain's
    // cpu time advances 10 ms per call, so a client sees time pass.
    Result<Domain> domain_info(const Uuid& uuid);
    Status save_domain(std::int32_t id, std::string_view path);  // active -> stopped, image kept
    Result<Domain> restore_domain(std::string_view path);       // image -> running
    Status set_domain_autostart(const Uuid& uuid, bool autostart);  // persistent only
    // Ids of active domains and names of stopped ones, in definition order.
    std::vector<std::int32_t> active_domain_ids() const;
    std::vector<std::string> inactive_domain_names() const;

    // --- networks
    Result<Network> create_network(std::string_view xml);
    Result<Network> define_network(std::string_view xml);
    Status start_network(const Uuid& uuid);
    Status destroy_network(const Uuid& uuid);
    Status undefine_network(const Uuid& uuid);
    Result<Network> network_by_uuid(const Uuid& uuid) const;
    Result<Network> network_by_name(std::string_view name) const;
    Status set_network_autostart(const Uuid& uuid, bool autostart);
    std::vector<std::string> active_network_names() const;
    std::vector<std::string> inactive_network_names() const;

private:
    Result<Domain> add_domain(std::string_view xml, bool persistent, bool start);
    Result<Network> add_network(std::string_view xml, bool persistent, bool start);
    Domain* find_domain(const Uuid& uuid);
    Domain* find_active_domain(std::int32_t id);
    Network* find_network(const Uuid& uuid);
    std::int32_t next_domain_id();
    std::int32_t next_network_id();
    Uuid new_uuid();
    void remove_domain(Uuid uuid);

    BugSet bugs_;
    std::uint64_t prng_state_;
    std::int32_t last_domain_id_ = 0;
    std::int32_t last_network_id_ = 0;
    std::uint32_t bridges_made_ = 0;
    std::vector<Domain> domains_;
    std::vector<Network> networks_;
    std::vector<std::pair<std::string, Domain>> images_;  // DOMAIN_SAVE path -> the domain as saved
    // Bug state: undefined domains still found by lookups, destroyed ids
    // still counted. Both bounded like the lists.
    std::vector<Domain> ghosts_;
    std::vector<std::int32_t> stale_ids_;
};

}  // namespace qemud::refd
