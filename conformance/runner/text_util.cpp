// SPDX-License-Identifier: Apache-2.0
#include "text_util.h"

#include <cctype>
#include <cstdio>

#include "codecs/value_model.h"

namespace qemud::conform {

bool is_hex(std::string_view text) { return value_model::bytes_from_hex(text).has_value(); }

std::string lower_hex(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string shell_quote(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out.push_back(c);
    }
    return out + "'";
}

std::string excerpt(std::string_view text, std::size_t max_chars) {
    std::string out;
    for (char c : text) {
        if (out.size() >= max_chars) {
            out += "...";
            break;
        }
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f) {
            out.push_back(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", u);
            out += buf;
        }
    }
    return out;
}

}  // namespace qemud::conform
