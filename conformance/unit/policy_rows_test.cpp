// SPDX-License-Identifier: Apache-2.0
// policy_rows_test.cpp: every row of the policy table against every
// implementation, as policy/<impl>/<flag>; the rows about framing once more
// per further framing profile, as policy/<impl>/<profile>/<flag>. What a row
// demands comes from policy::table(): must_reject rows must fail with the
// row's flag; acceptable rows must be rejected by strict implementations
// and, by libtirpc, accepted keeping the low 8 bits (its known leniency,
// asserted rather than ignored); must_accept rows must decode.
#include <functional>
#include <map>

#include "arm_layout.h"
#include "codecs/registry.h"
#include "codecs/value_model.h"
#include "dynamic_cases.h"
#include "framing/framing.h"
#include "policy/policy.h"
#include "sample_values.h"
#include "wire_edit.h"

using namespace qemud;
using namespace qemud::testing;
using policy::Flag;

namespace {

const ProtocolInfo& info() { return ProtocolInfo::get(); }

std::uint32_t max_discriminant(Direction d) {
    const auto& items = info().discriminant_enum(d).items;
    return static_cast<std::uint32_t>(items.back().value);  // ..._PKT_MAX, a count
}

void expect_reject(const Codec& codec, Kind kind, ByteView wire, Flag flag, std::optional<std::size_t> offset = {},
                   Framing framing = Framing::seed) {
    const auto out = codec.decode(kind, wire, framing);
    BOOST_TEST_REQUIRE(out.failed(), codec.name() << " accepted " << to_string(kind) << " " << hex(wire).substr(0, 80)
                                                  << "...; policy row " << policy::name(flag) << " says reject");
    BOOST_TEST(out.error().flag == std::string(policy::name(flag)), "error: " << describe(out));
    if (offset) BOOST_TEST(out.error().offset == offset, "error: " << describe(out));
}

void expect_refuse(const Codec& codec, const Json& header, Flag flag, Framing framing = Framing::seed) {
    const auto out = codec.encode(Kind::header, header, framing);
    BOOST_TEST_REQUIRE(out.failed(), codec.name() << " encoded header " << header.dump());
    BOOST_TEST(out.error().flag == std::string(policy::name(flag)), "error: " << describe(out));
}

// Each element-word case: an arm, a field that is a char or unsigned char
// array, and the boundary plan's encoding (every element byte >= 0x80).
struct ElementSite {
    ArmInfo arm;
    FieldLayout field;
};

std::vector<ElementSite> element_sites(bool want_signed) {
    std::vector<ElementSite> sites;
    for (const auto& arm : info().all_arms())
        for (const auto& field : arm_fields(arm))
            if (is_byte_array(field.declaration, want_signed)) sites.push_back({arm, field});
    return sites;
}

// element_word_case rewrites element 0 of each site to `word` and checks
// the row's rule; accepted_byte is what libtirpc must keep.
void element_word_case(const Codec& codec, bool want_signed, std::uint32_t word, Flag flag) {
    const auto rule = policy::row(flag).decoder;
    for (const auto& site : element_sites(want_signed)) {
        BOOST_TEST_CONTEXT(site.arm.name << "." << site.field.name << "[0] = " << std::hex << word) {
            const Json value = samples::payload_value(site.arm, samples::Plan::boundary);
            const Kind kind = payload_kind(site.arm.direction);
            const Bytes canonical = must_encode(reference_codec(), kind, value);
            Bytes wire = canonical;
            put_be32(wire, site.field.offset, word);
            const auto out = codec.decode(kind, wire);
            if (rule == policy::DecoderRule::must_accept || (rule == policy::DecoderRule::acceptable && !codec.strict())) {
                BOOST_TEST_REQUIRE(out.ok(), codec.name() << " rejected: " << describe(out));
                // The decoded byte is the word's low 8 bits (libtirpc's reading and the policy's).
                const auto byte = static_cast<std::uint8_t>(word);
                Json expected = value;
                expected["data"][site.arm.member][site.field.name].get_ref<std::string&>().replace(
                    0, 2, value_model::to_hex(&byte, 1));
                BOOST_TEST(out.value() == expected);
                // Re-encoding gives the canonical word of that byte.
                Bytes reencoded = must_encode(codec, kind, out.value());
                Bytes expected_wire = canonical;
                put_be32(expected_wire, site.field.offset,
                         want_signed ? policy::canonical_char_word(byte) : policy::canonical_uchar_word(byte));
                BOOST_TEST(reencoded == expected_wire);
            } else {
                BOOST_TEST_REQUIRE(out.failed(), codec.name() << " (strict) accepted a " << policy::name(flag)
                                                              << " element");
                BOOST_TEST(out.error().flag == std::string(policy::name(flag)));
                BOOST_TEST(out.error().offset == std::optional<std::size_t>(site.field.offset));
                BOOST_TEST(out.error().path.find(site.field.name + "[0]") != std::string::npos,
                           "path: " << out.error().path);
            }
        }
    }
}

// header_of writes a header of profile p holding the two words as given.
Bytes header_of(const FramingProfile& p, std::uint32_t constant, std::uint32_t length) {
    Bytes out(p.header_size());
    p.write({constant, length}, out.data());
    return out;
}

using RowTest = std::function<void(const Codec&)>;
using FramingRowTest = std::function<void(const Codec&, Framing)>;

// framing_row_tests: the rows about the header, for any framing profile.
// Expected words are written through the profile's own read/write, but the
// bounds are spelled out from the payload sizes, so a profile whose bounds
// drift fails here.
std::map<Flag, FramingRowTest> framing_row_tests() {
    std::map<Flag, FramingRowTest> tests;
    tests[Flag::bad_magic] = [](const Codec& codec, Framing f) {
        const FramingProfile& p = framing_profile(f);
        BOOST_TEST(p.constant() == 0x20001A64u);
        for (const std::uint32_t constant : {0u, 0x20001A65u, 0x641A0020u, 0xFFFFFFFFu}) {
            const Bytes header = header_of(p, constant, p.min_bare_length());
            expect_reject(codec, Kind::header, header, Flag::bad_magic, p.constant_offset(), f);
            expect_refuse(codec, p.to_json({constant, p.min_bare_length()}), Flag::bad_magic, f);
            for (const Direction d : all_directions) {
                Bytes message = header_of(p, constant, p.length_for(info().min_payload(d)));
                message.resize(8 + info().min_payload(d), 0);
                expect_reject(codec, message_kind(d), message, Flag::bad_magic, p.constant_offset(), f);
            }
        }
    };
    tests[Flag::bad_header_length] = [](const Codec& codec, Framing f) {
        const FramingProfile& p = framing_profile(f);
        const std::uint32_t bias = f == Framing::libvirt_0_3 ? 8 : 0;  // libvirt-0.3's length counts the header
        const std::uint32_t lo = p.min_bare_length();
        const std::uint32_t hi = p.max_bare_length();
        BOOST_TEST(lo == 8u + bias);
        BOOST_TEST(hi == 20016u + bias);
        for (const std::uint32_t length : {0u, 4u, lo - 1, lo - 4, lo + 2, hi - 1, hi + 4, 0xFFFFFFFCu, 0xFFFFFFFFu}) {
            BOOST_TEST_CONTEXT("length " << length) {
                expect_reject(codec, Kind::header, header_of(p, p.constant(), length), Flag::bad_header_length,
                              p.length_offset(), f);
                expect_refuse(codec, p.to_json({p.constant(), length}), Flag::bad_header_length, f);
            }
        }
        for (const std::uint32_t length : {lo, lo + 4, hi}) {  // the bounds themselves are valid
            const Bytes header = header_of(p, p.constant(), length);
            const auto decoded = codec.decode(Kind::header, header, f);
            BOOST_TEST_REQUIRE(decoded.ok(), describe(decoded));
            BOOST_TEST(decoded.value() == p.to_json({p.constant(), length}));
            const auto encoded = codec.encode(Kind::header, p.to_json({p.constant(), length}), f);
            BOOST_TEST_REQUIRE(encoded.ok(), describe(encoded));
            BOOST_TEST(encoded.value() == header);
        }
    };
    tests[Flag::length_mismatch] = [](const Codec& codec, Framing f) {
        for (const auto& arm : info().all_arms()) {
            BOOST_TEST_CONTEXT(arm.name) {
                const Json value = samples::payload_value(arm, samples::Plan::realistic);
                const Bytes payload = must_encode(reference_codec(), payload_kind(arm.direction), value);
                Bytes longer = payload;  // length one word too large, and that many bytes present
                longer.resize(longer.size() + 4, 0);
                // Past the direction's largest payload the header alone decides.
                const bool beyond = longer.size() > info().max_payload(arm.direction);
                expect_reject(codec, message_kind(arm.direction), frame(longer, f),
                              beyond ? Flag::length_too_large : Flag::length_mismatch, {}, f);
                if (payload.size() > info().min_payload(arm.direction)) {
                    Bytes shorter(payload.begin(), payload.end() - 4);  // one word too small
                    expect_reject(codec, message_kind(arm.direction), frame(shorter, f), Flag::length_mismatch, {}, f);
                }
            }
        }
        // A libvirt-0.3 length below its own header announces a negative payload.
        for (const Direction d : all_directions)
            for (const std::uint32_t length : {0u, 4u, 8u, 12u})
                if (length < framing_profile(f).min_length(d))
                    expect_reject(codec, message_kind(d), header_of(framing_profile(f), framing_profile(f).constant(), length),
                                  Flag::length_mismatch, framing_profile(f).length_offset(), f);
    };
    tests[Flag::truncated] = [](const Codec& codec, Framing f) {
        for (const auto& arm : info().all_arms()) {
            const Json value = samples::payload_value(arm, samples::Plan::boundary);
            const Bytes payload = must_encode(reference_codec(), payload_kind(arm.direction), value);
            for (const std::size_t cut : {std::size_t{0}, std::size_t{3}, payload.size() / 2, payload.size() - 4,
                                          payload.size() - 1}) {
                BOOST_TEST_CONTEXT(arm.name << " cut to " << cut) {
                    expect_reject(codec, payload_kind(arm.direction), ByteView(payload).first(cut), Flag::truncated);
                    const Bytes message = frame(payload, f);
                    expect_reject(codec, message_kind(arm.direction), ByteView(message).first(8 + cut),
                                  Flag::truncated, {}, f);
                }
            }
        }
        const FramingProfile& p = framing_profile(f);
        const Bytes header = header_of(p, p.constant(), p.min_bare_length());
        for (std::size_t cut = 0; cut < 8; ++cut)
            expect_reject(codec, Kind::header, ByteView(header).first(cut), Flag::truncated, cut, f);
    };
    tests[Flag::trailing_bytes] = [](const Codec& codec, Framing f) {
        for (const auto& arm : info().all_arms()) {
            BOOST_TEST_CONTEXT(arm.name) {
                const Json value = samples::payload_value(arm, samples::Plan::zeros);
                Bytes payload = must_encode(reference_codec(), payload_kind(arm.direction), value);
                Bytes message = frame(payload, f);
                const std::size_t size = payload.size();
                payload.push_back(0);
                expect_reject(codec, payload_kind(arm.direction), payload, Flag::trailing_bytes, size);
                message.insert(message.end(), {0, 0, 0, 0});
                expect_reject(codec, message_kind(arm.direction), message, Flag::trailing_bytes, size + 8, f);
            }
        }
        const FramingProfile& p = framing_profile(f);
        Bytes header = header_of(p, p.constant(), p.min_bare_length());
        header.push_back(0);
        expect_reject(codec, Kind::header, header, Flag::trailing_bytes, 8, f);
    };
    tests[Flag::length_too_large] = [](const Codec& codec, Framing f) {
        const FramingProfile& p = framing_profile(f);
        const std::uint32_t bias = f == Framing::libvirt_0_3 ? 8 : 0;
        for (const Direction d : all_directions) {
            BOOST_TEST(p.max_length(d) == info().max_payload(d) + bias);
            for (const std::uint32_t length : {p.max_length(d) + 4, 0x7FFFFFFCu, 0xFFFFFFFFu})
                // The 8 header bytes alone: nothing else is read.
                expect_reject(codec, message_kind(d), header_of(p, p.constant(), length), Flag::length_too_large,
                              p.length_offset(), f);
        }
    };
    return tests;
}

std::map<Flag, RowTest> row_tests() {
    std::map<Flag, RowTest> tests;
    tests[Flag::canonical] = [](const Codec& codec) {
        for (const auto& arm : info().all_arms())
            for (const auto plan : samples::all_plans) {
                const Json value = samples::payload_value(arm, plan);
                for (const Kind kind : {payload_kind(arm.direction), message_kind(arm.direction)}) {
                    const Bytes wire = must_encode(reference_codec(), kind, value);
                    BOOST_TEST(must_decode(codec, kind, wire) == value, arm.name);
                    BOOST_TEST(must_encode(codec, kind, value) == wire, arm.name);
                }
            }
    };
    tests[Flag::zero_extended_char] = [](const Codec& codec) {
        element_word_case(codec, true, 0x000000E9, Flag::zero_extended_char);
        element_word_case(codec, true, 0x00000080, Flag::zero_extended_char);
    };
    tests[Flag::non_canonical_char] = [](const Codec& codec) {
        element_word_case(codec, true, 0x00000141, Flag::non_canonical_char);
        element_word_case(codec, true, 0xFFFFFF41, Flag::non_canonical_char);
        element_word_case(codec, true, 0x8000007F, Flag::non_canonical_char);
    };
    tests[Flag::non_canonical_uchar] = [](const Codec& codec) {
        element_word_case(codec, false, 0x000001E9, Flag::non_canonical_uchar);
        element_word_case(codec, false, 0xFFFFFFE9, Flag::non_canonical_uchar);
    };
    tests[Flag::unknown_discriminant] = [](const Codec& codec) {
        for (const Direction d : all_directions) {
            const std::uint32_t max = max_discriminant(d);
            for (const std::uint32_t value : {max, max + 1, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
                BOOST_TEST_CONTEXT(to_string(d) << " discriminant " << value) {
                    Bytes wire(info().max_payload(d), 0);
                    put_be32(wire, info().payload_prefix_size(d), value);
                    expect_reject(codec, payload_kind(d), wire, Flag::unknown_discriminant,
                                  info().payload_prefix_size(d));
                    expect_reject(codec, message_kind(d), frame(wire), Flag::unknown_discriminant,
                                  info().payload_prefix_size(d) + 8);
                }
            }
        }
    };
    tests[Flag::unencodable_value] = [](const Codec& codec) {
        // Values that do not fit the value model are refused, naming the
        // member (flag "value"), in the payload and the message kinds alike.
        // The golden vectors hold one of each rule per arm; this is the row's
        // own check of a few of them on one arm.
        const auto* arm = info().find_arm(Direction::server, "QEMUD_SERVER_PKT_DOMAIN_GET_INFO");
        BOOST_REQUIRE(arm);
        const Json good = samples::payload_value(*arm, samples::Plan::realistic);
        const std::string body = "data." + arm->member;
        const auto spoiled = [&](const std::string& field, const Json& bad) {
            Json v = good;
            v["data"][arm->member][field] = bad;
            return v;
        };
        Json missing = good;
        missing["data"][arm->member].erase("runstate");
        Json extra = good;
        extra["data"][arm->member]["unknownMember"] = 0;
        const std::vector<std::pair<Json, std::string>> cases{
            {missing, body + ".runstate"},
            {extra, body + ".unknownMember"},
            {spoiled("runstate", std::int64_t{4294967296}), body + ".runstate"},
            {spoiled("runstate", 1.5), body + ".runstate"},
            {spoiled("runstate", "1"), body + ".runstate"},
            {spoiled("cpuTime", "01"), body + ".cpuTime"},
            {Json{{"serial", -1}, {"inReplyTo", 0}, {"data", good["data"]}}, "serial"},
        };
        for (const auto& [value, path] : cases)
            for (const Kind kind : {Kind::server, Kind::server_message})
                BOOST_TEST_CONTEXT(to_string(kind) << " " << path) {
                    const auto out = codec.encode(kind, value);
                    BOOST_TEST_REQUIRE(out.failed(), codec.name() << " encoded " << value.dump().substr(0, 200));
                    BOOST_TEST(out.error().flag == "value", "error: " << describe(out));
                    BOOST_TEST(out.error().path == path, "error: " << describe(out));
                }
        // Hex one byte short.
        const auto* lookup = info().find_arm(Direction::client, "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_UUID");
        BOOST_REQUIRE(lookup);
        Json v = samples::payload_value(*lookup, samples::Plan::realistic);
        std::string& uuid = v["data"][lookup->member]["uuid"].get_ref<std::string&>();
        uuid.resize(uuid.size() - 2);
        const auto out = codec.encode(Kind::client, v);
        BOOST_TEST_REQUIRE(out.failed(), codec.name() << " encoded a uuid one byte short");
        BOOST_TEST(out.error().path == "data." + lookup->member + ".uuid", "error: " << describe(out));
    };
    tests[Flag::semantic_value] = [](const Codec& codec) {
        // Wire-valid values with a questionable meaning are accepted as they are.
        const auto* info_reply = info().find_arm(Direction::server, "QEMUD_SERVER_PKT_DOMAIN_GET_INFO");
        const auto* list_reply = info().find_arm(Direction::server, "QEMUD_SERVER_PKT_LIST_DOMAINS");
        BOOST_REQUIRE(info_reply && list_reply);
        Json a = samples::payload_value(*info_reply, samples::Plan::realistic);
        a["data"][info_reply->member]["runstate"] = 7;
        Json b = samples::payload_value(*list_reply, samples::Plan::realistic);
        b["data"][list_reply->member]["numDomains"] = 1000;
        Json c = samples::payload_value(*info().find_arm(Direction::client, "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME"),
                                        samples::Plan::realistic);
        c["data"]["domainLookupByNameRequest"]["name"] = std::string(100, '7');  // no NUL
        for (const auto& [value, kind] : {std::pair{a, Kind::server}, std::pair{b, Kind::server}, std::pair{c, Kind::client}}) {
            const Bytes wire = must_encode(codec, kind, value);
            BOOST_TEST(wire == must_encode(reference_codec(), kind, value));
            BOOST_TEST(must_decode(codec, kind, wire) == value);
        }
    };
    return tests;
}

void register_cases() {
    const auto tests = row_tests();
    const auto framing_tests = framing_row_tests();
    for (const auto& row : policy::table()) {
        if (const auto it = framing_tests.find(row.flag); it != framing_tests.end()) {
            for (const Codec* codec : all_codecs())
                for (const Framing f : all_framings)
                    add_case("policy/" + std::string(codec->name()) +
                                 (f == Framing::seed ? "" : "/" + std::string(to_string(f))) + "/" +
                                 std::string(row.name),
                             [codec, f, test = it->second] { test(*codec, f); });
            continue;
        }
        const auto it = tests.find(row.flag);
        if (it == tests.end()) {
            // A row added to the table without a test fails by name.
            add_case("policy/untested/" + std::string(row.name),
                     [name = std::string(row.name)] { BOOST_FAIL("policy row " << name << " has no test"); });
            continue;
        }
        for (const Codec* codec : all_codecs())
            add_case("policy/" + std::string(codec->name()) + "/" + std::string(row.name),
                     [codec, test = it->second] { test(*codec); });
    }
}

}  // namespace

QEMUD_DYNAMIC_TEST_MAIN(register_cases)
