// SPDX-License-Identifier: Apache-2.0
// header_fuzzer_tirpc_baseline: what header_fuzzer decodes (the bytes as a
// header, a client message and a server message), with libtirpc only.
#include "baseline/tirpc_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace qemud::fuzz::baseline;
    decode(xdr_qemud_packet_header, data, size);
    decode_message(xdr_qemud_packet_client, data, size);
    decode_message(xdr_qemud_packet_server, data, size);
    return 0;
}
