// SPDX-License-Identifier: Apache-2.0
// client_process.h: one run of the client under test
// (`qemud-conform --listen ADDR --client-cmd 'CMD'`).
//
// The command runs under `/bin/sh -c` in its own process group with
// QEMUD_ADDR, QEMUD_FRAMING and QEMUD_TIMEOUT_MS in its environment. The
// case's calls are written to its standard input, one JSON line each, and
// the input is closed; its standard output is collected as lines (bounded)
// and its standard error as a tail. Nothing here blocks without a
// deadline: pump() and wait() poll.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace qemud::clients {

class ClientProcess {
public:
    struct Environment {
        std::string address;  // QEMUD_ADDR
        std::string framing;  // QEMUD_FRAMING
        int timeout_ms = 0;   // QEMUD_TIMEOUT_MS
    };

    ClientProcess(std::string command, Environment environment);
    ~ClientProcess();
    ClientProcess(const ClientProcess&) = delete;
    ClientProcess& operator=(const ClientProcess&) = delete;

    // start forks the command and hands it `input` on standard input
    // (written as the client reads it, by pump()); an error text if fork
    // or pipe fails.
    std::optional<std::string> start(std::string input);

    // pump moves what is ready: input to the client, its output into the
    // line buffer and the stderr tail. Call it while waiting on anything
    // else, so a client never blocks on a full pipe.
    void pump();

    // wait pumps until the client exits or the deadline; returns how it
    // ended ("exited with status 1", "killed by signal 6 (Aborted)"), or
    // nullopt if it still runs.
    std::optional<std::string> wait(std::chrono::steady_clock::time_point deadline);
    bool exited() const { return status_.has_value(); }
    // exit_code: the status if it exited normally, else -1.
    int exit_code() const;
    bool killed_by_signal() const;

    // kill ends the process group and reaps the client.
    void kill();

    const std::vector<std::string>& lines() const { return lines_; }
    const std::string& stderr_tail() const { return stderr_tail_; }
    bool output_overflowed() const { return overflowed_; }

private:
    void reap(bool block);
    void close_fd(int& fd);

    std::string command_;
    Environment environment_;
    pid_t pid_ = -1;
    int stdin_fd_ = -1, stdout_fd_ = -1, stderr_fd_ = -1;
    std::string input_;
    std::size_t input_written_ = 0;
    std::string partial_;
    std::vector<std::string> lines_;
    std::string stderr_tail_;
    bool overflowed_ = false;
    std::optional<int> status_;
};

}  // namespace qemud::clients
