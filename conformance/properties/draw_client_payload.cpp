// SPDX-License-Identifier: Apache-2.0
// draw_client_payload.cpp: the generators of the client union's types (see
// draw_payload.h for why each direction has a file of its own).
#include "draw_payload.h"

#include "generators.h"

namespace qemud::properties {

Json draw_client_payload(std::int64_t discriminant) {
    return model_json::to_json(*gen_model::payload<model::qemud_packet_client>(discriminant));
}

std::vector<Json> draw_client_payloads(std::size_t count) {
    const auto values = *rc::gen::container<std::vector<model::qemud_packet_client>>(
        count, gen_model::arbitrary<model::qemud_packet_client>());
    std::vector<Json> out;
    out.reserve(values.size());
    for (const auto& value : values) out.push_back(model_json::to_json(value));
    return out;
}

}  // namespace qemud::properties
