// SPDX-License-Identifier: Apache-2.0
// text_util.h: small text helpers the runner's reports share: hex checks, shell
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
// (Hex to and from bytes: value_model::bytes_from_hex and to_hex.)

// shell_quote wraps text in single quotes for /bin/sh.
std::string shell_quote(std::string_view text);

// excerpt returns at most max_chars of text with every byte outside
// printable ASCII written as \xNN, and "..." when cut: safe to put in any
// report (XML, JSON, a terminal) whatever the shim sent.
std::string excerpt(std::string_view text, std::size_t max_chars = 160);

}  // namespace qemud::conform
