// SPDX-License-Identifier: Apache-2.0
// fast_tier.h: the differential targets' native check of one wire, the
// tier that runs on every input (docs/FUZZING.md, "The tiered oracle").
//
// It asks the same questions as the comparator's full check
// (conformance/properties/canonical.h), of rpcgen and cxx only, with no
// JSON: rpcgen's xdr_ procedure decodes into rpcgen's C struct, cxx's
// native API into its model (decode_quiet: a rejection costs no text),
// the bridge carries the C struct into the model, and the answers are
// judged against a summary of the policy's classification (canonical.h):
//  * must_accept: both accept, rpcgen's value == cxx's value, and cxx's
//    encoding of it is canonical(wire);
//  * acceptable: cxx (strict) rejects; rpcgen rejects, or its value
//    encodes (by cxx) to low_byte_canonical(wire);
//  * must_reject: both reject, and cxx's error names a flag the
//    classification has, at that flag's first word for an element or the
//    discriminant (cxx stops at the first error);
//  * framed kinds: both header-struct decoders read the words the framing
//    profile reads, then the shared framing checks decide.
// What it does not see (the JSON value model, the dynamic codec, rpcgen's
// encoder, cxx's header canaries) the full check sees, on the inputs the
// tiered oracle sends it (differential.cpp).
#pragma once

#include <cstdint>
#include <string>

#include "codecs/codec.h"

namespace qemud::fuzz {

// FastResult: the input's signature (what the tiered oracle groups inputs
// by: kind, framing, arm, rule, the set of policy flags, which of the two
// decoders accepted, cxx's error flag) and, when the fast tier saw a
// departure from the policy, what and between whom.
struct FastResult {
    std::uint64_t signature = 0;
    std::string what;    // empty: nothing seen; else a finding's last title word
    std::string first;   // implementation(s) the finding names
    std::string second;
    std::string detail;
    const ArmInfo* arm = nullptr;
    bool suspicious() const { return !what.empty(); }
};

FastResult fast_check(Kind kind, ByteView wire, Framing framing);

}  // namespace qemud::fuzz
