// text_util.h: small text helpers the runner's reports share: hex, shell
// quoting, and printable excerpts of whatever a shim wrote.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qemud::conform {

// is_hex: an even-length string of hex digits (either case).
bool is_hex(std::string_view text);
// lower_hex returns text with A-F folded to a-f.
std::string lower_hex(std::string_view text);
// hex_to_bytes returns nullopt unless is_hex(text).
std::optional<std::vector<std::uint8_t>> hex_to_bytes(std::string_view text);
std::string bytes_to_hex(const std::vector<std::uint8_t>& bytes);

// shell_quote wraps text in single quotes for /bin/sh.
std::string shell_quote(std::string_view text);

// excerpt returns at most max_chars of text with every byte outside
// printable ASCII written as \xNN, and "..." when cut: safe to put in any
// report (XML, JSON, a terminal) whatever the shim sent.
std::string excerpt(std::string_view text, std::size_t max_chars = 160);

}  // namespace qemud::conform
