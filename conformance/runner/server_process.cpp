// SPDX-License-Identifier: Apache-2.0
#include "server_process.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "child_process.h"
#include "interrupt.h"

namespace qemud::conform {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t tail_keep = 4096;

std::string describe(int status) {
    if (WIFEXITED(status)) {
        // A shell that ran the server as its child reports a signal as
        // 128 + the signal number: say which, since that is the crash.
        const int code = WEXITSTATUS(status);
        if (code > 128 && code < 128 + 65)
            return "exited with status " + std::to_string(code) + " (killed by signal " + std::to_string(code - 128) +
                   " (" + ::strsignal(code - 128) + "), as its shell reports it)";
        return "exited with status " + std::to_string(code);
    }
    if (WIFSIGNALED(status))
        return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + ::strsignal(WTERMSIG(status)) + ")";
    return "stopped (wait status " + std::to_string(status) + ")";
}

}  // namespace

ServerProcess::ServerProcess(std::string command, std::function<bool()> ready, std::chrono::milliseconds start_timeout)
    : command_(std::move(command)), ready_(std::move(ready)), start_timeout_(start_timeout) {}

ServerProcess::~ServerProcess() { stop(std::chrono::milliseconds(500)); }

std::optional<std::string> ServerProcess::start() {
    // No standard input; its output and errors on one pipe, drained.
    // What the shell starts and leaves behind becomes the runner's child
    // when the shell exits, so stop() can wait for the server itself, not
    // only its shell, and reap it.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    support::Child child;
    if (auto error = support::spawn_shell(command_, {false, true, {}}, child)) return error;
    set_child_group(child.pid);  // a SIGINT to the runner ends the server too
    output_fd_ = child.stdout_fd;
    pid_ = child.pid;
    group_ = child.pid;
    ++starts_;

    const auto deadline = Clock::now() + start_timeout_;
    while (true) {
        drain();
        if (auto ended = exit_status()) return "the server command " + *ended + " before accepting a connection";
        if (ready_()) return std::nullopt;
        if (interrupted_by()) return std::string("interrupted");
        if (Clock::now() >= deadline) {
            stop(std::chrono::milliseconds(500));
            return "the server accepted no connection within " + std::to_string(start_timeout_.count()) + " ms";
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void ServerProcess::drain() {
    if (output_fd_ < 0) return;
    char buf[4096];
    while (true) {
        const ssize_t n = ::read(output_fd_, buf, sizeof buf);
        if (n > 0) {
            tail_.append(buf, static_cast<std::size_t>(n));
            if (tail_.size() > tail_keep) tail_.erase(0, tail_.size() - tail_keep);
            continue;
        }
        if (n == 0) {
            ::close(output_fd_);
            output_fd_ = -1;
        }
        return;  // EAGAIN: nothing more for now
    }
}

std::optional<std::string> ServerProcess::reap(bool wait) {
    if (pid_ <= 0) return std::nullopt;
    int status = 0;
    pid_t got;
    while ((got = ::waitpid(pid_, &status, wait ? 0 : WNOHANG)) < 0 && errno == EINTR) {
    }
    if (got != pid_) return std::nullopt;
    pid_ = -1;
    drain();
    return describe(status);
}

void ServerProcess::reap_group(bool wait) {
    if (group_ <= 0) return;
    // Members the shell left behind are the runner's children (it is their
    // subreaper); the shell is a member too.
    pid_t got;
    while ((got = ::waitpid(-group_, nullptr, wait ? 0 : WNOHANG)) > 0 || (got < 0 && errno == EINTR))
        if (got == pid_) pid_ = -1;
}

bool ServerProcess::group_gone() {
    if (group_ <= 0) return true;
    reap_group(false);
    if (::kill(-group_, 0) == 0 || errno != ESRCH) return false;
    clear_child_group(group_);
    group_ = -1;
    return true;
}

void ServerProcess::kill_group() {
    if (group_ <= 0) return;
    ::kill(-group_, SIGKILL);
    reap_group(true);  // SIGKILL cannot be caught: the members end at once
    clear_child_group(group_);
    group_ = -1;
}

std::optional<std::string> ServerProcess::exit_status(std::chrono::milliseconds wait) {
    const auto deadline = Clock::now() + wait;
    while (true) {
        drain();
        if (auto ended = reap(false)) {
            // The server ended on its own: anything it left in its group
            // goes with it.
            kill_group();
            return ended;
        }
        if (pid_ <= 0 || Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void ServerProcess::stop(std::chrono::milliseconds grace) {
    if (group_ > 0) {
        // SIGTERM to the whole group, then wait for every member, not only
        // the shell: a shell that dies first must not take its server down
        // with a SIGKILL before the server has cleaned up (a unix socket
        // file is removed on SIGTERM, never on SIGKILL).
        ::kill(-group_, SIGTERM);
        const auto deadline = Clock::now() + grace;
        while (Clock::now() < deadline) {
            drain();
            if (group_gone()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        kill_group();
        reap(true);
    }
    drain();
    if (output_fd_ >= 0) ::close(output_fd_);
    output_fd_ = -1;
}

std::string ServerProcess::output_tail() {
    drain();
    return tail_;
}

}  // namespace qemud::conform
