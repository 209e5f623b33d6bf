// SPDX-License-Identifier: Apache-2.0
// <client|server>_payload_fuzzer_tirpc_baseline: what the payload targets
// decode (the payload, then the same payload framed with a correct header),
// with libtirpc only. QEMUD_BASELINE_CLIENT picks the direction.
#include <vector>

#include "baseline/tirpc_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace qemud::fuzz::baseline;
#if QEMUD_BASELINE_CLIENT
    const auto proc = xdr_qemud_packet_client;
#else
    const auto proc = xdr_qemud_packet_server;
#endif
    decode(proc, data, size);
    static std::vector<std::uint8_t> framed;
    framed.resize(8 + size);
    const std::uint32_t words[2] = {QEMUD_PKT_HEADER_MAGIC, static_cast<std::uint32_t>(size)};
    for (int w = 0; w < 2; ++w)
        for (int i = 0; i < 4; ++i) framed[4 * w + i] = static_cast<std::uint8_t>(words[w] >> (24 - 8 * i));
    if (size) std::memcpy(framed.data() + 8, data, size);
    decode_message(proc, framed.data(), framed.size());
    return 0;
}
