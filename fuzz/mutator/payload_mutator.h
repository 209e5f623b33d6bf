// SPDX-License-Identifier: Apache-2.0
// payload_mutator.h: one-field changes to a payload of one direction, the
// core of the structure-aware mutator (mutator.h).
#pragma once

#include <optional>
#include <random>

#include "codecs/codec.h"

namespace qemud::fuzz {

using Rng = std::minstd_rand;

// sample_payload is the canonical encoding of a sample value of a random
// arm of the direction (or of `arm` when given), under a random plan.
const Bytes& sample_payload(Direction d, Rng& rng, const ArmInfo* arm = nullptr);

// mutate_payload changes one field of a payload whose discriminant names an
// arm and whose size is the arm's, and returns the result; for any other
// payload it returns a repaired one (a sample of the arm its discriminant
// names, or of a random arm, keeping the serial) half of the time, nullopt
// otherwise (the caller then mutates bytes).
std::optional<Bytes> mutate_payload(Direction d, ByteView payload, Rng& rng);

// arm_of returns the arm a well-formed payload holds (size included), else nullptr.
const ArmInfo* arm_of(Direction d, ByteView payload);

std::uint32_t load32(const std::uint8_t* p);
void store32(std::uint8_t* p, std::uint32_t word);

}  // namespace qemud::fuzz
