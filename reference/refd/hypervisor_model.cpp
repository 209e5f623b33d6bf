// SPDX-License-Identifier: Apache-2.0
#include "refd/hypervisor_model.h"

#include <algorithm>
#include <climits>

#include "refd/xml_fields.h"

namespace qemud::refd {

namespace {

// The list replies carry at most this many ids or 50-byte names (100 x 50
// = QEMUD_MAX_DOMAINS_NAME_BUF), so the model never holds more.
constexpr std::size_t max_objects = 100;
constexpr std::size_t max_name_bytes = 49;  // QEMUD_MAX_NAME_LEN with its NUL
constexpr std::size_t max_path_bytes = 4095;
constexpr std::uint32_t default_memory_kib = 131072;

std::string hex(const Uuid& uuid) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (const auto b : uuid) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

Failure fail(FailureCode code, std::string message) { return Failure{code, std::move(message)}; }
Failure no_domain(const Uuid& uuid) { return fail(FailureCode::no_such_domain, "no domain with uuid " + hex(uuid)); }
Failure no_domain_id(std::int32_t id) {
    return fail(FailureCode::no_such_domain, "no running domain with id " + std::to_string(id));
}
Failure no_network(const Uuid& uuid) {
    return fail(FailureCode::no_such_network, "no network with uuid " + hex(uuid));
}

// name_from_xml: the <name> a new domain or network is known by. It must fit
// a 50-byte name field with its NUL and hold no NUL of its own.
Result<std::string> name_from_xml(std::string_view xml) {
    const auto name = element_text(xml, "name");
    if (!name) return fail(FailureCode::invalid_xml, "xml: no <name>...</name> element");
    if (name->empty()) return fail(FailureCode::invalid_xml, "xml: <name> is empty");
    if (name->size() > max_name_bytes)
        return fail(FailureCode::invalid_xml, "xml: <name> has " + std::to_string(name->size()) +
                                                  " bytes, at most 49 fit the name field");
    return std::string(*name);
}

}  // namespace

HypervisorModel::HypervisorModel(std::uint64_t seed, BugSet bugs) : bugs_(bugs), prng_state_(seed) {}

std::uint32_t HypervisorModel::version() const {
    // major * 1,000,000 + minor * 1,000 + micro, as qemud reported QEMU's
    // version: 0.9.0.
    return 9000;
}

const NodeInfo& HypervisorModel::node_info() const {
    static const NodeInfo info{"x86_64", 2097152, 2, 2000, 1, 1, 2, 1};
    return info;
}

const std::string& HypervisorModel::capabilities() const {
    static const std::string xml =
        "<capabilities>\n"
        "  <host><cpu><arch>x86_64</arch></cpu></host>\n"
        "  <guest>\n"
        "    <os_type>hvm</os_type>\n"
        "    <arch name='x86_64'><wordsize>64</wordsize><emulator>/usr/bin/qemu</emulator>"
        "<domain type='qemu'/></arch>\n"
        "  </guest>\n"
        "</capabilities>\n";
    return xml;
}

// new_uuid: splitmix64 (a small, well-mixed PRNG whose whole state is one
// word, so `--seed N` reproduces every uuid), shaped as a version-4 uuid.
Uuid HypervisorModel::new_uuid() {
    for (;;) {
        Uuid uuid{};
        for (int half = 0; half < 2; ++half) {
            std::uint64_t z = (prng_state_ += 0x9E3779B97F4A7C15ull);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            z ^= z >> 31;
            for (int i = 0; i < 8; ++i) uuid[half * 8 + i] = static_cast<unsigned char>(z >> (8 * i));
        }
        uuid[6] = static_cast<unsigned char>((uuid[6] & 0x0F) | 0x40);
        uuid[8] = static_cast<unsigned char>((uuid[8] & 0x3F) | 0x80);
        const bool taken = std::any_of(domains_.begin(), domains_.end(), [&](auto& d) { return d.uuid == uuid; }) ||
                           std::any_of(networks_.begin(), networks_.end(), [&](auto& n) { return n.uuid == uuid; });
        if (!taken) return uuid;
    }
}

// Ids wrap before INT32_MAX rather than overflow; with at most 100 objects
// a free id is always near.
std::int32_t HypervisorModel::next_domain_id() {
    for (;;) {
        last_domain_id_ = last_domain_id_ == INT32_MAX ? 1 : last_domain_id_ + 1;
        if (!find_active_domain(last_domain_id_)) return last_domain_id_;
    }
}

std::int32_t HypervisorModel::next_network_id() {
    for (;;) {
        last_network_id_ = last_network_id_ == INT32_MAX ? 1 : last_network_id_ + 1;
        if (std::none_of(networks_.begin(), networks_.end(), [&](auto& n) { return n.id == last_network_id_; }))
            return last_network_id_;
    }
}

Domain* HypervisorModel::find_domain(const Uuid& uuid) {
    for (auto& d : domains_)
        if (d.uuid == uuid) return &d;
    return nullptr;
}

Domain* HypervisorModel::find_active_domain(std::int32_t id) {
    for (auto& d : domains_)
        if (d.active() && d.id == id) return &d;
    return nullptr;
}

Network* HypervisorModel::find_network(const Uuid& uuid) {
    for (auto& n : networks_)
        if (n.uuid == uuid) return &n;
    return nullptr;
}

// remove_domain takes the uuid by value: callers pass a member of the
// element being erased.
void HypervisorModel::remove_domain(Uuid uuid) {
    std::erase_if(domains_, [&](const Domain& d) { return d.uuid == uuid; });
}

// --- domains

Result<Domain> HypervisorModel::add_domain(std::string_view xml, bool persistent, bool start) {
    auto name = name_from_xml(xml);
    if (!name.ok()) return name.failure();
    if (std::any_of(domains_.begin(), domains_.end(), [&](auto& d) { return d.name == name.value(); }))
        return fail(FailureCode::duplicate_name, "a domain named '" + name.value() + "' exists");
    if (domains_.size() >= max_objects)
        return fail(FailureCode::limit_reached, "the daemon holds 100 domains, the most a list reply carries");
    Domain d;
    d.uuid = new_uuid();
    d.name = name.value();
    d.xml = std::string(xml);
    d.persistent = persistent;
    d.memory_kib = element_number(xml, "memory").value_or(default_memory_kib);
    d.vcpus = element_number(xml, "vcpu").value_or(1);
    if (start) {
        d.id = next_domain_id();
        d.state = RunState::running;
    }
    domains_.push_back(d);
    return d;
}

Result<Domain> HypervisorModel::create_domain(std::string_view xml) { return add_domain(xml, false, true); }
Result<Domain> HypervisorModel::define_domain(std::string_view xml) { return add_domain(xml, true, false); }

Result<Domain> HypervisorModel::start_domain(const Uuid& uuid) {
    Domain* d = find_domain(uuid);
    if (!d) return no_domain(uuid);
    if (d->active()) return fail(FailureCode::invalid_state, "domain '" + d->name + "' is already running");
    d->id = next_domain_id();
    d->state = RunState::running;
    return *d;
}

Status HypervisorModel::suspend_domain(std::int32_t id) {
    Domain* d = find_active_domain(id);
    if (!d) return no_domain_id(id);
    d->state = RunState::paused;  // suspending a paused domain succeeds, as qemud's did
    return std::nullopt;
}

Status HypervisorModel::resume_domain(std::int32_t id) {
    Domain* d = find_active_domain(id);
    if (!d) return no_domain_id(id);
    d->state = RunState::running;
    return std::nullopt;
}

Status HypervisorModel::destroy_domain(std::int32_t id) {
    Domain* d = find_active_domain(id);
    if (!d) return no_domain_id(id);
    if (bugs_.has(Bug::stale_count_after_destroy) && stale_ids_.size() < max_objects) stale_ids_.push_back(id);
    if (!d->persistent) {
        remove_domain(d->uuid);  // a transient domain ends with its run
    } else {
        d->id = -1;
        d->state = RunState::stopped;
    }
    return std::nullopt;
}

Status HypervisorModel::undefine_domain(const Uuid& uuid) {
    Domain* d = find_domain(uuid);
    if (!d) return no_domain(uuid);
    if (d->active()) return fail(FailureCode::invalid_state, "domain '" + d->name + "' is running");
    if (bugs_.has(Bug::lookup_after_undefine)) {
        if (ghosts_.size() >= max_objects) ghosts_.erase(ghosts_.begin());
        ghosts_.push_back(*d);
    }
    remove_domain(uuid);
    return std::nullopt;
}

Result<Domain> HypervisorModel::domain_by_id(std::int32_t id) const {
    for (const auto& d : domains_)
        if (d.active() && d.id == id) return d;
    return no_domain_id(id);
}

Result<Domain> HypervisorModel::domain_by_uuid(const Uuid& uuid) const {
    for (const auto& d : domains_)
        if (d.uuid == uuid) return d;
    if (bugs_.has(Bug::lookup_after_undefine))
        for (const auto& d : ghosts_)
            if (d.uuid == uuid) return d;
    return no_domain(uuid);
}

Result<Domain> HypervisorModel::domain_by_name(std::string_view name) const {
    for (const auto& d : domains_)
        if (d.name == name) return d;
    if (bugs_.has(Bug::lookup_after_undefine))
        for (const auto& d : ghosts_)
            if (d.name == name) return d;
    return fail(FailureCode::no_such_domain, "no domain named '" + std::string(name) + "'");
}

Result<Domain> HypervisorModel::domain_info(const Uuid& uuid) {
    Domain* d = find_domain(uuid);
    if (!d) return no_domain(uuid);
    if (d->state == RunState::running) d->cpu_time_ns += 10'000'000;
    return *d;
}

Status HypervisorModel::save_domain(std::int32_t id, std::string_view path) {
    Domain* d = find_active_domain(id);
    if (!d) return no_domain_id(id);
    if (path.empty()) return fail(FailureCode::invalid_argument, "file: the path is empty");
    if (path.size() > max_path_bytes) return fail(FailureCode::invalid_argument, "file: the path has no NUL");
    auto image = std::find_if(images_.begin(), images_.end(), [&](auto& i) { return i.first == path; });
    if (image == images_.end() && images_.size() >= max_objects)
        return fail(FailureCode::limit_reached, "the daemon holds 100 saved images");
    Domain saved = *d;
    saved.id = -1;
    saved.state = RunState::stopped;
    if (image != images_.end())
        image->second = saved;  // saving again under a path replaces the image, as a file would be
    else
        images_.emplace_back(std::string(path), saved);
    if (!d->persistent)
        remove_domain(d->uuid);
    else
        *d = saved;
    return std::nullopt;
}

Result<Domain> HypervisorModel::restore_domain(std::string_view path) {
    auto image = std::find_if(images_.begin(), images_.end(), [&](auto& i) { return i.first == path; });
    if (image == images_.end())
        return fail(FailureCode::no_such_image, "file: nothing was saved under '" + std::string(path) + "'");
    const Domain& saved = image->second;
    if (Domain* d = find_domain(saved.uuid)) {
        if (d->active()) return fail(FailureCode::invalid_state, "domain '" + d->name + "' is already running");
        d->id = next_domain_id();
        d->state = RunState::running;
        return *d;
    }
    if (std::any_of(domains_.begin(), domains_.end(), [&](auto& d) { return d.name == saved.name; }))
        return fail(FailureCode::duplicate_name, "a domain named '" + saved.name + "' exists");
    if (domains_.size() >= max_objects)
        return fail(FailureCode::limit_reached, "the daemon holds 100 domains, the most a list reply carries");
    Domain d = saved;
    d.persistent = false;  // a restored image that was transient comes back transient
    d.id = next_domain_id();
    d.state = RunState::running;
    domains_.push_back(d);
    return d;
}

Status HypervisorModel::set_domain_autostart(const Uuid& uuid, bool autostart) {
    Domain* d = find_domain(uuid);
    if (!d) return no_domain(uuid);
    if (!d->persistent)
        return fail(FailureCode::invalid_state, "domain '" + d->name + "' is transient: autostart needs a definition");
    d->autostart = autostart;
    return std::nullopt;
}

std::vector<std::int32_t> HypervisorModel::active_domain_ids() const {
    std::vector<std::int32_t> ids;
    for (const auto& d : domains_)
        if (d.active()) ids.push_back(d.id);
    for (const auto id : stale_ids_)
        if (ids.size() < max_objects) ids.push_back(id);
    return ids;
}

std::vector<std::string> HypervisorModel::inactive_domain_names() const {
    std::vector<std::string> names;
    for (const auto& d : domains_)
        if (!d.active()) names.push_back(d.name);
    return names;
}

// --- networks

Result<Network> HypervisorModel::add_network(std::string_view xml, bool persistent, bool start) {
    auto name = name_from_xml(xml);
    if (!name.ok()) return name.failure();
    if (std::any_of(networks_.begin(), networks_.end(), [&](auto& n) { return n.name == name.value(); }))
        return fail(FailureCode::duplicate_name, "a network named '" + name.value() + "' exists");
    if (networks_.size() >= max_objects)
        return fail(FailureCode::limit_reached, "the daemon holds 100 networks, the most a list reply carries");
    Network n;
    n.uuid = new_uuid();
    n.name = name.value();
    n.xml = std::string(xml);
    n.persistent = persistent;
    const auto bridge = attribute_of(xml, "bridge", "name");
    if (bridge && !bridge->empty() && bridge->size() <= max_name_bytes)
        n.bridge = std::string(*bridge);
    else
        n.bridge = "virbr" + std::to_string(bridges_made_++);
    if (start) n.id = next_network_id();
    networks_.push_back(n);
    return n;
}

Result<Network> HypervisorModel::create_network(std::string_view xml) { return add_network(xml, false, true); }
Result<Network> HypervisorModel::define_network(std::string_view xml) { return add_network(xml, true, false); }

Status HypervisorModel::start_network(const Uuid& uuid) {
    Network* n = find_network(uuid);
    if (!n) return no_network(uuid);
    if (n->active()) return fail(FailureCode::invalid_state, "network '" + n->name + "' is already active");
    n->id = next_network_id();
    return std::nullopt;
}

Status HypervisorModel::destroy_network(const Uuid& uuid) {
    Network* n = find_network(uuid);
    if (!n) return no_network(uuid);
    if (!n->active()) return fail(FailureCode::invalid_state, "network '" + n->name + "' is not active");
    if (!n->persistent)
        std::erase_if(networks_, [&](const Network& other) { return other.uuid == uuid; });
    else
        n->id = -1;
    return std::nullopt;
}

Status HypervisorModel::undefine_network(const Uuid& uuid) {
    Network* n = find_network(uuid);
    if (!n) return no_network(uuid);
    if (n->active()) return fail(FailureCode::invalid_state, "network '" + n->name + "' is active");
    std::erase_if(networks_, [&](const Network& other) { return other.uuid == uuid; });
    return std::nullopt;
}

Result<Network> HypervisorModel::network_by_uuid(const Uuid& uuid) const {
    for (const auto& n : networks_)
        if (n.uuid == uuid) return n;
    return no_network(uuid);
}

Result<Network> HypervisorModel::network_by_name(std::string_view name) const {
    for (const auto& n : networks_)
        if (n.name == name) return n;
    return fail(FailureCode::no_such_network, "no network named '" + std::string(name) + "'");
}

Status HypervisorModel::set_network_autostart(const Uuid& uuid, bool autostart) {
    Network* n = find_network(uuid);
    if (!n) return no_network(uuid);
    if (!n->persistent)
        return fail(FailureCode::invalid_state, "network '" + n->name + "' is transient: autostart needs a definition");
    n->autostart = autostart;
    return std::nullopt;
}

std::vector<std::string> HypervisorModel::active_network_names() const {
    std::vector<std::string> names;
    for (const auto& n : networks_)
        if (n.active()) names.push_back(n.name);
    return names;
}

std::vector<std::string> HypervisorModel::inactive_network_names() const {
    std::vector<std::string> names;
    for (const auto& n : networks_)
        if (!n.active()) names.push_back(n.name);
    return names;
}

}  // namespace qemud::refd
