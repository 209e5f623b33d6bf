// SPDX-License-Identifier: Apache-2.0
#include "refd/connection.h"

#include <algorithm>
#include <cstdlib>

#include "codecs/cxx/cxx_codec.h"
#include "framing/framing.h"
#include "policy/policy.h"
#include "protocol_info/protocol_info.h"
#include "refd/dispatch.h"

namespace qemud::refd {

namespace {

// A header written one byte per read: the trigger of hang-on-byte-writer.
constexpr unsigned byte_writer_feeds = 8;
// pipeline-swap reverses the bodies of at most this many queued replies, so
// the bug keeps the connection's memory bounded too.
constexpr std::size_t swap_group = 8;

std::uint32_t read_word(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
           static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

void write_word(std::uint8_t* p, std::uint32_t w) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(w >> (24 - 8 * i));
}

model::qemud_packet_server failure_reply(std::uint32_t in_reply_to, const std::string& message) {
    model::qemud_packet_server reply{};
    reply.inReplyTo = in_reply_to;
    reply.data = failure_data(FailureCode::malformed_message, message);
    return reply;
}

}  // namespace

Connection::Connection(HypervisorModel& model, ConnectionOptions options) : model_(model), options_(options) {
    fresh_decoder(options_.framing);
}

void Connection::fresh_decoder(std::optional<Framing> framing) {
    if (framing)
        decoder_.emplace(Direction::client, *framing);
    else
        decoder_.emplace(StreamDecoder::detecting(Direction::client));
}

bool Connection::feed(ByteView bytes, Bytes& out) {
    if (close_reason_) return false;
    bytes_consumed_ += bytes.size();
    if (options_.bugs.has(Bug::hang_on_byte_writer)) {
        one_byte_feeds_ = bytes.size() == 1 ? one_byte_feeds_ + 1 : 0;
        if (one_byte_feeds_ >= byte_writer_feeds) hung_ = true;
        if (hung_) return true;  // reads everything, answers nothing, never closes
    }
    bool keep_open = true;
    while (keep_open) {
        const std::size_t chunk_start = decoder_base_ + decoder_->consumed();
        const auto error = decoder_->feed(bytes, [&](const StreamDecoder::Frame& frame) {
            on_frame(frame.bytes);
            if (pending_.size() >= swap_group || !options_.bugs.has(Bug::pipeline_swap)) {
                for (auto& reply : pending_) emit(reply, out);
                pending_.clear();
            }
        });
        if (!error) break;
        // on_framing_error either closes, or (desync-after-bad-magic)
        // restarts the decoder and leaves the rest of the chunk in `bytes`.
        const std::size_t before = bytes.size();
        keep_open = on_framing_error(*error, bytes, chunk_start, out);
        if (keep_open) bytes = bytes.subspan(before - std::min(before, resume_left_));
    }
    if (options_.bugs.has(Bug::pipeline_swap) && pending_.size() > 1) {
        // Bodies reversed, inReplyTo kept in arrival order: each call gets
        // another call's answer.
        for (std::size_t i = 0, j = pending_.size() - 1; i < j; ++i, --j) std::swap(pending_[i].data, pending_[j].data);
    }
    for (auto& reply : pending_) emit(reply, out);
    pending_.clear();
    return keep_open;
}

void Connection::on_frame(ByteView frame) {
    const std::size_t header = ProtocolInfo::get().header_size();
    ByteView payload = frame.subspan(header);
    // Every framed client payload has at least 8 bytes (serial, type): the
    // stream decoder refused any shorter length.
    const std::uint32_t serial = read_word(payload.data());
    auto error = cxx::decode(payload, call_);
    if (error && options_.bugs.has(Bug::ignore_trailing_bytes)) {
        const auto* arm = ProtocolInfo::get().find_arm(Direction::client, static_cast<std::int32_t>(read_word(payload.data() + 4)));
        if (arm && payload.size() > arm->payload_size) error = cxx::decode(payload.first(arm->payload_size), call_);
    }
    if (error) {
        pending_.push_back(failure_reply(serial, "payload: " + error->to_string()));
        return;
    }
    pending_.push_back(dispatch(model_, call_));
}

void Connection::emit(model::qemud_packet_server& reply, Bytes& out) {
    reply.serial = options_.bugs.has(Bug::serial_repeats) ? 1 : next_serial_++;
    if (options_.bugs.has(Bug::inreplyto_off_by_one)) reply.inReplyTo += 1;
    if (cxx::encode(reply, scratch_)) {
        // The replies are built from the model's own types; an encoding
        // failure is a bug of this file. Answer it as one rather than stay
        // silent, so the peer still gets one reply per call.
        auto fallback = failure_reply(reply.inReplyTo, "internal: reply could not be encoded");
        fallback.serial = reply.serial;
        cxx::encode(fallback, scratch_);
    }
    if (options_.bugs.has(Bug::client_enum_type) &&
        reply.data.type != model::qemud_packet_server_data_type::QEMUD_SERVER_PKT_FAILURE)
        write_word(scratch_.data() + 8, read_word(scratch_.data() + 8) - 1);
    const auto& profile = framing_profile(decoder_->framing().value_or(Framing::seed));
    const Bytes header = profile.header_for(scratch_.size());
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), scratch_.begin(), scratch_.end());
    ++calls_answered_;
}

bool Connection::on_framing_error(const CodecError& error, ByteView chunk, std::size_t chunk_start, Bytes& out) {
    resume_left_ = 0;
    const bool bad_magic = error.flag == policy::name(policy::Flag::bad_magic);
    if (error.flag == policy::name(policy::Flag::length_too_large) &&
        options_.bugs.has(Bug::abort_on_large_length))
        std::abort();
    for (auto& reply : pending_) emit(reply, out);
    pending_.clear();
    auto reply = failure_reply(0, "header: " + error.to_string());
    emit(reply, out);
    const auto framing = decoder_->framing();
    if (bad_magic && framing && error.offset && options_.bugs.has(Bug::desync_after_bad_magic)) {
        // The bug: skip the 8 bad header bytes and read on, as if the next
        // header followed them. What follows is the bad message's payload.
        const auto& profile = framing_profile(*framing);
        const std::size_t header_start = decoder_base_ + *error.offset - profile.constant_offset();
        const std::size_t resume = header_start + profile.header_size();
        resume_left_ = chunk_start + chunk.size() > resume ? chunk_start + chunk.size() - resume : 0;
        decoder_base_ = resume;
        fresh_decoder(framing);
        return true;
    }
    close_reason_ = error.to_string();
    return false;
}

}  // namespace qemud::refd
