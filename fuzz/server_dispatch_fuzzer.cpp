// SPDX-License-Identifier: Apache-2.0
// server_dispatch_fuzzer: a client's side of one conversation (the stream
// input format, stream/stream_input.h), read by qemud-refd's Connection in
// the chunks the input chooses, over a fresh HypervisorModel; every reply
// it writes is checked against the calls the stream holds
// (dispatch/dispatch_check.h).
#include <cstddef>
#include <cstdint>

#include "dispatch/dispatch_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    qemud::fuzz::check_dispatch(qemud::ByteView(data, size));
    return 0;
}
