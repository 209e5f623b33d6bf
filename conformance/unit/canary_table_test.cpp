// SPDX-License-Identifier: Apache-2.0
// canary_table_test.cpp: every canary of the table (reference/canary/) is
// live: switched on, the canary build's cxx codec answers one chosen input
// differently from its answer with no canary on, which is the product's
// (the same sources without QEMUD_CANARY_BUILD). The memory canaries leave
// the answer alone in a plain build; their probe reads the canary's own
// observations (bytes read past the input, bytes claimed from a length).
// The table rows themselves are checked too: unique names, and one probe
// per row, so a new canary cannot be added untested.
#define BOOST_TEST_MODULE canary_table
#include <boost/test/unit_test.hpp>

#include <functional>
#include <map>
#include <set>
#include <string>

#include "canary/canary.h"
#include "codecs/registry.h"
#include "codecs/value_model.h"
#include "protocol_info/protocol_info.h"
#include "sample_values.h"
#include "wire_edit.h"

using namespace qemud;
using canary::Id;

namespace {

const Codec& cxx() { return *find_codec("cxx"); }
const Codec& rpcgen() { return *find_codec("rpcgen"); }

// The sample value (all zeros) of a payload on the named arm.
Json payload(Direction d, std::string_view arm_name) {
    const ArmInfo* arm = ProtocolInfo::get().find_arm(d, arm_name);
    BOOST_REQUIRE(arm);
    return samples::payload_value(*arm, samples::Plan::zeros);
}

// wire_of encodes a value with rpcgen, the reference: probes start from
// its bytes, never from the codec under test.
Bytes wire_of(Kind kind, const Json& value) {
    auto out = rpcgen().encode(kind, value);
    BOOST_REQUIRE_MESSAGE(out.ok(), "rpcgen encode: " << (out.failed() ? out.error().to_string() : "unsupported"));
    return out.value();
}

Bytes words(std::initializer_list<std::uint32_t> ws) {
    Bytes out;
    for (const auto w : ws) testing::append_be32(out, w);
    return out;
}

void put_word(Bytes& b, std::size_t at, std::uint32_t w) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(w >> (24 - 8 * i));
}

template <class T>
std::string describe(const Outcome<T>& o) {
    std::string out;
    if (o.unsupported()) out = "unsupported";
    else if (o.failed()) out = "error [" + o.error().flag + "] " + o.error().to_string();
    else if constexpr (std::is_same_v<T, Json>) out = "ok " + o.value().dump();
    else out = "ok " + value_model::to_hex(o.value());
    const auto& seen = canary::observations();
    return out + " | read_past_end " + std::to_string(seen.read_past_end) + " claimed " +
           std::to_string(seen.claimed_bytes);
}

std::function<std::string()> decode(Kind kind, Bytes wire) {
    return [=] { return describe(cxx().decode(kind, wire)); };
}
std::function<std::string()> encode(Kind kind, Json value) {
    return [=] { return describe(cxx().encode(kind, value)); };
}

// Offsets in a client payload: serial, type, then the arm.
constexpr std::size_t client_arm = 8;

Json name_request(std::string_view first_byte_hex) {
    Json v = payload(Direction::client, "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME");
    std::string& name = v["data"]["domainLookupByNameRequest"]["name"].get_ref<std::string&>();
    name.replace(0, 2, first_byte_hex);
    return v;
}

Json uuid_request(std::string_view first_byte_hex) {
    Json v = payload(Direction::client, "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_UUID");
    std::string& uuid = v["data"]["domainLookupByUUIDRequest"]["uuid"].get_ref<std::string&>();
    uuid.replace(0, 2, first_byte_hex);
    return v;
}

Json with(Json v, const Json::json_pointer& at, Json x) {
    v[at] = std::move(x);
    return v;
}

Json without(Json v, const Json::json_pointer& parent, const std::string& key) {
    v[parent].erase(key);
    return v;
}

