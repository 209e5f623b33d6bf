// SPDX-License-Identifier: Apache-2.0
// cli_reply_matcher_test.cpp: qemud-cli's ReplyMatcher
// (reference/cli/reply_matcher.h) fed server bytes in process: any
// chunking, replies out of order, an asynchronous notification ignored,
// FAILURE, a reply of the wrong type refused, malformed frames and
// payloads, bounded memory, and each deliberate bug changing what it does.
// It links largest_allocation.cpp to record the largest allocation.
#define BOOST_TEST_MODULE cli_reply_matcher
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/calls.h"
#include "cli/reply_matcher.h"
#include "cli_wire.h"
#include "largest_allocation.h"

using namespace cli_test;
using qemud::cli::Bug;
using qemud::cli::BugSet;
using qemud::cli::FeedResult;
using qemud::cli::ReplyMatcher;
using qemud::cli::Settled;

namespace {

constexpr std::int32_t get_version = 0;  // QEMUD_CLIENT_PKT_GET_VERSION
constexpr std::int32_t num_domains = 3;  // QEMUD_CLIENT_PKT_NUM_DOMAINS

// feed_bytes feeds `in` in chunks of `chunk` bytes and gathers the results.
FeedResult feed_bytes(ReplyMatcher& m, const Bytes& in, std::size_t chunk) {
    FeedResult all;
    for (std::size_t at = 0; at < in.size(); at += chunk) {
        auto r = m.feed(ByteView(in).subspan(at, std::min(chunk, in.size() - at)));
        all.settled.insert(all.settled.end(), r.settled.begin(), r.settled.end());
        all.ignored.insert(all.ignored.end(), r.ignored.begin(), r.ignored.end());
    }
    return all;
}

ReplyMatcher two_calls(BugSet bugs = {}, Framing framing = Framing::seed) {
    ReplyMatcher m(framing, bugs);
    m.expect(1, get_version);
    m.expect(2, num_domains);
    return m;
}

}  // namespace

BOOST_AUTO_TEST_CASE(cli_matcher_in_order_one_byte_at_a_time) {
    for (const Framing framing : all_framings) {
        ReplyMatcher m = two_calls({}, framing);
        const Bytes in = server_message(1, 1, version_reply(), framing) + server_message(2, 2, num_domains_reply(4), framing);
        const auto r = feed_bytes(m, in, 1);
        BOOST_TEST_REQUIRE(r.settled.size() == 2u);
        BOOST_TEST(r.ignored.empty());
        BOOST_TEST((r.settled[0].kind == Settled::Kind::value));
        BOOST_TEST(r.settled[0].serial == 1u);
        BOOST_TEST(r.settled[0].value == version_reply());
        BOOST_TEST(r.settled[1].serial == 2u);
        BOOST_TEST(r.settled[1].value == num_domains_reply(4));
        BOOST_TEST(m.outstanding() == 0u);
        BOOST_TEST(!m.ended());
    }
}

BOOST_AUTO_TEST_CASE(cli_matcher_out_of_order_replies_go_to_their_calls) {
    ReplyMatcher m(Framing::seed);
    m.expect(1, num_domains);
    m.expect(2, num_domains);
    const auto r = m.feed(server_message(1, 2, num_domains_reply(22)) + server_message(2, 1, num_domains_reply(11)));
    BOOST_TEST_REQUIRE(r.settled.size() == 2u);
    BOOST_TEST(r.settled[0].serial == 2u);
    BOOST_TEST(r.settled[0].value == num_domains_reply(22));
    BOOST_TEST(r.settled[1].serial == 1u);
    BOOST_TEST(r.settled[1].value == num_domains_reply(11));
}

BOOST_AUTO_TEST_CASE(cli_matcher_async_notification_is_ignored_and_the_call_waits) {
    ReplyMatcher m = two_calls();
    auto r = m.feed(server_message(1, 77, num_domains_reply(5)));
    BOOST_TEST(r.settled.empty());
    BOOST_TEST_REQUIRE(r.ignored.size() == 1u);
    BOOST_TEST(r.ignored[0].in_reply_to == 77u);
    BOOST_TEST(r.ignored[0].type == "QEMUD_SERVER_PKT_NUM_DOMAINS");
    BOOST_TEST(m.outstanding() == 2u);
    r = m.feed(server_message(2, 2, num_domains_reply(4)) + server_message(3, 1, version_reply()));
    BOOST_TEST_REQUIRE(r.settled.size() == 2u);
    BOOST_TEST(r.settled[0].serial == 2u);
    BOOST_TEST(r.settled[1].serial == 1u);
}

