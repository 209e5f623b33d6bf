// SPDX-License-Identifier: Apache-2.0
#include "codec.h"

#include <cstdio>

namespace qemud {

namespace {
constexpr std::array<std::string_view, 5> kind_names{"header", "client", "server", "client_message",
                                                     "server_message"};
}

std::string_view to_string(Kind kind) { return kind_names[static_cast<std::size_t>(kind)]; }

std::optional<Kind> kind_from_string(std::string_view name) {
    for (std::size_t i = 0; i < kind_names.size(); ++i)
        if (kind_names[i] == name) return static_cast<Kind>(i);
    return std::nullopt;
}

std::optional<Direction> direction_of(Kind kind) {
    switch (kind) {
        case Kind::client:
        case Kind::client_message: return Direction::client;
        case Kind::server:
        case Kind::server_message: return Direction::server;
        case Kind::header: break;
    }
    return std::nullopt;
}

bool is_message(Kind kind) { return kind == Kind::client_message || kind == Kind::server_message; }
Kind payload_kind(Direction d) { return d == Direction::client ? Kind::client : Kind::server; }
Kind message_kind(Direction d) { return d == Direction::client ? Kind::client_message : Kind::server_message; }

std::string CodecError::to_string() const {
    std::string out = path;
    if (offset) {
        char hex[32];
        std::snprintf(hex, sizeof hex, "0x%zx", *offset);
        out += (out.empty() ? "at " : " at ") + std::string(hex);
    }
    if (!out.empty()) out += ": ";
    return out + message;
}

Outcome<void> Codec::decode_into(Kind kind, ByteView wire, Framing framing, Json& out) const {
    auto decoded = decode(kind, wire, framing);
    if (decoded.failed()) return std::move(decoded.error());
    if (decoded.unsupported()) return decoded.unsupported_reason();
    out = std::move(decoded.value());
    return {};
}

}  // namespace qemud
