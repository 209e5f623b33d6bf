// SPDX-License-Identifier: Apache-2.0
// server_process.h: the server under test, when qemud-conform starts it
// (`--connect ADDR --server-cmd 'CMD'`).
//
// The command runs under `/bin/sh -c` in its own process group, its
// standard output and error going to a pipe that is drained into a bounded
// tail (so a chatty server never blocks, and a crash report can quote its
// last words). The runner starts it before the first case, asks after every
// case whether it is still alive, restarts it when it is not (reporting the
// crash against that case), and stops it at the end: SIGTERM to the group,
// then SIGKILL to whatever of it is left after a grace period (the runner
// is the subreaper of what the shell starts, so it can wait for the
// server itself, not just the shell). Nothing here blocks without a
// deadline.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <sys/types.h>

namespace qemud::conform {

class ServerProcess {
public:
    // ready says whether the server accepts connections yet (a probe of
    // the address); start() polls it until start_timeout.
    ServerProcess(std::string command, std::function<bool()> ready, std::chrono::milliseconds start_timeout);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // start forks the command and waits until ready() or the timeout;
    // returns why it could not (it exited first, it never became ready).
    std::optional<std::string> start();

    // exit_status returns how the server ended ("killed by signal 6
    // (Aborted)", "exited with status 0") if it is no longer running, and
    // reaps it; nullopt while it runs. `wait` gives a dying server that
    // long to finish (a core dump takes a moment).
    std::optional<std::string> exit_status(std::chrono::milliseconds wait = std::chrono::milliseconds(0));

    // stop ends the process group: SIGTERM, up to grace for it to exit,
    // then SIGKILL. Safe to call twice.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

    // output_tail is the last few KiB the server wrote (stdout and stderr).
    std::string output_tail();

    int restarts() const { return starts_ > 0 ? starts_ - 1 : 0; }

private:
    void drain();
    // reap waits for the shell alone (its status is the server's); reap_group
    // reaps every member of its process group; group_gone says whether any
    // is left; kill_group ends the rest.
    std::optional<std::string> reap(bool wait);
    void reap_group(bool wait);
    bool group_gone();
    void kill_group();

    std::string command_;
    std::function<bool()> ready_;
    std::chrono::milliseconds start_timeout_;
    pid_t pid_ = -1;    // the shell
    pid_t group_ = -1;  // its process group: the shell and what it started
    int output_fd_ = -1;
    std::string tail_;
    int starts_ = 0;
};

}  // namespace qemud::conform
