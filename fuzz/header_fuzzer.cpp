// SPDX-License-Identifier: Apache-2.0
// header_fuzzer: the 8-byte header (kind `header`) and, since a header is
// what frames a message, the same bytes as a framed client and server
// message (kinds client_message, server_message): magic and length checks,
// the length against the arm the payload names, truncation, trailing bytes.
#include <cstddef>
#include <cstdint>

#include "compare/differential.h"
#include "framing/framing.h"
#include "protocol_info/protocol_info.h"

namespace {

// framing_of: the one profile an input is checked in. A header holding a
// profile's constant is read in that profile, where its length and payload
// get past the constant check; any other input is refused by both profiles
// on its constant, and the low bit of its last header byte picks which one
// refuses it. One profile per input, not both: the second reading of a
// header with the first profile's constant only meets a bad constant, and
// checking every input twice halved the target's executions per second
// (the libtirpc-only baseline reads one header struct too).
qemud::Framing framing_of(qemud::ByteView wire) {
    if (wire.size() < qemud::ProtocolInfo::get().header_size()) return qemud::Framing::seed;  // short in both
    for (const qemud::Framing framing : qemud::all_framings) {
        const qemud::FramingProfile& p = qemud::framing_profile(framing);
        if (p.constant_ok(p.read(wire.data()))) return framing;
    }
    return wire[7] & 1 ? qemud::Framing::libvirt_0_3 : qemud::Framing::seed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const qemud::ByteView wire(data, size);
    const qemud::Framing framing = framing_of(wire);
    qemud::fuzz::check_wire(qemud::Kind::header, wire, framing);
    qemud::fuzz::check_wire(qemud::Kind::client_message, wire, framing);
    qemud::fuzz::check_wire(qemud::Kind::server_message, wire, framing);
    return 0;
}
