// SPDX-License-Identifier: Apache-2.0
// cxx_runtime_test.cpp: the "cxx" implementation (reference/codecs/cxx/)
// and its strict runtime (reference/runtime/wire_codec.h): exact bytes,
// every policy rule a strict decoder enforces (docs/POLICY.md), error
// paths and offsets, and the JSON value model through the Codec interface.
#define BOOST_TEST_MODULE cxx_runtime
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "codecs/cxx/cxx_codec.h"
#include "codecs/registry.h"
#include "policy/policy.h"
#include "protocol_info/protocol_info.h"
#include "protocol_model.gen.h"

using namespace qemud;

namespace {

// words turns XDR words into wire bytes (big-endian).
Bytes words(std::initializer_list<std::uint32_t> list) {
    Bytes out;
    for (const std::uint32_t w : list)
        for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(w >> shift));
    return out;
}

void put_word(Bytes& bytes, std::size_t offset, std::uint32_t w) {
    for (int i = 0; i < 4; ++i) bytes.at(offset + i) = static_cast<std::uint8_t>(w >> (24 - 8 * i));
}

Bytes concat(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::string hex(const Bytes& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (const auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

// why describes a result for a test message (evaluated whether or not the
// check fails, so it must not assume failure).
std::string why(const std::optional<CodecError>& error) { return error ? error->to_string() : "ok"; }
template <class T>
std::string why(const Outcome<T>& out) {
    return out.failed() ? out.error().to_string() : out.ok() ? "ok" : "unsupported";
}

const Codec& codec() {
    static const std::unique_ptr<Codec> instance = make_cxx_codec();
    return *instance;
}

// check_exact: value encodes to exactly `expected` and `expected` decodes
// back to value, through the Codec interface.
void check_exact(Kind kind, const Json& value, const Bytes& expected) {
    const auto wire = codec().encode(kind, value);
    BOOST_REQUIRE_MESSAGE(wire.ok(), why(wire));
    BOOST_TEST(hex(wire.value()) == hex(expected));
    const auto back = codec().decode(kind, expected);
    BOOST_REQUIRE_MESSAGE(back.ok(), why(back));
    BOOST_TEST(back.value() == value);
}

// ---------------------------------------------------------------------------
// Server DOMAIN_CREATE reply: serial 4 + inReplyTo 4 + discriminant 4 + id 4
// + uuid 16 x 4 + name 50 x 4 = 280 bytes (docs/WIRE.md).
constexpr std::size_t uuid_at = 16;  // payload offset of uuid[0]
constexpr std::size_t name_at = 80;  // payload offset of name[0]

const Bytes& domain_create_reply_wire() {
    static const Bytes wire = words({
    0x00000007,  // serial
    0x00000006,  // inReplyTo
    0x00000005,  // data.type = QEMUD_SERVER_PKT_DOMAIN_CREATE
    0x0000002A,  // data.domainCreateReply.id = 42
    0x0000004B,  // data.domainCreateReply.uuid[0]
    0x0000003F,  // data.domainCreateReply.uuid[1]
    0x0000009A,  // data.domainCreateReply.uuid[2] (unsigned char: zero-extended)
    0x0000001C,  // data.domainCreateReply.uuid[3]
    0x0000002D,  // data.domainCreateReply.uuid[4]
    0x0000005E,  // data.domainCreateReply.uuid[5]
    0x0000004F,  // data.domainCreateReply.uuid[6]
    0x00000060,  // data.domainCreateReply.uuid[7]
    0x0000008A,  // data.domainCreateReply.uuid[8] (unsigned char: zero-extended)
    0x0000007B,  // data.domainCreateReply.uuid[9]
    0x0000009C,  // data.domainCreateReply.uuid[10] (unsigned char: zero-extended)
    0x0000000D,  // data.domainCreateReply.uuid[11]
    0x0000001E,  // data.domainCreateReply.uuid[12]
    0x0000002F,  // data.domainCreateReply.uuid[13]
    0x0000003A,  // data.domainCreateReply.uuid[14]
    0x0000004B,  // data.domainCreateReply.uuid[15]
    0x00000063,  // data.domainCreateReply.name[0] = 'c'
    0x00000061,  // data.domainCreateReply.name[1] = 'a'
    0x00000066,  // data.domainCreateReply.name[2] = 'f'
    0xFFFFFFE9,  // data.domainCreateReply.name[3] = 0xE9 (char: sign-extended)
    0x0000002D,  // data.domainCreateReply.name[4] = '-'
    0x00000076,  // data.domainCreateReply.name[5] = 'v'
    0x0000006D,  // data.domainCreateReply.name[6] = 'm'
    0x00000000,  // data.domainCreateReply.name[7]
    0x00000000,  // data.domainCreateReply.name[8]
    0x00000000,  // data.domainCreateReply.name[9]
    0x00000000,  // data.domainCreateReply.name[10]
    0x00000000,  // data.domainCreateReply.name[11]
    0x00000000,  // data.domainCreateReply.name[12]
    0x00000000,  // data.domainCreateReply.name[13]
    0x00000000,  // data.domainCreateReply.name[14]
    0x00000000,  // data.domainCreateReply.name[15]
    0x00000000,  // data.domainCreateReply.name[16]
    0x00000000,  // data.domainCreateReply.name[17]
    0x00000000,  // data.domainCreateReply.name[18]
    0x00000000,  // data.domainCreateReply.name[19]
    0x00000000,  // data.domainCreateReply.name[20]
    0x00000000,  // data.domainCreateReply.name[21]
    0x00000000,  // data.domainCreateReply.name[22]
    0x00000000,  // data.domainCreateReply.name[23]
    0x00000000,  // data.domainCreateReply.name[24]
    0x00000000,  // data.domainCreateReply.name[25]
    0x00000000,  // data.domainCreateReply.name[26]
    0x00000000,  // data.domainCreateReply.name[27]
    0x00000000,  // data.domainCreateReply.name[28]
    0x00000000,  // data.domainCreateReply.name[29]
    0x00000000,  // data.domainCreateReply.name[30]
    0x00000000,  // data.domainCreateReply.name[31]
    0x00000000,  // data.domainCreateReply.name[32]
    0x00000000,  // data.domainCreateReply.name[33]
    0x00000000,  // data.domainCreateReply.name[34]
    0x00000000,  // data.domainCreateReply.name[35]
    0x00000000,  // data.domainCreateReply.name[36]
    0x00000000,  // data.domainCreateReply.name[37]
    0x00000000,  // data.domainCreateReply.name[38]
    0x00000000,  // data.domainCreateReply.name[39]
    0x00000000,  // data.domainCreateReply.name[40]
    0x00000000,  // data.domainCreateReply.name[41]
    0x00000000,  // data.domainCreateReply.name[42]
    0x00000000,  // data.domainCreateReply.name[43]
    0x00000000,  // data.domainCreateReply.name[44]
    0x00000000,  // data.domainCreateReply.name[45]
    0x00000000,  // data.domainCreateReply.name[46]
    0x00000000,  // data.domainCreateReply.name[47]
    0x00000000,  // data.domainCreateReply.name[48]
    0x00000000,  // data.domainCreateReply.name[49]
    });
    return wire;
}

model::qemud_packet_server domain_create_reply_model() {
    model::qemud_packet_server v;
    v.serial = 7;
    v.inReplyTo = 6;
    v.data.type = model::qemud_packet_server_data_type::QEMUD_SERVER_PKT_DOMAIN_CREATE;
    auto& reply = v.data.arm.emplace<model::qemud_packet_domain_create_reply>();
    reply.id = 42;
    const std::uint8_t uuid[16] = {0x4b, 0x3f, 0x9a, 0x1c, 0x2d, 0x5e, 0x4f, 0x60,
                                   0x8a, 0x7b, 0x9c, 0x0d, 0x1e, 0x2f, 0x3a, 0x4b};
    for (std::size_t i = 0; i < 16; ++i) reply.uuid[i] = uuid[i];
    const char name[] = "caf\xe9-vm";
    for (std::size_t i = 0; i + 1 < sizeof name; ++i) reply.name[i] = name[i];
    return v;
}

Json domain_create_reply_json() {
    std::string name_hex = "636166e92d766d";
    name_hex.resize(100, '0');
    return Json{{"serial", 7},
                {"inReplyTo", 6},
                {"data",
                 {{"type", "QEMUD_SERVER_PKT_DOMAIN_CREATE"},
                  {"domainCreateReply",
                   {{"id", 42}, {"uuid", "4b3f9a1c2d5e4f608a7b9c0d1e2f3a4b"}, {"name", name_hex}}}}}};
}

// expect_error checks a failed decode's flag, path and offset.
void expect_error(const std::optional<CodecError>& error, std::string_view flag, std::string_view path,
                  std::size_t offset) {
    BOOST_REQUIRE_MESSAGE(error.has_value(), "decode succeeded, expected " << flag << " at " << path);
    BOOST_TEST(error->flag == flag, error->to_string());
    BOOST_TEST(error->path == path, error->to_string());
    BOOST_TEST(error->offset.has_value());
    BOOST_TEST(error->offset.value_or(~std::size_t{0}) == offset, error->to_string());
}

template <class T>
std::optional<CodecError> decode_as(const Bytes& wire) {
    T out;
    return cxx::decode(wire, out);
}

}  // namespace

// ============================================================ exact bytes

BOOST_AUTO_TEST_SUITE(exact_bytes)

BOOST_AUTO_TEST_CASE(server_domain_create_reply) {
    BOOST_TEST(domain_create_reply_wire().size() == 280u);
    Bytes out;
    BOOST_REQUIRE(!cxx::encode(domain_create_reply_model(), out));
    BOOST_TEST(hex(out) == hex(domain_create_reply_wire()));

    model::qemud_packet_server back;
    const auto error = cxx::decode(domain_create_reply_wire(), back);
    BOOST_REQUIRE_MESSAGE(!error, why(error));
    BOOST_TEST((back == domain_create_reply_model()));
}

BOOST_AUTO_TEST_CASE(server_domain_create_reply_through_codec) {
    const auto wire = codec().encode(Kind::server, domain_create_reply_json());
    BOOST_REQUIRE_MESSAGE(wire.ok(), why(wire));
    BOOST_TEST(hex(wire.value()) == hex(domain_create_reply_wire()));
    const auto value = codec().decode(Kind::server, domain_create_reply_wire());
    BOOST_REQUIRE_MESSAGE(value.ok(), why(value));
    BOOST_TEST(value.value() == domain_create_reply_json(), value.value().dump());

    const Bytes message = concat(words({
                                     0x20001A64,  // header.magic
                                     0x00000118,  // header.length = 280
                                 }),
                                 domain_create_reply_wire());
    const auto framed = codec().encode(Kind::server_message, domain_create_reply_json());
    BOOST_REQUIRE_MESSAGE(framed.ok(), why(framed));
    BOOST_TEST(hex(framed.value()) == hex(message));
    const auto unframed = codec().decode(Kind::server_message, message);
    BOOST_REQUIRE_MESSAGE(unframed.ok(), why(unframed));
    BOOST_TEST(unframed.value() == domain_create_reply_json());
}

BOOST_AUTO_TEST_CASE(client_get_version) {
    const Bytes expected = words({
        0x00000007,  // serial
        0x00000000,  // data.type = QEMUD_CLIENT_PKT_GET_VERSION (void arm)
    });
    const Json value = Json::parse(R"({"serial":7,"data":{"type":"QEMUD_CLIENT_PKT_GET_VERSION"}})");
    check_exact(Kind::client, value, expected);
}

BOOST_AUTO_TEST_CASE(client_domain_suspend) {
    const Bytes expected = words({
        0x00000008,  // serial
        0x00000008,  // data.type = QEMUD_CLIENT_PKT_DOMAIN_SUSPEND
        0xFFFFFFFD,  // data.domainSuspendRequest.id = -3
    });
    const Json value = Json::parse(
        R"({"serial":8,"data":{"type":"QEMUD_CLIENT_PKT_DOMAIN_SUSPEND","domainSuspendRequest":{"id":-3}}})");
    check_exact(Kind::client, value, expected);
}

BOOST_AUTO_TEST_CASE(server_domain_get_info_uint64_high_word_first) {
    const Bytes expected = words({
        0x00000009,  // serial
        0x00000008,  // inReplyTo
        0x0000000C,  // data.type = QEMUD_SERVER_PKT_DOMAIN_GET_INFO
        0x00000001,  // data.domainGetInfoReply.cpuTime, high word
        0x00000002,  // data.domainGetInfoReply.cpuTime, low word
        0x00000001,  // data.domainGetInfoReply.runstate
        0x00100000,  // data.domainGetInfoReply.memory
        0x00200000,  // data.domainGetInfoReply.maxmem
        0x00000004,  // data.domainGetInfoReply.nrVirtCpu
    });
    const Json value = Json::parse(R"({"serial":9,"inReplyTo":8,"data":{"type":"QEMUD_SERVER_PKT_DOMAIN_GET_INFO",
        "domainGetInfoReply":{"cpuTime":"4294967298","runstate":1,"memory":1048576,"maxmem":2097152,"nrVirtCpu":4}}})");
    check_exact(Kind::server, value, expected);
}

