// SPDX-License-Identifier: Apache-2.0
#include "child_process.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace qemud::support {

namespace {

void close_all(std::initializer_list<int> fds) {
    for (int fd : fds)
        if (fd >= 0) ::close(fd);
}

}  // namespace

std::optional<std::string> spawn_shell(const std::string& command, const ChildOptions& options, Child& child) {
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    const bool ok = (!options.pipe_stdin || ::pipe2(in, O_CLOEXEC) == 0) && ::pipe2(out, O_CLOEXEC) == 0 &&
                    (options.merge_stderr || ::pipe2(err, O_CLOEXEC) == 0);
    if (!ok) {
        const std::string why = std::string("pipe: ") + std::strerror(errno);
        close_all({in[0], in[1], out[0], out[1], err[0], err[1]});
        return why;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        const std::string why = std::string("fork: ") + std::strerror(errno);
        close_all({in[0], in[1], out[0], out[1], err[0], err[1]});
        return why;
    }
    if (pid == 0) {
        // dup2 clears close-on-exec on the copies.
        ::setpgid(0, 0);
        ::signal(SIGPIPE, SIG_DFL);
        if (options.pipe_stdin) {
            ::dup2(in[0], 0);
        } else {
            const int null = ::open("/dev/null", O_RDONLY);
            if (null >= 0) ::dup2(null, 0);
        }
        ::dup2(out[1], 1);
        ::dup2(options.merge_stderr ? out[1] : err[1], 2);
        for (const auto& [name, value] : options.environment) ::setenv(name.c_str(), value.c_str(), 1);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here, so the group exists before any kill
    close_all({in[0], out[1], err[1]});
    child = Child{pid, in[1], out[0], err[0]};
    for (int fd : {child.stdin_fd, child.stdout_fd, child.stderr_fd})
        if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    return std::nullopt;
}

}  // namespace qemud::support
