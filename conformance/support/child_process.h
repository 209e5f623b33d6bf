// SPDX-License-Identifier: Apache-2.0
// child_process.h: how the harness starts a program it talks to (a shim, a
// server under test, a client under test): `/bin/sh -c COMMAND` in a
// process group of its own, so that kill(-pid) ends whatever it starts,
// with SIGPIPE back at its default (the harness ignores it, and exec would
// pass that on), and its standard streams on non-blocking pipes.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace qemud::support {

struct ChildOptions {
    bool pipe_stdin = true;      // false: standard input is /dev/null
    bool merge_stderr = false;   // true: standard error goes to the stdout pipe
    std::vector<std::pair<std::string, std::string>> environment;  // set in the child
};

struct Child {
    pid_t pid = -1;
    int stdin_fd = -1;   // write end; -1 unless pipe_stdin
    int stdout_fd = -1;  // read end
    int stderr_fd = -1;  // read end; -1 with merge_stderr
};

// spawn_shell forks and execs; on failure (pipe, fork) it returns the
// reason and opens nothing. A command that does not exist still starts:
// its shell exits 127.
std::optional<std::string> spawn_shell(const std::string& command, const ChildOptions& options, Child& child);

}  // namespace qemud::support
