// SPDX-License-Identifier: Apache-2.0
// peer_socket.h: one client connection to a server under test, with a
// deadline on everything. Every call polls (poll(2)) before it reads or
// writes, so a server that stops reading or stops answering costs the
// caller one timeout, never a hang; writes use MSG_NOSIGNAL, so a server
// that closes early is an error value, not a SIGPIPE.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace qemud::peers {

using Clock = std::chrono::steady_clock;

// PeerAddress is `unix:PATH` or `tcp:HOST:PORT` (HOST may be [v6]).
struct PeerAddress {
    enum class Family { unix_socket, tcp } family = Family::unix_socket;
    std::string path;  // unix
    std::string host;  // tcp
    std::string port;  // tcp
    std::string text;  // as written
};

// parse_address returns nullopt, with a one-line reason in *error, for an
// address that is neither form.
std::optional<PeerAddress> parse_address(const std::string& text, std::string* error);

class PeerSocket {
public:
    // connect opens a non-blocking connection, waiting at most timeout for
    // it to complete. On failure it returns nullopt and a reason in *error.
    static std::optional<PeerSocket> connect(const PeerAddress& address, std::chrono::milliseconds timeout,
                                             std::string* error);

    // adopt takes an accepted socket (a runner that plays the server),
    // made non-blocking; the PeerSocket closes it.
    static PeerSocket adopt(int fd);

    PeerSocket(PeerSocket&& other) noexcept;
    PeerSocket& operator=(PeerSocket&& other) noexcept;
    PeerSocket(const PeerSocket&) = delete;
    PeerSocket& operator=(const PeerSocket&) = delete;
    ~PeerSocket();

    // IoStatus: what a wait ended with.
    enum class IoStatus { ok, timeout, closed, error };
    struct ReadResult {
        IoStatus status = IoStatus::ok;
        std::vector<std::uint8_t> bytes;  // empty unless ok
        std::string error;                // errno text for IoStatus::error
    };

    // write_some writes what the socket takes by `deadline`, at least one
    // byte or a status; *written says how many. It waits for POLLOUT only.
    IoStatus write_some(std::span<const std::uint8_t> bytes, Clock::time_point deadline, std::size_t* written,
                        std::string* error);
    // read_some returns the bytes available by `deadline` (at most 64 KiB),
    // closed at end of stream, or timeout.
    ReadResult read_some(Clock::time_point deadline);
    // readable is a non-blocking check for pending input or end of stream.
    bool readable();
    // shutdown_write ends the write side (the server then reads end of
    // stream) and leaves the read side open for its last replies.
    void shutdown_write();
    int fd() const { return fd_; }

private:
    explicit PeerSocket(int fd) : fd_(fd) {}
    int fd_ = -1;
};

// ignore_sigpipe sets SIGPIPE to ignored once per process: MSG_NOSIGNAL
// covers send(2), and this covers anything else that writes to a socket.
void ignore_sigpipe();

}  // namespace qemud::peers
