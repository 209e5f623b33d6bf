// SPDX-License-Identifier: Apache-2.0
// draw_payload.h: payload values from the model-driven generators
// (generators.h), handed to the properties as JSON (the value model).
//
// Each direction's generators live in a translation unit of their own
// (draw_client_payload.cpp, draw_server_payload.cpp): instantiating the
// generators for every type of a whole union is most of what the
// properties cost to compile, and two files build in parallel. Values are
// drawn inside the running property, so RapidCheck still shows and
// shrinks the model value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "codecs/codec.h"

namespace qemud::properties {

Json draw_client_payload(std::int64_t discriminant);
Json draw_server_payload(std::int64_t discriminant);
std::vector<Json> draw_client_payloads(std::size_t count);
std::vector<Json> draw_server_payloads(std::size_t count);

// draw_payload: one payload of exactly the arm `discriminant`.
inline Json draw_payload(Direction direction, std::int64_t discriminant) {
    return direction == Direction::client ? draw_client_payload(discriminant) : draw_server_payload(discriminant);
}

// draw_payloads: `count` payloads of any arms.
inline std::vector<Json> draw_payloads(Direction direction, std::size_t count) {
    return direction == Direction::client ? draw_client_payloads(count) : draw_server_payloads(count);
}

}  // namespace qemud::properties
