// SPDX-License-Identifier: Apache-2.0
// golden_test.cpp: every in-tree implementation against every committed
// golden vector, one Boost.Test case per file and implementation
// (golden/<impl>/<kind>, golden/<impl>/<profile>/<kind> for the framed
// kinds of a framing profile other than the seed's), plus a check of each
// file's own rules (golden/file/<kind>, golden/file/<profile>/<kind>).
//
// What a vector demands is its result: valid -> decode gives value and
// encode(value) gives wire (canonicalWire for decode-only vectors); invalid
// -> decode fails, and encoders refuse a header-kind value; acceptable ->
// strict implementations reject, the lenient rpcgen accepts with exactly
// the vector's value (libtirpc's leniency is asserted, not ignored).
#include <fstream>
#include <set>
#include <sstream>

#include "codecs/registry.h"
#include "codecs/value_model.h"
#include "dynamic_cases.h"
#include "framing/framing.h"
#include "policy/policy.h"

using namespace qemud;

namespace {

constexpr std::size_t max_reported = 20;

// GoldenFile is one committed file: its kind and, for a framed kind, its
// framing profile (the payload kinds' files serve every profile).
struct GoldenFile {
    Kind kind;
    Framing framing = Framing::seed;
    bool framed() const { return kind == Kind::header || is_message(kind); }
    // name: "client", "libvirt-0.3/header": the file's path less "_test.json".
    std::string name() const {
        const std::string k(to_string(kind));
        return framed() && framing != Framing::seed ? std::string(to_string(framing)) + "/" + k : k;
    }
};

std::vector<GoldenFile> golden_files() {
    std::vector<GoldenFile> out;
    for (const Kind kind : all_kinds) out.push_back({kind});
    for (const Framing f : all_framings)
        if (f != Framing::seed)
            for (const Kind kind : {Kind::header, Kind::client_message, Kind::server_message}) out.push_back({kind, f});
    return out;
}

Json load(const GoldenFile& g) {
    const std::string path = std::string(QEMUD_GOLDEN_DIR) + "/" + g.name() + "_test.json";
    std::ifstream in(path);
    BOOST_TEST_REQUIRE(static_cast<bool>(in), "cannot open " << path);
    Json file;
    try {
        in >> file;
    } catch (const std::exception& e) {
        BOOST_TEST_REQUIRE(false, path << " is not JSON: " << e.what());
    }
    return file;
}

Bytes from_hex(const std::string& h) {
    auto bytes = value_model::bytes_from_hex(h);
    BOOST_TEST_REQUIRE(bytes.has_value(), "not a hex string: " << h.substr(0, 40));
    return *bytes;
}

std::string describe(const Outcome<Json>& out) {
    if (out.ok()) return "accepted: " + out.value().dump().substr(0, 200);
    if (out.failed()) return "error: " + out.error().to_string();
    return "unsupported: " + out.unsupported_reason().what;
}

std::string describe(const Outcome<Bytes>& out) {
    if (out.ok()) return "encoded " + std::to_string(out.value().size()) + " bytes";
    if (out.failed()) return "error: " + out.error().to_string();
    return "unsupported: " + out.unsupported_reason().what;
}

std::size_t first_difference(const Bytes& a, const Bytes& b) {
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    return i;
}

// check_vector returns "" when the codec does what the vector demands.
std::string check_vector(const Codec& codec, const GoldenFile& g, const Json& t) {
    const Kind kind = g.kind;
    const std::string result = t.at("result");
    if (!t.contains("wire")) {
        // A value encoders must refuse, naming the member errorPath.
        if (result != "invalid") return "a vector without a wire whose result is " + result;
        const auto encoded = codec.encode(kind, t.at("value"), g.framing);
        if (!encoded.failed()) return "value to refuse not refused (" + describe(encoded) + ")";
        if (encoded.error().path != t.at("errorPath").get<std::string>() && !t.at("flags").contains("other_arm_member"))
            return "refused naming '" + encoded.error().path + "', errorPath is " + t.at("errorPath").dump();
        return "";
    }
    const Bytes wire = from_hex(t.at("wire"));
    const auto decoded = codec.decode(kind, wire, g.framing);
    if (result == "valid") {
        if (!decoded.ok()) return "valid wire not decoded (" + describe(decoded) + ")";
        if (decoded.value() != t.at("value"))
            return "decoded " + decoded.value().dump().substr(0, 200) + ", expected " + t.at("value").dump().substr(0, 200);
        const Bytes expected = from_hex(t.value("canonicalWire", t.at("wire").get<std::string>()));
        const auto encoded = codec.encode(kind, t.at("value"), g.framing);
        if (!encoded.ok()) return "value not encoded (" + describe(encoded) + ")";
        if (encoded.value() != expected)
            return "encoding differs from " + std::string(t.contains("canonicalWire") ? "canonicalWire" : "wire") +
                   " at byte offset " + std::to_string(first_difference(encoded.value(), expected));
        return "";
    }
    if (result == "invalid") {
        if (!decoded.failed()) return "invalid wire not rejected (" + describe(decoded) + ")";
        if (kind == Kind::header && t.contains("value")) {
            const auto encoded = codec.encode(kind, t.at("value"), g.framing);
            if (!encoded.failed()) return "invalid header value not refused (" + describe(encoded) + ")";
        }
        return "";
    }
    if (result == "acceptable") {
        if (codec.strict()) {
            if (!decoded.failed()) return "strict implementation accepted an acceptable vector (" + describe(decoded) + ")";
            return "";
        }
        if (!decoded.ok()) return "lenient implementation rejected an acceptable vector (" + describe(decoded) + ")";
        if (decoded.value() != t.at("value"))
            return "decoded " + decoded.value().dump().substr(0, 200) + ", libtirpc's value is " +
                   t.at("value").dump().substr(0, 200);
        return "";
    }
    return "unknown result " + result;
}

void run_file(const Codec& codec, const GoldenFile& g) {
    const Json file = load(g);
    std::size_t failures = 0, checked = 0;
    for (const auto& group : file.at("testGroups"))
        for (const auto& t : group.at("tests")) {
            ++checked;
            const std::string problem = check_vector(codec, g, t);
            if (problem.empty()) continue;
            if (++failures <= max_reported)
                BOOST_ERROR(codec.name() << " " << g.name() << " tcId " << t.at("tcId").get<int>() << " ("
                                         << t.at("comment").get<std::string>() << "): " << problem);
        }
    BOOST_TEST(failures == 0u, codec.name() << " failed " << failures << " of " << checked << " vectors of "
                                            << g.name() << "_test.json");
    BOOST_TEST(checked == file.at("numberOfTests").get<std::size_t>());
}

// check_file: tcIds unique, numberOfTests right, each used flag explained
// in notes with a rule, each acceptable vector flagged, and the result of
// each vector is the one its policy flags give.
void check_file(const GoldenFile& g) {
    const Json file = load(g);
    BOOST_TEST(file.at("kind") == std::string(to_string(g.kind)));
    if (g.framed())
        BOOST_TEST(file.value("framing", "") == std::string(to_string(g.framing)));
    else
        BOOST_TEST(!file.contains("framing"), "a payload file names a framing");
    std::set<int> ids;
    std::size_t n = 0;
    for (const auto& group : file.at("testGroups"))
        for (const auto& t : group.at("tests")) {
            ++n;
            const int id = t.at("tcId");
            BOOST_TEST(ids.insert(id).second, "duplicate tcId " << id);
            const auto& flags = t.at("flags");
            if (t.at("result") == "acceptable")
                BOOST_TEST(!flags.empty(), "acceptable tcId " << id << " carries no flag");
            bool reject = false, acceptable = false;
            for (const auto& f : flags) {
                BOOST_TEST(file.at("notes").contains(f.get<std::string>()), "flag " << f << " not in notes");
                if (const auto p = policy::flag_from_name(f.get<std::string>())) {
                    reject |= policy::row(*p).decoder == policy::DecoderRule::must_reject;
                    acceptable |= policy::row(*p).decoder == policy::DecoderRule::acceptable;
                }
            }
            const std::string expected = reject ? "invalid" : acceptable ? "acceptable" : "valid";
            BOOST_TEST(t.at("result") == expected, "tcId " << id << ": the policy table makes it " << expected);
        }
    BOOST_TEST(n == file.at("numberOfTests").get<std::size_t>());
}

void register_cases() {
    for (const GoldenFile& g : golden_files()) {
        testing::add_case("golden/file/" + g.name(), [g] { check_file(g); });
        for (const Codec* codec : all_codecs())
            testing::add_case("golden/" + std::string(codec->name()) + "/" + g.name(), [codec, g] { run_file(*codec, g); });
    }
}

}  // namespace

QEMUD_DYNAMIC_TEST_MAIN(register_cases)
