// server_payload_fuzzer: a server payload (kind `server`: serial, inReplyTo, the
// union) through every implementation, then the same payload framed with a
// correct header (kind `server_message`), so payload decoders and the framed
// decoders see the same bytes.
#include <cstddef>
#include <cstdint>

#include "codecs/codec.h"
#include "compare/differential.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const qemud::ByteView payload(data, size);
    qemud::fuzz::check_wire(qemud::Kind::server, payload);

    const auto& info = qemud::ProtocolInfo::get();
    const std::uint32_t magic = info.header_magic();
    const auto length = static_cast<std::uint32_t>(size);
    qemud::Bytes framed;
    framed.reserve(8 + size);
    for (const std::uint32_t word : {magic, length})
        for (int shift = 24; shift >= 0; shift -= 8) framed.push_back(static_cast<std::uint8_t>(word >> shift));
    framed.insert(framed.end(), data, data + size);
    qemud::fuzz::check_wire(qemud::Kind::server_message, framed);
    return 0;
}