// probes: for each canary, the one observation it must change.
std::map<Id, std::function<std::string()>> probes() {
    using P = Json::json_pointer;
    const Json suspend = with(payload(Direction::client, "QEMUD_CLIENT_PKT_DOMAIN_SUSPEND"),
                              P("/data/domainSuspendRequest/id"), 5);
    const Json get_version = payload(Direction::client, "QEMUD_CLIENT_PKT_GET_VERSION");
    const Json info = payload(Direction::server, "QEMUD_SERVER_PKT_DOMAIN_GET_INFO");
    const Json failure = payload(Direction::server, "QEMUD_SERVER_PKT_FAILURE");
    const std::string name_hex = name_request("00")["data"]["domainLookupByNameRequest"]["name"];
    const std::uint32_t magic = 0x20001A64;

    const Bytes canonical_e9 = wire_of(Kind::client, name_request("e9"));  // name[0] = FFFFFFE9
    Bytes zero_ext_e9 = canonical_e9;
    put_word(zero_ext_e9, client_arm, 0x000000E9);
    Bytes char_0141 = canonical_e9;
    put_word(char_0141, client_arm, 0x00000141);
    Bytes uchar_0141 = wire_of(Kind::client, uuid_request("41"));
    put_word(uchar_0141, client_arm, 0x00000141);
    const Bytes suspend_wire = wire_of(Kind::client, suspend);
    Bytes int32_min = suspend_wire;
    put_word(int32_min, client_arm, 0x80000000);
    const Bytes version_wire = wire_of(Kind::client, get_version);
    Bytes version_extra = version_wire;
    testing::append_be32(version_extra, 0);

    Json info_value = info;
    info_value["data"]["domainGetInfoReply"]["memory"] = 1;
    info_value["data"]["domainGetInfoReply"]["maxmem"] = 2;
    Json server_serials = info_value;
    server_serials["serial"] = 1;
    server_serials["inReplyTo"] = 2;

    std::map<Id, std::function<std::string()>> p;
    p[Id::reject_canonical_char] = decode(Kind::client, canonical_e9);
    p[Id::reject_zero_ext_char] = decode(Kind::client, zero_ext_e9);
    p[Id::accept_noncanon_char] = decode(Kind::client, char_0141);
    p[Id::accept_noncanon_uchar] = decode(Kind::client, uchar_0141);
    p[Id::accept_pkt_max] = decode(Kind::client, words({1, 38}));
    p[Id::ignore_magic] = decode(Kind::header, words({0x12345678, 8}));
    p[Id::unaligned_header_length] = decode(Kind::header, words({magic, 13}));
    p[Id::length_not_compared] = decode(Kind::client_message, words({magic, 12, 1, 0, 0}));
    p[Id::truncated_zero_fill] = decode(Kind::client, Bytes(suspend_wire.begin(), suspend_wire.end() - 4));
    p[Id::message_trailing_bytes] = decode(Kind::client_message, words({magic, 8, 1, 0, 0}));
    p[Id::no_max_length] = decode(Kind::client_message, words({magic, 0xFFFFFFF0u, 1, 0}));
    p[Id::reject_int32_min] = decode(Kind::client, int32_min);
    p[Id::char_encode_zero_ext] = encode(Kind::client, name_request("e9"));
    p[Id::char_decode_sign] = decode(Kind::client, canonical_e9);
    p[Id::uchar_encode_sign_ext] = encode(Kind::client, uuid_request("e9"));
    p[Id::uint64_word_swap] = encode(Kind::server, with(info, P("/data/domainGetInfoReply/cpuTime"), "1"));
    p[Id::field_order_swap] = decode(Kind::server, wire_of(Kind::server, info_value));
    p[Id::arm_swap] = decode(Kind::client, suspend_wire);
    p[Id::array_one_short] = encode(Kind::client, name_request("41"));
    p[Id::failure_offset] = encode(Kind::server, failure);
    p[Id::serial_swap] = decode(Kind::server, wire_of(Kind::server, server_serials));
    p[Id::payload_trailing_bytes] = decode(Kind::client, version_extra);
    p[Id::json_missing_zero] = encode(Kind::client, without(suspend, P("/data/domainSuspendRequest"), "id"));
    p[Id::json_extra_ignored] = encode(Kind::client, with(suspend, P("/data/domainSuspendRequest/extra"), 1));
    p[Id::json_other_arm_member] = encode(Kind::client, with(suspend, P("/data/domainResumeRequest"), {{"id", 1}}));
    p[Id::json_void_arm_member] = encode(Kind::client, with(get_version, P("/data/domainSuspendRequest"), {{"id", 1}}));
    p[Id::json_unknown_type] = encode(Kind::client, with(get_version, P("/data/type"), "QEMUD_CLIENT_PKT_NOTHING"));
    p[Id::json_int32_wrap] = encode(Kind::client, with(suspend, P("/data/domainSuspendRequest/id"), 2147483648LL));
    p[Id::json_uint32_wrap] = encode(Kind::client, with(suspend, P("/serial"), -1));
    p[Id::json_number_trunc] = encode(Kind::client, with(suspend, P("/serial"), 1.5));
    p[Id::json_string_int] = encode(Kind::client, with(suspend, P("/serial"), "5"));
    p[Id::json_uint64_noncanon] = encode(Kind::server, with(info, P("/data/domainGetInfoReply/cpuTime"), "01"));
    p[Id::json_hex_short] = encode(Kind::client, with(name_request("00"), P("/data/domainLookupByNameRequest/name"),
                                                      name_hex.substr(2)));
    p[Id::json_hex_long] = encode(Kind::client, with(name_request("00"), P("/data/domainLookupByNameRequest/name"),
                                                     name_hex + "41"));
    p[Id::json_hex_bad] = encode(Kind::client, with(name_request("00"), P("/data/domainLookupByNameRequest/name"),
                                                    name_hex.substr(1)));
    p[Id::overread_payload_end] = decode(Kind::client, version_wire);
    p[Id::alloc_length_claim] = decode(Kind::client_message, words({magic, 0xFFFFFFF0u, 1, 0}));
    return p;
}

