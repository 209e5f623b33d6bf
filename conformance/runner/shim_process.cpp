// SPDX-License-Identifier: Apache-2.0
#include "shim_process.h"

#include "child_process.h"
#include "interrupt.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace qemud::conform {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t chunk = 65536;

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

}  // namespace

ShimProcess::ShimProcess(std::string command, std::size_t max_line)
    : command_(std::move(command)), max_line_(max_line) {}

ShimProcess::~ShimProcess() { kill(); }

std::optional<std::string> ShimProcess::start() {
    support::Child child;
    if (auto error = support::spawn_shell(command_, {}, child)) return error;
    set_child_group(child.pid);  // a signal to the runner ends the shim's group too
    pid_ = child.pid;
    stdin_fd_ = child.stdin_fd;
    stdout_fd_ = child.stdout_fd;
    stderr_fd_ = child.stderr_fd;
    pending_.clear();
    stderr_.clear();
    exchanges_ = 0;
    return std::nullopt;
}

void ShimProcess::append_stderr(const char* data, std::size_t size) {
    stderr_.append(std::string_view(data, size));
}

void ShimProcess::drain_stderr() {
    char buf[chunk];
    // Bounded: at most a few chunks per call, so a flood cannot starve stdout.
    for (int i = 0; i < 16 && stderr_fd_ >= 0; ++i) {
        const ssize_t n = ::read(stderr_fd_, buf, sizeof buf);
        if (n > 0) {
            append_stderr(buf, static_cast<std::size_t>(n));
        } else if (n == 0) {
            close_fd(stderr_fd_);
        } else {
            if (errno != EAGAIN && errno != EINTR) close_fd(stderr_fd_);
            return;
        }
    }
}

bool ShimProcess::take_line(std::string* line) {
    const auto nl = pending_.find('\n');
    if (nl == std::string::npos) return false;
    line->assign(pending_, 0, nl);
    pending_.erase(0, nl + 1);
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return true;
}

ShimProcess::Result ShimProcess::exchange(const std::string& request, int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    if (pid_ <= 0) return {Status::exited, "", "the shim is not running"};
    // What the shim writes to stderr from here on is about this request:
    // a panic's first line must not be lost behind earlier requests' logs.
    // The first request's also holds what the shim said as it started.
    if (exchanges_++ > 0) {
        drain_stderr();
        stderr_.clear();
    }
    std::string out = request + "\n";
    std::size_t written = 0;
    char buf[chunk];
    while (true) {
        if (written == out.size() || stdin_fd_ < 0) {
            std::string line;
            if (take_line(&line)) {
                if (line.size() > max_line_) return {Status::oversized, "", "reply line longer than 1 MiB"};
                return {Status::line, std::move(line), ""};
            }
        }
        if (pending_.size() > max_line_)
            return {Status::oversized, "", "reply line longer than 1 MiB (" + std::to_string(pending_.size()) +
                                               " bytes and no end of line)"};
        if (stdout_fd_ < 0) return {Status::exited, "", describe_exit(500)};

        pollfd fds[3];
        nfds_t n = 0;
        const bool writing = written < out.size() && stdin_fd_ >= 0;
        if (writing) fds[n++] = {stdin_fd_, POLLOUT, 0};
        const nfds_t out_index = n;
        fds[n++] = {stdout_fd_, POLLIN, 0};
        const nfds_t err_index = n;
        if (stderr_fd_ >= 0) fds[n++] = {stderr_fd_, POLLIN, 0};

        const int left = remaining_ms(deadline);
        if (left == 0) return {Status::timeout, "", "no reply within " + std::to_string(timeout_ms) + " ms"};
        const int ready = ::poll(fds, n, left);
        if (ready < 0) {
            if (errno == EINTR && interrupted_by())
                return {Status::exited, "", "interrupted by signal " + std::to_string(interrupted_by())};
            if (errno == EINTR) continue;
            return {Status::exited, "", std::string("poll: ") + std::strerror(errno)};
        }
        if (ready == 0) continue;  // the deadline check above ends the loop

        if (writing && fds[0].revents) {
            if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
                close_fd(stdin_fd_);  // the shim closed its input; wait for what it says
            } else {
                const ssize_t w = ::write(stdin_fd_, out.data() + written, out.size() - written);
                if (w > 0)
                    written += static_cast<std::size_t>(w);
                else if (w < 0 && errno != EAGAIN && errno != EINTR)
                    close_fd(stdin_fd_);
            }
        }
        if (stderr_fd_ >= 0 && err_index < n && fds[err_index].revents) drain_stderr();
        if (fds[out_index].revents) {
            const ssize_t r = ::read(stdout_fd_, buf, sizeof buf);
            if (r > 0) {
                pending_.append(buf, static_cast<std::size_t>(r));
            } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                close_fd(stdout_fd_);
                // A last complete line before the end is still a reply.
                std::string line;
                if ((written == out.size()) && take_line(&line) && line.size() <= max_line_)
                    return {Status::line, std::move(line), ""};
                return {Status::exited, "", describe_exit(500)};
            }
        }
    }
}

std::string ShimProcess::describe_exit(int wait_ms) {
    // Give the shim a moment to finish dying so the status can be reported,
    // and keep reading its last words on stderr. WNOWAIT leaves it a zombie,
    // so its pid still names its group when kill() ends the rest of it.
    const auto deadline = Clock::now() + std::chrono::milliseconds(wait_ms);
    siginfo_t info{};
    bool exited = false;
    while (pid_ > 0) {
        info = siginfo_t{};
        if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_) {
            exited = true;
            break;
        }
        if (Clock::now() >= deadline) break;
        drain_stderr();
        ::usleep(10000);
    }
    drain_stderr();
    if (!exited) return "the shim closed its standard output";
    if (info.si_code == CLD_EXITED) return "the shim exited with status " + std::to_string(info.si_status);
    return std::string("the shim was killed by signal ") + std::to_string(info.si_status) + " (" +
           ::strsignal(info.si_status) + ")";
}

void ShimProcess::stop(const std::string& final_line, int grace_ms) {
    if (pid_ <= 0) return;
    if (stdin_fd_ >= 0 && !final_line.empty()) {
        const std::string line = final_line + "\n";
        [[maybe_unused]] auto w = ::write(stdin_fd_, line.data(), line.size());  // non-blocking, best effort
    }
    close_fd(stdin_fd_);
    const auto deadline = Clock::now() + std::chrono::milliseconds(grace_ms);
    while (Clock::now() < deadline && !interrupted_by()) {
        siginfo_t info{};
        if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_)
            break;  // exited; kill() reaps it after ending the rest of its group
        drain_stderr();
        char buf[chunk];
        if (stdout_fd_ >= 0 && ::read(stdout_fd_, buf, sizeof buf) == 0) close_fd(stdout_fd_);
        ::usleep(5000);
    }
    kill();
}

void ShimProcess::kill() {
    if (pid_ > 0) {
        clear_child_group(pid_);
        // The leader is not reaped yet, so its pid still names the group.
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);  // in case the shim left the group
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
    }
    pid_ = -1;
    close_fds();
}

void ShimProcess::close_fds() {
    close_fd(stdin_fd_);
    close_fd(stdout_fd_);
    close_fd(stderr_fd_);
}

}  // namespace qemud::conform
