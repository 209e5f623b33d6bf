// SPDX-License-Identifier: Apache-2.0
// stateful_model.h: what the --stateful run believes the server holds: a
// few domain and network slots of its own, each absent or in a state.
// Only the objects it made are modelled; what the server held before a
// sequence is read once at its start (the baseline) and must not change.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace qemud::peers {

enum class DomainState { stopped, running, paused };

struct DomainSlot {
    bool exists = false;
    bool persistent = false;  // DOMAIN_DEFINE's; DOMAIN_CREATE's are transient
    DomainState state = DomainState::stopped;
    bool autostart = false;
    bool uuid_known = false;  // a reply gave its uuid (kept after it is gone)
    bool id_known = false;    // a reply gave an id (kept after it stops)
    bool active() const { return exists && state != DomainState::stopped; }
};

struct NetworkSlot {
    bool exists = false;
    bool persistent = false;
    bool active = false;
    bool autostart = false;
    bool uuid_known = false;
};

constexpr std::size_t domain_slots = 3;
constexpr std::size_t network_slots = 2;

struct StatefulModel {
    std::array<DomainSlot, domain_slots> domains{};
    std::array<NetworkSlot, network_slots> networks{};
};

// runstate_of is DOMAIN_GET_INFO's runstate word for a state (1 running,
// 2 paused, 3 stopped: protocol.x's qemud_domain_runstate).
unsigned runstate_of(DomainState state);
std::string_view to_string(DomainState state);

}  // namespace qemud::peers
