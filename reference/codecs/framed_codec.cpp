#include "framed_codec.h"

#include "codecs/value_model.h"
#include "policy/policy.h"

namespace qemud {

namespace {

CodecError wire_error(std::string path, std::size_t offset, policy::Flag flag, std::string message) {
    return CodecError{std::move(path), offset, std::string(policy::name(flag)), std::move(message)};
}

std::string hex32(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", v);
    return buf;
}

}  // namespace

Outcome<HeaderWords> header_from_json(const Json& value) {
    if (!value.is_object()) return value_model::value_error("", "a header is an object {magic, length}");
    for (const auto& [key, _] : value.items())
        if (key != "magic" && key != "length") return value_model::value_error(key, "unknown member of a header");
    HeaderWords header;
    for (const char* member : {"magic", "length"}) {
        if (!value.contains(member)) return value_model::value_error(member, "missing member");
        std::string why;
        const auto v = value_model::read_uint32(value.at(member), &why);
        if (!v) return value_model::value_error(member, why);
        (std::string_view(member) == "magic" ? header.magic : header.length) = *v;
    }
    return header;
}

Json header_to_json(HeaderWords header) { return Json{{"magic", header.magic}, {"length", header.length}}; }

Outcome<Bytes> FramedCodec::encode(Kind kind, const Json& value) const {
    switch (kind) {
        case Kind::header: {
            auto header = header_from_json(value);
            if (!header.ok()) return header.error();
            // The encoder refuses what the decoder must reject (PROTOCOL.md section 6).
            if (const auto flag = policy::check_magic(header.value().magic))
                return CodecError{"magic", std::nullopt, std::string(policy::name(*flag)),
                                  "refusing to encode magic " + hex32(header.value().magic)};
            if (const auto flag = policy::check_bare_header_length(header.value().length))
                return CodecError{"length", std::nullopt, std::string(policy::name(*flag)),
                                  "refusing to encode length " + std::to_string(header.value().length)};
            return encode_header_struct(header.value());
        }
        case Kind::client: return encode_payload(Direction::client, value);
        case Kind::server: return encode_payload(Direction::server, value);
        case Kind::client_message: return encode_message(Direction::client, value);
        case Kind::server_message: return encode_message(Direction::server, value);
    }
    return Unsupported{"unknown kind"};
}

Outcome<Json> FramedCodec::decode(Kind kind, ByteView wire) const {
    const std::size_t header_size = ProtocolInfo::get().header_size();
    switch (kind) {
        case Kind::header: {
            if (wire.size() < header_size)
                return wire_error("", wire.size(), policy::Flag::truncated,
                                  "header needs " + std::to_string(header_size) + " bytes, got " +
                                      std::to_string(wire.size()));
            if (wire.size() > header_size)
                return wire_error("", header_size, policy::Flag::trailing_bytes,
                                  std::to_string(wire.size() - header_size) + " bytes after the header");
            auto header = decode_header_struct(wire);
            if (!header.ok()) return header.failed() ? Outcome<Json>(header.error()) : header.unsupported_reason();
            const HeaderWords h = header.value();
            if (policy::check_magic(h.magic))
                return wire_error("magic", 0, policy::Flag::bad_magic, "magic " + hex32(h.magic) + " is not " +
                                                                           hex32(ProtocolInfo::get().header_magic()));
            if (policy::check_bare_header_length(h.length))
                return wire_error("length", 4, policy::Flag::bad_header_length,
                                  "length " + std::to_string(h.length) + " is not a multiple of 4 in " +
                                      std::to_string(ProtocolInfo::get().min_any_payload()) + ".." +
                                      std::to_string(ProtocolInfo::get().max_any_payload()));
            return header_to_json(h);
        }
        case Kind::client: return decode_payload(Direction::client, wire);
        case Kind::server: return decode_payload(Direction::server, wire);
        case Kind::client_message: return decode_message(Direction::client, wire);
        case Kind::server_message: return decode_message(Direction::server, wire);
    }
    return Unsupported{"unknown kind"};
}

Outcome<Bytes> FramedCodec::encode_message(Direction direction, const Json& value) const {
    auto payload = encode_payload(direction, value);
    if (!payload.ok()) return payload;
    auto header = encode_header_struct(
        {ProtocolInfo::get().header_magic(), static_cast<std::uint32_t>(payload.value().size())});
    if (!header.ok()) return header;
    Bytes out = std::move(header.value());
    out.insert(out.end(), payload.value().begin(), payload.value().end());
    return out;
}

Outcome<Json> FramedCodec::decode_message(Direction direction, ByteView wire) const {
    const auto& info = ProtocolInfo::get();
    const std::size_t header_size = info.header_size();
    if (wire.size() < header_size)
        return wire_error("", wire.size(), policy::Flag::truncated,
                          "message needs a " + std::to_string(header_size) + "-byte header, got " +
                              std::to_string(wire.size()) + " bytes");
    auto header = decode_header_struct(wire.first(header_size));
    if (!header.ok()) return header.failed() ? Outcome<Json>(header.error()) : header.unsupported_reason();
    const HeaderWords h = header.value();
    if (policy::check_magic(h.magic))
        return wire_error("magic", 0, policy::Flag::bad_magic,
                          "magic " + hex32(h.magic) + " is not " + hex32(info.header_magic()));
    // Checked before looking at the rest of the input, so that a length of
    // 4 GiB costs nothing (PROTOCOL.md section 6, "without reading").
    if (h.length > info.max_payload(direction))
        return wire_error("length", 4, policy::Flag::length_too_large,
                          "length " + std::to_string(h.length) + " exceeds the largest " +
                              std::string(to_string(direction)) + " payload (" +
                              std::to_string(info.max_payload(direction)) + ")");
    if (h.length < info.min_payload(direction) || h.length % 4 != 0)
        return wire_error("length", 4, policy::Flag::length_mismatch,
                          "length " + std::to_string(h.length) + " is not the size of any " +
                              std::string(to_string(direction)) + " payload");
    const std::size_t available = wire.size() - header_size;
    if (available < h.length)
        return wire_error("", wire.size(), policy::Flag::truncated,
                          "length says " + std::to_string(h.length) + " payload bytes, " +
                              std::to_string(available) + " present");
    if (available > h.length)
        return wire_error("", header_size + h.length, policy::Flag::trailing_bytes,
                          std::to_string(available - h.length) + " bytes after the message");
    auto payload = decode_payload(direction, wire.subspan(header_size, h.length));
    if (payload.failed()) {
        CodecError& e = payload.error();
        if (e.offset) *e.offset += header_size;
        // The input held exactly `length` bytes, so a payload that ran short
        // or long of its arm means `length` is not the arm's size.
        if (e.flag == policy::name(policy::Flag::truncated) || e.flag == policy::name(policy::Flag::trailing_bytes)) {
            e.flag = std::string(policy::name(policy::Flag::length_mismatch));
            e.message = "length " + std::to_string(h.length) + " does not match the arm: " + e.message;
        }
    }
    return payload;
}

}  // namespace qemud
