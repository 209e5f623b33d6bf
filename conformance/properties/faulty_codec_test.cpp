// SPDX-License-Identifier: Apache-2.0
// faulty_codec_test.cpp: proves the properties bite. Each faulty codec
// (faulty_codec.h) joins the real implementations, and the property that
// should catch its fault is run programmatically with RapidCheck; the case
// passes only if the property FAILS, and it prints the shrunk
// counterexample and the replay line. Cases: faulty/<fault>/<property>.
#include <iostream>

#include "canonical.h"
#include "codecs/registry.h"
#include "dynamic_cases.h"
#include "faulty_codec.h"
#include "properties.h"
#include "rc_boost.h"
#include "xdrc/analysis.h"

using namespace qemud;
using namespace qemud::properties;

namespace {

// smallest_arm is the arm with the smallest payload that has a field the
// predicate likes (from the AST, so it follows protocol.x).
const ArmInfo& smallest_arm(bool (*has)(const ArmInfo&)) {
    const ArmInfo* best = nullptr;
    static std::vector<ArmInfo> arms = ProtocolInfo::get().all_arms();
    for (const auto& arm : arms)
        if (has(arm) && (!best || arm.payload_size < best->payload_size)) best = &arm;
    BOOST_REQUIRE_MESSAGE(best, "protocol.x has no arm with the field this fault needs");
    return *best;
}

bool has_char(const ArmInfo& arm) {
    for (const auto& site : comparator::element_sites(arm))
        if (site.is_char) return true;
    return false;
}

bool has_hyper(const ArmInfo& arm) {
    if (arm.struct_name.empty()) return false;
    const auto& spec = ProtocolInfo::get().spec();
    for (const auto& field : spec.find_struct(arm.struct_name)->fields) {
        const auto type = xdr::resolve_typedefs(spec, field.type);
        if (field.array == xdr::ArrayKind::none && type.is_primitive() &&
            (type.primitive() == xdr::PrimitiveType::hyper || type.primitive() == xdr::PrimitiveType::uhyper))
            return true;
    }
    return false;
}

// expect_caught runs `property` with the faulty codec as the implementation
// under test, compared with every real implementation, and requires a
// failure whose message names the faulty codec.
void expect_caught(std::unique_ptr<Codec> faulty, Property property, const ArmInfo& arm) {
    std::vector<const Codec*> codecs = all_codecs();
    codecs.push_back(faulty.get());
    const std::string id = boost::unit_test::framework::current_test_case().full_name();
    const auto& master = boost::unit_test::framework::master_test_suite();
    const auto result = run_property(id, make_property(property, *faulty, codecs, arm), 200);
    BOOST_TEST_REQUIRE(result.is<rc::detail::FailureResult>(),
                       to_string(property) << " did not catch " << faulty->name() << " on " << arm.name);
    const auto& failure = result.get<rc::detail::FailureResult>();
    BOOST_TEST(failure.description.find(std::string(faulty->name())) != std::string::npos);
    std::cout << "\n=== " << id << ": caught, as it must be ===\n"
              << describe_result(id, result, master.argc > 0 ? master.argv[0] : "faulty_codec_test") << std::endl;
}

void register_cases() {
    testing::add_case("faulty/zero_extend_chars/encoder_agreement", [] {
        expect_caught(make_zero_extend_chars_codec(*find_codec("cxx")), Property::encoder_agreement,
                      smallest_arm(has_char));
    });
    testing::add_case("faulty/swap_hyper_words/encoder_agreement", [] {
        expect_caught(make_swap_hyper_words_codec(*find_codec("cxx")), Property::encoder_agreement,
                      smallest_arm(has_hyper));
    });
    testing::add_case("faulty/swap_hyper_words/decoder_agreement", [] {
        expect_caught(make_swap_hyper_words_codec(*find_codec("dynamic")), Property::decoder_agreement,
                      smallest_arm(has_hyper));
    });
    testing::add_case("faulty/strict_but_lenient/canonicality", [] {
        expect_caught(make_strict_but_lenient_codec(*find_codec("rpcgen")), Property::canonicality,
                      smallest_arm(has_char));
    });
}

}  // namespace

QEMUD_DYNAMIC_TEST_MAIN(register_cases)
