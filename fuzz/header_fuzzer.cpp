// SPDX-License-Identifier: Apache-2.0
// header_fuzzer: the 8-byte header (kind `header`) and, since a header is
// what frames a message, the same bytes as a framed client and server
// message (kinds client_message, server_message): magic and length checks,
// the length against the arm the payload names, truncation, trailing bytes.
#include <cstddef>
#include <cstdint>

#include "compare/differential.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const qemud::ByteView wire(data, size);
    // Every framing profile reads the same bytes: the header words are
    // where the profiles differ, and checking 8 bytes twice is cheap.
    for (const qemud::Framing framing : qemud::all_framings) {
        qemud::fuzz::check_wire(qemud::Kind::header, wire, framing);
        qemud::fuzz::check_wire(qemud::Kind::client_message, wire, framing);
        qemud::fuzz::check_wire(qemud::Kind::server_message, wire, framing);
    }
    return 0;
}
