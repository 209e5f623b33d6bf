// SPDX-License-Identifier: Apache-2.0
// refd_bugs_test.cpp: every deliberate bug of qemud-refd (reference/refd/
// bugs.h) changes what the socket-free handler does, visibly, and only
// when switched on: each case runs the same input with and without it.
#define BOOST_TEST_MODULE refd_bugs
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

#include "refd/bugs.h"
#include "refd/connection.h"
#include "refd/dispatch.h"
#include "refd_wire.h"

using namespace refd_test;
using qemud::refd::Bug;
using qemud::refd::BugSet;
using qemud::refd::Connection;
using qemud::refd::ConnectionOptions;
using qemud::refd::HypervisorModel;

namespace {

constexpr std::uint32_t magic = 0x20001A64;

// Run is one connection's output for one input, with or without a bug.
struct Run {
    std::vector<Reply> replies;
    bool open;
};

Run run(std::optional<Bug> bug, const Bytes& in, bool one_byte_at_a_time = false) {
    BugSet bugs;
    if (bug) bugs.add(*bug);
    HypervisorModel model(1, bugs);
    ConnectionOptions options;
    options.bugs = bugs;
    Connection c(model, options);
    Bytes out;
    bool open = true;
    if (one_byte_at_a_time) {
        for (const auto byte : in) open = c.feed(ByteView(&byte, 1), out) && open;
    } else {
        open = c.feed(in, out);
    }
    return {replies(out), open};
}


}  // namespace

BOOST_AUTO_TEST_CASE(refd_bugs_table_is_complete) {
    std::set<std::string_view> names;
    for (const auto& row : qemud::refd::bug_table()) {
        BOOST_TEST(!row.description.empty());
        names.insert(row.name);
        BOOST_TEST((qemud::refd::bug_from_string(row.name) == row.bug));
    }
    BOOST_TEST(names.size() == qemud::refd::bug_count);
    BOOST_TEST(!qemud::refd::bug_from_string("help"));
    BOOST_TEST(BugSet{}.none());
}

BOOST_AUTO_TEST_CASE(refd_bug_inreplyto_off_by_one) {
    const Bytes in = call_bytes(41, C::QEMUD_CLIENT_PKT_GET_VERSION);
    BOOST_TEST(run(std::nullopt, in).replies.at(0).in_reply_to() == 41u);
    BOOST_TEST(run(Bug::inreplyto_off_by_one, in).replies.at(0).in_reply_to() == 42u);
}

BOOST_AUTO_TEST_CASE(refd_bug_pipeline_swap) {
    const Bytes in = call_bytes(1, C::QEMUD_CLIENT_PKT_GET_VERSION) + call_bytes(2, C::QEMUD_CLIENT_PKT_NUM_DOMAINS);
    const auto good = run(std::nullopt, in).replies;
    const auto bad = run(Bug::pipeline_swap, in).replies;
    BOOST_TEST_REQUIRE((good.size() == 2u && bad.size() == 2u));
    BOOST_TEST(good[0].type_word() == 1u);  // GET_VERSION's reply
    BOOST_TEST(bad[0].in_reply_to() == 1u);
    BOOST_TEST(bad[0].type_word() == 4u);  // NUM_DOMAINS's reply, to the GET_VERSION call
    BOOST_TEST(bad[1].in_reply_to() == 2u);
    BOOST_TEST(bad[1].type_word() == 1u);
}

BOOST_AUTO_TEST_CASE(refd_bug_client_enum_type) {
    const Bytes in = call_bytes(1, C::QEMUD_CLIENT_PKT_NUM_DOMAINS);
    BOOST_TEST(run(std::nullopt, in).replies.at(0).type_word() == 4u);
    const auto bad = run(Bug::client_enum_type, in).replies.at(0);
    BOOST_TEST(bad.type_word() == 3u);  // the client's NUM_DOMAINS
    BOOST_TEST(!bad.value.has_value());  // LIST_DOMAINS's arm is longer: the reply no longer decodes
}

BOOST_AUTO_TEST_CASE(refd_bug_serial_repeats) {
    const Bytes in = call_bytes(1, C::QEMUD_CLIENT_PKT_GET_VERSION) + call_bytes(2, C::QEMUD_CLIENT_PKT_GET_VERSION);
    const auto good = run(std::nullopt, in).replies;
    BOOST_TEST(good.at(1).serial() > good.at(0).serial());
    const auto bad = run(Bug::serial_repeats, in).replies;
    BOOST_TEST(bad.at(1).serial() == bad.at(0).serial());
}

