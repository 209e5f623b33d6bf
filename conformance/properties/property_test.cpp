// SPDX-License-Identifier: Apache-2.0
// property_test.cpp: registers every property for every arm of both unions
// and every implementation, as <property>/<implementation>/<arm>, plus
// framing/stream/<direction>. The arms come from protocol.x (ProtocolInfo)
// and the implementations from the registry, so nothing here lists either.
#include "codecs/registry.h"
#include "dynamic_cases.h"
#include "properties.h"
#include "rc_boost.h"

using namespace qemud;
using namespace qemud::properties;

namespace {

void register_cases() {
    const auto& codecs = all_codecs();
    for (const Property property : all_properties)
        for (const Codec* impl : codecs)
            for (const auto& arm : ProtocolInfo::get().all_arms()) {
                const std::string path =
                    std::string(to_string(property)) + "/" + std::string(impl->name()) + "/" + arm.name;
                auto body = make_property(property, *impl, codecs, arm);
                const int base = default_cases(property);
                testing::add_case(path, [body, base] { check_in_current_case(body, base); });
            }
    for (const Direction direction : all_directions) {
        auto body = make_stream_property(direction, codecs);
        testing::add_case("framing/stream/" + std::string(to_string(direction)),
                          [body] { check_in_current_case(body, default_stream_cases()); });
    }
}

}  // namespace

QEMUD_DYNAMIC_TEST_MAIN(register_cases)
