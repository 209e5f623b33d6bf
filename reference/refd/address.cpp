// SPDX-License-Identifier: Apache-2.0
#include "refd/address.h"

#include <arpa/inet.h>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace qemud::refd {

namespace {

constexpr int backlog = 64;

std::string errno_text() { return std::strerror(errno); }

}  // namespace

std::string Address::to_string() const {
    if (family == Family::unix_socket) return "unix:" + path;
    return "tcp:" + host + ":" + std::to_string(port);
}

std::optional<Address> parse_address(std::string_view text, std::string& error) {
    Address address;
    if (text.starts_with("unix:")) {
        address.family = Address::Family::unix_socket;
        address.path = std::string(text.substr(5));
        if (address.path.empty()) {
            error = "address '" + std::string(text) + "': the unix socket path is empty";
            return std::nullopt;
        }
        if (address.path.size() >= sizeof(sockaddr_un{}.sun_path)) {
            error = "address '" + std::string(text) + "': the unix socket path is longer than " +
                    std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) + " bytes";
            return std::nullopt;
        }
        return address;
    }
    if (text.starts_with("tcp:")) {
        const std::string_view rest = text.substr(4);
        const auto colon = rest.rfind(':');
        address.family = Address::Family::tcp;
        address.host = std::string(rest.substr(0, colon == rest.npos ? 0 : colon));
        in_addr probe{};
        if (colon == rest.npos || inet_pton(AF_INET, address.host.c_str(), &probe) != 1) {
            error = "address '" + std::string(text) + "': expected tcp:HOST:PORT with an IPv4 HOST";
            return std::nullopt;
        }
        const std::string_view port = rest.substr(colon + 1);
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), address.port);
        if (port.empty() || ec != std::errc() || end != port.data() + port.size()) {
            error = "address '" + std::string(text) + "': port '" + std::string(port) + "' is not 0..65535";
            return std::nullopt;
        }
        return address;
    }
    error = "address '" + std::string(text) + "': expected unix:PATH or tcp:HOST:PORT";
    return std::nullopt;
}

std::optional<Listener> Listener::open(const Address& address, std::string& error) {
    const std::string name = address.to_string();
    if (address.family == Address::Family::unix_socket) {
        struct stat st{};
        if (::lstat(address.path.c_str(), &st) == 0) {
            error = name + ": in use (the file exists; remove it if no daemon owns it)";
            return std::nullopt;
        }
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            error = name + ": socket: " + errno_text();
            return std::nullopt;
        }
        sockaddr_un sa{};
        sa.sun_family = AF_UNIX;
        std::memcpy(sa.sun_path, address.path.c_str(), address.path.size() + 1);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
            error = name + ": bind: " + errno_text();
            ::close(fd);
            return std::nullopt;
        }
        if (::listen(fd, backlog) != 0) {
            error = name + ": listen: " + errno_text();
            ::close(fd);
            ::unlink(address.path.c_str());
            return std::nullopt;
        }
        return Listener(fd, address, true);
    }
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = name + ": socket: " + errno_text();
        return std::nullopt;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(address.port);
    inet_pton(AF_INET, address.host.c_str(), &sa.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd, backlog) != 0) {
        error = name + ": bind: " + errno_text();
        ::close(fd);
        return std::nullopt;
    }
    socklen_t len = sizeof sa;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    Address bound = address;
    bound.port = ntohs(sa.sin_port);  // port 0 asked the kernel for one
    return Listener(fd, bound, false);
}

Listener::Listener(Listener&& other) noexcept
    : fd_(other.fd_), address_(std::move(other.address_)), owns_file_(other.owns_file_) {
    other.fd_ = -1;
    other.owns_file_ = false;
}

Listener::~Listener() { close(); }

void Listener::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (owns_file_) ::unlink(address_.path.c_str());
    owns_file_ = false;
}

}  // namespace qemud::refd
