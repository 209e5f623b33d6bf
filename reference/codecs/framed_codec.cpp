// SPDX-License-Identifier: Apache-2.0
#include "framed_codec.h"

#include "policy/policy.h"

namespace qemud {

namespace {

CodecError wire_error(std::string path, std::size_t offset, policy::Flag flag, std::string message) {
    return CodecError{std::move(path), offset, std::string(policy::name(flag)), std::move(message)};
}

}  // namespace

Outcome<Bytes> FramedCodec::encode(Kind kind, const Json& value, Framing framing) const {
    switch (kind) {
        case Kind::header: {
            const FramingProfile& profile = framing_profile(framing);
            auto header = profile.from_json(value);
            if (!header.ok()) return header.error();
            // The encoder refuses what the decoder must reject.
            if (auto refused = profile.refuse_bare(header.value())) return *refused;
            return encode_header_struct(framing, header.value());
        }
        case Kind::client: return encode_payload(Direction::client, value);
        case Kind::server: return encode_payload(Direction::server, value);
        case Kind::client_message: return encode_message(Direction::client, value, framing);
        case Kind::server_message: return encode_message(Direction::server, value, framing);
    }
    return Unsupported{"unknown kind"};
}

Outcome<Json> FramedCodec::decode(Kind kind, ByteView wire, Framing framing) const {
    const FramingProfile& profile = framing_profile(framing);
    const std::size_t header_size = profile.header_size();
    switch (kind) {
        case Kind::header: {
            if (wire.size() < header_size)
                return wire_error("", wire.size(), policy::Flag::truncated,
                                  "header needs " + std::to_string(header_size) + " bytes, got " +
                                      std::to_string(wire.size()));
            if (wire.size() > header_size)
                return wire_error("", header_size, policy::Flag::trailing_bytes,
                                  std::to_string(wire.size() - header_size) + " bytes after the header");
            auto header = decode_header_struct(framing, wire);
            if (!header.ok()) return header.failed() ? Outcome<Json>(header.error()) : header.unsupported_reason();
            if (auto error = profile.check_bare(header.value())) return *error;
            return profile.to_json(header.value());
        }
        case Kind::client: return decode_payload(Direction::client, wire);
        case Kind::server: return decode_payload(Direction::server, wire);
        case Kind::client_message: return decode_message(Direction::client, wire, framing);
        case Kind::server_message: return decode_message(Direction::server, wire, framing);
    }
    return Unsupported{"unknown kind"};
}

Outcome<Bytes> FramedCodec::encode_message(Direction direction, const Json& value, Framing framing) const {
    const FramingProfile& profile = framing_profile(framing);
    auto payload = encode_payload(direction, value);
    if (!payload.ok()) return payload;
    auto header = encode_header_struct(framing, {profile.constant(), profile.length_for(payload.value().size())});
    if (!header.ok()) return header;
    Bytes out = std::move(header.value());
    out.insert(out.end(), payload.value().begin(), payload.value().end());
    return out;
}

Outcome<FramedCodec::Payload> FramedCodec::message_payload(Direction direction, ByteView wire, Framing framing) const {
    const FramingProfile& profile = framing_profile(framing);
    const std::size_t header_size = profile.header_size();
    if (wire.size() < header_size)
        return wire_error("", wire.size(), policy::Flag::truncated,
                          "message needs a " + std::to_string(header_size) + "-byte header, got " +
                              std::to_string(wire.size()) + " bytes");
    auto header = decode_header_struct(framing, wire.first(header_size));
    if (!header.ok()) return header.failed() ? Outcome<Payload>(header.error()) : header.unsupported_reason();
    // Checked before looking at the rest of the input, so that a length of
    // 4 GiB costs nothing.
    if (auto error = profile.check_framed(direction, header.value(), 0)) return *error;
    const std::size_t length = profile.payload_size(header.value());
    const std::size_t available = wire.size() - header_size;
    if (available < length)
        return wire_error("", wire.size(), policy::Flag::truncated,
                          "the header says " + std::to_string(length) + " payload bytes, " +
                              std::to_string(available) + " present");
    if (available > length)
        return wire_error("", header_size + length, policy::Flag::trailing_bytes,
                          std::to_string(available - length) + " bytes after the message");
    return Payload{wire.subspan(header_size, length), header_size, header.value()};
}

namespace {

// in_message turns a payload's error into the message's: offsets count the
// header too, and since the input held exactly the payload the header
// announced, a payload that ran short or long of its arm means the length
// word is not the arm's size.
void in_message(CodecError& e, std::size_t header_size, std::uint32_t length) {
    if (e.offset) *e.offset += header_size;
    if (e.flag == policy::name(policy::Flag::truncated) || e.flag == policy::name(policy::Flag::trailing_bytes)) {
        e.flag = std::string(policy::name(policy::Flag::length_mismatch));
        e.message = "length " + std::to_string(length) + " does not match the arm: " + e.message;
    }
}

}  // namespace

Outcome<Json> FramedCodec::decode_message(Direction direction, ByteView wire, Framing framing) const {
    auto payload_wire = message_payload(direction, wire, framing);
    if (!payload_wire.ok())
        return payload_wire.failed() ? Outcome<Json>(payload_wire.error()) : payload_wire.unsupported_reason();
    const Payload& p = payload_wire.value();
    auto payload = decode_payload(direction, p.bytes);
    if (payload.failed()) in_message(payload.error(), p.offset, p.header.length);
    return payload;
}

Outcome<void> FramedCodec::decode_message_into(Direction direction, ByteView wire, Framing framing, Json& out) const {
    auto payload_wire = message_payload(direction, wire, framing);
    if (!payload_wire.ok())
        return payload_wire.failed() ? Outcome<void>(payload_wire.error()) : payload_wire.unsupported_reason();
    const Payload& p = payload_wire.value();
    auto payload = decode_payload_into(direction, p.bytes, out);
    if (payload.failed()) in_message(payload.error(), p.offset, p.header.length);
    return payload;
}

Outcome<void> FramedCodec::decode_into(Kind kind, ByteView wire, Framing framing, Json& out) const {
    switch (kind) {
        case Kind::header: return Codec::decode_into(kind, wire, framing, out);
        case Kind::client: return decode_payload_into(Direction::client, wire, out);
        case Kind::server: return decode_payload_into(Direction::server, wire, out);
        case Kind::client_message: return decode_message_into(Direction::client, wire, framing, out);
        case Kind::server_message: return decode_message_into(Direction::server, wire, framing, out);
    }
    return Unsupported{"unknown kind"};
}

Outcome<void> FramedCodec::decode_payload_into(Direction direction, ByteView payload, Json& out) const {
    auto decoded = decode_payload(direction, payload);
    if (decoded.failed()) return std::move(decoded.error());
    if (decoded.unsupported()) return decoded.unsupported_reason();
    out = std::move(decoded.value());
    return {};
}

}  // namespace qemud
