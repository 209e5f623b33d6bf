// SPDX-License-Identifier: Apache-2.0
// differential.h: the fuzz targets' side of the shared comparator
// (conformance/properties/canonical.h, library qemud::comparator). Every
// target hands each wire it builds to check_wire(); nothing in fuzz/
// decides by itself whether a difference is acceptable: the comparator asks
// reference/policy/.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "canonical.h"
#include "codecs/codec.h"

namespace qemud::fuzz {

// codecs lists the implementations the targets compare: every in-tree one
// (all_codecs(): rpcgen lenient, cxx and dynamic strict), or the ones named
// in the comma-separated environment variable QEMUD_FUZZ_CODECS.
const std::vector<const Codec*>& codecs();

// check_wire decodes `wire` as `kind` with every codec, re-encodes what each
// accepts and checks the answers against the policy (encode(decode(b)) ==
// canonical(b) for every accepted b). On a finding it calls report_finding
// with the sorted-first title; it returns the comparison otherwise.
// Framed kinds are read in the framing profile `framing`.
comparator::Comparison check_wire(Kind kind, ByteView wire, Framing framing = Framing::seed);

// check_payload checks `payload` as the direction's payload kind, then
// framed with a valid header as the message kind: the two payload targets'
// whole job. The profile of that header alternates with the payload's
// first bit, so both profiles' framing is exercised at the cost of one.
void check_payload(Direction direction, ByteView payload);

// report_finding prints "qemud-harness: ..." (the stable title, alone on
// its line, then the detail) to stderr and aborts, so libFuzzer records a
// crash and duplicates group by title and stack.
[[noreturn]] void report_finding(const std::string& title, const std::string& detail);

}  // namespace qemud::fuzz
