// SPDX-License-Identifier: Apache-2.0
#include "refd/server_loop.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace qemud::refd {

namespace {

using Clock = std::chrono::steady_clock;

// The input a connection reads at once, and the slices it is fed in: small
// slices let the output limit stop a flood of pipelined calls after a few
// replies, not after a whole read's worth (a 16-byte call can ask for a
// 20 KB reply).
constexpr std::size_t read_size = 16384;
constexpr std::size_t feed_slice = 256;

struct Peer {
    int fd;
    std::unique_ptr<Connection> connection;
    Bytes in;  // read but not yet fed
    std::size_t in_pos = 0;
    Bytes out;  // to write
    std::size_t out_pos = 0;
    bool done_reading = false;  // protocol close or peer EOF: write what is left, then close
    std::string reason;
    Clock::time_point last_progress;

    std::size_t unsent() const { return out.size() - out_pos; }
};

class Loop {
public:
    Loop(std::vector<Listener>& listeners, HypervisorModel& model, const ServerOptions& options)
        : listeners_(listeners), model_(model), options_(options) {}

    int run(int stop_fd);

private:
    void accept_from(const Listener& listener);
    void read_from(Peer& peer);
    void feed(Peer& peer);
    void write_to(Peer& peer);
    void close_peer(Peer& peer, const std::string& reason);
    int poll_timeout(Clock::time_point now) const;

    std::vector<Listener>& listeners_;
    HypervisorModel& model_;
    const ServerOptions& options_;
    std::vector<std::unique_ptr<Peer>> peers_;
};

void Loop::accept_from(const Listener& listener) {
    for (;;) {
        const int fd = ::accept4(listener.fd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return;  // EAGAIN, or a connection gone before accept: nothing to serve
        if (peers_.size() >= options_.max_connections) {
            if (options_.verbose) std::fprintf(stderr, "qemud-refd: refused a connection: --max-connections reached\n");
            ::close(fd);
            continue;
        }
        auto peer = std::make_unique<Peer>();
        peer->fd = fd;
        peer->connection = std::make_unique<Connection>(model_, options_.connection);
        peer->last_progress = Clock::now();
        peers_.push_back(std::move(peer));
    }
}

void Loop::feed(Peer& peer) {
    while (!peer.done_reading && peer.in_pos < peer.in.size() && peer.unsent() < options_.max_output_bytes) {
        const std::size_t n = std::min(feed_slice, peer.in.size() - peer.in_pos);
        if (!peer.connection->feed(ByteView(peer.in.data() + peer.in_pos, n), peer.out)) {
            peer.done_reading = true;
            peer.reason = peer.connection->close_reason();
        }
        peer.in_pos += n;
    }
    if (peer.in_pos == peer.in.size()) {
        peer.in.clear();
        peer.in_pos = 0;
    }
}

void Loop::read_from(Peer& peer) {
    std::uint8_t buffer[read_size];
    const ssize_t n = ::recv(peer.fd, buffer, sizeof buffer, 0);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
        peer.done_reading = true;
        peer.reason = std::string("read: ") + std::strerror(errno);
        return;
    }
    if (n == 0) {
        peer.done_reading = true;  // the peer closed its side; it may still read our replies
        peer.reason = "the peer closed the connection";
        return;
    }
    peer.last_progress = Clock::now();
    peer.in.insert(peer.in.end(), buffer, buffer + n);
    feed(peer);
}

void Loop::write_to(Peer& peer) {
    while (peer.unsent() > 0) {
        const ssize_t n = ::send(peer.fd, peer.out.data() + peer.out_pos, peer.unsent(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
            peer.reason = std::string("write: ") + std::strerror(errno);
            peer.out.clear();
            peer.out_pos = 0;
            peer.done_reading = true;
            return;
        }
        peer.out_pos += static_cast<std::size_t>(n);
        peer.last_progress = Clock::now();
    }
    peer.out.clear();
    peer.out_pos = 0;
    feed(peer);  // input held back by the output limit
}

void Loop::close_peer(Peer& peer, const std::string& reason) {
    if (options_.verbose) std::fprintf(stderr, "qemud-refd: closed a connection: %s\n", reason.c_str());
    ::close(peer.fd);
    peer.fd = -1;
}

int Loop::poll_timeout(Clock::time_point now) const {
    if (options_.idle_timeout_ms <= 0 || peers_.empty()) return -1;
    auto soonest = Clock::time_point::max();
    for (const auto& peer : peers_)
        soonest = std::min(soonest, peer->last_progress + std::chrono::milliseconds(options_.idle_timeout_ms));
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(soonest - now).count();
    return static_cast<int>(std::clamp<long long>(wait + 1, 0, options_.idle_timeout_ms));
}

int Loop::run(int stop_fd) {
    std::vector<pollfd> fds;
    for (;;) {
        fds.clear();
        fds.push_back({stop_fd, POLLIN, 0});
        for (const auto& listener : listeners_) fds.push_back({listener.fd(), POLLIN, 0});
        for (const auto& peer : peers_) {
            short events = 0;
            if (!peer->done_reading && peer->unsent() < options_.max_output_bytes) events |= POLLIN;
            if (peer->unsent() > 0) events |= POLLOUT;
            fds.push_back({peer->fd, events, 0});
        }
        if (::poll(fds.data(), fds.size(), poll_timeout(Clock::now())) < 0) {
            if (errno == EINTR) continue;
            std::fprintf(stderr, "qemud-refd: poll: %s\n", std::strerror(errno));
            return 2;
        }
        if (fds[0].revents) break;
        for (std::size_t i = 0; i < listeners_.size(); ++i)
            if (fds[1 + i].revents & POLLIN) accept_from(listeners_[i]);
        const auto now = Clock::now();
        const std::size_t first_peer = 1 + listeners_.size();
        for (std::size_t i = first_peer; i < fds.size(); ++i) {
            Peer& peer = *peers_[i - first_peer];
            const short revents = fds[i].revents;
            // Read only what can be fed: a peer held back by the output
            // limit (or already closing) is not read into memory.
            if ((revents & (POLLIN | POLLHUP | POLLERR)) && !peer.done_reading && peer.in.empty()) read_from(peer);
            if (revents & POLLOUT) write_to(peer);
            if (peer.done_reading && peer.unsent() == 0) {
                close_peer(peer, peer.reason);
            } else if (options_.idle_timeout_ms > 0 &&
                       now - peer.last_progress > std::chrono::milliseconds(options_.idle_timeout_ms)) {
                close_peer(peer, peer.unsent() ? "slow writer: " + std::to_string(peer.unsent()) +
                                                     " reply bytes not taken within --idle-timeout-ms"
                                               : "idle for --idle-timeout-ms");
            }
        }
        std::erase_if(peers_, [](const auto& peer) { return peer->fd < 0; });
    }
    for (auto& peer : peers_) close_peer(*peer, "the daemon is stopping");
    peers_.clear();
    return 0;
}

}  // namespace

int run_server(std::vector<Listener>& listeners, HypervisorModel& model, const ServerOptions& options, int stop_fd) {
    return Loop(listeners, model, options).run(stop_fd);
}

}  // namespace qemud::refd
