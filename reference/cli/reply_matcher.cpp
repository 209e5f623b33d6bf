// SPDX-License-Identifier: Apache-2.0
#include "cli/reply_matcher.h"

#include <cstdlib>

#include "codecs/registry.h"
#include "framing/framing.h"
#include "protocol_info/protocol_info.h"

namespace qemud::cli {

namespace {

const Codec& strict_codec() {
    // The strict decoder: a reply the policy lets a strict peer refuse is
    // refused here, so a value delivered is always a canonical one.
    static const Codec* codec = find_codec("cxx");
    return *codec;
}

const ArmInfo* server_arm(std::int32_t value) {
    return ProtocolInfo::get().find_arm(Direction::server, value);
}

std::string server_name(std::int32_t value) {
    const ArmInfo* arm = server_arm(value);
    return arm ? arm->name : "server type " + std::to_string(value);
}

}  // namespace

ReplyMatcher::ReplyMatcher(Framing framing, BugSet bugs)
    : framing_(framing), bugs_(bugs), decoder_(Direction::server, framing) {}

void ReplyMatcher::expect(std::uint32_t serial, std::int32_t client_type) {
    outstanding_.push_back(Call{serial, client_type});
}

FeedResult ReplyMatcher::feed(ByteView chunk) {
    FeedResult out;
    if (ended_) return out;
    consumed_ += chunk.size();
    if (bugs_.has(Bug::short_read) && framing_ == Framing::seed) {
        feed_short_read(chunk, out);
        return out;
    }
    const auto error = decoder_.feed(chunk, [&](const StreamDecoder::Frame& frame) {
        // A malformed payload ends the conversation even when more frames
        // came in the same chunk: nothing after it is read.
        if (!ended_) on_frame(frame.bytes, frame.stream_offset, out);
    });
    if (error && !ended_) fail_all("malformed reply frame: " + error->to_string(), out);
    return out;
}

// feed_short_read is the short-read bug's framer: it believes the length
// word counts the header too, so it cuts each frame 8 bytes short and reads
// the next header from the previous payload's tail. Its memory is bounded
// the same way: a length the profile refuses is refused from the header.
void ReplyMatcher::feed_short_read(ByteView chunk, FeedResult& out) {
    const FramingProfile& profile = framing_profile(framing_);
    const std::size_t header = profile.header_size();
    short_buffer_.insert(short_buffer_.end(), chunk.begin(), chunk.end());
    std::size_t at = 0;
    while (!ended_ && short_buffer_.size() - at >= header) {
        const HeaderWords words = profile.read(short_buffer_.data() + at);
        if (const auto error = profile.check_framed(Direction::server, words, short_start_)) {
            fail_all("malformed reply frame: " + error->to_string(), out);
            break;
        }
        const std::size_t payload = words.length >= header ? words.length - header : 0;
        if (short_buffer_.size() - at < header + payload) break;
        on_frame(ByteView(short_buffer_.data() + at, header + payload), short_start_, out);
        at += header + payload;
        short_start_ += header + payload;
    }
    short_buffer_.erase(short_buffer_.begin(), short_buffer_.begin() + static_cast<std::ptrdiff_t>(at));
}

void ReplyMatcher::on_frame(ByteView frame, std::size_t stream_offset, FeedResult& out) {
    const std::size_t header = framing_profile(framing_).header_size();
    const auto decoded = strict_codec().decode(Kind::server, frame.subspan(header));
    if (!decoded.ok()) {
        std::string why = "malformed reply at stream byte " + std::to_string(stream_offset);
        if (decoded.failed()) {
            const CodecError& e = decoded.error();
            if (e.offset) why += " (error at stream byte " + std::to_string(stream_offset + header + *e.offset) + ")";
            why += ": " + e.to_string();
        } else {
            why += ": " + decoded.unsupported_reason().what;
        }
        fail_all(why, out);
        return;
    }
    const Json& message = decoded.value();
    const auto in_reply_to = message.at("inReplyTo").get<std::uint32_t>();
    const Json& data = message.at("data");

    std::optional<std::size_t> index;
    if (bugs_.has(Bug::match_by_order)) {
        if (!outstanding_.empty()) index = 0;
    } else {
        for (std::size_t i = 0; i < outstanding_.size(); ++i)
            if (outstanding_[i].serial == in_reply_to) {
                index = i;
                break;
            }
        if (!index && bugs_.has(Bug::async_confusion) && !outstanding_.empty()) index = 0;
    }
    if (!index) {
        out.ignored.push_back(Ignored{in_reply_to, data.at("type").get<std::string>(), stream_offset});
        return;
    }
    settle(*index, data, stream_offset, out);
}

void ReplyMatcher::settle(std::size_t index, const Json& data, std::size_t stream_offset, FeedResult& out) {
    const Call call = outstanding_[index];
    outstanding_.erase(outstanding_.begin() + static_cast<std::ptrdiff_t>(index));
    Settled s;
    s.serial = call.serial;
    s.call_type = call.type;
    const std::string type = data.at("type").get<std::string>();
    const ArmInfo* arm = ProtocolInfo::get().find_arm(Direction::server, type);
    const ArmInfo* failure = server_arm(0);
    const std::int32_t expected = call.type + 1;  // the server type of the call's name
    if (arm && arm->value == expected) {
        s.kind = Settled::Kind::value;
        s.value = data;
    } else if (arm && arm == failure) {
        const Json& reply = data.at(failure->member);
        s.kind = Settled::Kind::failure;
        s.failure_code = reply.at("code").get<std::uint32_t>();
        s.failure_message_hex = reply.at("message").get<std::string>();
        if (bugs_.has(Bug::abort_on_failure)) std::abort();
    } else if (bugs_.has(Bug::accept_wrong_type)) {
        s.kind = Settled::Kind::value;
        s.value = data;
    } else {
        s.kind = Settled::Kind::error;
        s.error = "reply at stream byte " + std::to_string(stream_offset) + " is " + type + ", expected " +
                  server_name(expected) + " or " + failure->name;
    }
    out.settled.push_back(std::move(s));
}

void ReplyMatcher::fail_all(const std::string& why, FeedResult& out) {
    for (const Call& call : outstanding_) {
        Settled s;
        s.kind = Settled::Kind::error;
        s.serial = call.serial;
        s.call_type = call.type;
        s.error = why;
        out.settled.push_back(std::move(s));
    }
    outstanding_.clear();
    ended_ = true;
}

FeedResult ReplyMatcher::finish(const std::string& why) {
    FeedResult out;
    if (outstanding_.empty()) return out;
    std::string reason = why;
    if (bugs_.has(Bug::short_read) && framing_ == Framing::seed) {
        if (!short_buffer_.empty())
            reason += " (a reply was cut off at stream byte " + std::to_string(short_start_) + ")";
    } else if (const auto cut = decoder_.finish()) {
        reason += " (" + cut->to_string() + ")";
    }
    fail_all(reason, out);
    return out;
}

}  // namespace qemud::cli
