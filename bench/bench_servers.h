// SPDX-License-Identifier: Apache-2.0
// bench_servers.h: the two servers refd_bench measures, each on its own
// thread of the bench process, behind a Unix socket in a fresh temporary
// directory (removed, socket file included, when the server goes).
//
// * RefdServer runs qemud-refd's own event loop (run_server,
//   refd/server_loop.h) over one HypervisorModel: the code the qemud-refd
//   executable runs behind its command line, without fork/exec, so the
//   bench needs no path to a binary and leaves no process behind if it
//   dies. Options are the executable's defaults except idle timeout off
//   (a benchmark's connection waits between runs).
// * RawServer is the limit: a blocking thread that reads whatever bytes
//   arrived, counts the whole requests among them, and writes that many
//   copies of one canned reply in one write. No poll, no framing, no
//   decoding: the least a server can do to answer the same byte counts.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "codecs/codec.h"
#include "refd/address.h"
#include "refd/hypervisor_model.h"

namespace qemud::bench {

// TempSocketDir makes a private directory for one socket and removes it
// (and the socket, if its owner left it) when it goes.
class TempSocketDir {
public:
    TempSocketDir();
    ~TempSocketDir();
    TempSocketDir(const TempSocketDir&) = delete;
    TempSocketDir& operator=(const TempSocketDir&) = delete;
    const std::string& socket_path() const { return socket_path_; }

private:
    std::string dir_;
    std::string socket_path_;
};

class RefdServer {
public:
    RefdServer();
    ~RefdServer();  // stops the loop through its self-pipe, joins, unlinks
    RefdServer(const RefdServer&) = delete;
    RefdServer& operator=(const RefdServer&) = delete;
    const std::string& socket_path() const { return dir_.socket_path(); }

private:
    TempSocketDir dir_;
    std::vector<refd::Listener> listeners_;
    std::unique_ptr<refd::HypervisorModel> model_;
    int stop_pipe_[2] = {-1, -1};
    std::thread thread_;
};

class RawServer {
public:
    // Each `request_size` bytes read are answered with one copy of
    // `reply`; at most `max_batch` copies go out per write.
    RawServer(std::size_t request_size, Bytes reply, std::size_t max_batch);
    ~RawServer();
    RawServer(const RawServer&) = delete;
    RawServer& operator=(const RawServer&) = delete;
    const std::string& socket_path() const { return dir_.socket_path(); }

private:
    void run();
    void serve(int fd);

    TempSocketDir dir_;
    std::size_t request_size_;
    std::size_t reply_size_;
    std::size_t max_batch_;
    Bytes replies_;  // max_batch copies of the reply, back to back
    int listen_fd_ = -1;
    int stop_pipe_[2] = {-1, -1};
    std::thread thread_;
};

// Client side, blocking: connect_unix aborts with a message on failure
// (the benchmark would measure nothing); write_all and read_exactly return
// false when the peer closed or failed.
int connect_unix(const std::string& path);
bool write_all(int fd, const std::uint8_t* data, std::size_t size);
bool read_exactly(int fd, std::uint8_t* data, std::size_t size);

}  // namespace qemud::bench
