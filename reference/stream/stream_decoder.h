// SPDX-License-Identifier: Apache-2.0
// stream_decoder.h: reassembles framed messages (header + payload) from a
// byte stream that arrives in chunks of any size, down to one byte.
//
// It checks the framing (the framing profile's constant word and length
// bounds for the direction, framing/framing.h) as soon as the 8 header
// bytes are in, before buffering any payload, and never holds more than one
// message of the direction's largest size. Payloads are then decoded by
// whichever Codec the caller chooses, from the complete frame.
//
// A message that lies wholly inside the chunk being fed is handed out from
// the chunk itself; only one that straddles chunks is copied, into the
// decoder's one buffer, allocated at construction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "codecs/codec.h"
#include "framing/framing.h"

namespace qemud {

class StreamDecoder {
public:
    // Frame is one complete message: header and payload, and where it began
    // in the stream.
    struct Frame {
        ByteView bytes;
        std::size_t stream_offset = 0;
    };
    using FrameHandler = std::function<void(const Frame&)>;

    explicit StreamDecoder(Direction direction, Framing framing = Framing::seed);
    // detecting gives a decoder whose profile the stream's first header
    // tells (detect_framing: `--framing auto`); a first header that is no
    // profile's, or ambiguous, is a framing error naming both readings.
    static StreamDecoder detecting(Direction direction);

    // framing is the profile in use; nullopt while a detecting decoder has
    // not seen its first header.
    std::optional<Framing> framing() const;

    // feed consumes chunk and calls on_frame for every message it completes,
    // in order. A frame's bytes are valid only during the call. On a framing
    // error (bad magic, a length no payload of the direction has) it returns
    // the error with its stream offset; the stream is then broken and every
    // later feed returns the same error without reading.
    std::optional<CodecError> feed(ByteView chunk, const FrameHandler& on_frame);

    // finish reports a message cut off by the end of the stream (flag
    // truncated), or the earlier framing error, or nothing.
    std::optional<CodecError> finish() const;

    // reset starts a new stream: as a decoder made the way this one was
    // (detecting, or of its fixed profile), keeping the buffer, so a loop
    // over many streams (a fuzz target's) allocates it once.
    void reset();
    // consumed is the number of stream bytes fed so far.
    std::size_t consumed() const { return consumed_; }
    bool broken() const { return error_.has_value(); }

private:
    // admit checks the header at `header` (stream offset `at`) and gives
    // its message's size; 0 on a framing error, then in error_.
    std::size_t admit(const std::uint8_t* header, std::size_t at);
    [[gnu::noinline]] std::size_t admit_checked(const std::uint8_t* header, std::size_t at);
    std::optional<CodecError> check_header(const std::uint8_t* header, std::size_t header_offset);
    void use_profile(const FramingProfile* profile);

    Direction direction_;
    const FramingProfile* profile_;  // nullptr until a detecting decoder's first header
    const FramingProfile* fixed_profile_;  // the profile a fixed decoder starts with; nullptr when detecting
    FramingProfile::FramedLimits limits_;  // profile_'s for direction_, once profile_ is set
    std::uint32_t header_size_;
    Bytes buffer_;              // capacity: header + largest payload, allocated once
    std::size_t buffered_ = 0;  // bytes of the current partial message in buffer_
    std::size_t frame_size_ = 0;  // its size, once its header is in buffer_
    std::size_t message_start_ = 0;  // stream offset of the current message
    std::size_t consumed_ = 0;
    std::optional<CodecError> error_;
};

}  // namespace qemud
