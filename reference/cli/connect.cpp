// SPDX-License-Identifier: Apache-2.0
#include "cli/connect.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace qemud::cli {

namespace {

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

std::optional<int> connect_to(const refd::Address& address, Clock::time_point deadline, std::string& error) {
    const std::string name = address.to_string();
    const bool unix_socket = address.family == refd::Address::Family::unix_socket;
    const int fd = ::socket(unix_socket ? AF_UNIX : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = name + ": socket: " + std::strerror(errno);
        return std::nullopt;
    }
    sockaddr_un su{};
    sockaddr_in si{};
    const sockaddr* sa = nullptr;
    socklen_t len = 0;
    if (unix_socket) {
        su.sun_family = AF_UNIX;
        std::memcpy(su.sun_path, address.path.c_str(), address.path.size() + 1);  // length checked by parse_address
        sa = reinterpret_cast<const sockaddr*>(&su);
        len = sizeof su;
    } else {
        si.sin_family = AF_INET;
        si.sin_port = htons(address.port);
        inet_pton(AF_INET, address.host.c_str(), &si.sin_addr);
        sa = reinterpret_cast<const sockaddr*>(&si);
        len = sizeof si;
    }
    // Non-blocking connect: wait for writability within the deadline, then
    // read the outcome from SO_ERROR.
    int status = ::connect(fd, sa, len) == 0 ? 0 : errno;
    if (status == EINPROGRESS || status == EAGAIN) {
        pollfd p{fd, POLLOUT, 0};
        int ready = 0;
        do ready = ::poll(&p, 1, remaining_ms(deadline));
        while (ready < 0 && errno == EINTR);
        if (ready <= 0) {
            error = name + ": connect: no answer before the deadline";
            ::close(fd);
            return std::nullopt;
        }
        socklen_t size = sizeof status;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &status, &size);
    }
    if (status != 0) {
        error = name + ": connect: " + std::strerror(status);
        ::close(fd);
        return std::nullopt;
    }
    return fd;
}

}  // namespace qemud::cli