BOOST_AUTO_TEST_CASE(header) {
    const Bytes expected = words({
        0x20001A64,  // magic = QEMUD_PKT_HEADER_MAGIC
        0x00000118,  // length = 280
    });
    Bytes out;
    BOOST_REQUIRE(!cxx::encode(model::qemud_packet_header{0x20001A64, 280}, out));
    BOOST_TEST(hex(out) == hex(expected));
    const auto back = codec().decode(Kind::header, expected);
    BOOST_REQUIRE(back.ok());
    BOOST_TEST(back.value() == Json::parse(R"({"magic":536877668,"length":280})"));
}

BOOST_AUTO_TEST_SUITE_END()

// ================================================================= policy

BOOST_AUTO_TEST_SUITE(policy)

BOOST_AUTO_TEST_CASE(zero_extended_char_accepted_and_reencoded_canonically) {
    Bytes wire = domain_create_reply_wire();
    put_word(wire, name_at + 4 * 3, 0x000000E9);  // name[3]: zero-extended 0xE9
    model::qemud_packet_server v;
    const auto error = cxx::decode(wire, v);
    BOOST_REQUIRE_MESSAGE(!error, why(error));
    const auto& reply = std::get<model::qemud_packet_domain_create_reply>(v.data.arm);
    BOOST_TEST(static_cast<std::uint8_t>(reply.name[3]) == 0xE9);
    Bytes out;
    BOOST_REQUIRE(!cxx::encode(v, out));
    BOOST_TEST(hex(out) == hex(domain_create_reply_wire()));  // FF FF FF E9 again

    const auto json = codec().decode(Kind::server, wire);
    BOOST_REQUIRE(json.ok());
    BOOST_TEST(json.value() == domain_create_reply_json());
}

