// SPDX-License-Identifier: Apache-2.0
// framed_codec.h: the framing every implementation shares (the `header`
// kind and the header + payload `*_message` kinds, in every framing
// profile), over each implementation's own payload and header-struct
// codecs.
//
// Framing is policy (the constant word, length bounds, length == payload
// size), so it is decided once, by the profile (framing/framing.h); what
// varies per implementation is how the header struct and the payloads are
// turned into bytes.
#pragma once

#include <utility>

#include "codecs/codec.h"
#include "framing/framing.h"

namespace qemud {

class FramedCodec : public Codec {
public:
    using Codec::decode;
    using Codec::decode_into;
    using Codec::encode;
    Outcome<Bytes> encode(Kind kind, const Json& value, Framing framing) const final;
    Outcome<Json> decode(Kind kind, ByteView wire, Framing framing) const final;
    // decode_into hands payloads (bare or framed) to decode_payload_into;
    // the header kind is decoded and moved, as Codec's default does.
    Outcome<void> decode_into(Kind kind, ByteView wire, Framing framing, Json& out) const final;

protected:
    // encode_payload / decode_payload handle one payload with no header.
    // decode_payload must reject truncation (flag truncated) and bytes after
    // the last field (flag trailing_bytes), with offsets relative to payload.
    virtual Outcome<Bytes> encode_payload(Direction direction, const Json& value) const = 0;
    virtual Outcome<Json> decode_payload(Direction direction, ByteView payload) const = 0;
    // decode_payload_into is decode_payload into a reused Json (Codec::
    // decode_into's contract); the default calls decode_payload and moves.
    virtual Outcome<void> decode_payload_into(Direction direction, ByteView payload, Json& out) const;
    // encode_header_struct / decode_header_struct convert the profile's
    // header struct (its .x declaration) with no policy check; decode gets
    // exactly the header's 8 bytes.
    virtual Outcome<Bytes> encode_header_struct(Framing framing, HeaderWords header) const = 0;
    virtual Outcome<HeaderWords> decode_header_struct(Framing framing, ByteView eight_bytes) const = 0;

private:
    Outcome<Json> decode_message(Direction direction, ByteView wire, Framing framing) const;
    Outcome<void> decode_message_into(Direction direction, ByteView wire, Framing framing, Json& out) const;
    // message_payload checks a message's framing and returns its payload.
    struct Payload {
        ByteView bytes;
        std::size_t offset = 0;  // the header's size
        HeaderWords header;
    };
    Outcome<Payload> message_payload(Direction direction, ByteView wire, Framing framing) const;
    Outcome<Bytes> encode_message(Direction direction, const Json& value, Framing framing) const;
};

}  // namespace qemud
