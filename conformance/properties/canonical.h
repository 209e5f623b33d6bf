// SPDX-License-Identifier: Apache-2.0
// canonical.h: the comparator. What the policy (docs/POLICY.md,
// reference/policy/policy.h) says about one wire, the canonical form of a
// wire, and whether the answers of several implementations to the same
// wire disagree in a way the policy allows. The properties use it today;
// the differential fuzz targets reuse it (library qemud::comparator).
//
// Where the char and unsigned char element words are is derived from the
// AST of protocol.x (arm_layout.h), for the arm the wire's own discriminant
// selects, so a changed discriminant is judged by the arm it now names.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "codecs/codec.h"
#include "policy/policy.h"
#include "protocol_info/protocol_info.h"

namespace qemud::comparator {

// ElementSite is one 4-byte char or unsigned char element word of an arm's
// payload: its offset from the start of the payload and its field path
// ("data.domainCreateReply.name[17]").
struct ElementSite {
    std::size_t offset = 0;
    bool is_char = true;  // char (sign-extended canonical) or unsigned char
    std::string path;
};

// element_sites lists the element words of an arm's payload in wire order
// (empty for a void arm). Computed once for every arm from the AST.
const std::vector<ElementSite>& element_sites(const ArmInfo& arm);

// ElementRun is a stretch of consecutive element words of one kind (char or
// unsigned char): the unit the classification scans with the cxx runtime's
// bulk kernel. first_site indexes element_sites(arm).
struct ElementRun {
    std::size_t offset = 0;
    std::size_t count = 0;
    bool is_char = true;
    std::size_t first_site = 0;
};

// element_runs: the arm's element sites grouped into runs, in wire order.
const std::vector<ElementRun>& element_runs(const ArmInfo& arm);

// FlagAt is one policy row that applies to a wire, and where.
struct FlagAt {
    policy::Flag flag;
    std::size_t offset = 0;  // in the wire as given (header included for *_message)
    // path: the field path when it is an element, else empty. It points
    // into element_sites()' cache (or a literal), which lives as long as
    // the program, so classify allocates nothing per flag.
    std::string_view path;
};

// Classification is the policy's verdict on one wire of a payload or
// message kind: every row that applies, in wire order, and the decoder rule
// that results (the strictest of them; must_accept when none applies).
struct Classification {
    const ArmInfo* arm = nullptr;  // the arm the discriminant names, when it names one
    std::vector<FlagAt> flags;     // empty when summary_only
    policy::DecoderRule rule = policy::DecoderRule::must_accept;
    // The summary, kept in both modes: the set of flags that apply (bit
    // 1 << Flag), each one's first offset (valid for the flags in
    // flag_set), and the first flag seen of each decoder rule.
    std::uint64_t flag_set = 0;
    std::array<std::size_t, 16> first_offset{};
    std::array<policy::Flag, 3> first_of_rule{policy::Flag::canonical, policy::Flag::canonical,
                                              policy::Flag::canonical};
    // summary_only (set before classify_into) skips the list of flags and
    // stops looking for a flag once its first word is known: the fuzz
    // targets' fast tier needs only the summary, and a fuzzed wire can have
    // thousands of flagged words. (A zero_extended_char word in a block of
    // elements that also holds a non-canonical one past the first may then
    // go unseen; that flag decides nothing, since its rule is must_accept.)
    // It also leaves unread the payload of a framed wire whose header
    // already makes every decoder refuse it in the shared framing checks
    // (a bad constant, a size other than the length announces) and says so
    // in payload_unread; `arm` is still the arm the discriminant names.
    bool summary_only = false;
    bool payload_unread = false;
    bool has(policy::Flag flag) const { return flag_set & (std::uint64_t{1} << static_cast<unsigned>(flag)); }
    // deciding is the first flag with the resulting rule (canonical when
    // there is none): the flag a report names.
    policy::Flag deciding() const;
    std::string to_string() const;
};

// classify judges a wire of any kind, framed kinds in the given framing
// profile. It never fails.
Classification classify(Kind kind, ByteView wire, Framing framing = Framing::seed);
// classify_into is classify into `c`, keeping its summary_only.
void classify_into(Kind kind, ByteView wire, Framing framing, Classification& c);

// canonical rewrites every zero-extended char element >= 0x80 (00 00 00 XX)
// to its sign-extended form (FF FF FF XX) and changes nothing else: the
// bytes an encoder must produce for what a decoder accepted (docs/POLICY.md). A wire whose arm cannot be told is returned unchanged.
Bytes canonical(Kind kind, ByteView wire, Framing framing = Framing::seed);

// low_byte_canonical also rewrites every other non-canonical char and
// unsigned char element to the canonical word of its low 8 bits: what
// libtirpc's lenient decoder reads, re-encoded.
Bytes low_byte_canonical(Kind kind, ByteView wire, Framing framing = Framing::seed);

// The same two rewrites from a classification already made of `wire`: they
// rewrite exactly the element words it flagged (zero_extended_char; with
// low_byte also non_canonical_char and non_canonical_uchar).
Bytes canonical(ByteView wire, const Classification& c);
Bytes low_byte_canonical(ByteView wire, const Classification& c);
// canonical_into writes either rewrite into `out`, reusing its capacity.
void canonical_into(ByteView wire, const Classification& c, bool low_byte, Bytes& out);
// canonical_elements_into rewrites every element word the wire holds to the
// canonical word of its low byte, with the cxx runtime's bulk kernels: for a
// must_accept wire that is canonical(wire) (its element words are all
// canonical or zero-extended), for an acceptable one low_byte_canonical(wire).
// It needs only the classification's arm, so a summary_only one will do.
void canonical_elements_into(Kind kind, ByteView wire, const Classification& c, Bytes& out);

// Answer is one implementation's decode of a wire and, when it accepted,
// its own re-encoding of the decoded value.
struct Answer {
    const Codec* codec = nullptr;
    Outcome<Json> decoded = Unsupported{};
    std::optional<Outcome<Bytes>> reencoded;
};

// Disagreement is one departure from the policy (a finding) or one
// difference the policy allows (a note), with a stable title that groups
// duplicates: "qemud-harness: cxx-rpcgen client QEMUD_CLIENT_PKT_DUMP_XML
// decode-disagrees".
struct Disagreement {
    std::string first;   // implementation names, sorted; second empty when
    std::string second;  // the finding is about one implementation alone
    std::string title;
    std::string detail;
    policy::Flag flag = policy::Flag::canonical;
};

struct Comparison {
    Classification classification;
    std::vector<Answer> answers;
    std::vector<Disagreement> findings;  // each one breaks the policy
    std::vector<Disagreement> notes;     // acceptable differences, with their flag
    bool ok() const { return findings.empty(); }
    // involving keeps the findings and notes that name implementation `name`.
    Comparison involving(std::string_view name) const;
    std::string to_string() const;
};

// compare_decoders decodes `wire` with every codec, re-encodes what each
// accepts (with the same codec), and checks the answers against the policy
// and each other:
//  * must_reject: every codec rejects;
//  * acceptable: a strict codec rejects; a lenient one rejects or accepts a
//    value whose re-encoding is low_byte_canonical(wire);
//  * must_accept: every codec accepts, and re-encodes to canonical(wire);
//  * codecs that accept agree on the value.
// Unsupported answers are skipped.
Comparison compare_decoders(Kind kind, ByteView wire, std::span<const Codec* const> codecs,
                            Framing framing = Framing::seed);

// title builds the stable title of a finding.
std::string title(std::string_view first, std::string_view second, Kind kind, const ArmInfo* arm,
                  std::string_view what);

}  // namespace qemud::comparator
