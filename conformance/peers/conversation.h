// SPDX-License-Identifier: Apache-2.0
// conversation.h: what a case is written with. A Session is one case's
// run: options, transcript, clock and serials. A Connection is one socket
// to the server with its reply stream: it frames and sends calls, and hands
// back replies that the stream decoder framed (strict framing) and the cxx
// codec decoded (strict payload), in arrival order.
//
// A case stops at its first failure by throwing CaseFailure, which names
// the step; run_server_case catches it. Nothing else escapes a case.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "codecs/codec.h"
#include "framing/framing.h"
#include "peer_check.h"
#include "peer_socket.h"
#include "stream/stream_decoder.h"

namespace qemud::peers {

struct CaseFailure {
    std::string step;
    std::string reason;
};
struct CaseSkipped {
    std::string reason;
};

// Reply is one server message as received.
struct Reply {
    Bytes bytes;               // the whole frame, header included
    Json value;                // the payload's value (serial, inReplyTo, data)
    std::size_t stream_offset = 0;
    std::uint32_t in_reply_to() const { return value.at("inReplyTo").get<std::uint32_t>(); }
    std::string type() const { return value.at("data").at("type").get<std::string>(); }
};

class Connection;

class Session {
public:
    Session(const PeerOptions& options, std::vector<TranscriptEntry>* transcript);

    const PeerOptions& options() const { return options_; }
    const FramingProfile& profile() const { return *profile_; }
    std::chrono::milliseconds timeout() const { return std::chrono::milliseconds(options_.timeout_ms); }
    Clock::time_point deadline() const { return Clock::now() + timeout(); }

    // open connects (one step timeout); failing to connect fails the case.
    Connection open(const std::string& step);

    // serial gives the next call serial: random from the seed but never
    // repeated within a case, so every reply names one call.
    std::uint32_t serial();

    [[noreturn]] void fail(const std::string& step, const std::string& reason) const;
    void record(TranscriptEntry entry);
    double elapsed() const;

private:
    PeerOptions options_;
    PeerAddress address_;
    const FramingProfile* profile_;
    std::vector<TranscriptEntry>* transcript_;
    Clock::time_point start_;
    std::mt19937_64 random_;
    std::vector<std::uint32_t> used_serials_;
    int connections_ = 0;
};

class Connection {
public:
    Connection(Session& session, int index, PeerSocket socket);

    int index() const { return index_; }

    // frame_call frames a client payload value (serial, data) with the cxx
    // codec; a value the codec refuses is a defect of the case (internal).
    Bytes frame_call(const Json& payload) const;

    // send writes every byte by one step deadline, reading whatever the
    // server sends meanwhile into the reply queue, so neither side can
    // block the other with a full buffer. chunk > 0 writes that many bytes
    // at a time with `pause` between writes. A timeout fails the case at
    // `step`; so does a closed connection, unless close_ok, when send
    // returns false (a server may close on a hostile message before it
    // has read all of it).
    bool send(ByteView bytes, const std::string& step, std::size_t chunk = 0,
              std::chrono::milliseconds pause = std::chrono::milliseconds(0), bool close_ok = false);

    // Next is how waiting for a reply ended.
    enum class Next { reply, closed, timeout };
    // next waits for the next reply until `deadline`. A reply that is badly
    // framed or does not decode strictly, or a server serial that does not
    // increase, fails the case at `step`.
    Next next(Reply* out, Clock::time_point deadline, const std::string& step);
    // expect_reply is next() with a step deadline, where a close or a
    // timeout fails the case.
    Reply expect_reply(const std::string& step);

    void shutdown_write();

private:
    void pump(Clock::time_point deadline, const std::string& step, bool wait);
    void take_frame(const StreamDecoder::Frame& frame, const std::string& step);

    Session* session_;
    int index_;
    PeerSocket socket_;
    StreamDecoder decoder_;
    std::deque<Reply> ready_;
    bool closed_ = false;
    std::optional<std::uint32_t> last_server_serial_;
};

// arm_by_name finds an arm of a direction; a missing name is a defect of
// the case (the arm list comes from protocol.x).
const ArmInfo& arm_by_name(Direction direction, std::string_view name);
// server_arm_for gives the server arm of the same name as a client arm.
const ArmInfo* server_arm_for(const ArmInfo& client_arm);
// call_value is the realistic sample payload of a client arm with a serial.
Json call_value(const ArmInfo& client_arm, std::uint32_t serial);
std::string hex(ByteView bytes);

}  // namespace qemud::peers
