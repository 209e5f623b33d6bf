// SPDX-License-Identifier: Apache-2.0
// codec.h: the one interface every implementation of the protocol sits
// behind, and the value model they exchange (JSON, as docs/VALUE-MODEL.md sets it).
//
// No exception crosses this interface: encode and decode return the result,
// a CodecError saying where and why, or Unsupported.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "framing/framing_id.h"
#include "protocol_info/protocol_info.h"

namespace qemud {

using Json = nlohmann::json;
using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Kind is what a wire holds (docs/SHIM-CONTRACT.md "Kinds").
enum class Kind { header, client, server, client_message, server_message };
inline constexpr std::array<Kind, 5> all_kinds{Kind::header, Kind::client, Kind::server, Kind::client_message,
                                               Kind::server_message};
std::string_view to_string(Kind kind);
std::optional<Kind> kind_from_string(std::string_view name);
// direction_of gives the payload direction of a payload or message kind;
// nullopt for Kind::header.
std::optional<Direction> direction_of(Kind kind);
bool is_message(Kind kind);
Kind payload_kind(Direction direction);
Kind message_kind(Direction direction);

// CodecError says where a wire or a value is wrong. path is a field path in
// the value model ("data.domainCreateReply.name[17]"), empty for the whole
// input; offset is the byte offset in the wire (decode) when known; flag is
// a policy flag name (policy.h), "value" for a value that does not fit the
// value model, or "internal" when an implementation failed unexpectedly (an
// exception caught at this interface: always a bug to report).
struct CodecError {
    std::string path;
    std::optional<std::size_t> offset;
    std::string flag;
    std::string message;
    // to_string gives "data.x.name[17] at 0x58: message" (path and offset
    // as available).
    std::string to_string() const;
};

// Unsupported is an implementation's answer for what it does not do; it is
// not a failure.
struct Unsupported {
    std::string what;
};

// Outcome is a result of T, or a CodecError, or Unsupported.
template <class T>
class Outcome {
public:
    Outcome(T value) : state_(std::move(value)) {}
    Outcome(CodecError error) : state_(std::move(error)) {}
    Outcome(Unsupported unsupported) : state_(std::move(unsupported)) {}

    bool ok() const { return state_.index() == 0; }
    bool failed() const { return state_.index() == 1; }
    bool unsupported() const { return state_.index() == 2; }
    const T& value() const { return std::get<0>(state_); }
    T& value() { return std::get<0>(state_); }
    const CodecError& error() const { return std::get<1>(state_); }
    CodecError& error() { return std::get<1>(state_); }
    const Unsupported& unsupported_reason() const { return std::get<2>(state_); }

private:
    std::variant<T, CodecError, Unsupported> state_;
};

// Outcome<void> is a success with no value (Codec::decode_into's: the value
// is in the caller's Json), or a CodecError, or Unsupported.
template <>
class Outcome<void> {
public:
    Outcome() = default;
    Outcome(CodecError error) : state_(std::move(error)) {}
    Outcome(Unsupported unsupported) : state_(std::move(unsupported)) {}

    bool ok() const { return state_.index() == 0; }
    bool failed() const { return state_.index() == 1; }
    bool unsupported() const { return state_.index() == 2; }
    const CodecError& error() const { return std::get<1>(state_); }
    CodecError& error() { return std::get<1>(state_); }
    const Unsupported& unsupported_reason() const { return std::get<2>(state_); }

private:
    std::variant<std::monostate, CodecError, Unsupported> state_;
};

// Codec encodes values of the JSON value model to wire bytes and back, for
// every Kind, and for the framed kinds (header, *_message) in every framing
// profile (framing/framing.h); payload kinds ignore the framing.
class Codec {
public:
    virtual ~Codec() = default;
    // name is the implementation's name in the registry and reports.
    virtual std::string_view name() const = 0;
    // strict is true for implementations that reject everything the policy
    // calls acceptable (cxx, dynamic); false for lenient ones (rpcgen).
    virtual bool strict() const = 0;
    virtual Outcome<Bytes> encode(Kind kind, const Json& value, Framing framing) const = 0;
    virtual Outcome<Json> decode(Kind kind, ByteView wire, Framing framing) const = 0;
    // decode_into is decode for a caller that decodes message after message
    // into one Json, as rpcgen's callers reuse one C struct: on success out
    // holds exactly what decode returns, whatever it held before. The
    // outcome otherwise (error, Unsupported) is decode's, and out is then
    // left in an unspecified but valid state (any Json; a later decode_into
    // into it is still correct). An implementation may overwrite what out
    // holds in place instead of building a new value and destroying the
    // old one; the default simply calls decode and move-assigns.
    virtual Outcome<void> decode_into(Kind kind, ByteView wire, Framing framing, Json& out) const;
    // The seed framing, the default everywhere.
    Outcome<Bytes> encode(Kind kind, const Json& value) const { return encode(kind, value, Framing::seed); }
    Outcome<Json> decode(Kind kind, ByteView wire) const { return decode(kind, wire, Framing::seed); }
    Outcome<void> decode_into(Kind kind, ByteView wire, Json& out) const {
        return decode_into(kind, wire, Framing::seed, out);
    }
};

}  // namespace qemud
