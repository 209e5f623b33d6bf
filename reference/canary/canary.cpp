// SPDX-License-Identifier: Apache-2.0
// canary.cpp: the one table of canaries and the switch that reads
// QEMUD_CANARY. Linked only into the canary variants (docs/DETECTION.md).
#include "canary/canary.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace qemud::canary {

namespace {

// Families (docs/DETECTION.md): unit/golden, properties, qemud-conform,
// shim, fuzzing. The hint is the family whose checks should kill it first;
// the measured kill matrix is what counts. The json_ rows name unit/golden:
// that is where a check of the encoders' value refusals belongs, and no
// family feeds malformed payload values to the encoders yet.
constexpr std::array<Canary, 37> rows{{
    {Id::reject_canonical_char, "reject_canonical_char",
     "canonical: a sign-extended char word FFFFFFxx is rejected as non_canonical_char", "unit/golden"},
    {Id::reject_zero_ext_char, "reject_zero_ext_char",
     "zero_extended_char: a char word 000000xx with xx >= 0x80 is rejected", "unit/golden"},
    {Id::accept_noncanon_char, "accept_noncanon_char",
     "non_canonical_char: a char word such as 00000141 is accepted and decoded as its second byte, not libtirpc's low byte",
     "unit/golden"},
    {Id::accept_noncanon_uchar, "accept_noncanon_uchar",
     "non_canonical_uchar: an unsigned char word such as 00000141 is accepted and decoded as its second byte",
     "unit/golden"},
    {Id::accept_pkt_max, "accept_pkt_max",
     "unknown_discriminant: the ..._PKT_MAX discriminant is accepted as a void arm", "unit/golden"},
    {Id::ignore_magic, "ignore_magic",
     "bad_magic: the header's constant word (magic or program number) is not checked", "unit/golden"},
    {Id::unaligned_header_length, "unaligned_header_length",
     "bad_header_length: the length word's low two bits are dropped, not checked, so a bare header whose length is not a multiple of 4 is accepted",
     "unit/golden"},
    {Id::length_not_compared, "length_not_compared",
     "length_mismatch: a framed payload longer than its arm is accepted, the extra bytes ignored", "unit/golden"},
    {Id::truncated_zero_fill, "truncated_zero_fill",
     "truncated: a payload that ends inside its arm is accepted, the missing bytes read as zeros", "unit/golden"},
    {Id::message_trailing_bytes, "message_trailing_bytes",
     "trailing_bytes: bytes after 8 + length of a framed message are accepted and ignored", "unit/golden"},
    {Id::no_max_length, "no_max_length",
     "length_too_large: a framed length above the direction's largest message is not refused from the header (the payload decides, as length_mismatch)",
     "unit/golden"},
    {Id::reject_int32_min, "reject_int32_min",
     "semantic_value: an int32 field holding INT32_MIN is rejected", "unit/golden"},
    {Id::char_encode_zero_ext, "char_encode_zero_ext",
     "canonical: a char byte >= 0x80 is encoded zero-extended (000000E9, not FFFFFFE9)", "unit/golden"},
    {Id::char_decode_sign, "char_decode_sign",
     "a sign-extended char word FFFFFFxx decodes to the byte with its sign bit cleared", "unit/golden"},
    {Id::uchar_encode_sign_ext, "uchar_encode_sign_ext",
     "canonical: an unsigned char byte >= 0x80 is encoded sign-extended (FFFFFFE9, not 000000E9)", "unit/golden"},
    {Id::uint64_word_swap, "uint64_word_swap", "a uint64 is encoded low word first", "unit/golden"},
    {Id::field_order_swap, "field_order_swap",
     "qemud_packet_domain_get_info_reply's memory and maxmem are decoded in each other's place", "unit/golden"},
    {Id::arm_swap, "arm_swap",
     "the client discriminants DOMAIN_SUSPEND and DOMAIN_RESUME decode as each other's arm", "unit/golden"},
    {Id::array_one_short, "array_one_short",
     "a char or unsigned char array of N elements is encoded with N - 1 element words", "unit/golden"},
    {Id::failure_offset, "failure_offset",
     "the FAILURE arm's body is encoded 4 bytes late (a zero word after the discriminant)", "unit/golden"},
    {Id::serial_swap, "serial_swap", "a server payload's serial and inReplyTo are decoded swapped", "properties"},
    {Id::payload_trailing_bytes, "payload_trailing_bytes",
     "trailing_bytes: bytes after a payload's last field are accepted and ignored", "unit/golden"},
    {Id::json_missing_zero, "json_missing_zero", "from_json: a missing struct member is zero-filled, not refused",
     "unit/golden"},
    {Id::json_extra_ignored, "json_extra_ignored", "from_json: an unknown struct member is ignored, not refused",
     "unit/golden"},
    {Id::json_other_arm_member, "json_other_arm_member",
     "from_json: a member of another arm next to the selected arm's member is ignored, not refused", "unit/golden"},
    {Id::json_void_arm_member, "json_void_arm_member",
     "from_json: a member next to a void arm's discriminant is ignored, not refused", "unit/golden"},
    {Id::json_unknown_type, "json_unknown_type",
     "from_json: an unknown enum name (a union's type) is read as the enum's first item", "unit/golden"},
    {Id::json_int32_wrap, "json_int32_wrap", "from_json: an int32 out of range wraps modulo 2^32, not refused",
     "unit/golden"},
    {Id::json_uint32_wrap, "json_uint32_wrap", "from_json: a uint32 out of range (negative or >= 2^32) wraps, not refused",
     "unit/golden"},
    {Id::json_number_trunc, "json_number_trunc",
     "from_json: a non-integer number (1.5, 1000.0) for an int32 or uint32 is truncated, not refused", "unit/golden"},
    {Id::json_string_int, "json_string_int", "from_json: a string (\"5\") for an int32 or uint32 is parsed, not refused",
     "unit/golden"},
    {Id::json_uint64_noncanon, "json_uint64_noncanon",
     "from_json: a non-canonical uint64 string (\"01\", \"-1\", too big) is accepted as strtoull reads it",
     "unit/golden"},
    {Id::json_hex_short, "json_hex_short", "from_json: a byte array's hex one byte short is zero-padded, not refused",
     "unit/golden"},
    {Id::json_hex_long, "json_hex_long", "from_json: a byte array's hex too long is truncated, not refused",
     "unit/golden"},
    {Id::json_hex_bad, "json_hex_bad",
     "from_json: odd-length or non-hex byte-array text is accepted (a bad digit reads as 0, a lone digit as its high nibble)",
     "unit/golden"},
    {Id::overread_payload_end, "overread_payload_end",
     "the payload decoder reads one byte past the end of its input (results unchanged; ASan sees it)", "fuzzing"},
    {Id::alloc_length_claim, "alloc_length_claim",
     "the header's length word is reserved as a byte count before it is checked (4 GiB for FFFFFFFF)",
     "unit/golden"},
}};

constexpr bool rows_in_id_order() {
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (static_cast<std::size_t>(rows[i].id) != i) return false;
    return static_cast<std::size_t>(Id::alloc_length_claim) + 1 == rows.size();
}
static_assert(rows_in_id_order(), "canary table rows must follow enum Id");

std::optional<Id> from_environment() {
    const char* value = std::getenv("QEMUD_CANARY");
    if (!value || !*value) return std::nullopt;
    if (auto id = from_name(value)) return id;
    std::string list;
    for (const Canary& c : rows) list += (list.empty() ? "" : ", ") + std::string(c.name);
    std::fprintf(stderr, "QEMUD_CANARY=%s: unknown canary; known: %s\n", value, list.c_str());
    std::exit(2);
}

std::optional<Id>& active() {
    static std::optional<Id> id = from_environment();
    return id;
}

// Read at start-up, so a misspelt name stops the program before it runs
// any case rather than on its first cxx call.
[[maybe_unused]] const bool checked_at_startup = (active(), true);

}  // namespace

std::span<const Canary> table() { return rows; }

std::optional<Id> from_name(std::string_view name) {
    for (const Canary& c : rows)
        if (c.name == name) return c.id;
    return std::nullopt;
}

std::string_view name(Id id) { return rows[static_cast<std::size_t>(id)].name; }

bool on(Id id) { return active() == id; }

void set_active(std::optional<Id> id) { active() = id; }

Observations& observations() {
    static Observations o;
    return o;
}

}  // namespace qemud::canary
