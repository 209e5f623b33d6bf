// SPDX-License-Identifier: Apache-2.0
// server_payload_fuzzer: a server payload (kind `server`: serial, inReplyTo, the
// union) through every implementation, then the same payload framed with a
// correct header (kind `server_message`), so payload decoders and the framed
// decoders see the same bytes.
#include <cstddef>
#include <cstdint>

#include "compare/differential.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    qemud::fuzz::check_payload(qemud::Direction::server, qemud::ByteView(data, size));
    return 0;
}
