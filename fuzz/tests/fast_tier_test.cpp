// SPDX-License-Identifier: Apache-2.0
// fast_tier_test: the differential targets' fast tier (fuzz/compare/
// fast_tier.h) against the full check, on every committed golden vector of
// every kind and framing profile.
//
//  * golden_vectors_agree: on the product, neither tier finds anything in
//    any vector (valid, invalid or acceptable), and every vector the full
//    check judges gets the same verdict from the fast tier.
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
