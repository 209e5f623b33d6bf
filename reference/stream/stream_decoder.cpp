// SPDX-License-Identifier: Apache-2.0
#include "stream/stream_decoder.h"

#include <algorithm>
#include <cstring>

#include "policy/policy.h"

namespace qemud {

StreamDecoder::StreamDecoder(Direction direction, Framing framing)
    : direction_(direction),
      profile_(nullptr),
      fixed_profile_(&framing_profile(framing)),
      header_size_(ProtocolInfo::get().header_size()),
      buffer_(header_size_ + ProtocolInfo::get().max_payload(direction)) {
    use_profile(fixed_profile_);
}

StreamDecoder StreamDecoder::detecting(Direction direction) {
    StreamDecoder decoder(direction);
    decoder.profile_ = decoder.fixed_profile_ = nullptr;
    return decoder;
}

void StreamDecoder::reset() {
    profile_ = fixed_profile_;
    buffered_ = 0;
    frame_size_ = 0;
    message_start_ = 0;
    consumed_ = 0;
    error_.reset();
}

void StreamDecoder::use_profile(const FramingProfile* profile) {
    profile_ = profile;
    limits_ = profile->framed_limits(direction_);
}

std::optional<Framing> StreamDecoder::framing() const {
    if (!profile_) return std::nullopt;
    return profile_->id();
}

std::optional<CodecError> StreamDecoder::check_header(const std::uint8_t* header, std::size_t header_offset) {
    if (!profile_) {
        auto detected = detect_framing(ByteView(header, header_size_), header_offset);
        if (!detected.ok()) return detected.error();
        use_profile(&framing_profile(detected.value()));
    }
    auto error = profile_->check_framed(direction_, profile_->read(header), header_offset);
    if (error) error->message = "message at stream offset " + std::to_string(header_offset) + ": " + error->message;
    return error;
}

inline std::size_t StreamDecoder::admit(const std::uint8_t* header, std::size_t at) {
    // Every message passes here: a valid header of a known profile is
    // decided inline from limits_ (check_framed's bounds), a few compares
    // instead of check_framed's out-of-line calls and strings per message,
    // which -O2 does not inline. admit_checked handles the rest, out of
    // line so this stays small enough to inline into feed.
    if (profile_) [[likely]] {
        const HeaderWords words = profile_->read(header);
        if (limits_.accepts(words)) [[likely]] return header_size_ + profile_->payload_size(words);
    }
    return admit_checked(header, at);
}

std::size_t StreamDecoder::admit_checked(const std::uint8_t* header, std::size_t at) {
    // A detecting decoder's first header, or a framing error: the full
    // check, which names what is wrong.
    if ((error_ = check_header(header, at))) return 0;
    return header_size_ + profile_->payload_size(profile_->read(header));
}

std::optional<CodecError> StreamDecoder::feed(ByteView chunk, const FrameHandler& on_frame) {
    if (error_) return error_;
    std::size_t pos = 0;
    while (pos < chunk.size()) {
        const std::size_t left = chunk.size() - pos;
        if (buffered_ == 0 && left >= header_size_) {
            // A message starts here with its header in the chunk: check the
            // header where it lies. A message wholly in the chunk is handed
            // out from the chunk, not copied; one that runs past the chunk's
            // end is gathered in buffer_, its header already checked.
            const std::uint8_t* const message = chunk.data() + pos;
            const std::size_t size = admit(message, consumed_);
            if (size == 0) return error_;
            if (left >= size) {
                on_frame(Frame{ByteView(message, size), consumed_});
                pos += size;
                consumed_ += size;
                continue;
            }
            std::memcpy(buffer_.data(), message, left);
            buffered_ = left;
            frame_size_ = size;
            message_start_ = consumed_;
            consumed_ += left;
            return std::nullopt;
        }
        // Gathering a message that straddles chunks: its header first, then
        // (checked) the rest of the message.
        if (buffered_ == 0) message_start_ = consumed_;
        const std::size_t want = (buffered_ < header_size_ ? header_size_ : frame_size_) - buffered_;
        const std::size_t take = std::min(want, left);
        std::memcpy(buffer_.data() + buffered_, chunk.data() + pos, take);
        buffered_ += take;
        pos += take;
        consumed_ += take;
        if (take < want) break;
        if (buffered_ == header_size_ && (frame_size_ = admit(buffer_.data(), message_start_)) == 0) return error_;
        if (buffered_ == frame_size_) {
            on_frame(Frame{ByteView(buffer_.data(), buffered_), message_start_});
            buffered_ = 0;
        }
    }
    return std::nullopt;
}

std::optional<CodecError> StreamDecoder::finish() const {
    if (error_) return error_;
    if (buffered_ != 0)
        return CodecError{"", consumed_, std::string(policy::name(policy::Flag::truncated)),
                          "stream ends inside the message that began at offset " + std::to_string(message_start_)};
    return std::nullopt;
}

}  // namespace qemud
