// SPDX-License-Identifier: Apache-2.0
// policy_table.cpp: docs/POLICY.md as data.
#include <array>

#include "policy.h"

namespace qemud::policy {

namespace {

using E = EncoderRule;
using D = DecoderRule;

constexpr std::array<Row, 13> rows{{
    {Flag::canonical, "canonical", E::must_produce, D::must_accept,
     "The canonical encoding of every field: char bytes sign-extended, unsigned char bytes zero-extended."},
    {Flag::zero_extended_char, "zero_extended_char", E::never_produce, D::must_accept,
     "A char byte >= 0x80 written zero-extended (00 00 00 E9), as unsigned-char platforms do. The value is the "
     "byte; re-encoding gives the canonical sign-extended word. Decode-only."},
    {Flag::non_canonical_char, "non_canonical_char", E::never_produce, D::acceptable,
     "A char element that is neither sign- nor zero-extended (00 00 01 41, FF FF FF 41). libtirpc keeps the low 8 "
     "bits; a strict decoder rejects."},
    {Flag::non_canonical_uchar, "non_canonical_uchar", E::never_produce, D::acceptable,
     "An unsigned char element with any of its top 24 bits set. libtirpc keeps the low 8 bits; a strict decoder "
     "rejects."},
    {Flag::unknown_discriminant, "unknown_discriminant", E::never_produce, D::must_reject,
     "A union discriminant with no arm, the ..._PKT_MAX count included."},
    {Flag::bad_magic, "bad_magic", E::refuse, D::must_reject,
     "A header whose constant word is not 0x20001A64: the magic (word 1) in the seed framing, the program number "
     "(word 2) in libvirt-0.3's."},
    {Flag::bad_header_length, "bad_header_length", E::refuse, D::must_reject,
     "A bare header length that is not a multiple of 4, or outside the framing's bounds: the smallest payload (8) "
     "to the largest (20016) in the seed framing, 16 to 20024 in libvirt-0.3's (its length counts the header)."},
    {Flag::length_mismatch, "length_mismatch", E::never_produce, D::must_reject,
     "A framed message whose length is not the size of its arm: the payload size (seed), 8 + the payload size "
     "(libvirt-0.3)."},
    {Flag::truncated, "truncated", E::not_applicable, D::must_reject, "Input shorter than its type."},
    {Flag::trailing_bytes, "trailing_bytes", E::not_applicable, D::must_reject,
     "Bytes after the last field of the arm, within length or after the framed message."},
    {Flag::length_too_large, "length_too_large", E::not_applicable, D::must_reject,
     "A framed length beyond the largest message of its direction (payload 16396 client, 20016 server; 8 more in "
     "libvirt-0.3, whose length counts the header); rejected without reading or allocating that many bytes."},
    {Flag::semantic_value, "semantic_value", E::may_produce, D::must_accept,
     "A wire-valid value with a questionable meaning (runstate outside 1..3, numDomains > 100, a name without "
     "NUL): accepted, reported as a note."},
    {Flag::unencodable_value, "unencodable_value", E::refuse, D::must_reject,
     "A value that does not fit the value model: a member missing or unknown, another arm's member, an integer "
     "out of range or not an integer, a uint64 that is not a canonical decimal string, hex of the wrong length or "
     "not hex, a type naming no arm. Encoders refuse it, naming the member; it has no wire."},
}};

}  // namespace

std::span<const Row> table() { return rows; }

const Row& row(Flag flag) { return rows[static_cast<std::size_t>(flag)]; }

std::string_view name(Flag flag) { return row(flag).name; }

std::optional<Flag> flag_from_name(std::string_view n) {
    for (const auto& r : rows)
        if (r.name == n) return r.flag;
    return std::nullopt;
}

std::string_view to_string(DecoderRule rule) {
    switch (rule) {
        case D::must_accept: return "must_accept";
        case D::acceptable: return "acceptable";
        case D::must_reject: return "must_reject";
    }
    return "?";
}

std::string_view to_string(EncoderRule rule) {
    switch (rule) {
        case E::must_produce: return "must_produce";
        case E::never_produce: return "never_produce";
        case E::refuse: return "refuse";
        case E::may_produce: return "may_produce";
        case E::not_applicable: return "not_applicable";
    }
    return "?";
}

}  // namespace qemud::policy
