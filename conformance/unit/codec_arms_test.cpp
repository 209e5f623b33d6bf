// SPDX-License-Identifier: Apache-2.0
// codec_arms_test.cpp: every arm of both unions through every
// implementation. Cases are registered per arm and implementation from
// protocol.x (round_trip/<impl>/<arm>, payload_size/<impl>/<arm>,
// encoder_agreement/<arm>), plus the check that the arm list xdrc generated
// is the one rpcgen's code accepts.
#include <set>

#include "codecs/registry.h"
#include "dynamic_cases.h"
#include "protocol_model.gen.h"
#include "sample_values.h"
#include "wire_edit.h"

using namespace qemud;
using namespace qemud::testing;

namespace {

void round_trip(const Codec& codec, const ArmInfo& arm) {
    for (const auto plan : samples::all_plans) {
        BOOST_TEST_CONTEXT("plan " << samples::to_string(plan)) {
            const Json value = samples::payload_value(arm, plan);
            for (const Kind kind : {payload_kind(arm.direction), message_kind(arm.direction)}) {
                const Bytes wire = must_encode(codec, kind, value);
                const Json back = must_decode(codec, kind, wire);
                BOOST_TEST(back == value, to_string(kind) << " decoded to " << back.dump() << "\nexpected "
                                                          << value.dump());
                BOOST_TEST(must_encode(codec, kind, back) == wire);
            }
        }
    }
}

void payload_size(const Codec& codec, const ArmInfo& arm) {
    const Json value = samples::payload_value(arm, samples::Plan::zeros);
    const std::size_t size = must_encode(codec, payload_kind(arm.direction), value).size();
    const std::size_t rpcgen_size = must_encode(reference_codec(), payload_kind(arm.direction), value).size();
    BOOST_TEST(size == rpcgen_size, codec.name() << " writes " << size << " bytes, rpcgen " << rpcgen_size);
    BOOST_TEST(size == arm.payload_size, "xdrc computes " << arm.payload_size);
    const auto& info = ProtocolInfo::get();
    BOOST_TEST(size >= info.min_payload(arm.direction));
    BOOST_TEST(size <= info.max_payload(arm.direction));
}

void encoder_agreement(const ArmInfo& arm) {
    for (const auto plan : samples::all_plans) {
        const Json value = samples::payload_value(arm, plan);
        const Bytes expected = must_encode(reference_codec(), payload_kind(arm.direction), value);
        for (const Codec* codec : all_codecs()) {
            const Bytes wire = must_encode(*codec, payload_kind(arm.direction), value);
            const auto at = first_difference(wire, expected);
            BOOST_TEST(!at.has_value(), codec->name() << " differs from rpcgen at byte " << at.value_or(0)
                                                      << " (plan " << samples::to_string(plan) << ")");
        }
    }
}

// rpcgen_arms probes rpcgen's decoder: a payload of the direction's largest
// size, zero but for the discriminant, decodes up to the arm's size and then
// stops (trailing bytes), or fails at once when the value has no arm.
std::map<std::int64_t, std::size_t> rpcgen_arms(Direction direction) {
    const auto& info = ProtocolInfo::get();
    std::map<std::int64_t, std::size_t> arms;
    const std::uint32_t prefix = info.payload_prefix_size(direction);
    for (std::uint32_t value = 0; value < 256; ++value) {
        Bytes wire(info.max_payload(direction), 0);
        put_be32(wire, prefix, value);
        const auto out = reference_codec().decode(payload_kind(direction), wire);
        if (out.ok())
            arms[value] = wire.size();
        else if (out.error().flag == "trailing_bytes")
            arms[value] = out.error().offset.value();
    }
    return arms;
}

template <class Union>
void arm_list(Direction direction) {
    // The arm list in the generated C++ model, with xdrc's sizes.
    std::map<std::int64_t, std::size_t> generated;
    for (const auto& arm : xdr::UnionTraits<Union>::arms) {
        const ArmInfo* info = ProtocolInfo::get().find_arm(direction, arm.value);
        BOOST_REQUIRE(info);
        generated[arm.value] = info->payload_size;
    }
    const auto rpcgen = rpcgen_arms(direction);
    for (const auto& [value, size] : rpcgen) {
        BOOST_TEST(generated.count(value) == 1u, "rpcgen accepts discriminant " << value << ", xdrc has no arm");
        if (generated.count(value))
            BOOST_TEST(generated[value] == size, "discriminant " << value << ": xdrc " << generated[value]
                                                                 << " bytes, rpcgen " << size);
    }
    for (const auto& [value, size] : generated)
        BOOST_TEST(rpcgen.count(value) == 1u, "xdrc has an arm for " << value << ", rpcgen rejects it");
    BOOST_TEST(generated.size() == ProtocolInfo::get().arms(direction).size());
}

void register_cases() {
    const auto& info = ProtocolInfo::get();
    for (const Codec* codec : all_codecs()) {
        for (const auto& arm : info.all_arms()) {
            const std::string where = std::string(codec->name()) + "/" + arm.name;
            add_case("round_trip/" + where, [codec, arm] { round_trip(*codec, arm); });
            add_case("payload_size/" + where, [codec, arm] { payload_size(*codec, arm); });
        }
    }
    for (const auto& arm : info.all_arms())
        add_case("encoder_agreement/" + arm.name, [arm] { encoder_agreement(arm); });
    add_case("arm_list/client", [] { arm_list<model::qemud_packet_client_data>(Direction::client); });
    add_case("arm_list/server", [] { arm_list<model::qemud_packet_server_data>(Direction::server); });
    add_case("arm_list/counts", [] {
        // protocol.x: 38 client arms, 39 server arms, 77 in all.
        BOOST_TEST(ProtocolInfo::get().arms(Direction::client).size() == 38u);
        BOOST_TEST(ProtocolInfo::get().arms(Direction::server).size() == 39u);
        BOOST_TEST(ProtocolInfo::get().min_payload(Direction::client) == 8u);
        BOOST_TEST(ProtocolInfo::get().max_payload(Direction::client) == 16396u);
        BOOST_TEST(ProtocolInfo::get().min_payload(Direction::server) == 12u);
        BOOST_TEST(ProtocolInfo::get().max_payload(Direction::server) == 20016u);
        BOOST_TEST(all_codecs().size() == 3u);
    });
}

}  // namespace

QEMUD_DYNAMIC_TEST_MAIN(register_cases)
