// SPDX-License-Identifier: Apache-2.0
#include "bench_servers.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <random>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "refd/server_loop.h"

namespace qemud::bench {

namespace {

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "refd_bench: %s\n", message.c_str());
    std::exit(2);
}

sockaddr_un unix_address(const std::string& path) {
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof sa.sun_path) die("socket path too long: " + path);
    std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    return sa;
}

void stop_thread(int stop_pipe[2], std::thread& thread) {
    if (stop_pipe[1] >= 0) {
        [[maybe_unused]] const auto n = ::write(stop_pipe[1], "x", 1);
    }
    if (thread.joinable()) thread.join();
    for (int i = 0; i < 2; ++i)
        if (stop_pipe[i] >= 0) ::close(stop_pipe[i]);
}

}  // namespace

TempSocketDir::TempSocketDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/qemud-refd-bench-XXXXXX";
    if (!::mkdtemp(templ.data())) die("mkdtemp: " + std::string(std::strerror(errno)));
    dir_ = templ;
    socket_path_ = dir_ + "/s";
}

TempSocketDir::~TempSocketDir() {
    ::unlink(socket_path_.c_str());  // normally gone already: its listener removes it
    ::rmdir(dir_.c_str());
}

RefdServer::RefdServer() {
    std::string error;
    auto address = refd::parse_address("unix:" + dir_.socket_path(), error);
    if (!address) die(error);
    auto listener = refd::Listener::open(*address, error);
    if (!listener) die(error);
    listeners_.push_back(std::move(*listener));
    if (::pipe2(stop_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) die("pipe2 failed");
    model_ = std::make_unique<refd::HypervisorModel>(7);
    refd::ServerOptions options;
    options.idle_timeout_ms = 0;
    thread_ = std::thread([this, options] {
        if (refd::run_server(listeners_, *model_, options, stop_pipe_[0]) != 0) die("run_server failed");
    });
}

RefdServer::~RefdServer() {
    stop_thread(stop_pipe_, thread_);
    for (auto& listener : listeners_) listener.close();
}

RawServer::RawServer(std::size_t request_size, Bytes reply, std::size_t max_batch)
    : request_size_(request_size), reply_size_(reply.size()), max_batch_(max_batch) {
    for (std::size_t i = 0; i < max_batch_; ++i) replies_.insert(replies_.end(), reply.begin(), reply.end());
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_un sa = unix_address(dir_.socket_path());
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0 ||
        ::listen(listen_fd_, 16) != 0)
        die("raw server: " + std::string(std::strerror(errno)));
    if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) die("pipe2 failed");
    thread_ = std::thread([this] { run(); });
}

RawServer::~RawServer() {
    // Every benchmark closes its connection before it returns, so the
    // thread is back in poll() here and sees the stop byte.
    stop_thread(stop_pipe_, thread_);
    ::close(listen_fd_);  // dir_ then removes the socket file
}

void RawServer::run() {
    for (;;) {
        pollfd fds[2] = {{stop_pipe_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            die("raw server: poll: " + std::string(std::strerror(errno)));
        }
        if (fds[0].revents) return;
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        serve(fd);
        ::close(fd);
    }
}

void RawServer::serve(int fd) {
    std::vector<std::uint8_t> buffer(1 << 16);
    std::size_t partial = 0;  // bytes of a request not yet whole
    for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n <= 0) return;  // the client closed: back to accept
        partial += static_cast<std::size_t>(n);
        std::size_t whole = partial / request_size_;
        partial %= request_size_;
        while (whole > 0) {
            const std::size_t batch = std::min(whole, max_batch_);
            if (!write_all(fd, replies_.data(), batch * reply_size_)) return;
            whole -= batch;
        }
    }
}

int connect_unix(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_un sa = unix_address(path);
    if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0)
        die("connect " + path + ": " + std::strerror(errno));
    return fd;
}

bool write_all(int fd, const std::uint8_t* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool read_exactly(int fd, std::uint8_t* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::read(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace qemud::bench
