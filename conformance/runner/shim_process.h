// SPDX-License-Identifier: Apache-2.0
// shim_process.h: one running shim command, seen as a line-oriented pipe.
//
// The command runs under `/bin/sh -c` in its own process group, with its
// standard input, output and error on pipes. exchange() writes one request
// line and waits, with poll() and a deadline, for one reply line, reading
// standard error all the while so a shim that floods it never blocks (its
// first and last lines are kept, bounded: stream_ends.h). A reply line is never buffered past max_line bytes. Nothing here throws or
// blocks without a deadline, whatever the shim does.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "stream_ends.h"

namespace qemud::conform {

class ShimProcess {
public:
    enum class Status {
        line,       // one complete reply line (without its '\n')
        timeout,    // no complete line before the deadline
        exited,     // the shim closed its output (exited or crashed) first
        oversized,  // the line grew past max_line
    };
    struct Result {
        Status status = Status::line;
        std::string line;    // Status::line only
        std::string detail;  // why, for the other statuses
    };

    ShimProcess(std::string command, std::size_t max_line);
    ~ShimProcess();
    ShimProcess(const ShimProcess&) = delete;
    ShimProcess& operator=(const ShimProcess&) = delete;

    // start forks and execs the command; returns an error text on failure
    // (fork or pipe failure; a command that does not exist still starts:
    // its shell exits 127 and the first exchange reports it).
    std::optional<std::string> start();
    bool running() const { return pid_ > 0; }

    // exchange sends request + '\n' and reads one line, both within
    // timeout_ms.
    Result exchange(const std::string& request, int timeout_ms);

    // stop sends final_line (best effort: "quit"), closes the shim's input,
    // waits up to grace_ms for it to exit, then kills its process group.
    void stop(const std::string& final_line, int grace_ms);
    // kill ends the whole process group at once and reaps the shim.
    void kill();

    // stderr_lines: the first and the last lines the shim wrote to
    // standard error since the last exchange() began (for the first, since
    // its start), at most 20 lines and 2 KiB from each end, with a line
    // counting what was left out between them.
    std::vector<std::string> stderr_lines() const { return stderr_.lines(); }

private:
    void drain_stderr();
    void append_stderr(const char* data, std::size_t size);
    bool take_line(std::string* line);
    std::string describe_exit(int wait_ms);
    void close_fds();

    std::string command_;
    std::size_t max_line_;
    pid_t pid_ = -1;
    int stdin_fd_ = -1;
    int stdout_fd_ = -1;
    int stderr_fd_ = -1;
    std::string pending_;  // stdout bytes after the last complete line
    StreamEnds stderr_{20, 2048};
    std::size_t exchanges_ = 0;
};

}  // namespace qemud::conform
