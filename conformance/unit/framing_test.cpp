// SPDX-License-Identifier: Apache-2.0
// framing_test.cpp: the framing profiles (reference/framing/) byte by byte:
// each profile's header words where its .x struct puts them, one message
// hand-built in each profile through every implementation, and the
// diagnosis the runner prints for a header framed the other way.
#define BOOST_TEST_MODULE framing
#include <boost/test/unit_test.hpp>

#include "codecs/registry.h"
#include "framing/framing.h"
#include "wire_edit.h"

using namespace qemud;
using namespace qemud::testing;

namespace {

// GET_VERSION with serial 7: serial, then the discriminant 0 (a void arm).
const Json get_version{{"serial", 7}, {"data", {{"type", "QEMUD_CLIENT_PKT_GET_VERSION"}}}};

Bytes words(std::initializer_list<std::uint32_t> ws) {
    Bytes out;
    for (const auto w : ws) append_be32(out, w);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_profile_reads_its_words_from_its_struct) {
    const FramingProfile& seed = framing_profile(Framing::seed);
    BOOST_TEST(seed.name() == "seed");
    BOOST_TEST(seed.header_type() == "qemud_packet_header");
    BOOST_TEST(seed.constant_member() == "magic");
    BOOST_TEST(seed.constant_offset() == 0u);
    BOOST_TEST(seed.length_offset() == 4u);
    BOOST_TEST(seed.length_bias() == 0u);
    BOOST_TEST(seed.min_length(Direction::client) == 8u);
    BOOST_TEST(seed.max_length(Direction::server) == 20016u);

    const FramingProfile& libvirt = framing_profile(Framing::libvirt_0_3);
    BOOST_TEST(libvirt.name() == "libvirt-0.3");
    BOOST_TEST(libvirt.header_type() == "qemud_packet_header_libvirt_0_3");
    BOOST_TEST(libvirt.constant_name() == "QEMUD_PROGRAM");
    BOOST_TEST(libvirt.constant_member() == "prog");
    BOOST_TEST(libvirt.constant() == 0x20001A64u);
    BOOST_TEST(libvirt.length_offset() == 0u);
    BOOST_TEST(libvirt.constant_offset() == 4u);
    BOOST_TEST(libvirt.length_bias() == 8u);
    BOOST_TEST(libvirt.min_length(Direction::client) == 16u);
    BOOST_TEST(libvirt.max_length(Direction::client) == 16404u);
    BOOST_TEST(libvirt.min_bare_length() == 16u);
    BOOST_TEST(libvirt.max_bare_length() == 20024u);
}

BOOST_AUTO_TEST_CASE(a_hand_built_libvirt_message_decodes_only_under_libvirt) {
    const Bytes message = {
        0x00, 0x00, 0x00, 0x10,  // length: 16, the whole message
        0x20, 0x00, 0x1A, 0x64,  // prog: QEMUD_PROGRAM
        0x00, 0x00, 0x00, 0x07,  // serial: 7
        0x00, 0x00, 0x00, 0x00,  // data.type: QEMUD_CLIENT_PKT_GET_VERSION
    };
    for (const Codec* codec : all_codecs()) {
        BOOST_TEST_CONTEXT(codec->name()) {
            const auto decoded = codec->decode(Kind::client_message, message, Framing::libvirt_0_3);
            BOOST_TEST_REQUIRE(decoded.ok(), describe(decoded));
            BOOST_TEST(decoded.value() == get_version);
            const auto encoded = codec->encode(Kind::client_message, get_version, Framing::libvirt_0_3);
            BOOST_TEST_REQUIRE(encoded.ok(), describe(encoded));
            BOOST_TEST(encoded.value() == message);
            // The seed reads word 1 as its magic: located at byte 0.
            const auto as_seed = codec->decode(Kind::client_message, message, Framing::seed);
            BOOST_TEST_REQUIRE(as_seed.failed(), describe(as_seed));
            BOOST_TEST(as_seed.error().flag == "bad_magic");
            BOOST_TEST(as_seed.error().path == "magic");
            BOOST_TEST(as_seed.error().offset == std::optional<std::size_t>(0));
            BOOST_TEST(as_seed.error().to_string().find("0x00000010") != std::string::npos,
                       as_seed.error().to_string());
        }
    }
}

BOOST_AUTO_TEST_CASE(the_seed_message_of_the_same_call) {
    const Bytes message = {
        0x20, 0x00, 0x1A, 0x64,  // magic: QEMUD_PKT_HEADER_MAGIC
        0x00, 0x00, 0x00, 0x08,  // length: 8, the payload only
        0x00, 0x00, 0x00, 0x07,  // serial: 7
        0x00, 0x00, 0x00, 0x00,  // data.type: QEMUD_CLIENT_PKT_GET_VERSION
    };
    for (const Codec* codec : all_codecs()) {
        BOOST_TEST_CONTEXT(codec->name()) {
            BOOST_TEST(must_encode(*codec, Kind::client_message, get_version) == message);
            // libvirt-0.3 reads word 2 (8) as its program number.
            const auto as_libvirt = codec->decode(Kind::client_message, message, Framing::libvirt_0_3);
            BOOST_TEST_REQUIRE(as_libvirt.failed());
            BOOST_TEST(as_libvirt.error().flag == "bad_magic");
            BOOST_TEST(as_libvirt.error().path == "prog");
            BOOST_TEST(as_libvirt.error().offset == std::optional<std::size_t>(4));
        }
    }
}

BOOST_AUTO_TEST_CASE(the_header_kind_value_names_the_profile_members) {
    for (const Codec* codec : all_codecs()) {
        BOOST_TEST_CONTEXT(codec->name()) {
            const Json libvirt{{"length", 16}, {"prog", 0x20001A64}};
            const auto encoded = codec->encode(Kind::header, libvirt, Framing::libvirt_0_3);
            BOOST_TEST_REQUIRE(encoded.ok(), describe(encoded));
            BOOST_TEST(encoded.value() == words({16, 0x20001A64}));
            // The seed's members are not a libvirt-0.3 header, and the reverse.
            BOOST_TEST(codec->encode(Kind::header, Json{{"magic", 0x20001A64}, {"length", 8}}, Framing::libvirt_0_3)
                           .failed());
            BOOST_TEST(codec->encode(Kind::header, libvirt, Framing::seed).failed());
        }
    }
}

BOOST_AUTO_TEST_CASE(a_header_framed_the_other_way_is_explained_by_word) {
    const FramingProfile& libvirt = framing_profile(Framing::libvirt_0_3);
    const Bytes expected = words({16, 0x20001A64});
    BOOST_TEST(libvirt.explain_mismatch(expected, expected).empty());
    // The whole seed header of the same payload.
    const std::string seed = libvirt.explain_mismatch(expected, words({0x20001A64, 8}));
    BOOST_TEST(seed.find("the header is framed as seed: word 1 the magic") == 0u, seed);
    // Only the length counts the payload alone.
    const std::string payload_only = libvirt.explain_mismatch(expected, words({8, 0x20001A64}));
    BOOST_TEST(payload_only.find("word 1 (length) is 8, expected 16: it counts the payload only") != std::string::npos,
               payload_only);
    // The words swapped, the length right.
    const std::string swapped = libvirt.explain_mismatch(expected, words({0x20001A64, 16}));
    BOOST_TEST(swapped.find("the header words are swapped: word 1 (length) holds the program number") == 0u, swapped);
    // And the other way round: a seed run given a libvirt-0.3 header.
    const std::string other = framing_profile(Framing::seed).explain_mismatch(words({0x20001A64, 8}), expected);
    BOOST_TEST(other.find("the header is framed as libvirt-0.3: word 1 the total length") == 0u, other);
}

BOOST_AUTO_TEST_CASE(framed_limits_accept_exactly_what_check_framed_passes) {
    // The stream decoder decides a valid header from framed_limits alone
    // and asks check_framed only on a refusal: the two must agree on every
    // header, here on each bound and its neighbours, and a wrong constant.
    for (const Framing f : all_framings)
        for (const Direction d : all_directions) {
            const FramingProfile& p = framing_profile(f);
            const FramingProfile::FramedLimits limits = p.framed_limits(d);
            std::vector<std::uint32_t> lengths = {0, 1, 4, 8, 12, 16, 0xFFFFFFFCu, 0xFFFFFFFFu};
            for (const std::uint32_t bound : {p.min_length(d), p.max_length(d)})
                for (std::uint32_t delta = 0; delta <= 8; ++delta) {
                    lengths.push_back(bound + delta);
                    lengths.push_back(bound - delta);
                }
            for (const std::uint32_t constant : {p.constant(), p.constant() ^ 1u, 0u})
                for (const std::uint32_t length : lengths) {
                    const HeaderWords words{constant, length};
                    BOOST_TEST_CONTEXT(to_string(f) << " " << to_string(d) << " constant " << constant << " length "
                                                    << length) {
                        BOOST_TEST(limits.accepts(words) == !p.check_framed(d, words, 0).has_value());
                    }
                }
        }
}
