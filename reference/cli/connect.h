// SPDX-License-Identifier: Apache-2.0
// connect.h: a client socket to a qemud address (`unix:PATH`,
// `tcp:HOST:PORT`, parsed by qemud-refd's parse_address), connected before
// a deadline. The socket is non-blocking and close-on-exec.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "refd/address.h"

namespace qemud::cli {

using Clock = std::chrono::steady_clock;

// connect_to returns the connected socket, or nullopt and `error` naming
// the address and the reason (refused, no such file, timed out).
std::optional<int> connect_to(const refd::Address& address, Clock::time_point deadline, std::string& error);

}  // namespace qemud::cli
