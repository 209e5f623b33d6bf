// SPDX-License-Identifier: Apache-2.0
// dynamic_codec_test.cpp: the "dynamic" implementation (reference/codecs/
// dynamic/): exact bytes of a few messages, each rule of docs/POLICY.md
// with its path, offset and flag, value-model errors by path, and
// the walker over a hand-written .x file for the types protocol.x does not
// use (variable arrays, strings, opaque, optional, typedef, default arm).
#define BOOST_TEST_MODULE dynamic_codec
#include <boost/test/unit_test.hpp>

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "codecs/dynamic/walker.h"
#include "codecs/dynamic/walkers.h"
#include "codecs/registry.h"
#include "policy/policy.h"
#include "xdrc/parser.h"

using namespace qemud;

namespace {

const Codec& codec() {
    static const auto instance = make_dynamic_codec();
    return *instance;
}

// words writes big-endian XDR words, so expected bytes read one word per line.
Bytes words(std::initializer_list<std::uint32_t> list) {
    Bytes out;
    for (const auto w : list)
        for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(w >> shift));
    return out;
}

Bytes operator+(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

Bytes zero_words(std::size_t n) { return Bytes(4 * n, 0); }

void put_word(Bytes& b, std::size_t offset, std::uint32_t w) {
    for (int i = 0; i < 4; ++i) b[offset + i] = static_cast<std::uint8_t>(w >> (24 - 8 * i));
}

Bytes encode_ok(Kind kind, const Json& value) {
    auto result = codec().encode(kind, value);
    BOOST_REQUIRE_MESSAGE(result.ok(),
                          "encode failed: " << (result.failed() ? result.error().to_string() : "unsupported"));
    return result.value();
}

Json decode_ok(Kind kind, const Bytes& wire) {
    auto result = codec().decode(kind, wire);
    BOOST_REQUIRE_MESSAGE(result.ok(),
                          "decode failed: " << (result.failed() ? result.error().to_string() : "unsupported"));
    return result.value();
}

CodecError decode_error(Kind kind, const Bytes& wire) {
    auto result = codec().decode(kind, wire);
    BOOST_REQUIRE_MESSAGE(result.failed(),
                          "decode should have failed, gave " << (result.ok() ? result.value().dump() : "unsupported"));
    return result.error();
}

CodecError encode_error(Kind kind, const Json& value) {
    auto result = codec().encode(kind, value);
    BOOST_REQUIRE_MESSAGE(result.failed(), "encode should have failed: " << value.dump());
    return result.error();
}

// offset_of prints as a number: -1 for "no offset".
long long offset_of(std::optional<std::size_t> offset) { return offset ? static_cast<long long>(*offset) : -1; }

void check_error(const CodecError& e, const std::string& path, std::optional<std::size_t> offset, policy::Flag flag) {
    BOOST_TEST_INFO("error: " << e.to_string() << " [" << e.flag << "]");
    BOOST_TEST(e.path == path);
    BOOST_TEST(offset_of(e.offset) == offset_of(offset));
    BOOST_TEST(e.flag == policy::name(flag));
}

void check_value_error(const CodecError& e, const std::string& path) {
    BOOST_TEST_INFO("error: " << e.to_string() << " [" << e.flag << "]");
    BOOST_TEST(e.path == path);
    BOOST_TEST(e.flag == "value");
    BOOST_TEST(!e.offset.has_value());
}

const std::string uuid_hex = "00112233445566778899aabbccddeeff";
// "vm\xE9" and NUL padding to 50 bytes: 0xE9 is the byte whose char word
// depends on the platform's signedness (docs/VALUE-MODEL.md).
const std::string name_hex = "766de9" + std::string(94, '0');

Json domain_create_reply() {
    return Json{{"serial", 7},
                {"inReplyTo", 6},
                {"data",
                 {{"type", "QEMUD_SERVER_PKT_DOMAIN_CREATE"},
                  {"domainCreateReply", {{"id", 3}, {"uuid", uuid_hex}, {"name", name_hex}}}}}};
}

// The server DOMAIN_CREATE reply: 280 bytes (docs/WIRE.md).
const Bytes domain_create_reply_wire = words({
    0x00000007,  // serial
    0x00000006,  // inReplyTo
    0x00000005,  // data.type = QEMUD_SERVER_PKT_DOMAIN_CREATE
    0x00000003,  // data.domainCreateReply.id
    0x00000000,  // .uuid[0]   unsigned char: zero-extended
    0x00000011,  // .uuid[1]
    0x00000022,  // .uuid[2]
    0x00000033,  // .uuid[3]
    0x00000044,  // .uuid[4]
    0x00000055,  // .uuid[5]
    0x00000066,  // .uuid[6]
    0x00000077,  // .uuid[7]
    0x00000088,  // .uuid[8]   >= 0x80 stays zero-extended
    0x00000099,  // .uuid[9]
    0x000000AA,  // .uuid[10]
    0x000000BB,  // .uuid[11]
    0x000000CC,  // .uuid[12]
    0x000000DD,  // .uuid[13]
    0x000000EE,  // .uuid[14]
    0x000000FF,  // .uuid[15]
    0x00000076,  // .name[0] 'v'
    0x0000006D,  // .name[1] 'm'
    0xFFFFFFE9,  // .name[2] 0xE9: char is sign-extended
}) + zero_words(47);  // .name[3..49] NUL padding

}  // namespace