BOOST_AUTO_TEST_CASE(char_00000141_rejected) {
    Bytes wire = domain_create_reply_wire();
    put_word(wire, name_at + 4 * 17, 0x00000141);
    const auto error = decode_as<model::qemud_packet_server>(wire);
    expect_error(error, "non_canonical_char", "data.domainCreateReply.name[17]", name_at + 4 * 17);
    BOOST_TEST(error->message == "char element 0x00000141 is not a sign- or zero-extended byte");

    // Through the Codec interface, payload and framed (offset past the header).
    const auto payload = codec().decode(Kind::server, wire);
    BOOST_REQUIRE(payload.failed());
    BOOST_TEST(payload.error().to_string() ==
               "data.domainCreateReply.name[17] at 0x94: char element 0x00000141 is not a sign- or zero-extended byte");
    const auto framed = codec().decode(Kind::server_message, concat(words({0x20001A64, 280}), wire));
    BOOST_REQUIRE(framed.failed());
    BOOST_TEST(framed.error().flag == "non_canonical_char");
    BOOST_TEST(framed.error().offset.value_or(0) == 8 + name_at + 4 * 17);
}

BOOST_AUTO_TEST_CASE(char_FFFFFF41_rejected) {
    Bytes wire = domain_create_reply_wire();
    put_word(wire, name_at, 0xFFFFFF41);
    expect_error(decode_as<model::qemud_packet_server>(wire), "non_canonical_char", "data.domainCreateReply.name[0]",
                 name_at);
}