BOOST_AUTO_TEST_CASE(cli_matcher_failure_reply_is_the_calls_failure) {
    ReplyMatcher m = two_calls();
    const auto r = m.feed(server_message(1, 2, failure_reply(2, "no such domain")));
    BOOST_TEST_REQUIRE(r.settled.size() == 1u);
    BOOST_TEST((r.settled[0].kind == Settled::Kind::failure));
    BOOST_TEST(r.settled[0].serial == 2u);
    BOOST_TEST(r.settled[0].failure_code == 2u);
    BOOST_TEST(r.settled[0].failure_message_hex == failure_message_hex("no such domain"));
    BOOST_TEST(r.settled[0].failure_message_hex.size() == 2048u);
}

BOOST_AUTO_TEST_CASE(cli_matcher_wrong_type_is_refused) {
    ReplyMatcher m = two_calls();
    const auto r = m.feed(server_message(1, 1, num_domains_reply(3)));
    BOOST_TEST_REQUIRE(r.settled.size() == 1u);
    BOOST_TEST((r.settled[0].kind == Settled::Kind::error));
    BOOST_TEST(r.settled[0].value.is_null());
    BOOST_TEST(r.settled[0].error.find("QEMUD_SERVER_PKT_NUM_DOMAINS, expected QEMUD_SERVER_PKT_GET_VERSION") !=
               std::string::npos, r.settled[0].error);
    BOOST_TEST(m.outstanding() == 1u);
}

BOOST_AUTO_TEST_CASE(cli_matcher_settles_each_call_once) {
    ReplyMatcher m = two_calls();
    const auto r = m.feed(server_message(1, 1, version_reply(1)) + server_message(2, 1, version_reply(2)));
    BOOST_TEST_REQUIRE(r.settled.size() == 1u);
    BOOST_TEST(r.settled[0].value == version_reply(1));
    BOOST_TEST(r.ignored.size() == 1u);
    BOOST_TEST(m.outstanding() == 1u);
}

BOOST_AUTO_TEST_CASE(cli_matcher_malformed_frame_fails_every_call_and_ends) {
    ReplyMatcher m = two_calls();
    Bytes in = server_message(1, 1, version_reply());
    in[0] ^= 0xff;  // the seed magic
    const auto r = m.feed(in);
    BOOST_TEST_REQUIRE(r.settled.size() == 2u);
    for (const auto& s : r.settled) {
        BOOST_TEST((s.kind == Settled::Kind::error));
        BOOST_TEST(s.error.find("malformed reply frame") != std::string::npos, s.error);
    }
    BOOST_TEST(m.ended());
    BOOST_TEST(m.feed(server_message(2, 2, num_domains_reply(1))).settled.empty());
}

BOOST_AUTO_TEST_CASE(cli_matcher_malformed_payload_fails_every_call_with_its_offset) {
    ReplyMatcher m = two_calls();
    Bytes in = server_message(1, 1, version_reply()) + server_message(2, 2, num_domains_reply(1));
    // The second message's type word (header 8 + serial + inReplyTo) names
    // an arm the 4-byte body does not fill: the strict decoder refuses it.
    const std::size_t second = in.size() / 2;
    in[second + 8 + 8 + 3] = 12;  // QEMUD_SERVER_PKT_DOMAIN_GET_INFO
    const auto r = m.feed(in);
    BOOST_TEST_REQUIRE(r.settled.size() == 2u);
    BOOST_TEST((r.settled[0].kind == Settled::Kind::value));
    BOOST_TEST((r.settled[1].kind == Settled::Kind::error));
    BOOST_TEST(r.settled[1].error.find("malformed reply at stream byte " + std::to_string(second)) == 0u,
               r.settled[1].error);
    BOOST_TEST(m.ended());
}

BOOST_AUTO_TEST_CASE(cli_matcher_finish_names_a_cut_off_reply) {
    ReplyMatcher m = two_calls();
    const Bytes in = server_message(1, 1, version_reply());
    BOOST_TEST(m.feed(ByteView(in).first(in.size() - 1)).settled.empty());
    const auto r = m.finish("connection closed by the server");
    BOOST_TEST_REQUIRE(r.settled.size() == 2u);
    BOOST_TEST(r.settled[0].error.find("connection closed by the server (") == 0u, r.settled[0].error);
    BOOST_TEST(m.finish("again").settled.empty());
}

BOOST_AUTO_TEST_CASE(cli_matcher_huge_length_allocates_nothing) {
    ReplyMatcher m = two_calls();
    const Bytes header = {0x20, 0x00, 0x1a, 0x64, 0xff, 0xff, 0xff, 0xf0};  // seed magic, ~4 GiB
    largest_allocation = 0;
    const auto r = m.feed(header);
    BOOST_TEST(r.settled.size() == 2u);
    BOOST_TEST(largest_allocation.load() < std::size_t{64 * 1024}, "largest allocation " << largest_allocation.load());
}