BOOST_AUTO_TEST_SUITE(identity)

BOOST_AUTO_TEST_CASE(name_and_strictness) {
    BOOST_TEST(codec().name() == "dynamic");
    BOOST_TEST(codec().strict());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(exact_bytes)

BOOST_AUTO_TEST_CASE(server_domain_create_reply) {
    BOOST_TEST(domain_create_reply_wire.size() == 280u);
    const Bytes wire = encode_ok(Kind::server, domain_create_reply());
    BOOST_TEST(wire == domain_create_reply_wire, boost::test_tools::per_element());
    BOOST_TEST(decode_ok(Kind::server, domain_create_reply_wire) == domain_create_reply());
}

BOOST_AUTO_TEST_CASE(client_get_version) {
    const Json value = {{"serial", 7}, {"data", {{"type", "QEMUD_CLIENT_PKT_GET_VERSION"}}}};
    const Bytes expected = words({
        0x00000007,  // serial
        0x00000000,  // data.type = QEMUD_CLIENT_PKT_GET_VERSION (void arm)
    });
    BOOST_TEST(encode_ok(Kind::client, value) == expected, boost::test_tools::per_element());
    BOOST_TEST(decode_ok(Kind::client, expected) == value);
}

BOOST_AUTO_TEST_CASE(client_domain_suspend_negative_id) {
    const Json value = {
        {"serial", 8},
        {"data", {{"type", "QEMUD_CLIENT_PKT_DOMAIN_SUSPEND"}, {"domainSuspendRequest", {{"id", -2}}}}}};
    const Bytes expected = words({
        0x00000008,  // serial
        0x00000008,  // data.type = QEMUD_CLIENT_PKT_DOMAIN_SUSPEND
        0xFFFFFFFE,  // data.domainSuspendRequest.id = -2
    });
    BOOST_TEST(encode_ok(Kind::client, value) == expected, boost::test_tools::per_element());
    BOOST_TEST(decode_ok(Kind::client, expected) == value);
}

BOOST_AUTO_TEST_CASE(server_domain_get_info_uint64_high_word_first) {
    const Json value = {{"serial", 1},
                        {"inReplyTo", 2},
                        {"data",
                         {{"type", "QEMUD_SERVER_PKT_DOMAIN_GET_INFO"},
                          {"domainGetInfoReply",
                           {{"cpuTime", "18446744069414584321"},  // 0xFFFFFFFF00000001
                            {"runstate", 1},
                            {"memory", 4294967295u},
                            {"maxmem", 0},
                            {"nrVirtCpu", 4}}}}}};
    const Bytes expected = words({
        0x00000001,  // serial
        0x00000002,  // inReplyTo
        0x0000000C,  // data.type = QEMUD_SERVER_PKT_DOMAIN_GET_INFO
        0xFFFFFFFF,  // data.domainGetInfoReply.cpuTime, high word
        0x00000001,  // data.domainGetInfoReply.cpuTime, low word
        0x00000001,  // .runstate
        0xFFFFFFFF,  // .memory
        0x00000000,  // .maxmem
        0x00000004,  // .nrVirtCpu
    });
    BOOST_TEST(encode_ok(Kind::server, value) == expected, boost::test_tools::per_element());
    BOOST_TEST(decode_ok(Kind::server, expected) == value);
}

BOOST_AUTO_TEST_CASE(server_message_has_header) {
    const Json value = {
        {"serial", 9},
        {"inReplyTo", 8},
        {"data", {{"type", "QEMUD_SERVER_PKT_GET_VERSION"}, {"getVersionReply", {{"versionNum", 2000}}}}}};
    const Bytes expected = words({
        0x20001A64,  // header magic
        0x00000010,  // header length: 16 payload bytes
        0x00000009,  // serial
        0x00000008,  // inReplyTo
        0x00000001,  // data.type = QEMUD_SERVER_PKT_GET_VERSION
        0x000007D0,  // data.getVersionReply.versionNum = 2000
    });
    BOOST_TEST(encode_ok(Kind::server_message, value) == expected, boost::test_tools::per_element());
    BOOST_TEST(decode_ok(Kind::server_message, expected) == value);
    BOOST_TEST(decode_ok(Kind::header, words({0x20001A64, 16})) == (Json{{"magic", 0x20001A64}, {"length", 16}}));
    BOOST_TEST(encode_ok(Kind::header, Json{{"magic", 0x20001A64}, {"length", 16}}) ==
                   words({0x20001A64, 0x00000010}),
               boost::test_tools::per_element());
}

// Every arm of both directions: an all-zero arm decodes, has the arm's
// payload size, and re-encodes to the same bytes. The arm list comes from
// protocol.x, so a new message is covered with no edit here.
BOOST_AUTO_TEST_CASE(every_arm_round_trips_at_its_payload_size) {
    const auto& info = ProtocolInfo::get();
    for (const auto& arm : info.all_arms()) {
        BOOST_TEST_CONTEXT(arm.name) {
            Bytes wire(arm.payload_size, 0);
            put_word(wire, info.payload_prefix_size(arm.direction), static_cast<std::uint32_t>(arm.value));
            const Kind kind = payload_kind(arm.direction);
            const Json value = decode_ok(kind, wire);
            BOOST_TEST(value["data"]["type"] == arm.name);
            BOOST_TEST(value["data"].contains(arm.member) == !arm.member.empty());
            BOOST_TEST(encode_ok(kind, value) == wire);
            BOOST_TEST(encode_ok(message_kind(arm.direction), value).size() == info.header_size() + arm.payload_size);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(policy_rules)

BOOST_AUTO_TEST_CASE(non_canonical_char_element) {
    Bytes wire = domain_create_reply_wire;
    // name[17] starts at 12 (prefix and type) + 4 (id) + 64 (uuid) + 68.
    put_word(wire, 148, 0x00000141);
    const CodecError e = decode_error(Kind::server, wire);
    check_error(e, "data.domainCreateReply.name[17]", 148, policy::Flag::non_canonical_char);
    BOOST_TEST(e.message == "char element 0x00000141 is not a sign- or zero-extended byte");

    put_word(wire, 148, 0xFFFFFF41);  // sign bits over a byte < 0x80
    check_error(decode_error(Kind::server, wire), "data.domainCreateReply.name[17]", 148,
                policy::Flag::non_canonical_char);
}

BOOST_AUTO_TEST_CASE(zero_extended_char_is_accepted_and_re_encoded_canonically) {
    Bytes wire = domain_create_reply_wire;
    put_word(wire, 88, 0x000000E9);  // name[2], as an unsigned-char platform writes it
    BOOST_TEST(decode_ok(Kind::server, wire) == domain_create_reply());
    BOOST_TEST(encode_ok(Kind::server, decode_ok(Kind::server, wire)) == domain_create_reply_wire);
}

BOOST_AUTO_TEST_CASE(non_canonical_uchar_element) {
    Bytes wire = domain_create_reply_wire;
    put_word(wire, 16 + 4 * 3, 0x00000133);  // uuid[3]
    const CodecError e = decode_error(Kind::server, wire);
    check_error(e, "data.domainCreateReply.uuid[3]", 28, policy::Flag::non_canonical_uchar);
    put_word(wire, 28, 0xFFFFFFB3);  // a sign-extended byte is not canonical for unsigned char
    check_error(decode_error(Kind::server, wire), "data.domainCreateReply.uuid[3]", 28,
                policy::Flag::non_canonical_uchar);
}

BOOST_AUTO_TEST_CASE(unknown_discriminant) {
    const auto& info = ProtocolInfo::get();
    const auto max = info.discriminant_enum(Direction::client).items.back();
    BOOST_TEST(max.name == "QEMUD_CLIENT_PKT_MAX");
    for (const std::uint32_t type : {static_cast<std::uint32_t>(max.value), 1000u, 0xFFFFFFFFu}) {
        BOOST_TEST_CONTEXT("type " << type) {
            const CodecError e = decode_error(Kind::client, words({1, type}));
            check_error(e, "data.type", 4, policy::Flag::unknown_discriminant);
        }
    }
    // In a framed message the offset counts the header too.
    const CodecError e = decode_error(Kind::client_message, words({0x20001A64, 8, 1, 38}));
    check_error(e, "data.type", 12, policy::Flag::unknown_discriminant);
}

BOOST_AUTO_TEST_CASE(truncated) {
    const Bytes& full = domain_create_reply_wire;
    const CodecError e = decode_error(Kind::server, Bytes(full.begin(), full.end() - 1));
    // The offset is where the field that cannot be read in full begins.
    check_error(e, "data.domainCreateReply.name[49]", 276, policy::Flag::truncated);
    check_error(decode_error(Kind::server, Bytes(full.begin(), full.begin() + 10)), "data.type", 8,
                policy::Flag::truncated);
    check_error(decode_error(Kind::server, Bytes(full.begin(), full.begin() + 80)), "data.domainCreateReply.name[0]",
                80, policy::Flag::truncated);
    check_error(decode_error(Kind::server, Bytes{}), "serial", 0, policy::Flag::truncated);
}

BOOST_AUTO_TEST_CASE(trailing_bytes) {
    const CodecError e = decode_error(Kind::client, words({7, 0, 0}));
    check_error(e, "", 8, policy::Flag::trailing_bytes);
    Bytes long_reply = domain_create_reply_wire + Bytes{0};
    check_error(decode_error(Kind::server, long_reply), "", 280, policy::Flag::trailing_bytes);
}

BOOST_AUTO_TEST_CASE(framed_length_checks) {
    // The payload is a valid GET_VERSION call, but length claims one more word.
    check_error(decode_error(Kind::client_message, words({0x20001A64, 12, 7, 0, 0})), "", 16,
                policy::Flag::length_mismatch);
    check_error(decode_error(Kind::client_message, words({0x20001A64, 0x7FFFFFF0})), "length", 4,
                policy::Flag::length_too_large);
    check_error(decode_error(Kind::client_message, words({0x20001A65, 8, 7, 0})), "magic", 0,
                policy::Flag::bad_magic);
    // A char fault inside a message is at the payload offset plus the header.
    Bytes wire = words({0x20001A64, 280}) + domain_create_reply_wire;
    put_word(wire, 8 + 148, 0x00000141);
    check_error(decode_error(Kind::server_message, wire), "data.domainCreateReply.name[17]", 156,
                policy::Flag::non_canonical_char);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(value_errors)

BOOST_AUTO_TEST_CASE(missing_and_unknown_members) {
    Json v = domain_create_reply();
    v["data"]["domainCreateReply"].erase("name");
    check_value_error(encode_error(Kind::server, v), "data.domainCreateReply.name");

    v = domain_create_reply();
    v["data"]["domainCreateReply"]["extra"] = 1;
    check_value_error(encode_error(Kind::server, v), "data.domainCreateReply.extra");

    v = domain_create_reply();
    v.erase("inReplyTo");
    check_value_error(encode_error(Kind::server, v), "inReplyTo");

    v = domain_create_reply();
    v["data"].erase("domainCreateReply");
    check_value_error(encode_error(Kind::server, v), "data.domainCreateReply");

    // A void arm has no arm member; another arm's member is unknown here.
    check_value_error(encode_error(Kind::client, {{"serial", 1},
                                                  {"data",
                                                   {{"type", "QEMUD_CLIENT_PKT_GET_VERSION"},
                                                    {"domainSuspendRequest", {{"id", 1}}}}}}),
                      "data.domainSuspendRequest");
    check_value_error(encode_error(Kind::client, {{"serial", 1}, {"data", {{"id", 1}}}}), "data.type");
}

BOOST_AUTO_TEST_CASE(integer_ranges_and_types) {
    auto suspend = [](const Json& id) {
        return Json{{"serial", 8},
                    {"data", {{"type", "QEMUD_CLIENT_PKT_DOMAIN_SUSPEND"}, {"domainSuspendRequest", {{"id", id}}}}}};
    };
    for (const Json& bad : {Json(2147483648ll), Json(-2147483649ll), Json(1.0), Json("1"), Json(nullptr)})
        BOOST_TEST_CONTEXT(bad.dump()) {
            check_value_error(encode_error(Kind::client, suspend(bad)), "data.domainSuspendRequest.id");
        }
    BOOST_TEST(encode_ok(Kind::client, suspend(-2147483648ll)).size() == 12u);

    const Json get_version = {{"type", "QEMUD_CLIENT_PKT_GET_VERSION"}};
    check_value_error(encode_error(Kind::client, {{"serial", -1}, {"data", get_version}}), "serial");
    check_value_error(encode_error(Kind::client, {{"serial", 4294967296ull}, {"data", get_version}}), "serial");

    Json info = {{"serial", 1},
                 {"inReplyTo", 2},
                 {"data",
                  {{"type", "QEMUD_SERVER_PKT_DOMAIN_GET_INFO"},
                   {"domainGetInfoReply",
                    {{"cpuTime", "01"}, {"runstate", 1}, {"memory", 1}, {"maxmem", 1}, {"nrVirtCpu", 1}}}}}};
    check_value_error(encode_error(Kind::server, info), "data.domainGetInfoReply.cpuTime");
    info["data"]["domainGetInfoReply"]["cpuTime"] = "18446744073709551616";
    check_value_error(encode_error(Kind::server, info), "data.domainGetInfoReply.cpuTime");
    info["data"]["domainGetInfoReply"]["cpuTime"] = 5;
    check_value_error(encode_error(Kind::server, info), "data.domainGetInfoReply.cpuTime");
}

BOOST_AUTO_TEST_CASE(hex_lengths_and_digits) {
    Json v = domain_create_reply();
    v["data"]["domainCreateReply"]["uuid"] = uuid_hex.substr(2);
    check_value_error(encode_error(Kind::server, v), "data.domainCreateReply.uuid");
    v["data"]["domainCreateReply"]["uuid"] = "zz" + uuid_hex.substr(2);
    check_value_error(encode_error(Kind::server, v), "data.domainCreateReply.uuid");
    v = domain_create_reply();
    v["data"]["domainCreateReply"]["name"] = name_hex + "00";
    check_value_error(encode_error(Kind::server, v), "data.domainCreateReply.name");
    // Upper-case hex is accepted; decoding gives lower case.
    v = domain_create_reply();
    v["data"]["domainCreateReply"]["uuid"] = "00112233445566778899AABBCCDDEEFF";
    BOOST_TEST(encode_ok(Kind::server, v) == domain_create_reply_wire);
}

BOOST_AUTO_TEST_CASE(enum_names) {
    const CodecError e =
        encode_error(Kind::client, {{"serial", 1}, {"data", {{"type", "QEMUD_SERVER_PKT_GET_VERSION"}}}});
    check_value_error(e, "data.type");
    BOOST_TEST(e.message.find("qemud_packet_client_data_type") != std::string::npos);
    check_value_error(encode_error(Kind::client, {{"serial", 1}, {"data", {{"type", 0}}}}), "data.type");
    // ..._PKT_MAX is a name of the enum but no arm: never produced.
    check_value_error(encode_error(Kind::client, {{"serial", 1}, {"data", {{"type", "QEMUD_CLIENT_PKT_MAX"}}}}),
                      "data.type");
}

BOOST_AUTO_TEST_CASE(header_policy_on_encode) {
    BOOST_TEST(encode_error(Kind::header, {{"magic", 1}, {"length", 8}}).flag ==
               policy::name(policy::Flag::bad_magic));
    BOOST_TEST(encode_error(Kind::header, {{"magic", 0x20001A64}, {"length", 6}}).flag ==
               policy::name(policy::Flag::bad_header_length));
}

BOOST_AUTO_TEST_SUITE_END()

// ------------------------------------------------- any .x file, not only protocol.x

namespace {

const char* const sample_x = R"(
const MAXPTS = 3;
enum shape { CIRCLE = 1, SQUARE = 2, BLOB = 7 };
typedef unsigned int count_t;
typedef opaque blob<5>;
struct point { int x; int y; };
union figure switch (shape kind) {
    case CIRCLE:
        unsigned int radius;
    case SQUARE:
        void;
    default:
        blob data;
};
union flagged switch (bool present) {
    case 1: hyper h;
    case 0: void;
};
struct node { int value; node *next; };
struct doc {
    count_t n;
    point pts<MAXPTS>;
    string title<10>;
    opaque raw[3];
    point *maybe;
    figure fig;
    flagged fl;
    unsigned hyper uh;
    bool ok;
    char c;
    unsigned char letters[2];
    double d;
    shape s;
    node *list;
};
)";

const dynamic::Walker& sample_walker() {
    static const dynamic::Walker walker = [] {
        auto parsed = xdr::parse_specification(sample_x, "sample.x");
        if (auto* e = std::get_if<xdr::ParseError>(&parsed)) BOOST_FAIL("sample.x: " << e->to_string());
        return dynamic::Walker(std::get<xdr::Specification>(parsed));
    }();
    return walker;
}

Json sample_doc() {
    return Json{{"n", 2},
                {"pts", Json::array({{{"x", 1}, {"y", -1}}, {{"x", 2}, {"y", 3}}})},
                {"title", "hello"},
                {"raw", "a1b2c3"},
                {"maybe", nullptr},
                {"fig", {{"kind", "BLOB"}, {"data", "0102"}}},
                {"fl", {{"present", true}, {"h", "-2"}}},
                {"uh", "4294967296"},
                {"ok", true},
                {"c", "e9"},
                {"letters", "41e9"},
                {"d", 1.5},
                {"s", "SQUARE"},
                {"list", {{"value", 10}, {"next", {{"value", 20}, {"next", nullptr}}}}}};
}

const Bytes sample_doc_wire = words({
    0x00000002,  // n (count_t, a typedef of unsigned int)
    0x00000002,  // pts: count
    0x00000001,  // pts[0].x
    0xFFFFFFFF,  // pts[0].y = -1
    0x00000002,  // pts[1].x
    0x00000003,  // pts[1].y
    0x00000005,  // title: length
    0x68656C6C,  // title "hell"
    0x6F000000,  // title "o", padding
    0xA1B2C300,  // raw[3], padding
    0x00000000,  // maybe: absent
    0x00000007,  // fig.kind = BLOB (default arm)
    0x00000002,  // fig.data: length
    0x01020000,  // fig.data, padding
    0x00000001,  // fl.present = TRUE
    0xFFFFFFFF,  // fl.h = -2, high word
    0xFFFFFFFE,  // fl.h, low word
    0x00000001,  // uh = 2^32, high word
    0x00000000,  // uh, low word
    0x00000001,  // ok = true
    0xFFFFFFE9,  // c: char, sign-extended
    0x00000041,  // letters[0]
    0x000000E9,  // letters[1]: unsigned char, zero-extended
    0x3FF80000,  // d = 1.5, high word
    0x00000000,  // d, low word
    0x00000002,  // s = SQUARE
    0x00000001,  // list: present
    0x0000000A,  // list.value
    0x00000001,  // list.next: present
    0x00000014,  // list.next.value
    0x00000000,  // list.next.next: absent
});

CodecError sample_decode_error(const Bytes& wire) {
    auto result = sample_walker().decode("doc", wire);
    BOOST_REQUIRE_MESSAGE(result.failed(), "decode should have failed");
    return result.error();
}

CodecError sample_encode_error(const Json& value) {
    auto result = sample_walker().encode("doc", value);
    BOOST_REQUIRE_MESSAGE(result.failed(), "encode should have failed: " << value.dump());
    return result.error();
}

void check_flag(const CodecError& e, const std::string& path, std::size_t offset, std::string_view flag) {
    BOOST_TEST_INFO("error: " << e.to_string() << " [" << e.flag << "]");
    BOOST_TEST(e.path == path);
    BOOST_TEST(offset_of(e.offset) == static_cast<long long>(offset));
    BOOST_TEST(e.flag == flag);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(any_specification)

BOOST_AUTO_TEST_CASE(every_feature_round_trips) {
    auto wire = sample_walker().encode("doc", sample_doc());
    BOOST_REQUIRE_MESSAGE(wire.ok(), (wire.failed() ? wire.error().to_string() : ""));
    BOOST_TEST(wire.value() == sample_doc_wire, boost::test_tools::per_element());
    auto value = sample_walker().decode("doc", sample_doc_wire);
    BOOST_REQUIRE_MESSAGE(value.ok(), (value.failed() ? value.error().to_string() : ""));
    BOOST_TEST(value.value() == sample_doc());
}

BOOST_AUTO_TEST_CASE(void_and_case_arms) {
    Json v = sample_doc();
    v["fig"] = {{"kind", "SQUARE"}};
    v["fl"] = {{"present", false}};
    auto wire = sample_walker().encode("doc", v);
    BOOST_REQUIRE(wire.ok());
    BOOST_TEST(wire.value().size() == sample_doc_wire.size() - 4 * 2 - 4 * 2);
    BOOST_TEST(sample_walker().decode("doc", wire.value()).value() == v);

    v["fig"] = {{"kind", "CIRCLE"}, {"radius", 9}};
    wire = sample_walker().encode("doc", v);
    BOOST_REQUIRE(wire.ok());
    BOOST_TEST(sample_walker().decode("doc", wire.value()).value() == v);
}

BOOST_AUTO_TEST_CASE(value_errors_name_the_path) {
    Json v = sample_doc();
    v["pts"].push_back({{"x", 0}, {"y", 0}});
    v["pts"].push_back({{"x", 0}, {"y", 0}});
    check_value_error(sample_encode_error(v), "pts");  // 4 points, at most 3

    v = sample_doc();
    v["pts"][1].erase("y");
    check_value_error(sample_encode_error(v), "pts[1].y");

    v = sample_doc();
    v["title"] = "eleven char";
    check_value_error(sample_encode_error(v), "title");

    v = sample_doc();
    v["fig"]["data"] = "010203040506";  // 6 bytes, blob is <5>
    check_value_error(sample_encode_error(v), "fig.data");
    v["fig"]["data"] = "012";
    check_value_error(sample_encode_error(v), "fig.data");

    v = sample_doc();
    v["list"]["next"]["value"] = "20";
    check_value_error(sample_encode_error(v), "list.next.value");

    v = sample_doc();
    v["ok"] = 1;
    check_value_error(sample_encode_error(v), "ok");

    v = sample_doc();
    v["s"] = "TRIANGLE";
    check_value_error(sample_encode_error(v), "s");

    auto unknown = sample_walker().encode("no_such_type", Json::object());
    BOOST_TEST(unknown.failed());
}

BOOST_AUTO_TEST_CASE(wire_errors_name_path_offset_and_flag) {
    Bytes wire = sample_doc_wire;
    put_word(wire, 4, 4);  // pts count 4 > MAXPTS
    check_flag(sample_decode_error(wire), "pts", 4, "count_too_large");

    // A count within the maximum that the input cannot hold is refused
    // before anything is reserved for it.
    check_flag(sample_decode_error(Bytes(sample_doc_wire.begin(), sample_doc_wire.begin() + 12)), "pts", 8,
               policy::name(policy::Flag::truncated));

    wire = sample_doc_wire;
    put_word(wire, 32, 0x6F000100);  // non-zero padding after "o"
    check_flag(sample_decode_error(wire), "title", 34, "non_zero_padding");

    wire = sample_doc_wire;
    put_word(wire, 28, 0xFF656C6C);  // title "\xFFell": not UTF-8, so no JSON string
    check_flag(sample_decode_error(wire), "title", 28, "invalid_utf8");

    wire = sample_doc_wire;
    put_word(wire, 40, 2);  // maybe: optional flag 2
    check_flag(sample_decode_error(wire), "maybe", 40, "bad_bool");

    wire = sample_doc_wire;
    put_word(wire, 44, 9);  // fig.kind 9: default arm, but no enum name for it
    check_flag(sample_decode_error(wire), "fig.kind", 44, "unknown_enum_value");

    wire = sample_doc_wire;
    put_word(wire, 56, 2);  // fl.present 2
    check_flag(sample_decode_error(wire), "fl.present", 56, "bad_bool");

    wire = sample_doc_wire;
    put_word(wire, 80, 0x00000141);
    check_flag(sample_decode_error(wire), "c", 80, policy::name(policy::Flag::non_canonical_char));

    wire = sample_doc_wire;
    put_word(wire, 88, 0xFFFFFFE9);
    check_flag(sample_decode_error(wire), "letters[1]", 88, policy::name(policy::Flag::non_canonical_uchar));

    wire = sample_doc_wire;
    put_word(wire, 100, 5);  // s = 5 names no shape
    check_flag(sample_decode_error(wire), "s", 100, "unknown_enum_value");

    wire = sample_doc_wire;
    check_flag(sample_decode_error(Bytes(wire.begin(), wire.end() - 2)), "list.next.next", wire.size() - 4,
               policy::name(policy::Flag::truncated));
}

BOOST_AUTO_TEST_CASE(union_without_default_rejects_unknown_discriminant) {
    auto parsed = xdr::parse_specification("union u switch (int k) { case 1: int a; case 2: void; };", "u.x");
    BOOST_REQUIRE(std::holds_alternative<xdr::Specification>(parsed));
    const dynamic::Walker walker(std::get<xdr::Specification>(parsed));
    BOOST_TEST(walker.decode("u", words({2})).value() == (Json{{"k", 2}}));
    const auto e = walker.decode("u", words({3}));
    BOOST_REQUIRE(e.failed());
    check_flag(e.error(), "k", 0, policy::name(policy::Flag::unknown_discriminant));
}

BOOST_AUTO_TEST_CASE(recursion_is_bounded) {
    // A list as deep as the nesting limit allows in neither direction.
    Json list = nullptr;
    Bytes wire = words({0});
    for (int i = 0; i < dynamic::nesting_limit; ++i) {
        list = Json{{"value", i}, {"next", list}};
        wire = words({1, static_cast<std::uint32_t>(i)}) + wire;
    }
    Json v = sample_doc();
    v["list"] = list;
    const CodecError e = sample_encode_error(v);
    BOOST_TEST(e.flag == "value");
    BOOST_TEST(e.path.rfind("list.next.next", 0) == 0u);

    const Bytes prefix(sample_doc_wire.begin(), sample_doc_wire.begin() + 104);
    const CodecError d = sample_decode_error(prefix + wire);
    BOOST_TEST(d.flag == "too_deep");
}

BOOST_AUTO_TEST_SUITE_END()

// ------------------------------------------------- decode_into: one Json, reused

namespace {

void check_same_error(const CodecError& got, const CodecError& want) {
    BOOST_TEST_INFO("decode_into: " << got.to_string() << " [" << got.flag << "]");
    BOOST_TEST_INFO("decode:      " << want.to_string() << " [" << want.flag << "]");
    BOOST_TEST(got.path == want.path);
    BOOST_TEST(offset_of(got.offset) == offset_of(want.offset));
    BOOST_TEST(got.flag == want.flag);
    BOOST_TEST(got.message == want.message);
}

// decode_into_matches decodes wire into out and checks that the outcome is
// decode's: the same value, or the same error.
void decode_into_matches(Kind kind, const Bytes& wire, Json& out) {
    const auto want = codec().decode(kind, wire);
    const auto got = codec().decode_into(kind, wire, out);
    BOOST_REQUIRE(got.ok() == want.ok());
    BOOST_REQUIRE(got.failed() == want.failed());
    if (want.ok())
        BOOST_TEST(out == want.value());
    else if (want.failed())
        check_same_error(got.error(), want.error());
}

// arm_wires gives each arm of protocol.x two wires: all zero, and the same
// with the serial 7 (a leaf other than the discriminant differs).
std::vector<std::pair<Kind, Bytes>> arm_wires() {
    const auto& info = ProtocolInfo::get();
    std::vector<std::pair<Kind, Bytes>> out;
    for (const auto& arm : info.all_arms()) {
        Bytes wire(arm.payload_size, 0);
        put_word(wire, info.payload_prefix_size(arm.direction), static_cast<std::uint32_t>(arm.value));
        out.emplace_back(payload_kind(arm.direction), wire);
        put_word(wire, 0, 7);
        out.emplace_back(payload_kind(arm.direction), wire);
    }
    return out;
}

// A planned root (a union after fixed-size fields, decode_plan.h) whose
// arm has nested structs and leaves that hold an object, an array or null
// depending on the wire; A and C share that arm.
const char* const planned_x = R"(
enum kind { A = 1, B = 2, C = 3 };
struct inner { int v; };
struct body_a { int x; inner in; inner *maybe; int list<3>; };
union body switch (kind type) {
    case A:
    case C:
        body_a a;
    case B:
        void;
};
struct msg { unsigned int serial; body data; };
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(decode_into)

// Every arm of both directions, bare and framed, one after another into
// one Json: each arm is decoded into a Json holding another arm (often of
// the other direction), then into the same arm with a leaf changed.
BOOST_AUTO_TEST_CASE(matches_decode_on_every_arm_in_one_json) {
    const auto wires = arm_wires();
    for (const bool framed : {false, true}) {
        Json out;
        for (int pass = 0; pass < 2; ++pass)
            for (std::size_t i = 0; i < wires.size(); ++i) {
                // The second pass goes backwards, so each arm follows other ones.
                const auto& [payload, wire] = wires[pass == 0 ? i : wires.size() - 1 - i];
                const Kind kind = framed ? message_kind(*direction_of(payload)) : payload;
                const Bytes input = framed ? words({0x20001A64, static_cast<std::uint32_t>(8 + wire.size())}) + wire
                                           : wire;
                BOOST_TEST_CONTEXT(to_string(kind) << " wire " << i << " pass " << pass) {
                    decode_into_matches(kind, input, out);
                }
            }
    }
    Json out = domain_create_reply();
    decode_into_matches(Kind::header, words({0x20001A64, 16}), out);
    BOOST_TEST(out == (Json{{"magic", 0x20001A64}, {"length", 16}}));
}

// Errors, each decoded into a Json that holds the same arm (so the in-place
// path starts and has to give up), then the valid wire again.
BOOST_AUTO_TEST_CASE(errors_are_decode_errors_and_the_json_stays_usable) {
    Bytes non_canonical = domain_create_reply_wire;
    put_word(non_canonical, 148, 0x00000141);  // name[17]
    const Bytes& full = domain_create_reply_wire;
    const std::vector<std::pair<Kind, Bytes>> bad = {
        {Kind::server, non_canonical},
        {Kind::server, Bytes(full.begin(), full.end() - 1)},
        {Kind::server, Bytes(full.begin(), full.begin() + 10)},
        {Kind::server, full + Bytes{0}},
        {Kind::server, Bytes{}},
        {Kind::client, words({1, 1000})},
        {Kind::client, words({7, 0, 0})},
        {Kind::client_message, words({0x20001A64, 8, 1, 38})},
        {Kind::client_message, words({0x20001A64, 12, 7, 0, 0})},
        {Kind::server_message, words({0x20001A64, 8 + 280}) + non_canonical},
        {Kind::header, words({1, 16})},
    };
    Json out;
    for (std::size_t i = 0; i < bad.size(); ++i) {
        BOOST_TEST_CONTEXT("bad wire " << i) {
            decode_into_matches(Kind::server, domain_create_reply_wire, out);
            BOOST_TEST(out == domain_create_reply());
            decode_into_matches(bad[i].first, bad[i].second, out);
            BOOST_TEST(codec().decode_into(bad[i].first, bad[i].second, out).failed());
            decode_into_matches(Kind::server, domain_create_reply_wire, out);
            BOOST_TEST(out == domain_create_reply());
        }
    }
}

// The walker's own decode_into on a planned root whose leaves change kind
// (an absent or present struct, arrays of different lengths), whose arm
// is shared by two discriminant values, and into Jsons a caller edited.
BOOST_AUTO_TEST_CASE(reuses_only_what_has_the_arm_shape) {
    auto parsed = xdr::parse_specification(planned_x, "planned.x");
    BOOST_REQUIRE(std::holds_alternative<xdr::Specification>(parsed));
    const dynamic::Walker walker(std::get<xdr::Specification>(parsed));
    const auto root = walker.root("msg");
    BOOST_REQUIRE(root.plan);
    const Json a_present = {
        {"serial", 5},
        {"data", {{"type", "A"}, {"a", {{"x", -1}, {"in", {{"v", 2}}}, {"maybe", {{"v", 3}}}, {"list", {4, 5}}}}}}};
    const Bytes a_present_wire = words({5, 1, 0xFFFFFFFF, 2, 1, 3, 2, 4, 5});
    Json c_absent = a_present;
    c_absent["data"]["type"] = "C";
    c_absent["data"]["a"]["maybe"] = nullptr;
    c_absent["data"]["a"]["list"] = Json::array();
    const Bytes c_absent_wire = words({5, 3, 0xFFFFFFFF, 2, 0, 0});
    const Json b = {{"serial", 6}, {"data", {{"type", "B"}}}};
    const Bytes b_wire = words({6, 2});
    BOOST_REQUIRE(walker.decode(root, a_present_wire).value() == a_present);
    BOOST_REQUIRE(walker.decode(root, c_absent_wire).value() == c_absent);

    auto into = [&](const Bytes& wire, Json& out) {
        const auto outcome = walker.decode_into(root, wire, out);
        BOOST_REQUIRE_MESSAGE(outcome.ok(), (outcome.failed() ? outcome.error().to_string() : "unsupported"));
    };
    Json out;
    for (const Bytes* wire : {&a_present_wire, &c_absent_wire, &a_present_wire, &b_wire, &c_absent_wire,
                              &c_absent_wire, &a_present_wire, &a_present_wire}) {
        into(*wire, out);
        BOOST_TEST(out == walker.decode(root, *wire).value());
    }

    // Jsons of the arm's type a caller edited: a member added, removed or
    // renamed, a nested object replaced by a number, a leaf by an object.
    const std::vector<std::function<void(Json&)>> edits = {
        [](Json& v) { v["data"]["a"]["extra"] = 1; },
        [](Json& v) { v["data"]["a"].erase("x"); },
        [](Json& v) { v["data"].erase("a"); v["data"]["b"] = Json::object(); },
        [](Json& v) { v["data"]["a"]["in"] = 1; },
        [](Json& v) { v["serial"] = {{"v", 1}, {"w", 2}}; },
        [](Json& v) { v["data"]["type"] = 1; },
        [](Json& v) { v = Json::array({1, 2}); },
    };
    for (std::size_t i = 0; i < edits.size(); ++i) {
        BOOST_TEST_CONTEXT("edit " << i) {
            into(a_present_wire, out);
            edits[i](out);
            into(a_present_wire, out);
            BOOST_TEST(out == a_present);
        }
    }

    // An error after the discriminant, while out holds the arm.
    into(a_present_wire, out);
    const Bytes short_wire(a_present_wire.begin(), a_present_wire.end() - 2);
    const auto e = walker.decode_into(root, short_wire, out);
    BOOST_REQUIRE(e.failed());
    check_same_error(e.error(), walker.decode(root, short_wire).error());
    check_flag(e.error(), "data.a.list", 28, policy::name(policy::Flag::truncated));
    into(c_absent_wire, out);
    BOOST_TEST(out == c_absent);
}

BOOST_AUTO_TEST_SUITE_END()
