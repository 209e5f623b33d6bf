// SPDX-License-Identifier: Apache-2.0
// json_input.h: the one way the tools read a JSON input file (vector files,
// --disabled files), so that every message names the file and a syntax
// error says where: "FILE:LINE:COLUMN: not valid JSON: what".
#pragma once

#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

namespace qemud::io {

// read_text reads a whole regular file. Returns the error ("PATH: why",
// e.g. "is a directory"), or nullopt with text filled.
std::optional<std::string> read_text(const std::string& path, std::string& text);

// line_column turns a byte offset (nlohmann's parse_error::byte, 1-based,
// pointing just past the offending character) into "LINE:COLUMN", 1-based.
std::string line_column(const std::string& text, std::size_t byte);

// parse_error_text keeps what nlohmann's message says is wrong, without
// its own position prefix and with the "last read" text cut short.
std::string parse_error_text(const std::string& what);

// read_json reads and parses path. Returns the document, or a one-line
// error naming the path (and the line and column of a syntax error).
template <class BasicJson = nlohmann::json>
std::variant<BasicJson, std::string> read_json(const std::string& path) {
    std::string text;
    if (auto error = read_text(path, text)) return *error;
    try {
        return BasicJson::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        return path + ":" + line_column(text, e.byte) + ": not valid JSON: " + parse_error_text(e.what());
    }
}

}  // namespace qemud::io
