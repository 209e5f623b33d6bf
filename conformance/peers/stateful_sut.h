// SPDX-License-Identifier: Apache-2.0
// stateful_sut.h: the server side of a --stateful sequence: one
// connection, the names of this sequence's objects, the uuids and ids the
// server gave them, and the baseline (what the server held before). Every
// call goes through the conversation engine, so each reply is checked
// against the conversation rules (inReplyTo, type, strict decoding) before
// the model looks at its value.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "conversation.h"
#include "stateful_model.h"

namespace qemud::peers {

// Baseline is what the server listed before the sequence began.
struct Baseline {
    std::set<std::int32_t> active_domain_ids;
    std::set<std::string> defined_domain_names;
    std::set<std::string> active_network_names;
    std::set<std::string> defined_network_names;
};

class StatefulSut {
public:
    // Connects and reads the baseline; a failure there is the sequence's
    // failure (thrown as RapidCheck's). fail() also writes its message to
    // *failure when given, for the caller's report.
    StatefulSut(Session& session, std::string prefix, std::string* failure = nullptr);
    // Removes what the sequence left (best effort, unchecked).
    ~StatefulSut();
    StatefulSut(const StatefulSut&) = delete;
    StatefulSut& operator=(const StatefulSut&) = delete;

    // begin names the command about to run, for failure messages.
    void begin(const std::string& command);
    // call sends one call (`args` is the arm's member value, null for a
    // void arm) and returns the reply, already checked against the
    // conversation rules.
    Reply call(const std::string& client_arm, const Json& args);
    // fail ends the sequence: "command 4 (destroy-domain d1): <reason>".
    [[noreturn]] void fail(const std::string& reason) const;

    // expect_ok returns the reply's body (its arm member, null for a void
    // arm) or fails naming the FAILURE; expect_failure fails unless the
    // reply is a FAILURE, saying why one was due.
    Json expect_ok(const Reply& reply, const std::string& what) const;
    void expect_failure(const Reply& reply, const std::string& why) const;

    std::string domain_name(std::size_t slot) const;
    std::string network_name(std::size_t slot) const;
    std::string domain_xml(std::size_t slot) const;
    std::string network_xml(std::size_t slot) const;

    const Baseline& baseline() const { return baseline_; }
    const std::vector<std::string>& commands() const { return commands_; }

    // What the server said about this sequence's objects (hex uuids).
    std::array<std::string, domain_slots> domain_uuid;
    std::array<std::int32_t, domain_slots> domain_id{};
    std::array<std::string, network_slots> network_uuid;

private:
    void read_baseline();
    void cleanup();

    Session& session_;
    std::optional<Connection> connection_;
    std::string prefix_;
    std::string* failure_;
    Baseline baseline_;
    std::vector<std::string> commands_;
};

// Value helpers over the value model (docs/VALUE-MODEL.md): char arrays
// are hex strings of their full length.
std::string char_field(const std::string& text, std::size_t length);
std::string text_of(const Json& hex_field);                    // up to the first NUL
std::vector<std::string> names_of(const Json& hex_buffer);     // split at NULs, empty pieces dropped

}  // namespace qemud::peers