std::string observe(const std::function<std::string()>& probe, std::optional<Id> active) {
    canary::set_active(active);
    canary::observations() = {};
    std::string out = probe();
    canary::set_active(std::nullopt);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(names_are_unique_snake_case_and_described) {
    std::set<std::string_view> names;
    for (const auto& c : canary::table()) {
        BOOST_TEST(names.insert(c.name).second, "duplicate " << c.name);
        BOOST_TEST((canary::from_name(c.name) == c.id));
        BOOST_TEST(!c.breaks.empty());
        BOOST_TEST(!c.family_hint.empty());
        for (char ch : c.name) BOOST_TEST(((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'));
    }
    BOOST_TEST(canary::table().size() >= 24u);
}

// Every row in one case; each failure is reported in the context of its
// canary, so a report names the dead one.
BOOST_AUTO_TEST_CASE(every_canary_changes_the_cxx_codec) {
    const auto all = probes();
    for (const auto& c : canary::table()) {
        BOOST_TEST_CONTEXT("canary " << c.name) {
            const auto probe = all.find(c.id);
            BOOST_TEST_REQUIRE((probe != all.end()), "no probe for " << c.name);
            const std::string product = observe(probe->second, std::nullopt);
            const std::string planted = observe(probe->second, c.id);
            BOOST_TEST(product != planted, "no difference: " << product);
            BOOST_TEST_MESSAGE(c.name << "\n  off: " << product.substr(0, 200) << "\n  on:  " << planted.substr(0, 200));
        }
    }
}

// With no canary on, the canary build answers the probes as rpcgen does
// wherever both must (a valid wire decodes to the same value), so "off"
// really is the product's behaviour and not a broken baseline.
BOOST_AUTO_TEST_CASE(switched_off_the_canary_build_agrees_with_rpcgen_on_valid_wires) {
    canary::set_active(std::nullopt);
    for (const char* arm : {"QEMUD_CLIENT_PKT_DOMAIN_SUSPEND", "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME"}) {
        const Bytes wire = wire_of(Kind::client, payload(Direction::client, arm));
        const auto a = cxx().decode(Kind::client, wire);
        const auto b = rpcgen().decode(Kind::client, wire);
        BOOST_TEST_REQUIRE(a.ok());
        BOOST_TEST_REQUIRE(b.ok());
        BOOST_TEST(a.value() == b.value());
    }
}
