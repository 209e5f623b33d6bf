// SPDX-License-Identifier: Apache-2.0
// xml_fields.h: the few facts qemud-refd reads from a domain or network
// XML document. The daemon models a hypervisor, it does not configure one,
// so it needs no XML parser: it takes the text of one element or attribute
// and stores the document as given.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qemud::refd {

// element_text gives the text between the first `<tag>` and the next
// `</tag>`; nullopt when either is missing.
std::optional<std::string_view> element_text(std::string_view xml, std::string_view tag);

// element_number reads element_text as a decimal uint32; nullopt when the
// element is missing or is not a number that fits.
std::optional<std::uint32_t> element_number(std::string_view xml, std::string_view tag);

// attribute_of gives the value of attribute `attr` of the first `<tag`
// element, quoted with ' or "; nullopt when there is none.
std::optional<std::string_view> attribute_of(std::string_view xml, std::string_view tag, std::string_view attr);

// c_string gives the bytes of a NUL-padded char array up to its first NUL
// (all of it when it holds none).
template <class Array>
std::string_view c_string(const Array& chars) {
    std::string_view text(chars.data(), chars.size());
    const auto nul = text.find('\0');
    return nul == std::string_view::npos ? text : text.substr(0, nul);
}

// copy_padded writes text into a fixed char array, NUL-padded; the text is
// cut so that at least one NUL remains.
template <class Array>
void copy_padded(std::string_view text, Array& out) {
    out.fill(0);
    const std::size_t n = std::min(text.size(), out.size() - 1);
    for (std::size_t i = 0; i < n; ++i) out[i] = text[i];
}

}  // namespace qemud::refd
