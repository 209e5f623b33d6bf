// SPDX-License-Identifier: Apache-2.0
#include "json_input.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace qemud::io {

std::optional<std::string> read_text(const std::string& path, std::string& text) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return path + ": cannot open: " + std::strerror(errno);
    // An ifstream opens a directory without complaint and reads nothing.
    if (S_ISDIR(st.st_mode)) return path + ": is a directory, not a file";
    std::ifstream in(path, std::ios::binary);
    if (!in) return path + ": cannot open: " + std::strerror(errno);
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad()) return path + ": read failed";
    text = s.str();
    return std::nullopt;
}

std::string parse_error_text(const std::string& what) {
    // "[json.exception.parse_error.101] parse error at line 3, column 7:
    // syntax error while parsing value - unexpected '}'; ...; last read: '...'"
    std::string out = what;
    if (const auto at = out.find("syntax error"); at != std::string::npos)
        out = out.substr(at);
    else if (const auto colon = out.find(": "); colon != std::string::npos)
        out = out.substr(colon + 2);
    const std::string marker = "; last read: ";
    if (const auto last = out.find(marker); last != std::string::npos && out.size() - last > marker.size() + 40)
        out = out.substr(0, last + marker.size() + 40) + "...";
    return out;
}

std::string line_column(const std::string& text, std::size_t byte) {
    // parse_error::byte is 1-based and counts the character that failed;
    // an error at the end of the input points one past it.
    const std::size_t end = std::min(byte > 0 ? byte - 1 : 0, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace qemud::io
