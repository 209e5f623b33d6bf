// SPDX-License-Identifier: Apache-2.0
// json_hooks.h: the planted bugs of the cxx encoder's value -> model
// conversion (runtime/model_json.h from_json). model_json.h calls these
// only when built with QEMUD_CANARY_BUILD, and only where the product
// refuses the value; each answers "refuse as usual" unless its canary is on.
#pragma once

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "canary/canary.h"
#include "codecs/codec.h"

namespace qemud::canary::json_hooks {

// lenient_word: a 32-bit integer the product refused, read as the active
// canary would (wrapped, truncated or parsed); nullopt: refuse.
inline std::optional<std::uint32_t> lenient_word(const Json& j, bool is_signed) {
    if (j.is_number_integer()) {
        const bool wrap = is_signed ? on(Id::json_int32_wrap) : on(Id::json_uint32_wrap);
        if (!wrap) return std::nullopt;
        return static_cast<std::uint32_t>(j.is_number_unsigned() ? j.get<std::uint64_t>()
                                                                 : static_cast<std::uint64_t>(j.get<std::int64_t>()));
    }
    if (j.is_number_float() && on(Id::json_number_trunc)) {
        const double d = j.get<double>();
        if (!std::isfinite(d)) return std::nullopt;
        return static_cast<std::uint32_t>(static_cast<std::int64_t>(d));
    }
    if (j.is_string() && on(Id::json_string_int)) {
        const std::string& s = j.get_ref<const std::string&>();
        char* end = nullptr;
        const long long v = std::strtoll(s.c_str(), &end, 10);
        if (s.empty() || *end) return std::nullopt;
        return static_cast<std::uint32_t>(v);
    }
    return std::nullopt;
}

// lenient_uint64: strtoull's reading of any decimal-looking string.
inline std::optional<std::uint64_t> lenient_uint64(const Json& j) {
    if (!on(Id::json_uint64_noncanon) || !j.is_string()) return std::nullopt;
    const std::string& s = j.get_ref<const std::string&>();
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
    if (s.empty() || *end) return std::nullopt;
    return v;  // "-1" wraps, a too-big number saturates (ERANGE ignored)
}

inline int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// lenient_hex: a byte array's hex the product refused, read as the active
// canary would; false: refuse.
inline bool lenient_hex(const Json& j, std::size_t size, std::string* out) {
    if (!j.is_string()) return false;
    const std::string& s = j.get_ref<const std::string&>();
    bool all_hex = true;
    for (char c : s) all_hex = all_hex && nibble(c) >= 0;
    const bool even = s.size() % 2 == 0;
    const bool short_by_one = all_hex && even && s.size() + 2 == 2 * size;
    const bool too_long = all_hex && even && s.size() > 2 * size;
    const bool bad = !all_hex || !even;
    if (!((short_by_one && on(Id::json_hex_short)) || (too_long && on(Id::json_hex_long)) ||
          (bad && on(Id::json_hex_bad))))
        return false;
    out->assign(size, '\0');
    for (std::size_t i = 0; i < size && 2 * i < s.size(); ++i) {
        const int hi = nibble(s[2 * i]);
        const int lo = 2 * i + 1 < s.size() ? nibble(s[2 * i + 1]) : 0;
        (*out)[i] = static_cast<char>(((hi < 0 ? 0 : hi) << 4) | (lo < 0 ? 0 : lo));
    }
    return true;
}

// union_member_ignored: whether a member next to a union's discriminant is
// let through. member is the selected arm's member ("" for a void arm);
// is_arm_member says whether key names some arm's member.
inline bool union_member_ignored(const char* member, bool is_arm_member) {
    if (!*member) return on(Id::json_void_arm_member);
    return is_arm_member && on(Id::json_other_arm_member);
}

}  // namespace qemud::canary::json_hooks