BOOST_AUTO_TEST_CASE(char_other_words_rejected) {
    // Every shape that is neither sign- nor zero-extended, at the last element.
    for (const std::uint32_t word : {0x00000100u, 0x0000017Fu, 0xFFFFFF7Fu, 0xFFFFFE80u, 0x80000000u, 0x7FFFFFFFu,
                                     0xFFFF00E9u, 0x010000E9u}) {
        BOOST_TEST_CONTEXT("word " << std::hex << word) {
            Bytes wire = domain_create_reply_wire();
            put_word(wire, name_at + 4 * 49, word);
            expect_error(decode_as<model::qemud_packet_server>(wire), "non_canonical_char",
                         "data.domainCreateReply.name[49]", name_at + 4 * 49);
        }
    }
    // Every canonical and zero-extended word is accepted.
    for (std::uint32_t byte = 0; byte < 256; ++byte) {
        for (const std::uint32_t word : {::qemud::policy::canonical_char_word(static_cast<std::uint8_t>(byte)), byte}) {
            Bytes wire = domain_create_reply_wire();
            put_word(wire, name_at + 4 * 49, word);
            model::qemud_packet_server v;
            BOOST_TEST(!cxx::decode(wire, v), "word " << std::hex << word);
            BOOST_TEST(static_cast<std::uint8_t>(
                           std::get<model::qemud_packet_domain_create_reply>(v.data.arm).name[49]) == byte);
        }
    }
}

