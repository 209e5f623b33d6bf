// SPDX-License-Identifier: Apache-2.0
// toy_server.h: a minimal qemud server for testing the conversation engine
// without a daemon, built from the project's own pieces (StreamDecoder and
// the cxx codec). It answers every call with the server type of the same
// name and a sample value, a payload it cannot decode with FAILURE, and
// closes the connection on bad framing. Faults make it wrong on purpose,
// so the tests can see the engine catch each one.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "framing/framing_id.h"

namespace qemud::peers::testing {

enum class ToyFault {
    none,
    in_reply_to_off_by_one,   // inReplyTo = serial + 1
    wrong_type,               // answers with the next server type (GET_VERSION gets GET_NODEINFO)
    // answers only the first call on each connection: pipelined calls go
    // unanswered. (Per connection, not per read(2): how a kernel splits a
    // stream into reads is not ours to choose, and a test must not depend
    // on it.)
    only_first_per_connection,
    stop_after_bad_framing,   // stops accepting connections after a badly framed message
    silent,                   // reads, never answers, never closes
};

class ToyServer {
public:
    ToyServer(Framing framing, ToyFault fault);
    ~ToyServer();
    ToyServer(const ToyServer&) = delete;
    ToyServer& operator=(const ToyServer&) = delete;

    // address is "unix:<temporary directory>/s".
    const std::string& address() const { return address_; }

private:
    void accept_loop();
    void serve(int fd);

    Framing framing_;
    ToyFault fault_;
    std::string dir_;
    std::string path_;
    std::string address_;
    int listen_fd_ = -1;
    int stop_pipe_[2] = {-1, -1};
    std::atomic<bool> accepting_{true};
    std::thread acceptor_;
    std::mutex mutex_;
    std::vector<std::thread> workers_;
};

}  // namespace qemud::peers::testing
