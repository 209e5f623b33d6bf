// SPDX-License-Identifier: Apache-2.0
// reply_matcher.h: the heart of qemud-cli without a socket. It knows which
// calls are outstanding, takes the server's bytes in any chunking and says
// what each byte settled: a call's reply value, its FAILURE, or why it got
// no usable reply. The executable, the unit tests and a fuzz target all
// drive this same object.
//
// The rules it keeps (a conforming client, docs/PEERS.md):
// * a reply is matched to its call by inReplyTo only, never by order;
// * a server message whose inReplyTo names no outstanding call is an
//   asynchronous notification: reported as ignored, every call keeps waiting;
// * a reply of the call's type is its value, FAILURE is its failure, any
//   other type is an error for that call (no value is delivered);
// * a frame the framing refuses, or a payload the strict cxx decoder
//   refuses, fails every outstanding call and ends the conversation: the
//   stream can no longer be trusted;
// * each call is settled at most once; memory is bounded by one message of
//   the server's largest size (StreamDecoder), whatever a length word claims.
// Nothing here throws or aborts, unless the abort-on-failure bug asks.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "cli/bugs.h"
#include "codecs/codec.h"
#include "framing/framing_id.h"
#include "stream/stream_decoder.h"

namespace qemud::cli {

// Settled is the outcome of one call.
struct Settled {
    enum class Kind { value, failure, error };
    Kind kind = Kind::error;
    std::uint32_t serial = 0;
    std::int32_t call_type = 0;  // the call's client discriminant value
    // value: the reply's `data` union in the value model, e.g.
    // {"type":"QEMUD_SERVER_PKT_GET_VERSION","getVersionReply":{"versionNum":9000}}.
    Json value;
    // failure: the FAILURE reply's code and message (hex of the whole char
    // array, as the value model writes it).
    std::uint32_t failure_code = 0;
    std::string failure_message_hex;
    // error: one line saying why the call got no usable reply.
    std::string error;
};

// Ignored is a server message that settled nothing (an asynchronous
// notification, or a second reply to a call already settled).
struct Ignored {
    std::uint32_t in_reply_to = 0;
    std::string type;  // the server discriminant's name
    std::size_t stream_offset = 0;
};

struct FeedResult {
    std::vector<Settled> settled;  // in the order they were settled
    std::vector<Ignored> ignored;
};

class ReplyMatcher {
public:
    explicit ReplyMatcher(Framing framing = Framing::seed, BugSet bugs = {});

    // expect registers an outstanding call. client_type is the client
    // discriminant value. A serial that is outstanding already is kept
    // too (only serial-reuse sends such calls); a reply settles the oldest.
    void expect(std::uint32_t serial, std::int32_t client_type);

    // feed consumes server bytes and returns what they settled. After the
    // conversation has ended (ended()), it consumes nothing.
    FeedResult feed(ByteView chunk);

    // finish settles every call still outstanding as an error with `why`
    // ("connection closed", "no reply within 5000 ms"), adding where a
    // reply was cut off when the stream ends inside one.
    FeedResult finish(const std::string& why);

    std::size_t outstanding() const { return outstanding_.size(); }
    // ended: a malformed frame or payload ended the conversation.
    bool ended() const { return ended_; }
    std::size_t consumed() const { return consumed_; }

private:
    struct Call {
        std::uint32_t serial;
        std::int32_t type;
    };
    void on_frame(ByteView frame, std::size_t stream_offset, FeedResult& out);
    void fail_all(const std::string& why, FeedResult& out);
    void settle(std::size_t index, const Json& data, std::size_t stream_offset, FeedResult& out);
    void feed_short_read(ByteView chunk, FeedResult& out);

    Framing framing_;
    BugSet bugs_;
    StreamDecoder decoder_;
    std::deque<Call> outstanding_;  // in the order expect() was called
    std::size_t consumed_ = 0;
    bool ended_ = false;
    // short-read only: its own miscounting framer (StreamDecoder is right).
    Bytes short_buffer_;
    std::size_t short_start_ = 0;
};

}  // namespace qemud::cli
