// SPDX-License-Identifier: Apache-2.0
// shim_endpoint.h: a shim command as an Endpoint, speaking shim protocol
// version 1 (docs/SHIM-CONTRACT.md): JSON lines, one request outstanding,
// ids echoed.
//
// Any misbehaviour (timeout, crash, garbage, oversized line, wrong id)
// becomes a `broken` Answer naming it; the shim is then killed (its whole
// process group) and restarted with a new hello before the next request.
// After max_restarts restarts in a row with no well-formed reply to an
// encode or decode between them, it stops restarting and every later
// request is answered `broken` with that reason.
#pragma once

#include <memory>
#include <string>

#include "endpoint.h"

namespace qemud::conform {

struct ShimSettings {
    std::string command;
    int timeout_ms = 5000;
    int first_hello_timeout_ms = 10000;  // the first start may compile or load a lot
    int max_restarts = 20;
    std::size_t max_line = 1 << 20;      // 1 MiB (docs/SHIM-CONTRACT.md)
};

std::unique_ptr<Endpoint> make_shim_endpoint(const ShimSettings& settings);

}  // namespace qemud::conform
