// SPDX-License-Identifier: Apache-2.0
#include "value_model.h"

#include <charconv>

namespace qemud::value_model {

namespace {

std::optional<std::int64_t> read_integer(const Json& j, std::int64_t lo, std::int64_t hi, const char* type,
                                         std::string* why) {
    // JSON integers only: 1.0 and 1e3 are numbers but not integers of the model.
    if (!j.is_number_integer()) {
        *why = std::string("expected a JSON integer (") + type + "), found " + j.dump();
        return std::nullopt;
    }
    if (j.is_number_unsigned()) {
        const auto u = j.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(hi)) {
            *why = std::to_string(u) + " is out of range for " + type;
            return std::nullopt;
        }
        return static_cast<std::int64_t>(u);
    }
    const auto v = j.get<std::int64_t>();
    if (v < lo || v > hi) {
        *why = std::to_string(v) + " is out of range for " + type;
        return std::nullopt;
    }
    return v;
}

std::optional<std::uint64_t> read_decimal(const Json& j, bool allow_sign, bool* negative, std::string* why) {
    if (!j.is_string()) {
        *why = "expected a decimal string, found " + j.dump();
        return std::nullopt;
    }
    std::string_view s = j.get_ref<const std::string&>();
    *negative = false;
    if (allow_sign && !s.empty() && s.front() == '-') {
        *negative = true;
        s.remove_prefix(1);
    }
    const bool leading_zero = s.size() > 1 && s.front() == '0';
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || leading_zero || ec != std::errc() || end != s.data() + s.size() || (*negative && value == 0)) {
        *why = "\"" + j.get<std::string>() + "\" is not a plain decimal integer in range";
        return std::nullopt;
    }
    return value;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::optional<std::int64_t> read_int32(const Json& j, std::string* why) {
    return read_integer(j, INT32_MIN, INT32_MAX, "int32_t", why);
}

std::optional<std::uint32_t> read_uint32(const Json& j, std::string* why) {
    const auto v = read_integer(j, 0, UINT32_MAX, "uint32_t", why);
    if (!v) return std::nullopt;
    return static_cast<std::uint32_t>(*v);
}

std::optional<std::int64_t> read_int64(const Json& j, std::string* why) {
    bool negative = false;
    const auto magnitude = read_decimal(j, true, &negative, why);
    if (!magnitude) return std::nullopt;
    const std::uint64_t limit = negative ? (1ull << 63) : (1ull << 63) - 1;
    if (*magnitude > limit) {
        *why = "\"" + j.get<std::string>() + "\" is out of range for int64_t";
        return std::nullopt;
    }
    return negative ? static_cast<std::int64_t>(0 - *magnitude) : static_cast<std::int64_t>(*magnitude);
}

std::optional<std::uint64_t> read_uint64(const Json& j, std::string* why) {
    bool negative = false;
    return read_decimal(j, false, &negative, why);
}

bool read_hex(const Json& j, std::size_t expected_bytes, std::string* out, std::string* why) {
    if (!j.is_string()) {
        *why = "expected a hex string, found " + j.dump();
        return false;
    }
    const auto& s = j.get_ref<const std::string&>();
    if (s.size() != expected_bytes * 2) {
        *why = "expected " + std::to_string(expected_bytes * 2) + " hex digits, found " + std::to_string(s.size());
        return false;
    }
    out->resize(expected_bytes);
    for (std::size_t i = 0; i < expected_bytes; ++i) {
        const int hi = hex_digit(s[2 * i]);
        const int lo = hex_digit(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            *why = "non-hex digit at position " + std::to_string(hi < 0 ? 2 * i : 2 * i + 1);
            return false;
        }
        (*out)[i] = static_cast<char>(hi * 16 + lo);
    }
    return true;
}

std::string to_hex(const void* bytes, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    const auto* p = static_cast<const std::uint8_t*>(bytes);
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    return out;
}

std::optional<Bytes> bytes_from_hex(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    Bytes out(text.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = hex_digit(text[2 * i]);
        const int lo = hex_digit(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return out;
}

Json uint64_json(std::uint64_t value) { return std::to_string(value); }
Json int64_json(std::int64_t value) { return std::to_string(value); }

CodecError value_error(std::string path, std::string message) {
    return CodecError{std::move(path), std::nullopt, "value", std::move(message)};
}

}  // namespace qemud::value_model
