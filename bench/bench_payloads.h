// SPDX-License-Identifier: Apache-2.0
// bench_payloads.h: the payloads and the mixed stream the benchmarks
// measure, built from conformance/support's sample values and encoded by
// the registry's cxx codec (the canonical wire every encoder agrees on).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/codec.h"
#include "sample_values.h"

namespace qemud::bench {

// Payload is one arm's payload (no header): its JSON value and wire.
struct Payload {
    ArmInfo arm;
    Json value;
    Bytes wire;
};

// make_payload builds the payload of the named arm under a plan. A name
// protocol.x does not have, or a value the cxx codec will not encode,
// aborts with a message: the benchmark would measure nothing.
Payload make_payload(Direction direction, std::string_view arm_name, samples::Plan plan);

// The payloads codec_bench measures (issue 5): the largest server payload,
// the largest client payload, a small reply and a void arm.
std::vector<Payload> representative_payloads();

// MixedStream is a deterministic stream of framed messages of one
// direction: every arm, weighted towards small payloads, values from all
// three plans, serials counting up.
struct MixedStream {
    Direction direction{};
    Bytes bytes;                        // the messages back to back
    std::vector<std::size_t> offsets;   // where each message starts
    std::size_t messages() const { return offsets.size(); }
};

// make_mixed_stream draws `count` messages from a fixed-seed generator
// whose output does not depend on the standard library.
MixedStream make_mixed_stream(Direction direction, std::size_t count, std::uint64_t seed);

}  // namespace qemud::bench
