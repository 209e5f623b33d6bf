#include "stream/stream_decoder.h"

#include <algorithm>
#include <cstring>

#include "policy/policy.h"

namespace qemud {

namespace {

std::uint32_t load_be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

StreamDecoder::StreamDecoder(Direction direction)
    : direction_(direction),
      magic_(ProtocolInfo::get().header_magic()),
      header_size_(ProtocolInfo::get().header_size()),
      min_payload_(ProtocolInfo::get().min_payload(direction)),
      max_payload_(ProtocolInfo::get().max_payload(direction)),
      buffer_(header_size_ + max_payload_) {}

std::size_t StreamDecoder::frame_size() const {
    return header_size_ + load_be32(buffer_.data() + 4);
}

std::optional<CodecError> StreamDecoder::check_header(std::size_t header_offset) {
    // The header is the qemud_packet_header struct: magic, then length.
    const std::uint32_t magic = load_be32(buffer_.data());
    const std::uint32_t length = load_be32(buffer_.data() + 4);
    if (magic != magic_)
        return CodecError{"magic", header_offset, std::string(policy::name(policy::Flag::bad_magic)),
                          "message at stream offset " + std::to_string(header_offset) + " has a bad magic"};
    if (length > max_payload_)
        return CodecError{"length", header_offset + 4, std::string(policy::name(policy::Flag::length_too_large)),
                          "length " + std::to_string(length) + " exceeds the largest " +
                              std::string(to_string(direction_)) + " payload (" + std::to_string(max_payload_) + ")"};
    if (length < min_payload_ || length % 4 != 0)
        return CodecError{"length", header_offset + 4, std::string(policy::name(policy::Flag::length_mismatch)),
                          "length " + std::to_string(length) + " is not the size of any " +
                              std::string(to_string(direction_)) + " payload"};
    return std::nullopt;
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
