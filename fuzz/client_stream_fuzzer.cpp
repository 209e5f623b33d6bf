// SPDX-License-Identifier: Apache-2.0
// client_stream_fuzzer: a stream of client messages reassembled by
// StreamDecoder in chunk sizes the input chooses (stream/stream_input.h),
// each frame through every implementation, and the same stream under other
// chunkings for the same frames and error.
#include <cstddef>
#include <cstdint>

#include "stream/stream_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    qemud::fuzz::check_stream(qemud::Direction::client, qemud::ByteView(data, size));
    return 0;
}
