// SPDX-License-Identifier: Apache-2.0
// toy_server.cpp: the in-test server. Thread per connection, blocking
// I/O woken by a stop pipe, so the destructor ends every thread.
#include "toy_server.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "codecs/registry.h"
#include "sample_values.h"
#include "stream/stream_decoder.h"

namespace qemud::peers::testing {
namespace {

void write_all(int fd, const Bytes& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0) return;  // the client went away; nothing to answer
        done += static_cast<std::size_t>(n);
    }
}

std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

ToyServer::ToyServer(Framing framing, ToyFault fault) : framing_(framing), fault_(fault) {
    char pattern[] = "/tmp/qemud-peers-toy.XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    path_ = dir_ + "/s";
    address_ = "unix:" + path_;
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0)
        throw std::runtime_error("cannot listen on " + path_);
    if (::pipe(stop_pipe_) != 0) throw std::runtime_error("pipe failed");
    acceptor_ = std::thread([this] { accept_loop(); });
}

ToyServer::~ToyServer() {
    char byte = 0;
    (void)!::write(stop_pipe_[1], &byte, 1);  // wakes every poll: the pipe stays readable
    acceptor_.join();
    {
        std::lock_guard lock(mutex_);
        for (auto& worker : workers_) worker.join();
    }
    ::close(listen_fd_);
    ::close(stop_pipe_[0]);
    ::close(stop_pipe_[1]);
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
}

void ToyServer::accept_loop() {
    for (;;) {
        pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) continue;
        if (fds[1].revents != 0) return;
        if (!accepting_) {
            // The "stopped serving" fault: connections queue and are never
            // answered, as with a wedged daemon.
            ::poll(&fds[1], 1, -1);
            return;
        }
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        std::lock_guard lock(mutex_);
        workers_.emplace_back([this, fd] { serve(fd); });
    }
}

void ToyServer::serve(int fd) {
    const Codec& cxx = *find_codec("cxx");
    const auto& info = ProtocolInfo::get();
    const std::size_t h = info.header_size();
    const ArmInfo* failure = info.find_arm(Direction::server, "QEMUD_SERVER_PKT_FAILURE");
    StreamDecoder decoder(Direction::client, framing_);
    std::uint32_t next_serial = 1;
    int frames_this_connection = 0;

    auto reply = [&](const ArmInfo& arm, std::uint32_t in_reply_to) {
        Json value = samples::payload_value(arm, samples::Plan::realistic);
        value["serial"] = next_serial++;
        value["inReplyTo"] = fault_ == ToyFault::in_reply_to_off_by_one ? in_reply_to + 1 : in_reply_to;
        auto wire = cxx.encode(Kind::server_message, value, framing_);
        if (wire.ok()) write_all(fd, wire.value());
    };

    for (;;) {
        pollfd fds[2] = {{fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) continue;
        if (fds[1].revents != 0) break;
        std::uint8_t buffer[4096];
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (fault_ == ToyFault::silent) {
            // Not even end of stream makes it close: only the stop pipe.
            if (n <= 0) ::poll(&fds[1], 1, -1);
            if (n <= 0) break;
            continue;
        }
        if (n <= 0) break;
        auto error = decoder.feed(ByteView(buffer, static_cast<std::size_t>(n)), [&](const StreamDecoder::Frame& frame) {
            if (fault_ == ToyFault::only_first_per_connection && frames_this_connection++ > 0) return;
            auto call = cxx.decode(Kind::client_message, frame.bytes, framing_);
            if (!call.ok()) {
                // The serial, if the payload is long enough to hold one.
                reply(*failure, frame.bytes.size() >= h + 4 ? be32(frame.bytes.data() + h) : 0);
                return;
            }
            const ArmInfo* arm = info.find_arm(Direction::client, call.value().at("data").at("type").get<std::string>());
            const ArmInfo* answer = info.find_arm(Direction::server, arm->value + 1);
            if (fault_ == ToyFault::wrong_type) {
                const ArmInfo* next = info.find_arm(Direction::server, arm->value + 2);
                answer = next ? next : info.find_arm(Direction::server, 1);
            }
            reply(*answer, call.value().at("serial").get<std::uint32_t>());
        });
        if (error) {
            if (fault_ == ToyFault::stop_after_bad_framing) accepting_ = false;
            break;  // bad framing: close, as PEERS.md rule 5 allows
        }
    }
    ::close(fd);
}

}  // namespace qemud::peers::testing
