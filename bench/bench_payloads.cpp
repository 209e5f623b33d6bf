// SPDX-License-Identifier: Apache-2.0
#include "bench_payloads.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "codecs/registry.h"
#include "framing/framing.h"

namespace qemud::bench {

namespace {

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "bench: %s\n", message.c_str());
    std::exit(2);
}

Bytes encode_or_die(Direction direction, const Json& value, const std::string& what) {
    const Codec* cxx = find_codec("cxx");
    if (!cxx) die("no cxx codec in the registry");
    auto out = cxx->encode(payload_kind(direction), value);
    if (!out.ok()) die("cxx cannot encode " + what + ": " + (out.failed() ? out.error().to_string() : "unsupported"));
    return out.value();
}

void store_be32(std::uint8_t* p, std::uint32_t w) {
    p[0] = static_cast<std::uint8_t>(w >> 24);
    p[1] = static_cast<std::uint8_t>(w >> 16);
    p[2] = static_cast<std::uint8_t>(w >> 8);
    p[3] = static_cast<std::uint8_t>(w);
}

// SplitMix64: the stream is the same on every platform and library.
struct SplitMix64 {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
};

}  // namespace

Payload make_payload(Direction direction, std::string_view arm_name, samples::Plan plan) {
    const ArmInfo* arm = ProtocolInfo::get().find_arm(direction, arm_name);
    if (!arm) die("protocol.x has no " + std::string(to_string(direction)) + " arm " + std::string(arm_name));
    Payload p{*arm, samples::payload_value(*arm, plan), {}};
    p.wire = encode_or_die(direction, p.value, arm->name);
    if (p.wire.size() != arm->payload_size) die(arm->name + ": encoded size differs from the arm's payload size");
    return p;
}

std::vector<Payload> representative_payloads() {
    using samples::Plan;
    std::vector<Payload> out;
    out.push_back(make_payload(Direction::server, "QEMUD_SERVER_PKT_LIST_DEFINED_DOMAINS", Plan::realistic));
    out.push_back(make_payload(Direction::client, "QEMUD_CLIENT_PKT_DOMAIN_SAVE", Plan::realistic));
    out.push_back(make_payload(Direction::server, "QEMUD_SERVER_PKT_GET_NODEINFO", Plan::realistic));
    out.push_back(make_payload(Direction::client, "QEMUD_CLIENT_PKT_GET_VERSION", Plan::realistic));
    return out;
}

MixedStream make_mixed_stream(Direction direction, std::size_t count, std::uint64_t seed) {
    const auto& info = ProtocolInfo::get();
    const auto& arms = info.arms(direction);
    // One wire per arm and plan; weights favour small payloads as a real
    // session does (many status calls, few XML documents and name lists):
    // weight = 4096 / payload size, clamped to 1..64.
    std::vector<std::vector<Bytes>> wires;
    std::vector<std::uint64_t> cumulative;
    std::uint64_t total_weight = 0;
    for (const ArmInfo& arm : arms) {
        std::vector<Bytes> per_plan;
        for (const samples::Plan plan : samples::all_plans)
            per_plan.push_back(encode_or_die(direction, samples::payload_value(arm, plan), arm.name));
        wires.push_back(std::move(per_plan));
        total_weight += std::clamp<std::uint64_t>(4096 / arm.payload_size, 1, 64);
        cumulative.push_back(total_weight);
    }
    SplitMix64 rng{seed};
    MixedStream s;
    s.direction = direction;
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t pick = rng.next() % total_weight;
        const std::size_t a = static_cast<std::size_t>(
            std::upper_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin());
        const Bytes& payload = wires[a][rng.next() % wires[a].size()];
        const std::size_t at = s.bytes.size();
        s.offsets.push_back(at);
        s.bytes.resize(at + info.header_size() + payload.size());
        const Bytes header = framing_profile(Framing::seed).header_for(payload.size());
        std::copy(header.begin(), header.end(), s.bytes.begin() + static_cast<std::ptrdiff_t>(at));
        std::copy(payload.begin(), payload.end(), s.bytes.begin() + static_cast<std::ptrdiff_t>(at + info.header_size()));
        store_be32(s.bytes.data() + at + info.header_size(), static_cast<std::uint32_t>(i + 1));  // serial
    }
    return s;
}

}  // namespace qemud::bench
