// SPDX-License-Identifier: Apache-2.0
// fast_tier_test: the differential targets' fast tier (fuzz/compare/
// fast_tier.h) against the full check, on every committed golden vector of
// every kind and framing profile.
//
//  * golden_vectors_agree: on the product, neither tier finds anything in
//    any vector (valid, invalid or acceptable), and every vector the full
//    check judges gets the same verdict from the fast tier.
//  * summary_classification_agrees: the fast tier's summary
//    classification, which leaves a payload behind a refused header
//    unread, decides as the full classification does.
//  * planted_bug_is_seen (disabled by default; ctest runs it by name in the
//    canary build, with QEMUD_CANARY=<name>, and in fast_tier_plant_test
//    with QEMUD_TIRPC_PLANT=second_byte): with a bug planted in cxx or in
//    libtirpc's xdr_char, the fast tier flags at least one vector, and
//    names the tier's question the bug breaks (QEMUD_EXPECT_WHAT).
#define BOOST_TEST_MODULE fast_tier
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <map>

#include "canonical.h"
#include "codecs/registry.h"
#include "codecs/value_model.h"
#include "compare/fast_tier.h"
#include "framing/framing.h"

using namespace qemud;

namespace {

struct Vector {
    std::string where;  // "client_message_test.json tc17"
    Kind kind;
    Framing framing;
    Bytes wire;
};

Bytes from_hex(const std::string& hex) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
    return out;
}

std::vector<Vector> golden_vectors() {
    std::vector<Vector> out;
    const std::string dir = QEMUD_GOLDEN_DIR;
    for (const char* name : {"header", "client", "server", "client_message", "server_message",
                             "libvirt-0.3/header", "libvirt-0.3/client_message", "libvirt-0.3/server_message"}) {
        const std::string path = dir + "/" + name + "_test.json";
        std::ifstream in(path);
        BOOST_TEST_REQUIRE(static_cast<bool>(in), "cannot open " << path);
        const Json file = Json::parse(in);
        const auto kind = kind_from_string(file.at("kind").get<std::string>());
        const auto framing = framing_from_string(file.value("framing", "seed"));
        BOOST_TEST_REQUIRE((kind && framing), path << ": unknown kind or framing");
        for (const auto& group : file.at("testGroups"))
            for (const auto& t : group.at("tests"))
                if (t.contains("wire"))  // value-only vectors (encoders must refuse) have none
                    out.push_back({std::string(name) + " tc" + std::to_string(t.at("tcId").get<int>()), *kind, *framing,
                               from_hex(t.at("wire").get<std::string>())});
    }
    BOOST_TEST_REQUIRE(out.size() > 100u);
    return out;
}

std::vector<const Codec*> rpcgen_and_cxx() { return {find_codec("rpcgen"), find_codec("cxx")}; }

}  // namespace

BOOST_AUTO_TEST_CASE(golden_vectors_agree) {
    const auto codecs = rpcgen_and_cxx();
    std::map<std::uint64_t, std::string> signatures;
    for (const auto& v : golden_vectors()) {
        const auto fast = fuzz::fast_check(v.kind, v.wire, v.framing);
        const auto full = comparator::compare_decoders(v.kind, v.wire, codecs, v.framing);
        BOOST_TEST(!fast.suspicious(), v.where << ": the fast tier found " << fast.what << ": " << fast.detail);
        BOOST_TEST(full.ok(), v.where << ": the full check found " << full.to_string());
        signatures.emplace(fast.signature, v.where);
    }
    // Signatures group inputs, they do not lump them: the golden vectors
    // (every arm, every rule) make many groups.
    BOOST_TEST(signatures.size() > 150u);
}

// The fast tier's summary classification leaves a framed wire's payload
// unread when the framing checks refuse its header: it must still give the
// full classification's rule, deciding flag and arm, and only on wires the
// policy rejects.
BOOST_AUTO_TEST_CASE(summary_classification_agrees) {
    std::size_t unread = 0;
    comparator::Classification summary;
    summary.summary_only = true;
    for (const auto& v : golden_vectors()) {
        const auto full = comparator::classify(v.kind, v.wire, v.framing);
        comparator::classify_into(v.kind, v.wire, v.framing, summary);
        BOOST_TEST((summary.rule == full.rule), v.where << ": summary " << policy::to_string(summary.rule)
                                                        << ", full " << policy::to_string(full.rule));
        BOOST_TEST((summary.deciding() == full.deciding()), v.where << ": deciding flag differs");
        BOOST_TEST((summary.arm == full.arm), v.where << ": arm differs");
        BOOST_TEST((summary.flag_set & ~full.flag_set) == 0u, v.where << ": the summary has a flag the full one lacks");
        if (summary.payload_unread) {
            ++unread;
            BOOST_TEST((full.rule == policy::DecoderRule::must_reject), v.where << ": payload unread on a wire "
                                                                                 "the policy does not reject");
        }
    }
    BOOST_TEST(unread > 10u, "no golden vector took the unread-payload path");
}

BOOST_AUTO_TEST_CASE(planted_bug_is_seen, *boost::unit_test::disabled()) {
    const char* expect = std::getenv("QEMUD_EXPECT_WHAT");
    BOOST_TEST_REQUIRE(expect != nullptr, "set QEMUD_EXPECT_WHAT to the finding the plant must cause");
    std::size_t flagged = 0, expected = 0;
    std::string first;
    for (const auto& v : golden_vectors()) {
        const auto fast = fuzz::fast_check(v.kind, v.wire, v.framing);
        if (!fast.suspicious()) continue;
        ++flagged;
        if (fast.what == expect && ++expected == 1) first = v.where + ": " + fast.what + ": " + fast.detail;
    }
    BOOST_TEST_MESSAGE("fast tier flagged " << flagged << " vectors, " << expected << " as " << expect << "; first: " << first);
    BOOST_TEST(expected > 0u, "the fast tier flagged no vector as " << expect << " (" << flagged << " flagged otherwise)");
}
