// SPDX-License-Identifier: Apache-2.0
// inprocess_endpoint.h: an in-tree implementation (rpcgen, cxx, dynamic)
// as an Endpoint, called through the Codec interface with no process: what
// qemud-conform tests when no --shim is given.
#pragma once

#include <memory>

#include "endpoint.h"

namespace qemud::conform {

std::unique_ptr<Endpoint> make_inprocess_endpoint(const Codec& codec);

}  // namespace qemud::conform
