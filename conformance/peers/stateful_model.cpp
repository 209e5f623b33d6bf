// SPDX-License-Identifier: Apache-2.0
#include "stateful_model.h"

namespace qemud::peers {

unsigned runstate_of(DomainState state) {
    switch (state) {
        case DomainState::running: return 1;
        case DomainState::paused: return 2;
        case DomainState::stopped: return 3;
    }
    return 3;
}

std::string_view to_string(DomainState state) {
    switch (state) {
        case DomainState::running: return "running";
        case DomainState::paused: return "paused";
        case DomainState::stopped: return "stopped";
    }
    return "stopped";
}

}  // namespace qemud::peers
