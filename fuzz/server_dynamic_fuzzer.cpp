// SPDX-License-Identifier: Apache-2.0
// server_dynamic_fuzzer: a server payload, then the same payload framed with a
// correct header, decoded by the dynamic codec (which interprets
// protocol.x at run time) and by cxx, and judged by the full check: the
// dynamic codec's own differential target, so its code gets coverage
// feedback of its own (the other targets send it only the wires their
// tiered oracle checks in full).
#include <cstddef>
#include <cstdint>

#include "compare/differential.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    qemud::fuzz::check_dynamic_payload(qemud::Direction::server, qemud::ByteView(data, size));
    return 0;
}
