// SPDX-License-Identifier: Apache-2.0
// differential.h: the fuzz targets' side of the shared comparator
// (conformance/properties/canonical.h, library qemud::comparator). Every
// target hands each wire it builds to check_wire(); nothing in fuzz/
// decides by itself whether a difference is acceptable: the comparator asks
// reference/policy/.
#pragma once

#include <cstdint>
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

// Oracle is how check_wire judges a wire (QEMUD_FUZZ_ORACLE; an unknown
// name exits 2):
//  * tiered (default): the fast tier (fast_tier.h: rpcgen and cxx, native,
//    no JSON) on every wire; the full check (every implementation through
//    the Codec interface, JSON and re-encoding, the comparator) on the first
//    wire of each new signature, on one wire in QEMUD_FUZZ_FULL_EVERY
//    (default default_full_check_every) chosen by a seeded sampler
//    (QEMUD_FUZZ_SAMPLE_SEED, default 1), and on any wire the fast tier
//    finds wrong;
//  * full: the full check on every wire (the oracle before tiers);
//  * fast: the fast tier alone (to measure it, or to test it).
// Without both rpcgen and cxx among codecs() every wire gets the full check.
enum class Oracle { tiered, full, fast };
Oracle oracle();
inline constexpr std::uint64_t default_full_check_every = 256;
std::uint64_t full_check_every();

// full_check_due: whether the input with this signature gets the full
// check (tiered: the first of its signature, or sampled; full: always;
// fast: never). The stream targets ask it for their costliest check too.
bool full_check_due(std::uint64_t signature);

// check_wire checks `wire` as `kind` (framed kinds in the profile
// `framing`) against the policy with the oracle above: every codec must
// answer as the policy says, and encode(decode(b)) == canonical(b) for
// every accepted b. On a finding it calls report_finding with the
// sorted-first title.
void check_wire(Kind kind, ByteView wire, Framing framing = Framing::seed);

// check_payload checks `payload` as the direction's payload kind, then
// framed with a valid header as the message kind: the two payload targets'
// whole job. The profile of that header alternates with the payload's
// first bit, so both profiles' framing is exercised at the cost of one.
void check_payload(Direction direction, ByteView payload);

// check_dynamic_payload is check_payload for the dynamic codec's own
// targets: the payload and the framed message, each through the full check
// of dynamic and cxx alone, and through dynamic's decode_into against its
// decode (same answer, same value, same error) (the dynamic codec interprets protocol.x at run
// time; in the other targets it answers only on the wires the tiered oracle
// sends to the full check, so its code would get little coverage feedback).
void check_dynamic_payload(Direction direction, ByteView payload);

// report_finding prints "qemud-harness: ..." (the stable title, alone on
// its line, then the detail) to stderr and aborts, so libFuzzer records a
// crash and duplicates group by title and stack.
[[noreturn]] void report_finding(const std::string& title, const std::string& detail);

}  // namespace qemud::fuzz
