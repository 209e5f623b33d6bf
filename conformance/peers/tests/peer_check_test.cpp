// SPDX-License-Identifier: Apache-2.0
// peer_check_test.cpp: the server conversation engine against the toy
// server: every case passes against the correct one, in both framing
// profiles, and each broken variant fails the cases that must see its
// fault, with a reason naming the symptom.
#define BOOST_TEST_MODULE peer_check
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "peer_check.h"
#include "protocol_info/protocol_info.h"
#include "toy_server.h"

namespace qemud::peers {

// Boost.Test prints a status it compares.
std::ostream& operator<<(std::ostream& out, PeerResult::Status status) { return out << to_string(status); }

namespace {

using testing::ToyFault;
using testing::ToyServer;

PeerOptions options_for(const ToyServer& server, Framing framing = Framing::seed, int timeout_ms = 2000) {
    PeerOptions options;
    options.address = server.address();
    options.framing = framing;
    options.timeout_ms = timeout_ms;
    return options;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

void expect_all_pass(Framing framing) {
    ToyServer server(framing, ToyFault::none);
    auto options = options_for(server, framing);
    auto names = list_server_cases(options);
    BOOST_TEST_REQUIRE(names.size() > 100u);  // arms, conversations and the hostile vectors
    for (const auto& name : names) {
        PeerResult result = run_server_case(name, options);
        BOOST_TEST_CONTEXT(name) {
            BOOST_CHECK_MESSAGE(result.status == PeerResult::Status::passed,
                                name << ": " << result.step << ": " << result.reason);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(peers_correct_server_passes_every_case_seed) { expect_all_pass(Framing::seed); }

BOOST_AUTO_TEST_CASE(peers_correct_server_passes_every_case_libvirt_0_3) { expect_all_pass(Framing::libvirt_0_3); }

BOOST_AUTO_TEST_CASE(peers_case_list_covers_every_client_arm_and_kind) {
    ToyServer server(Framing::seed, ToyFault::none);
    auto names = list_server_cases(options_for(server));
    auto has = [&](const std::string& name) { return std::find(names.begin(), names.end(), name) != names.end(); };
    for (const auto& arm : ProtocolInfo::get().arms(Direction::client)) BOOST_TEST(has("call/" + arm.name));
    for (const char* name : {"pipeline/depth-2", "pipeline/depth-16", "pipeline/depth-64", "serial/edges",
                             "stream/one-byte-writes", "stream/two-in-one-write", "stream/header-then-payload",
                             "concurrency/8", "hostile/bad_magic/255", "hostile/length_too_large/264",
                             "hostile/non_canonical_char/292", "hostile/truncated/4", "hostile/trailing_bytes/7"})
        BOOST_TEST(has(name), name);
}

BOOST_AUTO_TEST_CASE(peers_in_reply_to_off_by_one_is_named) {
    ToyServer server(Framing::seed, ToyFault::in_reply_to_off_by_one);
    auto options = options_for(server);
    PeerResult result = run_server_case("call/QEMUD_CLIENT_PKT_GET_VERSION", options);
    BOOST_TEST(result.status == PeerResult::Status::failed);
    BOOST_TEST(result.step == "reply 1 of 1");
    BOOST_TEST(contains(result.reason, "inReplyTo (byte 12)"), result.reason);
    BOOST_TEST(contains(result.reason, "names no outstanding call"), result.reason);
    BOOST_TEST(contains(result.repro, "--only 'call/QEMUD_CLIENT_PKT_GET_VERSION'"), result.repro);
    // The transcript holds the call and the wrong reply, decoded.
    auto sent = std::count_if(result.transcript.begin(), result.transcript.end(),
                              [](const TranscriptEntry& e) { return e.direction == TranscriptEntry::Direction::sent; });
    auto received = std::find_if(result.transcript.begin(), result.transcript.end(), [](const TranscriptEntry& e) {
        return e.direction == TranscriptEntry::Direction::received;
    });
    BOOST_TEST(sent == 1);
    BOOST_TEST_REQUIRE((received != result.transcript.end()));
    BOOST_TEST(received->decoded.at("data").at("type") == "QEMUD_SERVER_PKT_GET_VERSION");
    BOOST_TEST(contains(transcript_json(result).dump(), "\"direction\":\"received\""));

    // A FAILURE to a hostile message with the serial off by one is caught too.
    PeerResult hostile = run_server_case("hostile/unknown_discriminant/283", options);
    BOOST_TEST(hostile.status == PeerResult::Status::failed);
    BOOST_TEST(contains(hostile.reason, "neither 0 nor a serial in the message"), hostile.reason);
}

BOOST_AUTO_TEST_CASE(peers_wrong_reply_type_is_named) {
    ToyServer server(Framing::seed, ToyFault::wrong_type);
    PeerResult result = run_server_case("call/QEMUD_CLIENT_PKT_GET_VERSION", options_for(server));
    BOOST_TEST(result.status == PeerResult::Status::failed);
    BOOST_TEST(result.step == "call 1 of 1: reply");
    BOOST_TEST(contains(result.reason, "data.type (byte 16) is QEMUD_SERVER_PKT_GET_NODEINFO, expected "
                                       "QEMUD_SERVER_PKT_GET_VERSION or QEMUD_SERVER_PKT_FAILURE"),
               result.reason);
    // In libvirt-0.3 framing the same field sits at the same offset (both
    // headers are 8 bytes); the trailing-bytes vector's valid call is
    // answered with the wrong type, which no hostile rule allows.
    ToyServer libvirt(Framing::libvirt_0_3, ToyFault::wrong_type);
    PeerResult hostile = run_server_case("hostile/trailing_bytes/7", options_for(libvirt, Framing::libvirt_0_3));
    BOOST_TEST(hostile.status == PeerResult::Status::failed);
    BOOST_TEST(contains(hostile.reason, "data.type (byte 16)"), hostile.reason);
}

BOOST_AUTO_TEST_CASE(peers_unanswered_pipelined_calls_are_named) {
    ToyServer server(Framing::seed, ToyFault::only_first_per_connection);
    auto options = options_for(server, Framing::seed, 300);
    // One call at a time is fine...
    BOOST_TEST(run_server_case("call/QEMUD_CLIENT_PKT_GET_VERSION", options).status == PeerResult::Status::passed);
    // ...64 back to back are not.
    PeerResult result = run_server_case("pipeline/depth-64", options);
    BOOST_TEST(result.status == PeerResult::Status::failed);
    BOOST_TEST(contains(result.reason, "no reply within 300 ms; unanswered: call "), result.reason);
    BOOST_TEST(contains(result.step, "reply "), result.step);
    PeerResult two = run_server_case("stream/two-in-one-write", options);
    BOOST_TEST(two.status == PeerResult::Status::failed);
    BOOST_TEST(contains(two.reason, "unanswered: call 2 of 2"), two.reason);
}

BOOST_AUTO_TEST_CASE(peers_server_that_stops_serving_is_named) {
    ToyServer server(Framing::seed, ToyFault::stop_after_bad_framing);
    PeerResult result = run_server_case("hostile/bad_magic/255", options_for(server, Framing::seed, 300));
    BOOST_TEST(result.status == PeerResult::Status::failed);
    BOOST_TEST(contains(result.reason, "server stopped answering after hostile vector tc255"), result.reason);
    BOOST_TEST(contains(result.step, "liveness probe"), result.step);
}

BOOST_AUTO_TEST_CASE(peers_silent_server_costs_one_timeout) {
    ToyServer server(Framing::seed, ToyFault::silent);
    PeerResult result = run_server_case("call/QEMUD_CLIENT_PKT_GET_VERSION", options_for(server, Framing::seed, 200));
    BOOST_TEST(result.status == PeerResult::Status::failed);
    BOOST_TEST(contains(result.reason, "no reply within 200 ms"), result.reason);
    BOOST_TEST(result.seconds < 2.0);
    // Neither a FAILURE nor a close to a hostile message is a failure too.
    PeerResult hostile = run_server_case("hostile/bad_magic/255", options_for(server, Framing::seed, 200));
    BOOST_TEST(contains(hostile.reason, "neither a FAILURE reply nor a close within 200 ms"), hostile.reason);
}

BOOST_AUTO_TEST_CASE(peers_unknown_case_and_absent_server) {
    PeerOptions options;
    options.address = "unix:/nonexistent/qemud-peers-test/s";
    options.timeout_ms = 200;
    PeerResult unknown = run_server_case("call/NO_SUCH_ARM", options);
    BOOST_TEST(unknown.status == PeerResult::Status::failed);
    BOOST_TEST(contains(unknown.reason, "no such case"), unknown.reason);
    BOOST_TEST(probe_server(options).has_value());
    PeerResult absent = run_server_case("call/QEMUD_CLIENT_PKT_GET_VERSION", options);
    BOOST_TEST(absent.step == "connect");
    BOOST_TEST(contains(absent.reason, "cannot connect"), absent.reason);
    // Unreadable golden vectors: one hostile case that fails naming the file.
    PeerOptions no_golden = options;
    no_golden.golden_dir = "/nonexistent/qemud-golden";
    auto names = list_server_cases(no_golden);
    BOOST_TEST((std::find(names.begin(), names.end(), "hostile/unavailable") != names.end()));
    BOOST_TEST(contains(run_server_case("hostile/unavailable", no_golden).reason,
                        "/nonexistent/qemud-golden/client_message_test.json"));
    options.address = "http://example";
    BOOST_TEST(contains(run_server_case("serial/edges", options).reason, "unix:PATH or tcp:HOST:PORT"));
}

}  // namespace qemud::peers
