// SPDX-License-Identifier: Apache-2.0
// peer_socket.cpp: non-blocking sockets with poll(2) deadlines.
#include "peer_socket.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace qemud::peers {
namespace {

int remaining_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

// wait_for polls fd for `events` until the deadline, retrying EINTR.
// Returns the revents, or 0 on timeout.
short wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        pollfd p{fd, events, 0};
        int n = ::poll(&p, 1, remaining_ms(deadline));
        if (n > 0) return p.revents;
        if (n == 0) return 0;
        if (errno != EINTR) return POLLERR;
    }
}

bool set_nonblocking(int fd) {
    int flags = ::fcntl(fd, F_GETFL, 0);
    return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

// connect_fd starts a non-blocking connect and waits for its completion.
bool connect_fd(int fd, const sockaddr* addr, socklen_t len, Clock::time_point deadline, std::string* error) {
    if (!set_nonblocking(fd)) {
        *error = std::string("fcntl: ") + std::strerror(errno);
        return false;
    }
    if (::connect(fd, addr, len) == 0) return true;
    if (errno != EINPROGRESS && errno != EAGAIN) {
        *error = std::strerror(errno);
        return false;
    }
    if (wait_for(fd, POLLOUT, deadline) == 0) {
        *error = "connect timed out";
        return false;
    }
    int so_error = 0;
    socklen_t so_len = sizeof so_error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &so_len);
    if (so_error != 0) {
        *error = std::strerror(so_error);
        return false;
    }
    return true;
}

}  // namespace

std::optional<PeerAddress> parse_address(const std::string& text, std::string* error) {
    PeerAddress address;
    address.text = text;
    if (text.rfind("unix:", 0) == 0) {
        address.family = PeerAddress::Family::unix_socket;
        address.path = text.substr(5);
        if (address.path.empty() || address.path.size() >= sizeof(sockaddr_un{}.sun_path)) {
            *error = "unix: needs a path shorter than " + std::to_string(sizeof(sockaddr_un{}.sun_path)) + " bytes";
            return std::nullopt;
        }
        return address;
    }
    if (text.rfind("tcp:", 0) == 0) {
        address.family = PeerAddress::Family::tcp;
        std::string rest = text.substr(4);
        auto colon = rest.rfind(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) {
            *error = "tcp: needs HOST:PORT";
            return std::nullopt;
        }
        address.host = rest.substr(0, colon);
        address.port = rest.substr(colon + 1);
        if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']')
            address.host = address.host.substr(1, address.host.size() - 2);
        return address;
    }
    *error = "an address is unix:PATH or tcp:HOST:PORT, not '" + text + "'";
    return std::nullopt;
}

std::optional<PeerSocket> PeerSocket::connect(const PeerAddress& address, std::chrono::milliseconds timeout,
                                              std::string* error) {
    ignore_sigpipe();
    const auto deadline = Clock::now() + timeout;
    if (address.family == PeerAddress::Family::unix_socket) {
        int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            *error = std::string("socket: ") + std::strerror(errno);
            return std::nullopt;
        }
        PeerSocket socket(fd);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path, address.path.c_str(), address.path.size() + 1);
        if (!connect_fd(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr, deadline, error)) {
            *error = address.text + ": " + *error;
            return std::nullopt;
        }
        return socket;
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    // getaddrinfo has no timeout; a numeric host (the usual case for a test
    // server) never waits on a resolver.
    if (int rc = ::getaddrinfo(address.host.c_str(), address.port.c_str(), &hints, &found); rc != 0) {
        *error = address.text + ": " + ::gai_strerror(rc);
        return std::nullopt;
    }
    std::string last = "no address";
    for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
        int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) continue;
        PeerSocket socket(fd);
        if (connect_fd(fd, ai->ai_addr, ai->ai_addrlen, deadline, &last)) {
            ::freeaddrinfo(found);
            return socket;
        }
    }
    ::freeaddrinfo(found);
    *error = address.text + ": " + last;
    return std::nullopt;
}

PeerSocket PeerSocket::adopt(int fd) {
    set_nonblocking(fd);
    return PeerSocket(fd);
}

PeerSocket::PeerSocket(PeerSocket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

PeerSocket& PeerSocket::operator=(PeerSocket&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

PeerSocket::~PeerSocket() {
    if (fd_ >= 0) ::close(fd_);
}

PeerSocket::IoStatus PeerSocket::write_some(std::span<const std::uint8_t> bytes, Clock::time_point deadline,
                                            std::size_t* written, std::string* error) {
    *written = 0;
    for (;;) {
        ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n >= 0) {
            *written = static_cast<std::size_t>(n);
            return IoStatus::ok;
        }
        if (errno == EINTR) continue;
        if (errno == EPIPE || errno == ECONNRESET) return IoStatus::closed;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            *error = std::strerror(errno);
            return IoStatus::error;
        }
        short revents = wait_for(fd_, POLLOUT, deadline);
        if (revents == 0) return IoStatus::timeout;
    }
}

PeerSocket::ReadResult PeerSocket::read_some(Clock::time_point deadline) {
    ReadResult result;
    for (;;) {
        std::uint8_t buffer[65536];
        ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n > 0) {
            result.bytes.assign(buffer, buffer + n);
            return result;
        }
        if (n == 0) {
            result.status = IoStatus::closed;
            return result;
        }
        if (errno == EINTR) continue;
        if (errno == ECONNRESET) {
            result.status = IoStatus::closed;
            return result;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            result.status = IoStatus::error;
            result.error = std::strerror(errno);
            return result;
        }
        if (wait_for(fd_, POLLIN, deadline) == 0) {
            result.status = IoStatus::timeout;
            return result;
        }
    }
}

bool PeerSocket::readable() {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

void PeerSocket::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

void ignore_sigpipe() {
    static std::once_flag once;
    std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}

}  // namespace qemud::peers
