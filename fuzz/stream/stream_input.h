// SPDX-License-Identifier: Apache-2.0
// stream_input.h: the input format of the stream targets, and the check
// they run. An input is a list of parts, each a 2-byte big-endian length and
// that many bytes (Cryptofuzz util::ToParts); a length past the end takes
// what is left. The concatenated parts are the byte stream, and each part is
// one chunk fed to StreamDecoder, so the input chooses the chunk sizes.
#pragma once

#include <cstdint>
#include <vector>

#include "codecs/codec.h"
#include "framing/framing_id.h"

namespace qemud::fuzz {

struct StreamInput {
    std::vector<std::size_t> chunk_sizes;  // one per part, in order
    Bytes stream;                          // the parts concatenated
};

// to_parts splits an input into its parts. Never fails. to_parts_into
// does it into `out`, reusing its buffers.
StreamInput to_parts(ByteView input);
void to_parts_into(ByteView input, StreamInput& out);

// from_parts writes `stream` as parts of `chunk_sizes` (cycled; 0 and sizes
// above 65535 are clamped), the inverse of to_parts.
Bytes from_parts(ByteView stream, const std::vector<std::size_t>& chunk_sizes);

// stream_framing is the framing profile a stream's first header tells
// (detect_framing), the seed's when it tells none.
Framing stream_framing(ByteView stream);

// split_frames cuts a stream at the message boundaries its headers state in
// the stream's framing (the rest of the stream when a length runs past it).
std::vector<ByteView> split_frames(ByteView stream);

// check_stream feeds the stream of `input` to a detecting StreamDecoder
// (the framing profile comes from the stream's first header, so one target
// and one corpus cover every profile) in the input's chunks and checks,
// aborting through report_finding:
//  * every frame it hands out is the stream's own bytes at its offset, has
//    the profile's constant and a length within the direction's bound, and
//    goes through check_wire (every codec, canonical round trip);
//  * a framing error names a message the policy rejects;
//  * frames and error are the same whatever the chunking (one chunk, the
//    input's chunks; one byte at a time for short streams, on the inputs
//    the tiered oracle picks for its full check: compare/differential.h).
void check_stream(Direction direction, ByteView input);

}  // namespace qemud::fuzz
