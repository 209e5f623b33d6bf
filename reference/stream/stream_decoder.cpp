// SPDX-License-Identifier: Apache-2.0
#include "stream/stream_decoder.h"

#include <algorithm>
#include <cstring>

#include "policy/policy.h"

namespace qemud {

StreamDecoder::StreamDecoder(Direction direction, Framing framing)
    : direction_(direction),
      profile_(&framing_profile(framing)),
      fixed_profile_(profile_),
      header_size_(ProtocolInfo::get().header_size()),
      buffer_(header_size_ + ProtocolInfo::get().max_payload(direction)) {}

StreamDecoder StreamDecoder::detecting(Direction direction) {
    StreamDecoder decoder(direction);
    decoder.profile_ = decoder.fixed_profile_ = nullptr;
    return decoder;
}

void StreamDecoder::reset() {
    profile_ = fixed_profile_;
    buffered_ = 0;
    message_start_ = 0;
    consumed_ = 0;
    error_.reset();
}

std::optional<Framing> StreamDecoder::framing() const {
    if (!profile_) return std::nullopt;
    return profile_->id();
}

std::size_t StreamDecoder::frame_size() const {
    return header_size_ + profile_->payload_size(profile_->read(buffer_.data()));
}

std::optional<CodecError> StreamDecoder::check_header(std::size_t header_offset) {
    if (!profile_) {
        auto detected = detect_framing(ByteView(buffer_.data(), header_size_), header_offset);
        if (!detected.ok()) return detected.error();
        profile_ = &framing_profile(detected.value());
    }
    auto error = profile_->check_framed(direction_, profile_->read(buffer_.data()), header_offset);
    if (error) error->message = "message at stream offset " + std::to_string(header_offset) + ": " + error->message;
    return error;
}

std::optional<CodecError> StreamDecoder::feed(ByteView chunk, const FrameHandler& on_frame) {
    if (error_) return error_;
    std::size_t pos = 0;
    while (pos < chunk.size()) {
        // Fast path: a whole message lies in the chunk and nothing is
        // buffered, so hand it out without copying.
        if (buffered_ == 0 && chunk.size() - pos >= header_size_) {
            std::memcpy(buffer_.data(), chunk.data() + pos, header_size_);
            if ((error_ = check_header(consumed_))) return error_;
            const std::size_t size = frame_size();
            if (chunk.size() - pos >= size) {
                on_frame(Frame{chunk.subspan(pos, size), consumed_});
                pos += size;
                consumed_ += size;
                continue;
            }
        }
        // Slow path: accumulate into the buffer.
        if (buffered_ == 0) message_start_ = consumed_;
        const std::size_t want = buffered_ < header_size_ ? header_size_ - buffered_ : frame_size() - buffered_;
        const std::size_t take = std::min(want, chunk.size() - pos);
        std::memcpy(buffer_.data() + buffered_, chunk.data() + pos, take);
        buffered_ += take;
        pos += take;
        consumed_ += take;
        if (buffered_ == header_size_ && take == want) {
            if ((error_ = check_header(message_start_))) return error_;
        }
        if (buffered_ >= header_size_ && buffered_ == frame_size()) {
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
