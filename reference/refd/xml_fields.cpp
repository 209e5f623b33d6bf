// SPDX-License-Identifier: Apache-2.0
#include "refd/xml_fields.h"

#include <charconv>

namespace qemud::refd {

std::optional<std::string_view> element_text(std::string_view xml, std::string_view tag) {
    const std::string open = "<" + std::string(tag) + ">";
    const std::string close = "</" + std::string(tag) + ">";
    const auto start = xml.find(open);
    if (start == std::string_view::npos) return std::nullopt;
    const auto text_at = start + open.size();
    const auto end = xml.find(close, text_at);
    if (end == std::string_view::npos) return std::nullopt;
    return xml.substr(text_at, end - text_at);
}

std::optional<std::uint32_t> element_number(std::string_view xml, std::string_view tag) {
    auto text = element_text(xml, tag);
    if (!text) return std::nullopt;
    while (!text->empty() && (text->front() == ' ' || text->front() == '\n')) text->remove_prefix(1);
    while (!text->empty() && (text->back() == ' ' || text->back() == '\n')) text->remove_suffix(1);
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
    return value;
}

std::optional<std::string_view> attribute_of(std::string_view xml, std::string_view tag, std::string_view attr) {
    const auto start = xml.find("<" + std::string(tag));
    if (start == std::string_view::npos) return std::nullopt;
    const auto end = xml.find('>', start);
    const std::string_view element = xml.substr(start, end == std::string_view::npos ? xml.npos : end - start);
    const auto at = element.find(" " + std::string(attr) + "=");
    if (at == std::string_view::npos) return std::nullopt;
    const auto quote_at = at + attr.size() + 2;
    if (quote_at >= element.size()) return std::nullopt;
    const char quote = element[quote_at];
    if (quote != '\'' && quote != '"') return std::nullopt;
    const auto close = element.find(quote, quote_at + 1);
    if (close == std::string_view::npos) return std::nullopt;
    return element.substr(quote_at + 1, close - quote_at - 1);
}

}  // namespace qemud::refd
