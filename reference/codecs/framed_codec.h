// framed_codec.h: the framing every implementation shares (the `header`
// kind and the header + payload `*_message` kinds), over each
// implementation's own payload and header-struct codecs.
//
// Framing is policy (magic, length bounds, length == payload size), so it is
// written once here; what varies per implementation is how the header struct
// and the payloads are turned into bytes.
#pragma once

#include <utility>

#include "codecs/codec.h"

namespace qemud {

struct HeaderWords {
    std::uint32_t magic = 0;
    std::uint32_t length = 0;
};

class FramedCodec : public Codec {
public:
    Outcome<Bytes> encode(Kind kind, const Json& value) const final;
    Outcome<Json> decode(Kind kind, ByteView wire) const final;

protected:
    // encode_payload / decode_payload handle one payload with no header.
    // decode_payload must reject truncation (flag truncated) and bytes after
    // the last field (flag trailing_bytes), with offsets relative to payload.
    virtual Outcome<Bytes> encode_payload(Direction direction, const Json& value) const = 0;
    virtual Outcome<Json> decode_payload(Direction direction, ByteView payload) const = 0;
    // encode_header_struct / decode_header_struct convert the header struct
    // of protocol.x with no policy check; decode gets exactly 8 bytes.
    virtual Outcome<Bytes> encode_header_struct(HeaderWords header) const = 0;
    virtual Outcome<HeaderWords> decode_header_struct(ByteView eight_bytes) const = 0;

private:
    Outcome<Json> decode_message(Direction direction, ByteView wire) const;
    Outcome<Bytes> encode_message(Direction direction, const Json& value) const;
};

// header_from_json reads the header value {"magic": u32, "length": u32}.
Outcome<HeaderWords> header_from_json(const Json& value);
Json header_to_json(HeaderWords header);

}  // namespace qemud
