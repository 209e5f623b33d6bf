// SPDX-License-Identifier: Apache-2.0
#include "stream_ends.h"

#include <algorithm>

#include "text_util.h"

namespace qemud::conform {

namespace {

// split cuts text into lines at '\n', dropping a '\r' before it; a last
// line without '\n' is kept.
std::vector<std::string_view> split(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        out.push_back(line);
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return out;
}

// printable: the line as excerpt() writes it, a tab (Go and Java stack
// frames start with one) as four spaces rather than \x09.
std::string printable(std::string_view line, std::size_t max_chars) {
    std::string expanded;
    for (char c : line) {
        if (c == '\t')
            expanded.append(4, ' ');
        else
            expanded.push_back(c);
    }
    return excerpt(expanded, max_chars);
}

}  // namespace

StreamEnds::StreamEnds(std::size_t max_lines, std::size_t max_bytes) : max_lines_(max_lines), max_bytes_(max_bytes) {}

void StreamEnds::clear() { *this = StreamEnds(max_lines_, max_bytes_); }

void StreamEnds::append(std::string_view data) {
    while (head_open_ && !data.empty()) {
        const auto nl = data.find('\n');
        const std::size_t line = nl == std::string_view::npos ? data.size() : nl + 1;
        const std::size_t room = max_bytes_ - head_.size();
        if (line > room) {  // the byte limit falls inside this line (or just before it)
            head_.append(data.substr(0, room));
            data.remove_prefix(room);
            head_open_ = false;
            head_cut_ = !head_.empty() && head_.back() != '\n';
            break;
        }
        head_.append(data.substr(0, line));
        data.remove_prefix(line);
        if (nl != std::string_view::npos && ++head_lines_ == max_lines_) head_open_ = false;
    }
    if (data.empty()) return;
    tail_newlines_ += static_cast<std::uint64_t>(std::count(data.begin(), data.end(), '\n'));
    tail_.append(data);
    if (tail_.size() > 2 * max_bytes_) {  // trimmed now and then, not on every append
        const std::size_t drop = tail_.size() - max_bytes_;
        tail_dropped_ends_line_ = tail_[drop - 1] == '\n';
        tail_dropped_ += drop;
        tail_.erase(0, drop);
    }
}

std::vector<std::string> StreamEnds::lines() const {
    std::vector<std::string> out;
    for (const auto line : split(head_)) out.push_back(printable(line, max_bytes_));
    if (head_cut_ && !out.empty()) out.back() += "...";

    // The tail: its last max_bytes bytes, from a line's start where one
    // begins in them, and of those the last max_lines lines.
    std::string_view tail = tail_;
    bool cut_front = tail_dropped_ > 0 && !tail_dropped_ends_line_;
    if (tail.size() > max_bytes_) {
        cut_front = tail[tail.size() - max_bytes_ - 1] != '\n';
        tail.remove_prefix(tail.size() - max_bytes_);
    }
    if (cut_front) {
        const auto nl = tail.find('\n');
        if (nl != std::string_view::npos && nl + 1 < tail.size()) {
            tail.remove_prefix(nl + 1);
            cut_front = false;
        }
    }
    auto tail_lines = split(tail);
    std::uint64_t blank_end = 0;  // empty lines at the very end: not shown, not worth a marker
    while (!tail_lines.empty() && tail_lines.back().empty()) tail_lines.pop_back(), ++blank_end;
    if (tail_lines.size() > max_lines_) {
        tail_lines.erase(tail_lines.begin(), tail_lines.end() - static_cast<std::ptrdiff_t>(max_lines_));
        cut_front = false;
    }
    // Every line after the head that is not shown, even in part, is
    // counted as omitted; the rest of a line the head cut counts there.
    const std::uint64_t after_head = tail_newlines_ + (!tail_.empty() && tail_.back() != '\n' ? 1 : 0);
    const std::uint64_t shown = tail_lines.size() + blank_end;
    if (after_head > shown)
        out.push_back("[... " + std::to_string(after_head - shown) + " line" + (after_head - shown == 1 ? "" : "s") +
                      " omitted ...]");
    for (std::size_t i = 0; i < tail_lines.size(); ++i)
        out.push_back((i == 0 && cut_front ? "..." : "") + printable(tail_lines[i], max_bytes_));
    while (!out.empty() && out.back().empty()) out.pop_back();
    return out;
}

}  // namespace qemud::conform
