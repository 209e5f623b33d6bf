// random_cases.h: seeded differential cases over every arm of protocol.x.
//
// Case i draws a value for one arm (arms in protocol.x order, both
// directions, then a bare header; payload kinds on even passes over that
// list, message kinds on odd ones), boundary-biased (int32 and uint32 limits,
// uint64 past 2^53, byte arrays full, empty, NUL-padded text, bytes >= 0x80).
// The reference implementation encodes it: the implementation under test
// must decode that wire to the same value and encode the value to the same
// bytes. A case depends only on (seed, i), so `--seed S --random N --only
// NAME` reruns it.
#pragma once

#include <cstdint>
#include <vector>

#include "cases.h"

namespace qemud::conform {

// random_cases returns count cases; a value the reference refuses to encode
// becomes a case whose wire is empty and whose comment says why (the
// executor fails it as an internal error).
// The framed kinds (header, *_message) are framed with `framing`.
std::vector<Case> random_cases(std::uint64_t seed, std::size_t count, Framing framing = Framing::seed);

// payload_layout lists where each field of an arm sits in a payload or
// message of that arm (for naming the field at a differing byte).
std::vector<FieldSpan> payload_layout(const ArmInfo& arm, bool message, Framing framing = Framing::seed);
// header_layout: the two words of a profile's header.
std::vector<FieldSpan> header_layout(Framing framing, const std::string& prefix = "");

}  // namespace qemud::conform
