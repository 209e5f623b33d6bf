// SPDX-License-Identifier: Apache-2.0
// peer_cases_basic.cpp: conversations of well-formed calls. Whether a call
// succeeds is the server's business (its state decides); that each call is
// answered once, by serial, with the matching type, is the rule checked.
#include <algorithm>
#include <map>
#include <thread>

#include "peer_cases.h"
#include "reply_checks.h"

namespace qemud::peers {
namespace {

// void_arms: the client arms with no arguments (GET_VERSION, NUM_DOMAINS,
// ...). They read state and never change it, so pipelines and concurrent
// connections of them are safe to repeat against any server.
std::vector<const ArmInfo*> void_arms() {
    std::vector<const ArmInfo*> out;
    for (const auto& arm : ProtocolInfo::get().arms(Direction::client))
        if (arm.member.empty()) out.push_back(&arm);
    return out;
}

std::string of(std::size_t i, std::size_t n) { return std::to_string(i + 1) + " of " + std::to_string(n); }

void send_all(Connection& connection, const std::vector<Call>& calls, const std::string& label) {
    for (std::size_t i = 0; i < calls.size(); ++i)
        connection.send(calls[i].wire, label + " " + of(i, calls.size()) + ": write");
}

void pipeline(Session& session, std::size_t depth) {
    auto arms = void_arms();
    Connection connection = session.open("connect");
    std::vector<Call> calls;
    for (std::size_t i = 0; i < depth; ++i)
        calls.push_back(make_call(connection, *arms[i % arms.size()], session.serial()));
    send_all(connection, calls, "call");
    collect_replies(session, connection, calls);
    // A duplicate reply comes after the last expected one: give it a
    // moment to show.
    Reply extra;
    if (connection.next(&extra, Clock::now() + std::chrono::milliseconds(100), "after the last reply") ==
        Connection::Next::reply)
        session.fail("after the last reply", "an extra reply, inReplyTo " + std::to_string(extra.in_reply_to()) +
                                                 ", after every call was answered");
}

void serial_edges(Session& session) {
    const ArmInfo& version = arm_by_name(Direction::client, "QEMUD_CLIENT_PKT_GET_VERSION");
    Connection connection = session.open("connect");
    const std::uint32_t edges[] = {0u, 0x80000000u, 0xFFFFFFFFu};
    for (std::size_t i = 0; i < std::size(edges); ++i) {
        std::vector<Call> one{make_call(connection, version, edges[i])};
        const std::string label = "serial " + std::to_string(edges[i]) + " (call " + of(i, std::size(edges) + 2) + ")";
        send_all(connection, one, label);
        collect_replies(session, connection, one, label);
    }
    // The same serial twice, back to back: two calls, so two replies.
    std::uint32_t repeated = session.serial();
    std::vector<Call> twice{make_call(connection, version, repeated), make_call(connection, version, repeated)};
    send_all(connection, twice, "repeated serial " + std::to_string(repeated) + ", call");
    collect_replies(session, connection, twice, "repeated serial " + std::to_string(repeated) + ", call");
}

// smallest_argument_arm: the shortest call that carries arguments, so a
// one-byte-at-a-time write crosses header, serial, type and fields.
const ArmInfo& smallest_argument_arm() {
    const ArmInfo* best = nullptr;
    for (const auto& arm : ProtocolInfo::get().arms(Direction::client))
        if (!arm.member.empty() && (best == nullptr || arm.payload_size < best->payload_size)) best = &arm;
    return *best;
}

void one_byte_writes(Session& session) {
    Connection connection = session.open("connect");
    std::vector<Call> calls{make_call(connection, smallest_argument_arm(), session.serial())};
    connection.send(calls[0].wire, "call 1 of 1: write, one byte at a time", 1, std::chrono::milliseconds(1));
    collect_replies(session, connection, calls);
}

void two_in_one_write(Session& session) {
    auto arms = void_arms();
    Connection connection = session.open("connect");
    std::vector<Call> calls{make_call(connection, *arms[0], session.serial()),
                            make_call(connection, smallest_argument_arm(), session.serial())};
    Bytes both = calls[0].wire;
    both.insert(both.end(), calls[1].wire.begin(), calls[1].wire.end());
    connection.send(both, "calls 1 and 2 of 2: one write");
    collect_replies(session, connection, calls);
}

void header_then_payload(Session& session) {
    Connection connection = session.open("connect");
    std::vector<Call> calls{make_call(connection, smallest_argument_arm(), session.serial())};
    const ByteView wire = calls[0].wire;
    const std::size_t header = session.profile().header_size();
    connection.send(wire.first(header), "call 1 of 1: write the header");
    // Long enough that the server sees the header alone in one read.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    connection.send(wire.subspan(header), "call 1 of 1: write the payload");
    collect_replies(session, connection, calls);
}

void concurrency(Session& session, std::size_t k) {
    constexpr std::size_t rounds = 4;
    constexpr std::size_t per_round = 2;
    auto arms = void_arms();
    std::vector<Connection> connections;
    for (std::size_t j = 0; j < k; ++j) connections.push_back(session.open("connection " + of(j, k) + ": connect"));
    std::size_t next_arm = 0;
    for (std::size_t r = 0; r < rounds; ++r) {
        std::vector<std::vector<Call>> outstanding(k);
        // Write on every connection before reading any, then read them in
        // the reverse order: the server has all k busy at once.
        for (std::size_t j = 0; j < k; ++j) {
            for (std::size_t c = 0; c < per_round; ++c)
                outstanding[j].push_back(make_call(connections[j], *arms[next_arm++ % arms.size()], session.serial()));
            send_all(connections[j], outstanding[j],
                     "round " + of(r, rounds) + ", connection " + of(j, k) + ", call");
        }
        for (std::size_t j = k; j-- > 0;)
            collect_replies(session, connections[j], outstanding[j],
                            "round " + of(r, rounds) + ", connection " + of(j, k) + ", call");
    }
}

}  // namespace

Call make_call(const Connection& connection, const ArmInfo& arm, std::uint32_t serial) {
    return Call{&arm, serial, connection.frame_call(call_value(arm, serial))};
}

void collect_replies(Session& session, Connection& connection, const std::vector<Call>& calls,
                     const std::string& label) {
    // serial -> indexes of the calls with it still waiting, in send order.
    std::map<std::uint32_t, std::vector<std::size_t>> waiting;
    for (std::size_t i = 0; i < calls.size(); ++i) waiting[calls[i].serial].push_back(i);
    for (std::size_t received = 0; received < calls.size(); ++received) {
        // Which call a reply answers is known only once it is matched.
        const std::string step = (label == "call" ? "" : label + ", ") + "reply " + of(received, calls.size());
        Reply reply;
        auto how = connection.next(&reply, session.deadline(), step);
        if (how != Connection::Next::reply) {
            std::string missing;
            for (const auto& [serial, indexes] : waiting)
                for (auto i : indexes)
                    missing += (missing.empty() ? "" : ", ") + label + " " + of(i, calls.size()) + " (" +
                               calls[i].arm->name + ", serial " + std::to_string(serial) + ")";
            session.fail(step, std::string(how == Connection::Next::closed ? "the server closed the connection"
                                                                            : "no reply within " +
                                                                                  std::to_string(session.options().timeout_ms) +
                                                                                  " ms") +
                                   "; unanswered: " + missing);
        }
        auto found = waiting.find(reply.in_reply_to());
        if (found == waiting.end() || found->second.empty()) {
            bool known = std::any_of(calls.begin(), calls.end(), [&](const Call& c) { return c.serial == reply.in_reply_to(); });
            session.fail(step, "inReplyTo (byte " + std::to_string(in_reply_to_offset(session.profile())) + ") is " +
                                   std::to_string(reply.in_reply_to()) +
                                   (known ? ": a second reply to a call already answered"
                                          : ", which names no outstanding call"));
        }
        std::size_t index = found->second.front();
        found->second.erase(found->second.begin());
        if (auto wrong = check_answer(reply, calls[index].serial, *calls[index].arm, session.profile()))
            session.fail(label + " " + of(index, calls.size()) + ": reply", *wrong);
    }
}

void liveness_probe(Session& session, const std::string& after) {
    const std::string step = "liveness probe (GET_VERSION on a new connection)";
    try {
        Connection connection = session.open(step + ": connect");
        std::vector<Call> calls{make_call(connection, arm_by_name(Direction::client, "QEMUD_CLIENT_PKT_GET_VERSION"),
                                          session.serial())};
        connection.send(calls[0].wire, step + ": write");
        collect_replies(session, connection, calls, step);
    } catch (const CaseFailure& failure) {
        session.fail(failure.step, "server stopped answering after " + after + ": " + failure.reason);
    }
}

std::vector<PeerCase> conversation_cases() {
    std::vector<PeerCase> cases;
    for (const auto& arm : ProtocolInfo::get().arms(Direction::client)) {
        const ArmInfo* a = &arm;
        cases.push_back({"call/" + arm.name, [a](Session& session) {
                             Connection connection = session.open("connect");
                             std::vector<Call> calls{make_call(connection, *a, session.serial())};
                             connection.send(calls[0].wire, "call 1 of 1: write");
                             collect_replies(session, connection, calls);
                         }});
    }
    for (std::size_t depth : {2, 16, 64})
        cases.push_back({"pipeline/depth-" + std::to_string(depth), [depth](Session& s) { pipeline(s, depth); }});
    cases.push_back({"serial/edges", serial_edges});
    cases.push_back({"stream/one-byte-writes", one_byte_writes});
    cases.push_back({"stream/two-in-one-write", two_in_one_write});
    cases.push_back({"stream/header-then-payload", header_then_payload});
    cases.push_back({"concurrency/8", [](Session& s) { concurrency(s, 8); }});
    return cases;
}

}  // namespace qemud::peers
