// SPDX-License-Identifier: Apache-2.0
// server_stream_fuzzer: a stream of server messages reassembled by
// StreamDecoder in chunk sizes the input chooses (stream/stream_input.h),
// each frame through every implementation, and the same stream under other
// chunkings for the same frames and error.
#include <cstddef>
#include <cstdint>

#include "stream/stream_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    qemud::fuzz::check_stream(qemud::Direction::server, qemud::ByteView(data, size));
    return 0;
}
