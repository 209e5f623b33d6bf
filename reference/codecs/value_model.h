// SPDX-License-Identifier: Apache-2.0
// value_model.h: the scalar rules of the JSON value model (docs/VALUE-MODEL.md):
// integers are JSON integers in range, uint64_t is a plain decimal string,
// byte arrays are hex strings of exactly 2N digits. Every implementation
// converts its values through these, so the model has one definition.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "codecs/codec.h"

namespace qemud::value_model {

// Each reader returns nullopt and sets *why when the JSON does not fit.
std::optional<std::int64_t> read_int32(const Json& j, std::string* why);
std::optional<std::uint32_t> read_uint32(const Json& j, std::string* why);
std::optional<std::int64_t> read_int64(const Json& j, std::string* why);   // decimal string
std::optional<std::uint64_t> read_uint64(const Json& j, std::string* why); // decimal string
// read_hex decodes a hex string of exactly 2 * expected_bytes digits (either
// case) into out.
bool read_hex(const Json& j, std::size_t expected_bytes, std::string* out, std::string* why);

std::string to_hex(const void* bytes, std::size_t size);
inline std::string to_hex(ByteView bytes) { return to_hex(bytes.data(), bytes.size()); }
// bytes_from_hex decodes an even-length string of hex digits (either case);
// nullopt for anything else.
std::optional<Bytes> bytes_from_hex(std::string_view text);
Json uint64_json(std::uint64_t value);
Json int64_json(std::int64_t value);

// value_error builds the CodecError for a value that does not fit the model.
CodecError value_error(std::string path, std::string message);

}  // namespace qemud::value_model
