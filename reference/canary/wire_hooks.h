// SPDX-License-Identifier: Apache-2.0
// wire_hooks.h: the planted bugs of the cxx wire runtime (runtime/wire_codec.h),
// kept out of its hot paths: wire_codec.h calls these only when built with
// QEMUD_CANARY_BUILD, and each does nothing unless its canary is on.
#pragma once

#include <climits>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <utility>

#include "canary/canary.h"
#include "runtime/reader.h"
#include "runtime/writer.h"
#include "runtime/xdr_types.h"

namespace qemud::canary::wire_hooks {

// any_byte_decode_canary: whether decoding byte arrays must take the
// canary's slow path.
inline bool any_byte_decode_canary() {
    return on(Id::reject_canonical_char) || on(Id::reject_zero_ext_char) || on(Id::accept_noncanon_char) ||
           on(Id::accept_noncanon_uchar) || on(Id::char_decode_sign);
}

// byte_word decides one element word under the active canary: whether it
// is accepted, and (through *byte) what it decodes to. strict_ok is the
// product's answer.
template <bool Signed>
inline bool byte_word(std::uint32_t w, bool strict_ok, std::uint8_t* byte) {
    std::uint8_t b = static_cast<std::uint8_t>(w);
    const std::uint32_t high = w >> 8;
    bool ok = strict_ok;
    if constexpr (Signed) {
        if (on(Id::reject_canonical_char) && high == 0xFFFFFF && b >= 0x80) ok = false;
        if (on(Id::reject_zero_ext_char) && high == 0 && b >= 0x80) ok = false;
        if (on(Id::accept_noncanon_char) && !ok) {
            ok = true;
            b = static_cast<std::uint8_t>(w >> 8);
        }
        if (on(Id::char_decode_sign) && high == 0xFFFFFF && b >= 0x80) b &= 0x7F;
    } else {
        if (on(Id::accept_noncanon_uchar) && !ok) {
            ok = true;
            b = static_cast<std::uint8_t>(w >> 8);
        }
    }
    *byte = b;
    return ok;
}

// encode_byte_words: the canary's encoding of n byte elements; false when
// no encoding canary is on (the product's kernel runs instead).
template <bool Signed>
inline bool encode_byte_words(wire::Writer& w, const std::uint8_t* in, std::size_t n) {
    const bool zero_ext = Signed && on(Id::char_encode_zero_ext);
    const bool sign_ext = !Signed && on(Id::uchar_encode_sign_ext);
    const bool short_by_one = on(Id::array_one_short);
    if (!zero_ext && !sign_ext && !short_by_one) return false;
    const std::size_t words = short_by_one && n > 0 ? n - 1 : n;
    std::uint8_t* p = w.extend(4 * words);
    for (std::size_t i = 0; i < words; ++i) {
        const std::uint8_t b = in[i];
        std::uint32_t word = (Signed && b >= 0x80) ? 0xFFFFFF00u | b : b;  // canonical
        if (zero_ext && b >= 0x80) word = b;
        if (sign_ext && b >= 0x80) word = 0xFFFFFF00u | b;
        wire::store_be32(p + 4 * i, word);
    }
    return true;
}

// swap_named: exchanges two uint32 fields of a struct found by name (a
// field-order bug looks exactly like this on decode).
template <class S>
void swap_named(S& s, std::string_view a, std::string_view b) {
    std::uint32_t* pa = nullptr;
    std::uint32_t* pb = nullptr;
    visit_fields(s, [&](const char* name, auto& field) {
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(field)>, std::uint32_t>) {
            if (name == a) pa = &field;
            if (name == b) pb = &field;
        }
    });
    if (pa && pb) std::swap(*pa, *pb);
}

template <class S>
void after_struct_decode(S& s) {
    if (on(Id::field_order_swap)) swap_named(s, "memory", "maxmem");
    if (on(Id::serial_swap)) swap_named(s, "serial", "inReplyTo");
}

inline bool ends_with(const char* s, std::string_view suffix) {
    const std::string_view v(s);
    return v.size() >= suffix.size() && v.substr(v.size() - suffix.size()) == suffix;
}

// enum_value finds the value of an item of E by name.
template <class E>
bool enum_value(std::string_view name, std::int64_t* value) {
    if constexpr (requires { xdr::EnumTraits<E>::items; }) {
        for (const auto& [item, v] : xdr::EnumTraits<E>::items)
            if (name == item) {
                *value = v;
                return true;
            }
    }
    return false;
}

// swapped_discriminant: arm_swap's exchange of two client arms.
template <class D>
std::int64_t swapped_discriminant(std::int64_t value, const char* name) {
    if (!on(Id::arm_swap) || !name) return value;
    std::int64_t other = value;
    const std::string_view n(name);
    if (n == "QEMUD_CLIENT_PKT_DOMAIN_SUSPEND") enum_value<D>("QEMUD_CLIENT_PKT_DOMAIN_RESUME", &other);
    if (n == "QEMUD_CLIENT_PKT_DOMAIN_RESUME") enum_value<D>("QEMUD_CLIENT_PKT_DOMAIN_SUSPEND", &other);
    return other;
}

// accept_as_void: accept_pkt_max's void arm for ..._PKT_MAX.
inline bool accept_as_void(const char* name) { return on(Id::accept_pkt_max) && name && ends_with(name, "_PKT_MAX"); }

inline bool extra_word_before_arm(const char* name) {
    return on(Id::failure_offset) && name && std::string_view(name) == "QEMUD_SERVER_PKT_FAILURE";
}

inline bool reject_int32(std::int32_t v) { return on(Id::reject_int32_min) && v == INT32_MIN; }

// overread: one byte read past the end of the input. A plain build reads
// whatever lies there and ignores it; ASan reports a heap-buffer-overflow.
inline void overread(const std::uint8_t* data, std::size_t size) {
    if (!on(Id::overread_payload_end) || !data) return;
    const volatile std::uint8_t* p = data;
    [[maybe_unused]] const std::uint8_t past = p[size];
    observations().read_past_end = 1;
}

}  // namespace qemud::canary::wire_hooks