// The 20016-byte server payload: 5000 char elements, decoded in blocks and
// a tail (wire_codec.h). Every byte value, canonical and zero-extended, at
// block and tail positions; a bad word anywhere is found at its index.
BOOST_AUTO_TEST_CASE(large_char_array_blocks_and_tail) {
    constexpr std::size_t domains_at = 16;
    Bytes wire = words({
        0x00000001,  // serial
        0x00000000,  // inReplyTo
        0x00000010,  // data.type = QEMUD_SERVER_PKT_LIST_DEFINED_DOMAINS
        0x00000064,  // data.listDefinedDomainsReply.numDomains
    });
    wire.resize(20016, 0);
    for (std::size_t i = 0; i < 5000; ++i) {
        const auto byte = static_cast<std::uint8_t>(i * 7);
        const bool zero_extended = (i / 256) % 2 == 1;
        put_word(wire, domains_at + 4 * i, zero_extended ? byte : ::qemud::policy::canonical_char_word(byte));
    }
    model::qemud_packet_server v;
    const auto error = cxx::decode(wire, v);
    BOOST_REQUIRE_MESSAGE(!error, why(error));
    const auto& reply = std::get<model::qemud_packet_list_defined_domains_reply>(v.data.arm);
    BOOST_TEST(reply.numDomains == 100u);
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < 5000; ++i)
        wrong += static_cast<std::uint8_t>(reply.domains[i]) != static_cast<std::uint8_t>(i * 7);
    BOOST_TEST(wrong == 0u);

    for (const std::size_t at : {0u, 7u, 15u, 16u, 2047u, 4991u, 4992u, 4999u}) {
        for (const std::uint32_t word : {0x00000141u, 0xFFFFFF41u, 0xFF0000E9u}) {
            BOOST_TEST_CONTEXT("element " << at << " word " << std::hex << word) {
                Bytes bad = wire;
                put_word(bad, domains_at + 4 * at, word);
                expect_error(decode_as<model::qemud_packet_server>(bad), "non_canonical_char",
                             "data.listDefinedDomainsReply.domains[" + std::to_string(at) + "]", domains_at + 4 * at);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(first_bad_char_element_is_reported) {
    Bytes wire = domain_create_reply_wire();
    put_word(wire, name_at + 4 * 30, 0x00000141);
    put_word(wire, name_at + 4 * 9, 0xFFFFFF41);
    put_word(wire, name_at + 4 * 40, 0x00000241);
    expect_error(decode_as<model::qemud_packet_server>(wire), "non_canonical_char", "data.domainCreateReply.name[9]",
                 name_at + 4 * 9);
}

BOOST_AUTO_TEST_CASE(uchar_000001E9_rejected) {
    Bytes wire = domain_create_reply_wire();
    put_word(wire, uuid_at + 4 * 5, 0x000001E9);
    const auto error = decode_as<model::qemud_packet_server>(wire);
    expect_error(error, "non_canonical_uchar", "data.domainCreateReply.uuid[5]", uuid_at + 4 * 5);
    BOOST_TEST(error->message == "unsigned char element 0x000001E9 is not a zero-extended byte");
}

BOOST_AUTO_TEST_CASE(uchar_sign_extended_rejected) {
    // Sign extension is canonical for char only.
    Bytes wire = domain_create_reply_wire();
    put_word(wire, uuid_at + 4 * 15, 0xFFFFFFE9);
    expect_error(decode_as<model::qemud_packet_server>(wire), "non_canonical_uchar",
                 "data.domainCreateReply.uuid[15]", uuid_at + 4 * 15);
}

BOOST_AUTO_TEST_CASE(unknown_discriminant_client) {
    for (const std::uint32_t type : {38u, 0xFFFFFFFFu, 0x80000000u, 1000u}) {
        BOOST_TEST_CONTEXT("discriminant " << type) {
            const Bytes wire = words({
                0x00000001,  // serial
                type,        // data.type
            });
            const auto error = decode_as<model::qemud_packet_client>(wire);
            expect_error(error, "unknown_discriminant", "data.type", 4);
            const auto out = codec().decode(Kind::client, wire);
            BOOST_REQUIRE(out.failed());
            BOOST_TEST(out.error().flag == "unknown_discriminant");
        }
    }
    const auto error = decode_as<model::qemud_packet_client>(words({1, 38}));
    BOOST_REQUIRE(error);
    BOOST_TEST(error->message.find("QEMUD_CLIENT_PKT_MAX") != std::string::npos, error->message);
    BOOST_TEST(decode_as<model::qemud_packet_client>(words({1, 0xFFFFFFFF}))->message.find("-1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_discriminant_server) {
    for (const std::uint32_t type : {39u, 0xFFFFFFFFu}) {
        BOOST_TEST_CONTEXT("discriminant " << type) {
            // Followed by enough bytes for any arm: the discriminant alone decides.
            Bytes wire = words({
                0x00000001,  // serial
                0x00000000,  // inReplyTo
                type,        // data.type
            });
            wire.resize(ProtocolInfo::get().max_payload(Direction::server), 0);
            expect_error(decode_as<model::qemud_packet_server>(wire), "unknown_discriminant", "data.type", 8);
        }
    }
}

BOOST_AUTO_TEST_CASE(truncated_at_every_length) {
    const Bytes& full = domain_create_reply_wire();
    for (std::size_t size = 0; size < full.size(); ++size) {
        BOOST_TEST_CONTEXT("payload cut to " << size << " bytes") {
            const Bytes wire(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(size));
            const auto error = decode_as<model::qemud_packet_server>(wire);
            BOOST_REQUIRE(error);
            BOOST_TEST(error->flag == "truncated");
            // Every field of this arm is word-sized: the missing one starts
            // at the last word boundary.
            BOOST_TEST(error->offset.value_or(0) == size / 4 * 4);
        }
    }
}

BOOST_AUTO_TEST_CASE(truncated_paths) {
    const Bytes& full = domain_create_reply_wire();
    const auto cut = [&](std::size_t size) {
        const Bytes wire(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(size));
        return decode_as<model::qemud_packet_server>(wire);
    };
    expect_error(cut(0), "truncated", "serial", 0);
    expect_error(cut(6), "truncated", "inReplyTo", 4);
    expect_error(cut(10), "truncated", "data.type", 8);
    expect_error(cut(12), "truncated", "data.domainCreateReply.id", 12);
    expect_error(cut(16), "truncated", "data.domainCreateReply.uuid[0]", 16);
    expect_error(cut(21), "truncated", "data.domainCreateReply.uuid[1]", 20);
    expect_error(cut(80), "truncated", "data.domainCreateReply.name[0]", 80);
    expect_error(cut(279), "truncated", "data.domainCreateReply.name[49]", 276);

    // uint64: the field starts at 12 even when its first word is there.
    const Bytes get_info = words({9, 8, 12, 1});
    expect_error(decode_as<model::qemud_packet_server>(get_info), "truncated", "data.domainGetInfoReply.cpuTime", 12);

    // A bad element before the cut is what is reported.
    Bytes bad = full;
    put_word(bad, name_at + 4 * 2, 0x00000141);
    bad.resize(name_at + 4 * 10);
    expect_error(decode_as<model::qemud_packet_server>(bad), "non_canonical_char", "data.domainCreateReply.name[2]",
                 name_at + 8);

    // Header struct.
    expect_error(decode_as<model::qemud_packet_header>(words({0x20001A64})), "truncated", "length", 4);
}

BOOST_AUTO_TEST_CASE(trailing_bytes) {
    for (const std::size_t extra : {1u, 3u, 4u, 100u}) {
        BOOST_TEST_CONTEXT(extra << " extra bytes") {
            Bytes wire = domain_create_reply_wire();
            wire.resize(wire.size() + extra, 0);
            expect_error(decode_as<model::qemud_packet_server>(wire), "trailing_bytes", "", 280);
        }
    }
    expect_error(decode_as<model::qemud_packet_client>(words({7, 0, 0})), "trailing_bytes", "", 8);
    const auto out = codec().decode(Kind::client, words({7, 0, 0}));
    BOOST_REQUIRE(out.failed());
    BOOST_TEST(out.error().flag == "trailing_bytes");
    // Framed: bytes after 8 + length.
    const auto framed = codec().decode(Kind::client_message, words({0x20001A64, 8, 7, 0, 0}));
    BOOST_REQUIRE(framed.failed());
    BOOST_TEST(framed.error().flag == "trailing_bytes");
    BOOST_TEST(framed.error().offset.value_or(0) == 16u);
}

BOOST_AUTO_TEST_CASE(framed_length_4GiB_rejected_without_reading) {
    for (const Kind kind : {Kind::client_message, Kind::server_message}) {
        const Bytes header = words({
            0x20001A64,  // magic
            0xFFFFFFFF,  // length: 4 GiB - 1
        });
        const auto out = make_cxx_codec()->decode(kind, header);
        BOOST_REQUIRE(out.failed());
        BOOST_TEST(out.error().flag == "length_too_large", out.error().to_string());
        BOOST_TEST(out.error().offset.value_or(0) == 4u);
    }
}

BOOST_AUTO_TEST_CASE(framed_length_mismatch) {
    // A DOMAIN_SUSPEND request is 12 bytes; length says 16 and 16 are there.
    const auto out = codec().decode(Kind::client_message, words({0x20001A64, 16, 1, 8, 3, 0}));
    BOOST_REQUIRE(out.failed());
    BOOST_TEST(out.error().flag == "length_mismatch", out.error().to_string());
}

BOOST_AUTO_TEST_SUITE_END()

// ================================================================= encode

BOOST_AUTO_TEST_SUITE(encode)

BOOST_AUTO_TEST_CASE(arm_does_not_match_discriminant) {
    model::qemud_packet_server v = domain_create_reply_model();
    v.data.arm = std::monostate{};
    Bytes out{1, 2, 3};
    auto error = cxx::encode(v, out);
    BOOST_REQUIRE(error);
    BOOST_TEST(error->flag == "value");
    BOOST_TEST(error->path == "data.type");
    BOOST_TEST(!error->offset.has_value());
    BOOST_TEST(error->message.find("domainCreateReply") != std::string::npos, error->message);
    BOOST_TEST(out.empty());

    model::qemud_packet_client c;
    c.data.type = model::qemud_packet_client_data_type::QEMUD_CLIENT_PKT_GET_VERSION;
    c.data.arm.emplace<model::qemud_packet_domain_create_request>();
    error = cxx::encode(c, out);
    BOOST_REQUIRE(error);
    BOOST_TEST(error->path == "data.type");
}

BOOST_AUTO_TEST_CASE(discriminant_without_arm) {
    model::qemud_packet_client c;
    c.data.type = model::qemud_packet_client_data_type::QEMUD_CLIENT_PKT_MAX;
    Bytes out;
    const auto error = cxx::encode(c, out);
    BOOST_REQUIRE(error);
    BOOST_TEST(error->path == "data.type");
    BOOST_TEST(error->message.find("has no arm") != std::string::npos, error->message);

    model::qemud_packet_server s;
    s.data.type = static_cast<model::qemud_packet_server_data_type>(-1);
    BOOST_TEST(cxx::encode(s, out).has_value());
}

BOOST_AUTO_TEST_CASE(canonical_bytes) {
    // char 0xE9 sign-extended, unsigned char 0xE9 zero-extended.
    model::qemud_packet_server v;
    v.data.type = model::qemud_packet_server_data_type::QEMUD_SERVER_PKT_DOMAIN_DEFINE;
    auto& reply = v.data.arm.emplace<model::qemud_packet_domain_define_reply>();
    reply.uuid[0] = 0xE9;
    reply.name[0] = static_cast<char>(0xE9);
    Bytes out;
    BOOST_REQUIRE(!cxx::encode(v, out));
    BOOST_TEST(hex(Bytes(out.begin() + 12, out.begin() + 16)) == "000000e9");  // uuid[0]
    BOOST_TEST(hex(Bytes(out.begin() + 76, out.begin() + 80)) == "ffffffe9");  // name[0]
}

BOOST_AUTO_TEST_CASE(json_that_does_not_fit_fails_cleanly) {
    for (const char* text : {R"({"serial":1,"data":{"type":"QEMUD_CLIENT_PKT_MAX"}})",
                             R"({"serial":1,"data":{"type":"QEMUD_CLIENT_PKT_DOMAIN_SUSPEND"}})",
                             R"({"serial":-1,"data":{"type":"QEMUD_CLIENT_PKT_GET_VERSION"}})",
                             R"({"serial":1})", R"([1,2,3])", R"(null)"}) {
        BOOST_TEST_CONTEXT(text) {
            const auto out = codec().encode(Kind::client, Json::parse(text));
            BOOST_TEST(out.failed());
            if (out.failed()) BOOST_TEST(out.error().flag == "value");
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

// ========================================================== json and arms

BOOST_AUTO_TEST_SUITE(round_trip)

BOOST_AUTO_TEST_CASE(json_through_codec_every_kind) {
    const Json values[] = {
        Json::parse(R"({"serial":7,"data":{"type":"QEMUD_CLIENT_PKT_GET_VERSION"}})"),
        Json::parse(R"({"serial":8,"data":{"type":"QEMUD_CLIENT_PKT_DOMAIN_SUSPEND",
                        "domainSuspendRequest":{"id":3}}})"),
        Json::parse(R"({"serial":9,"inReplyTo":8,"data":{"type":"QEMUD_SERVER_PKT_GET_VERSION",
                        "getVersionReply":{"versionNum":2000}}})"),
        domain_create_reply_json(),
    };
    for (const Json& value : values) {
        const bool server = value.contains("inReplyTo");
        const Direction direction = server ? Direction::server : Direction::client;
        for (const Kind kind : {payload_kind(direction), message_kind(direction)}) {
            BOOST_TEST_CONTEXT(to_string(kind) << " " << value.dump()) {
                const auto wire = codec().encode(kind, value);
                BOOST_REQUIRE_MESSAGE(wire.ok(), why(wire));
                const auto back = codec().decode(kind, wire.value());
                BOOST_REQUIRE_MESSAGE(back.ok(), why(back));
                BOOST_TEST(back.value() == value);
            }
        }
    }
}

// Every arm protocol.x declares: a zero payload of the arm's size decodes,
// re-encodes to the same bytes, and one word more or less is rejected.
BOOST_AUTO_TEST_CASE(every_arm_zero_payload) {
    const auto& info = ProtocolInfo::get();
    for (const ArmInfo& arm : info.all_arms()) {
        BOOST_TEST_CONTEXT(arm.name) {
            Bytes wire(arm.payload_size, 0);
            put_word(wire, info.payload_prefix_size(arm.direction), static_cast<std::uint32_t>(arm.value));
            const Kind kind = payload_kind(arm.direction);
            const auto value = codec().decode(kind, wire);
            BOOST_REQUIRE_MESSAGE(value.ok(), why(value));
            BOOST_TEST(value.value()["data"]["type"] == arm.name);
            const auto again = codec().encode(kind, value.value());
            BOOST_REQUIRE(again.ok());
            BOOST_TEST((again.value() == wire));

            Bytes longer = wire;
            longer.resize(wire.size() + 4, 0);
            const auto extra = codec().decode(kind, longer);
            BOOST_TEST((extra.failed() && extra.error().flag == "trailing_bytes"));
            if (!arm.member.empty()) {
                const Bytes shorter(wire.begin(), wire.end() - 4);
                const auto cut = codec().decode(kind, shorter);
                BOOST_TEST((cut.failed() && cut.error().flag == "truncated"));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(decode_reuses_the_output_object) {
    model::qemud_packet_server v;
    BOOST_REQUIRE(!cxx::decode(domain_create_reply_wire(), v));
    BOOST_REQUIRE(!cxx::decode(domain_create_reply_wire(), v));
    BOOST_TEST((v == domain_create_reply_model()));
    BOOST_REQUIRE(!cxx::decode(words({9, 8, 12, 0, 5, 1, 2, 3, 4}), v));  // another arm
    BOOST_TEST(std::get<model::qemud_packet_domain_get_info_reply>(v.data.arm).cpuTime == 5u);
    BOOST_REQUIRE(!cxx::decode(domain_create_reply_wire(), v));
    BOOST_TEST((v == domain_create_reply_model()));
}

BOOST_AUTO_TEST_CASE(codec_identity) {
    BOOST_TEST(codec().name() == "cxx");
    BOOST_TEST(codec().strict());
}

BOOST_AUTO_TEST_SUITE_END()
