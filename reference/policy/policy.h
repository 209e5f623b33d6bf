// SPDX-License-Identifier: Apache-2.0
// policy.h: what is valid, invalid or acceptable on the wire (the table of
// docs/POLICY.md), as data and as the small predicates every
// decoder, the golden generator, the comparator and the runner consult.
// Nothing else in the project decides these questions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace qemud::policy {

// Flag names one row of the policy table. The names are stable: they appear
// in golden vectors, error reports and test names.
enum class Flag {
    canonical,             // the canonical encoding of every field
    zero_extended_char,    // char byte >= 0x80 written 00 00 00 XX
    non_canonical_char,    // any other char element that is not canonical
    non_canonical_uchar,   // unsigned char element with any of the top 24 bits set
    unknown_discriminant,  // discriminant with no arm, ..._PKT_MAX included
    bad_magic,             // header magic other than QEMUD_PKT_HEADER_MAGIC
    bad_header_length,     // bare header length not a multiple of 4, too small or too large
    length_mismatch,       // framed length is not the arm's payload size
    truncated,             // payload (or header) shorter than its type
    trailing_bytes,        // bytes after the last field
    length_too_large,      // framed length beyond the largest payload of its direction
    semantic_value,        // wire-valid value with a questionable meaning
    unencodable_value,     // a value that does not fit the value model: encoders refuse it
};

enum class EncoderRule { must_produce, never_produce, refuse, may_produce, not_applicable };
enum class DecoderRule { must_accept, acceptable, must_reject };

struct Row {
    Flag flag;
    std::string_view name;  // snake_case of the flag
    EncoderRule encoder;
    DecoderRule decoder;
    std::string_view description;
};

// table lists every row, in docs/POLICY.md's order.
std::span<const Row> table();
const Row& row(Flag flag);
std::string_view name(Flag flag);
std::optional<Flag> flag_from_name(std::string_view name);
std::string_view to_string(DecoderRule rule);
std::string_view to_string(EncoderRule rule);

// How one 4-byte char or unsigned char element word is classed.
enum class ElementClass {
    canonical,           // sign-extended byte (char) / zero-extended byte (unsigned char)
    zero_extended_high,  // char only: 00 00 00 XX with XX >= 0x80; accepted, decode-only
    non_canonical,       // anything else: acceptable (libtirpc keeps the low 8 bits)
};

constexpr std::uint32_t canonical_char_word(std::uint8_t byte) {
    return static_cast<std::uint32_t>(static_cast<std::int32_t>(static_cast<std::int8_t>(byte)));
}
constexpr std::uint32_t canonical_uchar_word(std::uint8_t byte) { return byte; }

constexpr ElementClass classify_char_word(std::uint32_t word) {
    const auto low = static_cast<std::uint8_t>(word);
    if (word == canonical_char_word(low)) return ElementClass::canonical;
    if (low >= 0x80 && word == low) return ElementClass::zero_extended_high;
    return ElementClass::non_canonical;
}
constexpr ElementClass classify_uchar_word(std::uint32_t word) {
    return word <= 0xFF ? ElementClass::canonical : ElementClass::non_canonical;
}

// Flag a strict decoder reports for a non-canonical element word.
constexpr Flag char_word_flag(ElementClass c) {
    return c == ElementClass::zero_extended_high ? Flag::zero_extended_char : Flag::non_canonical_char;
}

// The header rules (bad_magic, bad_header_length, the framed length
// bounds) depend on the framing profile: framing/framing.h decides them.

}  // namespace qemud::policy
