// SPDX-License-Identifier: Apache-2.0
// conversation.cpp: sessions and connections of a case.
#include "conversation.h"

#include <algorithm>
#include <thread>

#include "codecs/registry.h"
#include "sample_values.h"

namespace qemud::peers {

std::string hex(ByteView bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

const ArmInfo& arm_by_name(Direction direction, std::string_view name) {
    const ArmInfo* arm = ProtocolInfo::get().find_arm(direction, name);
    if (arm == nullptr) throw CaseFailure{"setup", "internal: protocol.x has no arm " + std::string(name)};
    return *arm;
}

const ArmInfo* server_arm_for(const ArmInfo& client_arm) {
    return ProtocolInfo::get().find_arm(Direction::server, client_arm.value + 1);
}

Json call_value(const ArmInfo& client_arm, std::uint32_t serial) {
    Json value = samples::payload_value(client_arm, samples::Plan::realistic);
    value["serial"] = serial;
    return value;
}

// --- Session

Session::Session(const PeerOptions& options, std::vector<TranscriptEntry>* transcript)
    : options_(options),
      profile_(&framing_profile(options.framing)),
      transcript_(transcript),
      start_(Clock::now()),
      random_(options.seed) {
    std::string error;
    auto address = parse_address(options.address, &error);
    if (!address) throw CaseFailure{"setup", error};
    address_ = *address;
}

Connection Session::open(const std::string& step) {
    std::string error;
    auto socket = PeerSocket::connect(address_, timeout(), &error);
    if (!socket) {
        record({TranscriptEntry::Direction::event, connections_, elapsed(), "", nullptr, "cannot connect: " + error});
        fail(step, "cannot connect: " + error);
    }
    int index = connections_++;
    record({TranscriptEntry::Direction::event, index, elapsed(), "", nullptr, "connected to " + address_.text});
    return Connection(*this, index, std::move(*socket));
}

std::uint32_t Session::serial() {
    for (;;) {
        auto candidate = static_cast<std::uint32_t>(random_());
        if (std::find(used_serials_.begin(), used_serials_.end(), candidate) != used_serials_.end()) continue;
        // 0 reads as "no serial" in a FAILURE; keep it for serial/edges.
        if (candidate == 0) continue;
        used_serials_.push_back(candidate);
        return candidate;
    }
}

void Session::fail(const std::string& step, const std::string& reason) const { throw CaseFailure{step, reason}; }

void Session::record(TranscriptEntry entry) { transcript_->push_back(std::move(entry)); }

double Session::elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

// --- Connection

Connection::Connection(Session& session, int index, PeerSocket socket)
    : session_(&session),
      index_(index),
      socket_(std::move(socket)),
      decoder_(Direction::server, session.options().framing) {}

Bytes Connection::frame_call(const Json& payload) const {
    auto wire = find_codec("cxx")->encode(Kind::client_message, payload, session_->options().framing);
    if (!wire.ok())
        throw CaseFailure{"setup", "internal: cxx cannot encode the call " + payload.dump() + ": " +
                                       (wire.failed() ? wire.error().to_string() : wire.unsupported_reason().what)};
    return wire.value();
}

bool Connection::send(ByteView bytes, const std::string& step, std::size_t chunk, std::chrono::milliseconds pause,
                      bool close_ok) {
    Json decoded = nullptr;
    auto value = find_codec("cxx")->decode(Kind::client_message, bytes, session_->options().framing);
    if (value.ok()) decoded = value.value();
    std::string note = chunk > 0 ? "written " + std::to_string(chunk) + " byte(s) at a time" : "";
    session_->record({TranscriptEntry::Direction::sent, index_, session_->elapsed(), hex(bytes), decoded, note});

    const auto deadline = session_->deadline();
    std::size_t done = 0;
    while (done < bytes.size()) {
        std::size_t want = bytes.size() - done;
        if (chunk > 0) want = std::min(want, chunk);
        std::size_t written = 0;
        std::string error;
        auto status = socket_.write_some(bytes.subspan(done, want), deadline, &written, &error);
        if (status == PeerSocket::IoStatus::closed && close_ok) {
            session_->record({TranscriptEntry::Direction::event, index_, session_->elapsed(), "", nullptr,
                              "the server closed the connection after " + std::to_string(done) + " bytes"});
            return false;
        }
        if (status == PeerSocket::IoStatus::closed)
            session_->fail(step, "the server closed the connection after " + std::to_string(done) + " of " +
                                     std::to_string(bytes.size()) + " bytes were written");
        if (status == PeerSocket::IoStatus::timeout)
            session_->fail(step, "the server took no more bytes for " + std::to_string(session_->options().timeout_ms) +
                                     " ms (" + std::to_string(done) + " of " + std::to_string(bytes.size()) +
                                     " written)");
        if (status == PeerSocket::IoStatus::error) session_->fail(step, "write: " + error);
        done += written;
        // Replies that arrive while we write are queued, never lost.
        if (socket_.readable()) pump(deadline, step, false);
        if (chunk > 0 && pause.count() > 0 && done < bytes.size()) std::this_thread::sleep_for(pause);
    }
    return true;
}

void Connection::take_frame(const StreamDecoder::Frame& frame, const std::string& step) {
    Reply reply;
    reply.bytes.assign(frame.bytes.begin(), frame.bytes.end());
    reply.stream_offset = frame.stream_offset;
    auto value = find_codec("cxx")->decode(Kind::server_message, frame.bytes, session_->options().framing);
    session_->record({TranscriptEntry::Direction::received, index_, session_->elapsed(), hex(frame.bytes),
                      value.ok() ? value.value() : Json(nullptr),
                      value.ok() ? "" : (value.failed() ? value.error().to_string() : "unsupported")});
    const std::string where = "reply at stream byte " + std::to_string(frame.stream_offset);
    if (value.failed()) session_->fail(step, where + " does not decode: " + value.error().to_string());
    if (value.unsupported()) session_->fail(step, where + ": cxx cannot decode it: " + value.unsupported_reason().what);
    reply.value = std::move(value.value());
    auto serial = reply.value.at("serial").get<std::uint32_t>();
    if (last_server_serial_ && serial <= *last_server_serial_)
        session_->fail(step, where + ": serial (byte " + std::to_string(session_->profile().header_size()) + ") is " +
                                 std::to_string(serial) + ", not above the server's previous serial " +
                                 std::to_string(*last_server_serial_) + " on this connection");
    last_server_serial_ = serial;
    ready_.push_back(std::move(reply));
}

void Connection::pump(Clock::time_point deadline, const std::string& step, bool wait) {
    if (closed_) return;
    auto chunk = socket_.read_some(wait ? deadline : Clock::now());
    if (chunk.status == PeerSocket::IoStatus::timeout) return;
    if (chunk.status == PeerSocket::IoStatus::error) session_->fail(step, "read: " + chunk.error);
    if (chunk.status == PeerSocket::IoStatus::closed) {
        closed_ = true;
        std::string note = "closed by the server";
        if (auto cut = decoder_.finish()) note += "; " + cut->to_string();
        session_->record({TranscriptEntry::Direction::event, index_, session_->elapsed(), "", nullptr, note});
        // A close in the middle of a reply is a malformed reply.
        if (auto cut = decoder_.finish())
            session_->fail(step, "the server closed the connection inside a reply: " + cut->to_string());
        return;
    }
    auto error = decoder_.feed(chunk.bytes, [&](const StreamDecoder::Frame& frame) { take_frame(frame, step); });
    if (error) {
        session_->record({TranscriptEntry::Direction::received, index_, session_->elapsed(), hex(chunk.bytes), nullptr,
                          "badly framed: " + error->to_string()});
        session_->fail(step, "badly framed reply stream: " + error->to_string());
    }
}

Connection::Next Connection::next(Reply* out, Clock::time_point deadline, const std::string& step) {
    while (ready_.empty()) {
        if (closed_) return Next::closed;
        if (Clock::now() >= deadline) return Next::timeout;
        pump(deadline, step, true);
    }
    *out = std::move(ready_.front());
    ready_.pop_front();
    return Next::reply;
}

Reply Connection::expect_reply(const std::string& step) {
    Reply reply;
    switch (next(&reply, session_->deadline(), step)) {
        case Next::reply: return reply;
        case Next::closed: session_->fail(step, "the server closed the connection without replying");
        case Next::timeout:
            session_->fail(step, "no reply within " + std::to_string(session_->options().timeout_ms) + " ms");
    }
    return reply;
}

void Connection::shutdown_write() {
    socket_.shutdown_write();
    session_->record({TranscriptEntry::Direction::event, index_, session_->elapsed(), "", nullptr, "shut down our write side"});
}

}  // namespace qemud::peers
