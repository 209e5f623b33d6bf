// SPDX-License-Identifier: Apache-2.0
// cxx_canary.h: the cxx implementation's framing canaries (docs/DETECTION.md).
// Compiled only into qemud_cxx_codec_canary: FramedCodec and the framing
// profiles are shared with the other implementations, so the cxx codec's
// header and message checks are bent here, at cxx-only call sites.
#pragma once

#include <memory>

#include "codecs/codec.h"
#include "framing/framing.h"

namespace qemud::cxx::canary_hooks {

// bend_header: the header words the cxx codec's decode_header_struct hands
// to the shared checks, under ignore_magic, unaligned_header_length and
// alloc_length_claim.
HeaderWords bend_header(Framing framing, HeaderWords words);

// wrap: the cxx codec seen through the message-level canaries
// (message_trailing_bytes, no_max_length, length_not_compared); with none
// of them on, every call goes straight to `product`.
std::unique_ptr<Codec> wrap(std::unique_ptr<Codec> product);

// decode_payload_prefix decodes a payload's arm from the start of `payload`
// and ignores whatever follows it (defined in cxx_codec.cpp, where the model
// types are).
Outcome<Json> decode_payload_prefix(Direction direction, ByteView payload);

}  // namespace qemud::cxx::canary_hooks