BOOST_AUTO_TEST_CASE(refd_bug_abort_on_large_length) {
    // abort() ends the process, so the handler runs in a child.
    const auto exit_of = [](std::optional<Bug> bug) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            std::signal(SIGABRT, SIG_DFL);  // Boost.Test's handler would turn the abort into a report
            const auto r = run(bug, words({magic, 0xFFFFFFFF}));
            ::_exit(r.open ? 1 : 0);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        return status;
    };
    const int good = exit_of(std::nullopt);
    BOOST_TEST((WIFEXITED(good) && WEXITSTATUS(good) == 0));  // FAILURE and close
    const int bad = exit_of(Bug::abort_on_large_length);
    BOOST_TEST((WIFSIGNALED(bad) && WTERMSIG(bad) == SIGABRT));
}

BOOST_AUTO_TEST_CASE(refd_bug_hang_on_byte_writer) {
    const Bytes in = call_bytes(1, C::QEMUD_CLIENT_PKT_GET_VERSION);
    BOOST_TEST(run(std::nullopt, in, true).replies.size() == 1u);
    const auto bad = run(Bug::hang_on_byte_writer, in, true);
    BOOST_TEST(bad.replies.empty());
    BOOST_TEST(bad.open);  // silent, not closed: the client waits forever
    BOOST_TEST(run(Bug::hang_on_byte_writer, in).replies.size() == 1u);  // whole writes still answered
}

BOOST_AUTO_TEST_CASE(refd_bug_ignore_trailing_bytes) {
    const Bytes in = words({magic, 12, 5, 0, 0xDEADBEEF});  // GET_VERSION plus one word
    BOOST_TEST(run(std::nullopt, in).replies.at(0).is_failure());
    const auto bad = run(Bug::ignore_trailing_bytes, in).replies.at(0);
    BOOST_TEST(bad.type_word() == 1u);
    BOOST_TEST(bad.in_reply_to() == 5u);
}

BOOST_AUTO_TEST_CASE(refd_bug_desync_after_bad_magic) {
    // A message with a bad magic, its 8-byte payload, then a good call.
    const Bytes in = words({0x12345678, 8, 1, 0}) + call_bytes(2, C::QEMUD_CLIENT_PKT_GET_VERSION);
    const auto good = run(std::nullopt, in);
    BOOST_TEST(!good.open);
    BOOST_TEST_REQUIRE(good.replies.size() == 1u);
    BOOST_TEST(good.replies[0].is_failure());
    const auto bad = run(Bug::desync_after_bad_magic, in);
    BOOST_TEST(bad.open);
    // The payload is read as a header (magic 0x00000001): a second FAILURE;
    // then the good call is found again and answered.
    BOOST_TEST_REQUIRE(bad.replies.size() == 3u);
    BOOST_TEST(bad.replies[0].is_failure());
    BOOST_TEST(bad.replies[1].is_failure());
    BOOST_TEST(bad.replies[2].in_reply_to() == 2u);
}

BOOST_AUTO_TEST_CASE(refd_bug_lookup_after_undefine) {
    const auto lookup_after_undefine = [](std::optional<Bug> bug) {
        BugSet bugs;
        if (bug) bugs.add(*bug);
        HypervisorModel model(1, bugs);
        const auto vm = model.define_domain("<domain><name>vm</name></domain>");
        BOOST_TEST_REQUIRE(vm.ok());
        BOOST_TEST_REQUIRE(!model.undefine_domain(vm.value().uuid));
        model::qemud_packet_client c{};
        c.serial = 3;
        c.data.type = C::QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_UUID;
        c.data.arm = model::qemud_packet_domain_lookup_by_uuid_request{vm.value().uuid};
        return qemud::refd::dispatch(model, c).data.type;
    };
    BOOST_TEST((lookup_after_undefine(std::nullopt) == S::QEMUD_SERVER_PKT_FAILURE));
    BOOST_TEST((lookup_after_undefine(Bug::lookup_after_undefine) == S::QEMUD_SERVER_PKT_DOMAIN_LOOKUP_BY_UUID));
}

BOOST_AUTO_TEST_CASE(refd_bug_stale_count_after_destroy) {
    const auto count_after_destroy = [](std::optional<Bug> bug) {
        BugSet bugs;
        if (bug) bugs.add(*bug);
        HypervisorModel model(1, bugs);
        const auto vm = model.create_domain("<domain><name>vm</name></domain>");
        BOOST_TEST_REQUIRE(vm.ok());
        BOOST_TEST_REQUIRE(!model.destroy_domain(vm.value().id));
        model::qemud_packet_client c{};
        c.data.type = C::QEMUD_CLIENT_PKT_NUM_DOMAINS;
        return std::get<model::qemud_packet_num_domains_reply>(qemud::refd::dispatch(model, c).data.arm).numDomains;
    };
    BOOST_TEST(count_after_destroy(std::nullopt) == 0);
    BOOST_TEST(count_after_destroy(Bug::stale_count_after_destroy) == 1);
}
