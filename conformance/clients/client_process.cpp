// SPDX-License-Identifier: Apache-2.0
#include "client_process.h"

#include "child_process.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace qemud::clients {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t stderr_keep = 4096;
constexpr std::size_t max_output = 1 << 20;  // a client that floods stdout is cut here

// A shell that ran the client as its child reports a signal as 128 + n.
bool shell_signal(int code) { return code > 128 && code < 128 + 65; }

std::string describe(int status) {
    if (WIFEXITED(status)) {
        const int code = WEXITSTATUS(status);
        if (shell_signal(code))
            return "exited with status " + std::to_string(code) + " (killed by signal " + std::to_string(code - 128) +
                   " (" + ::strsignal(code - 128) + "), as its shell reports it)";
        return "exited with status " + std::to_string(code);
    }
    if (WIFSIGNALED(status))
        return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + ::strsignal(WTERMSIG(status)) + ")";
    return "ended with wait status " + std::to_string(status);
}

}  // namespace

ClientProcess::ClientProcess(std::string command, Environment environment)
    : command_(std::move(command)), environment_(std::move(environment)) {}

ClientProcess::~ClientProcess() { kill(); }

std::optional<std::string> ClientProcess::start(std::string input) {
    support::ChildOptions options;
    options.environment = {{"QEMUD_ADDR", environment_.address},
                           {"QEMUD_FRAMING", environment_.framing},
                           {"QEMUD_TIMEOUT_MS", std::to_string(environment_.timeout_ms)}};
    support::Child child;
    if (auto error = support::spawn_shell(command_, options, child)) return error;
    pid_ = child.pid;
    stdin_fd_ = child.stdin_fd, stdout_fd_ = child.stdout_fd, stderr_fd_ = child.stderr_fd;
    input_ = std::move(input);
    input_written_ = 0;
    pump();
    return std::nullopt;
}

void ClientProcess::close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

void ClientProcess::pump() {
    // Input: as much as the pipe takes; closed once all is written (or the
    // client closed its end), so the client sees end of input.
    while (stdin_fd_ >= 0 && input_written_ < input_.size()) {
        const ssize_t n = ::write(stdin_fd_, input_.data() + input_written_, input_.size() - input_written_);
        if (n > 0) {
            input_written_ += static_cast<std::size_t>(n);
        } else {
            if (n < 0 && errno == EAGAIN) break;
            close_fd(stdin_fd_);  // EPIPE: the client does not read its input
        }
    }
    if (stdin_fd_ >= 0 && input_written_ == input_.size()) close_fd(stdin_fd_);

    char buf[65536];
    while (stdout_fd_ >= 0) {
        const ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
        if (n > 0) {
            if (overflowed_) continue;
            partial_.append(buf, static_cast<std::size_t>(n));
            std::size_t start = 0, newline;
            while ((newline = partial_.find('\n', start)) != std::string::npos) {
                lines_.push_back(partial_.substr(start, newline - start));
                start = newline + 1;
            }
            partial_.erase(0, start);
            std::size_t total = partial_.size();
            for (const auto& l : lines_) total += l.size();
            if (total > max_output) overflowed_ = true;
            continue;
        }
        if (n == 0) {
            if (!partial_.empty()) lines_.push_back(partial_), partial_.clear();  // a last line without '\n'
            close_fd(stdout_fd_);
        }
        break;
    }
    while (stderr_fd_ >= 0) {
        const ssize_t n = ::read(stderr_fd_, buf, sizeof buf);
        if (n > 0) {
            stderr_tail_.append(buf, static_cast<std::size_t>(n));
            if (stderr_tail_.size() > stderr_keep) stderr_tail_.erase(0, stderr_tail_.size() - stderr_keep);
            continue;
        }
        if (n == 0) close_fd(stderr_fd_);
        break;
    }
}

void ClientProcess::reap(bool block) {
    if (pid_ <= 0 || status_) return;
    int status = 0;
    pid_t got;
    while ((got = ::waitpid(pid_, &status, block ? 0 : WNOHANG)) < 0 && errno == EINTR) {
    }
    if (got == pid_) status_ = status;
}

std::optional<std::string> ClientProcess::wait(Clock::time_point deadline) {
    while (true) {
        pump();
        reap(false);
        // Exited, and its output read to the end (or the writer is gone).
        if (status_ && stdout_fd_ < 0) return describe(*status_);
        if (status_) {
            // Something the client started may hold the pipe open; read
            // what is there, briefly, then stop waiting for it.
            pollfd p{stdout_fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) {
                pump();
                close_fd(stdout_fd_);
                return describe(*status_);
            }
            continue;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return std::nullopt;
        pollfd fds[2] = {{stdout_fd_, POLLIN, 0}, {stderr_fd_, POLLIN, 0}};
        ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 20)));
    }
}

int ClientProcess::exit_code() const { return status_ && WIFEXITED(*status_) ? WEXITSTATUS(*status_) : -1; }
bool ClientProcess::killed_by_signal() const {
    return status_ && (WIFSIGNALED(*status_) || (WIFEXITED(*status_) && shell_signal(WEXITSTATUS(*status_))));
}

void ClientProcess::kill() {
    if (pid_ > 0) {
        ::kill(-pid_, SIGKILL);
        reap(true);
        pid_ = -1;
    }
    close_fd(stdin_fd_);
    close_fd(stdout_fd_);
    close_fd(stderr_fd_);
}

}  // namespace qemud::clients
