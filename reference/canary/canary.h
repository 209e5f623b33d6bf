// SPDX-License-Identifier: Apache-2.0
// canary.h: the planted bugs ("canaries") of the test-only canary build of
// the cxx implementation (docs/DETECTION.md). One table names them all;
// QEMUD_CANARY=<name> switches one on at run time; with the variable unset
// the canary build behaves exactly like the product.
//
// Only code compiled with QEMUD_CANARY_BUILD includes this header; the
// product libraries never do (ctest no_canary_symbols checks it).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace qemud::canary {

// Id: one per row of table(), in the same order.
enum class Id {
    // one per policy row (docs/POLICY.md)
    reject_canonical_char,
    reject_zero_ext_char,
    accept_noncanon_char,
    accept_noncanon_uchar,
    accept_pkt_max,
    ignore_magic,
    unaligned_header_length,
    length_not_compared,
    truncated_zero_fill,
    message_trailing_bytes,
    no_max_length,
    reject_int32_min,
    // wire layout
    char_encode_zero_ext,
    char_decode_sign,
    uchar_encode_sign_ext,
    uint64_word_swap,
    field_order_swap,
    arm_swap,
    array_one_short,
    failure_offset,
    serial_swap,
    payload_trailing_bytes,
    // the encoder's refusals (value -> model)
    json_missing_zero,
    json_extra_ignored,
    json_other_arm_member,
    json_void_arm_member,
    json_unknown_type,
    json_int32_wrap,
    json_uint32_wrap,
    json_number_trunc,
    json_string_int,
    json_uint64_noncanon,
    json_hex_short,
    json_hex_long,
    json_hex_bad,
    // memory safety: seen by sanitizers and allocation limits
    overread_payload_end,
    alloc_length_claim,
};

// Canary is one row: its stable snake_case name, what it breaks (one
// sentence), and the check family expected to catch it (docs/DETECTION.md).
struct Canary {
    Id id;
    std::string_view name;
    std::string_view breaks;
    std::string_view family_hint;
};

std::span<const Canary> table();
std::optional<Id> from_name(std::string_view name);
std::string_view name(Id id);

// on: whether canary `id` is the one switched on. QEMUD_CANARY is read once;
// an unknown name prints one line (the name and the list) and exits 2.
bool on(Id id);

// set_active switches the active canary for tests that loop over the table
// in one process (nullopt: none, the product's behaviour).
void set_active(std::optional<Id> id);

// Observations: what the memory canaries did, so a test without a sanitizer
// can see them. read_past_end is how many bytes past its input the last
// overread went; claimed_bytes is the largest byte count reserved from a
// length word.
struct Observations {
    std::size_t read_past_end = 0;
    std::size_t claimed_bytes = 0;
};
Observations& observations();

}  // namespace qemud::canary
