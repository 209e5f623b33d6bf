// SPDX-License-Identifier: Apache-2.0
// client_payload_fuzzer: a client payload (kind `client`: serial, the
// union) through every implementation, then the same payload framed with a
// correct header (kind `client_message`), so payload decoders and the framed
// decoders see the same bytes.
#include <cstddef>
#include <cstdint>

#include "compare/differential.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    qemud::fuzz::check_payload(qemud::Direction::client, qemud::ByteView(data, size));
    return 0;
}
