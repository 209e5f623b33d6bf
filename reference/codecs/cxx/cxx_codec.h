// SPDX-License-Identifier: Apache-2.0
// cxx_codec.h: the "cxx" implementation's native API: the generated C++
// model (protocol_model.gen.h) encoded and decoded by the strict runtime
// (runtime/wire_codec.h), with no JSON in between. For speed-critical users
// (benchmarks, the stream decoder, fuzzers); everyone else goes through
// make_cxx_codec() in codecs/registry.h.
//
// Each decode reads exactly one payload (or header struct) and fails on
// anything docs/POLICY.md lets a strict decoder reject: truncation,
// trailing bytes, an unknown discriminant, a non-canonical char or unsigned
// char element. The error names the field path and the byte offset from the
// start of the input. On failure `out` is valid but unspecified. Decoding
// into an object that already holds the same arm reuses it, so a hot loop
// can decode into one object without re-initializing or allocating.
//
// Each encode replaces the contents of `out` (keeping its capacity) with
// the canonical encoding, or fails (flag "value", out empty) when the value
// cannot be written: a union whose `arm` does not hold the alternative its
// `type` selects, or whose `type` has no arm.
//
// The header functions convert a framing profile's header struct only (the
// seed's from protocol.x, libvirt-0.3's from framing/libvirt_0_3_header.x):
// they check neither the constant nor the length (that is framing policy,
// in framing/framing.h).
// Nothing here throws.
#pragma once

#include <optional>

#include "codecs/codec.h"
#include "libvirt_0_3_header_model.gen.h"
#include "protocol_model.gen.h"

namespace qemud::cxx {

std::optional<CodecError> decode(ByteView payload, model::qemud_packet_client& out);
std::optional<CodecError> decode(ByteView payload, model::qemud_packet_server& out);
std::optional<CodecError> decode(ByteView eight_bytes, model::qemud_packet_header& out);
std::optional<CodecError> decode(ByteView eight_bytes, model::qemud_packet_header_libvirt_0_3& out);

// Rejection is a failed decode without its message or path: the policy
// flag (static storage) and the byte offset. decode_quiet is decode for
// hot loops that reject most of what they read (the fuzz targets' fast
// tier): a rejection allocates nothing.
struct Rejection {
    std::string_view flag;
    std::optional<std::size_t> offset;
};
std::optional<Rejection> decode_quiet(ByteView payload, model::qemud_packet_client& out);
std::optional<Rejection> decode_quiet(ByteView payload, model::qemud_packet_server& out);

std::optional<CodecError> encode(const model::qemud_packet_client& value, Bytes& out);
std::optional<CodecError> encode(const model::qemud_packet_server& value, Bytes& out);
std::optional<CodecError> encode(const model::qemud_packet_header& value, Bytes& out);
std::optional<CodecError> encode(const model::qemud_packet_header_libvirt_0_3& value, Bytes& out);

}  // namespace qemud::cxx
