// SPDX-License-Identifier: Apache-2.0
// <client|server>_stream_fuzzer_tirpc_baseline: what the stream targets
// start with (the input's parts fed to StreamDecoder in the input's chunks),
// each frame decoded with libtirpc only (header struct, then the payload).
// One chunking, no checks. QEMUD_BASELINE_CLIENT picks the direction.
#include <algorithm>
#include <vector>

#include "stream/stream_decoder.h"
// Last: rpcgen's header #defines the protocol's constants.
#include "baseline/tirpc_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace qemud::fuzz::baseline;
#if QEMUD_BASELINE_CLIENT
    const auto direction = qemud::Direction::client;
    const auto proc = xdr_qemud_packet_client;
#else
    const auto direction = qemud::Direction::server;
    const auto proc = xdr_qemud_packet_server;
#endif
    // The parts (fuzz/stream/stream_input.h, to_parts): 2-byte big-endian
    // length, that many bytes; a length past the end takes what is left.
    static std::vector<std::size_t> chunks;
    static std::vector<std::uint8_t> stream;
    chunks.clear();
    stream.clear();
    std::size_t pos = 0;
    while (pos + 2 <= size) {
        const std::size_t want = (std::size_t{data[pos]} << 8) | data[pos + 1];
        pos += 2;
        const std::size_t n = std::min(want, size - pos);
        if (n == 0) continue;
        chunks.push_back(n);
        stream.insert(stream.end(), data + pos, data + pos + n);
        pos += n;
    }
    qemud::StreamDecoder decoder(direction);
    const qemud::StreamDecoder::FrameHandler on_frame = [&](const qemud::StreamDecoder::Frame& f) {
        decode_message(proc, f.bytes.data(), f.bytes.size());
    };
    pos = 0;
    for (std::size_t i = 0; pos < stream.size(); ++i) {
        const std::size_t n = std::min(chunks[i], stream.size() - pos);
        if (decoder.feed(qemud::ByteView(stream.data() + pos, n), on_frame)) break;
        pos += n;
    }
    (void)decoder.finish();
    return 0;
}
