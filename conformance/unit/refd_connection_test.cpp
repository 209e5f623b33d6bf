// SPDX-License-Identifier: Apache-2.0
// refd_connection_test.cpp: qemud-refd's per-connection handler
// (reference/refd/connection.h) driven in process: any chunking, pipelined
// calls, the documented answer to each malformed message (FAILURE and go
// on, or FAILURE and close), and bounded memory. It links
// largest_allocation.cpp to record the largest allocation.
#define BOOST_TEST_MODULE refd_connection
#include <boost/test/unit_test.hpp>

#include "largest_allocation.h"
#include "policy/policy.h"
#include "refd/connection.h"
#include "refd/failure.h"
#include "refd_wire.h"

using namespace refd_test;
using qemud::refd::Connection;
using qemud::refd::ConnectionOptions;
using qemud::refd::FailureCode;
using qemud::refd::HypervisorModel;

namespace {

constexpr std::uint32_t magic = 0x20001A64;

// A conversation of three calls: version, define a domain, count them.
Bytes three_calls() {
    return call_bytes(11, C::QEMUD_CLIENT_PKT_GET_VERSION) +
           call_bytes(12, C::QEMUD_CLIENT_PKT_DOMAIN_DEFINE,
                      model::qemud_packet_domain_define_request{xml("<domain><name>vm1</name></domain>")}) +
           call_bytes(13, C::QEMUD_CLIENT_PKT_NUM_DEFINED_DOMAINS);
}

void check_three_replies(const std::vector<Reply>& r) {
    BOOST_TEST_REQUIRE(r.size() == 3u);
    const std::uint32_t want_type[] = {1, 19, 17};  // GET_VERSION, DOMAIN_DEFINE, NUM_DEFINED_DOMAINS + 1
    for (std::size_t i = 0; i < 3; ++i) {
        BOOST_TEST_REQUIRE(r[i].value.has_value());
        BOOST_TEST(r[i].in_reply_to() == 11 + i);
        BOOST_TEST(r[i].type_word() == want_type[i]);
        if (i > 0) BOOST_TEST(r[i].serial() > r[i - 1].serial());  // unique and increasing
    }
    BOOST_TEST(std::get<model::qemud_packet_num_defined_domains_reply>(r[2].value->data.arm).numDomains == 1u);
}

// feed_all gives the whole input at once; the connection stays open.
std::vector<Reply> feed_all(Connection& c, const Bytes& in, Framing framing = Framing::seed) {
    Bytes out;
    BOOST_TEST(c.feed(in, out), c.close_reason());
    return replies(out, framing);
}

}  // namespace

BOOST_AUTO_TEST_CASE(refd_connection_one_byte_at_a_time) {
    HypervisorModel model(1);
    Connection c(model);
    const Bytes in = three_calls();
    Bytes out;
    for (const auto byte : in) BOOST_TEST_REQUIRE(c.feed(ByteView(&byte, 1), out));
    check_three_replies(replies(out));
}

BOOST_AUTO_TEST_CASE(refd_connection_several_messages_in_one_feed) {
    HypervisorModel model(1);
    Connection c(model);
    check_three_replies(feed_all(c, three_calls()));
    BOOST_TEST(c.calls_answered() == 3u);
}

BOOST_AUTO_TEST_CASE(refd_connection_pipelined_calls_answered_in_order) {
    // Serials need not be in order; each reply names its own call.
    HypervisorModel model(1);
    Connection c(model);
    const std::uint32_t serials[] = {900, 3, 77, 4000000000u};
    Bytes in;
    for (const auto s : serials) in = in + call_bytes(s, C::QEMUD_CLIENT_PKT_NUM_DOMAINS);
    in = in + call_bytes(5, C::QEMUD_CLIENT_PKT_GET_NODEINFO);
    const auto r = feed_all(c, in);
    BOOST_TEST_REQUIRE(r.size() == 5u);
    for (std::size_t i = 0; i < 4; ++i) {
        BOOST_TEST(r[i].in_reply_to() == serials[i]);
        BOOST_TEST(r[i].type_word() == 4u);  // NUM_DOMAINS + 1
    }
    BOOST_TEST(r[4].in_reply_to() == 5u);
    BOOST_TEST(r[4].type_word() == 2u);  // GET_NODEINFO + 1
}

BOOST_AUTO_TEST_CASE(refd_connection_four_gib_length_closes_without_allocating) {
    HypervisorModel model(1);
    Connection c(model);
    Bytes out;
    out.reserve(4096);
    largest_allocation = 0;
    const bool open = c.feed(words({magic, 0xFFFFFFFF}), out);
    BOOST_TEST(largest_allocation.load() < std::size_t{64 * 1024}, "largest allocation " << largest_allocation.load());
    BOOST_TEST(!open);
    BOOST_TEST(c.close_reason().find("length") != std::string::npos, c.close_reason());
    const auto r = replies(out);
    BOOST_TEST_REQUIRE(r.size() == 1u);  // FAILURE, inReplyTo 0: no serial was read
    BOOST_TEST(r[0].is_failure());
    BOOST_TEST(r[0].in_reply_to() == 0u);
    BOOST_TEST(r[0].failure_code() == static_cast<std::uint32_t>(FailureCode::malformed_message));
    // Closed: nothing more is read or answered.
    Bytes more;
    BOOST_TEST(!c.feed(call_bytes(1, C::QEMUD_CLIENT_PKT_GET_VERSION), more));
    BOOST_TEST(more.empty());
}