// --- the deliberate bugs: each one changes the outcome, and only when on.

BOOST_AUTO_TEST_CASE(cli_bug_match_by_order) {
    const Bytes in = server_message(1, 2, num_domains_reply(22)) + server_message(2, 1, num_domains_reply(11));
    for (const bool on : {false, true}) {
        ReplyMatcher m(Framing::seed, on ? BugSet().add(Bug::match_by_order) : BugSet());
        m.expect(1, num_domains);
        m.expect(2, num_domains);
        const auto r = m.feed(in);
        BOOST_TEST_REQUIRE(r.settled.size() == 2u);
        BOOST_TEST(r.settled[0].serial == (on ? 1u : 2u));
        BOOST_TEST(r.settled[0].value == num_domains_reply(22));
    }
}

BOOST_AUTO_TEST_CASE(cli_bug_async_confusion) {
    for (const bool on : {false, true}) {
        ReplyMatcher m = two_calls(on ? BugSet().add(Bug::async_confusion) : BugSet());
        const auto r = m.feed(server_message(1, 77, version_reply(1)));
        BOOST_TEST(r.settled.size() == (on ? 1u : 0u));
        BOOST_TEST(r.ignored.size() == (on ? 0u : 1u));
        if (on) BOOST_TEST(r.settled[0].value == version_reply(1));
    }
}

BOOST_AUTO_TEST_CASE(cli_bug_short_read) {
    const Bytes in = server_message(1, 1, version_reply()) + server_message(2, 2, num_domains_reply(1));
    for (const bool on : {false, true}) {
        ReplyMatcher m = two_calls(on ? BugSet().add(Bug::short_read) : BugSet());
        const auto r = feed_bytes(m, in, 3);
        BOOST_TEST_REQUIRE(r.settled.size() == 2u);
        for (const auto& s : r.settled) BOOST_TEST((s.kind == (on ? Settled::Kind::error : Settled::Kind::value)));
    }
    // Only the seed framing's length is miscounted.
    ReplyMatcher m = two_calls(BugSet().add(Bug::short_read), Framing::libvirt_0_3);
    const auto r = m.feed(server_message(1, 1, version_reply(), Framing::libvirt_0_3));
    BOOST_TEST_REQUIRE(r.settled.size() == 1u);
    BOOST_TEST((r.settled[0].kind == Settled::Kind::value));
}

BOOST_AUTO_TEST_CASE(cli_bug_serial_reuse) {
    qemud::cli::Serials good, bad(BugSet().add(Bug::serial_reuse));
    BOOST_TEST(good.next() == 1u);
    BOOST_TEST(good.next() == 2u);
    BOOST_TEST(good.next() == 3u);
    BOOST_TEST(bad.next() == 1u);
    BOOST_TEST(bad.next() == 1u);
}

BOOST_AUTO_TEST_CASE(cli_bug_abort_on_failure) {
    for (const bool on : {false, true}) {
        const pid_t child = ::fork();
        BOOST_TEST_REQUIRE(child >= 0);
        if (child == 0) {
            std::signal(SIGABRT, SIG_DFL);  // Boost's own handler would catch the abort
            ReplyMatcher m = two_calls(on ? BugSet().add(Bug::abort_on_failure) : BugSet());
            const auto r = m.feed(server_message(1, 1, failure_reply(2, "x")));
            ::_exit(r.settled.size() == 1u ? 0 : 3);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        if (on) {
            BOOST_TEST((WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT));
        } else {
            BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
        }
    }
}

BOOST_AUTO_TEST_CASE(cli_bug_accept_wrong_type) {
    for (const bool on : {false, true}) {
        ReplyMatcher m = two_calls(on ? BugSet().add(Bug::accept_wrong_type) : BugSet());
        const auto r = m.feed(server_message(1, 1, num_domains_reply(3)));
        BOOST_TEST_REQUIRE(r.settled.size() == 1u);
        BOOST_TEST((r.settled[0].kind == (on ? Settled::Kind::value : Settled::Kind::error)));
    }
}

BOOST_AUTO_TEST_CASE(cli_bug_table_is_complete_and_off_by_default) {
    BOOST_TEST(BugSet().none());
    std::set<std::string_view> names;
    for (const auto& row : qemud::cli::bug_table()) {
        BOOST_TEST(names.insert(row.name).second, row.name);
        BOOST_TEST(!row.description.empty());
        BOOST_TEST((qemud::cli::bug_from_string(row.name) == row.bug));
    }
    BOOST_TEST(names.size() == qemud::cli::bug_count);
    BOOST_TEST(!qemud::cli::bug_from_string("no-such-bug"));
}
