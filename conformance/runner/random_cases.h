// SPDX-License-Identifier: Apache-2.0
// random_cases.h: seeded differential cases over every arm of protocol.x.
//
// Case i draws a value for one arm (arms in protocol.x order, both
// directions, then a bare header; payload kinds on even passes over that
// list, message kinds on odd ones), boundary-biased (int32 and uint32 limits,
// uint64 past 2^53, byte arrays full, empty, NUL-padded text, bytes >= 0x80).
// The reference implementation encodes it: the implementation under test
// must decode that wire to the same value and encode the value to the same
// bytes. One case in refusal_share instead spoils its value in one way an
// encoder must refuse (bad_values.h), and the implementation must refuse
// it. A case depends only on (seed, i), so `--seed S --random N --only
// NAME` reruns it.
#pragma once

#include <cstdint>
#include <vector>

#include "cases.h"

namespace qemud::conform {

inline constexpr std::uint64_t refusal_share = 8;

// random_case is case i of any count; the runner draws them one at a time,
// so its memory does not grow with --random N. A value the reference
// refuses to encode becomes a case whose wire is empty and whose comment
// says why (the executor fails it as an internal error). random_case_name
// is its name, which depends on i (and the framing) alone and costs no
// drawing. The framed kinds (header, *_message) are framed with `framing`.
Case random_case(std::uint64_t seed, std::size_t i, Framing framing = Framing::seed);
std::string random_case_name(std::size_t i, Framing framing = Framing::seed);

// payload_layout lists where each field of an arm sits in a payload or
// message of that arm (for naming the field at a differing byte).
std::vector<FieldSpan> payload_layout(const ArmInfo& arm, bool message, Framing framing = Framing::seed);
// header_layout: the two words of a profile's header.
std::vector<FieldSpan> header_layout(Framing framing, const std::string& prefix = "");

}  // namespace qemud::conform