// Header errors: the stream cannot be resynchronised, so FAILURE
// (inReplyTo 0) and close, whatever came before in the same feed.
BOOST_AUTO_TEST_CASE(refd_connection_bad_header_fails_and_closes) {
    const struct {
        const char* name;
        Bytes header;
    } cases[] = {
        {"bad magic", words({0x12345678, 8})},
        {"length not a multiple of 4", words({magic, 10})},
        {"length below the smallest client payload", words({magic, 4})},
        {"length above the largest client payload", words({magic, 16400})},
        {"a libvirt-0.3 header on a seed connection", words({16, magic})},
    };
    for (const auto& k : cases) {
        BOOST_TEST_CONTEXT(k.name) {
            HypervisorModel model(1);
            Connection c(model);
            Bytes out;
            const Bytes in = call_bytes(1, C::QEMUD_CLIENT_PKT_GET_VERSION) + k.header + words({2, 0}) +
                             call_bytes(3, C::QEMUD_CLIENT_PKT_GET_VERSION);
            BOOST_TEST(!c.feed(in, out));
            const auto r = replies(out);
            BOOST_TEST_REQUIRE(r.size() == 2u);  // the good call before it, then FAILURE
            BOOST_TEST(r[0].in_reply_to() == 1u);
            BOOST_TEST(r[1].is_failure());
            BOOST_TEST(r[1].in_reply_to() == 0u);
            BOOST_TEST(!c.close_reason().empty());
        }
    }
}

// Payload errors inside a well-framed message: FAILURE with the call's
// serial, and the next message is read.
BOOST_AUTO_TEST_CASE(refd_connection_bad_payload_fails_and_goes_on) {
    Bytes non_canonical = call_bytes(7, C::QEMUD_CLIENT_PKT_DOMAIN_CREATE,
                                     model::qemud_packet_domain_create_request{xml("<domain><name>a</name></domain>")});
    non_canonical[8 + 8 + 2] = 0x01;  // xml[0] written 00 00 01 3C: refused by the strict decoder
    const struct {
        const char* name;
        Bytes message;
    } cases[] = {
        {"unknown discriminant", words({magic, 8, 7, 38})},
        {"negative discriminant", words({magic, 8, 7, 0xFFFFFFFF})},
        {"trailing bytes", words({magic, 12, 7, 0, 0})},
        {"truncated arm", words({magic, 8, 7, 8})},  // DOMAIN_SUSPEND without its id
        {"non-canonical char word", non_canonical},
    };
    for (const auto& k : cases) {
        BOOST_TEST_CONTEXT(k.name) {
            HypervisorModel model(1);
            Connection c(model);
            const auto r = feed_all(c, k.message + call_bytes(8, C::QEMUD_CLIENT_PKT_GET_VERSION));
            BOOST_TEST_REQUIRE(r.size() == 2u);
            BOOST_TEST(r[0].is_failure());
            BOOST_TEST(r[0].in_reply_to() == 7u);
            BOOST_TEST(r[0].failure_code() == static_cast<std::uint32_t>(FailureCode::malformed_message));
            BOOST_TEST(r[1].in_reply_to() == 8u);
            BOOST_TEST(r[1].type_word() == 1u);
            BOOST_TEST(c.open());
        }
    }
}

BOOST_AUTO_TEST_CASE(refd_connection_libvirt_0_3_and_detection) {
    for (const Framing f : all_framings) {
        for (const bool detect : {false, true}) {
            BOOST_TEST_CONTEXT(to_string(f) << (detect ? " detected" : " chosen")) {
                HypervisorModel model(1);
                ConnectionOptions options;
                options.framing = detect ? std::nullopt : std::optional<Framing>(f);
                Connection c(model, options);
                const auto r = feed_all(c, call_bytes(4, C::QEMUD_CLIENT_PKT_GET_VERSION, std::monostate{}, f), f);
                BOOST_TEST_REQUIRE(r.size() == 1u);
                BOOST_TEST(r[0].in_reply_to() == 4u);
                BOOST_TEST((c.framing() == f));
            }
        }
    }
    // Under detection, a first header of no profile closes.
    HypervisorModel model(1);
    ConnectionOptions options;
    options.framing = std::nullopt;
    Connection c(model, options);
    Bytes out;
    BOOST_TEST(!c.feed(words({1, 2}), out));
}

BOOST_AUTO_TEST_CASE(refd_connection_shipped_default_has_no_bugs) {
    BOOST_TEST(ConnectionOptions{}.bugs.none());
    BOOST_TEST((ConnectionOptions{}.framing == Framing::seed));
}
