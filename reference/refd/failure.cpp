// SPDX-License-Identifier: Apache-2.0
#include "refd/failure.h"

namespace qemud::refd {

std::string_view to_string(FailureCode code) {
    switch (code) {
        case FailureCode::malformed_message: return "malformed-message";
        case FailureCode::no_such_domain: return "no-such-domain";
        case FailureCode::no_such_network: return "no-such-network";
        case FailureCode::invalid_xml: return "invalid-xml";
        case FailureCode::duplicate_name: return "duplicate-name";
        case FailureCode::invalid_state: return "invalid-state";
        case FailureCode::no_such_image: return "no-such-image";
        case FailureCode::invalid_argument: return "invalid-argument";
        case FailureCode::limit_reached: return "limit-reached";
    }
    return "unknown";
}

}  // namespace qemud::refd
