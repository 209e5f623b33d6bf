// SPDX-License-Identifier: Apache-2.0
// address.h: the addresses qemud-refd listens on (`unix:PATH`,
// `tcp:HOST:PORT` with an IPv4 HOST) and the listening sockets made from
// them. A Listener owns its socket and, for unix:, the socket file: it
// removes the file when it closes, and never removes a file it did not make.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qemud::refd {

struct Address {
    enum class Family { unix_socket, tcp } family = Family::unix_socket;
    std::string path;  // unix_socket
    std::string host;  // tcp: an IPv4 literal
    std::uint16_t port = 0;
    // to_string gives the address as users write it: "unix:/tmp/s",
    // "tcp:127.0.0.1:4000".
    std::string to_string() const;
};

// parse_address reads `unix:PATH` or `tcp:HOST:PORT`; on failure it returns
// nullopt and sets `error` to one line naming what is wrong.
std::optional<Address> parse_address(std::string_view text, std::string& error);

class Listener {
public:
    // open binds and listens (non-blocking, close-on-exec). A unix: path
    // that exists already is refused ("in use"), never replaced. tcp port 0
    // takes a free port; address() then holds it. On failure nullopt and
    // `error` names the address and the reason.
    static std::optional<Listener> open(const Address& address, std::string& error);

    Listener(Listener&& other) noexcept;
    Listener& operator=(Listener&&) = delete;
    Listener(const Listener&) = delete;
    ~Listener();

    int fd() const { return fd_; }
    const Address& address() const { return address_; }
    // close stops listening and removes the unix socket file (idempotent).
    void close();

private:
    Listener(int fd, Address address, bool owns_file) : fd_(fd), address_(std::move(address)), owns_file_(owns_file) {}
    int fd_ = -1;
    Address address_;
    bool owns_file_ = false;
};

}  // namespace qemud::refd
