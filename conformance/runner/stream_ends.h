// SPDX-License-Identifier: Apache-2.0
// stream_ends.h: the first and the last lines of a stream of any length (a
// shim's standard error), in bounded memory.
//
// A program that dies often says why first (a Go panic's message, a Python
// exception's first frame comes after "Traceback") and last (the failing
// line, "Segmentation fault"); a flood in between is what a report can
// spare. So both ends are kept: the head up to max_lines lines or max_bytes
// bytes, whichever comes first, and the tail, the last max_lines lines
// within the last max_bytes bytes, with the number of lines dropped
// between them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace qemud::conform {

class StreamEnds {
public:
    explicit StreamEnds(std::size_t max_lines = 20, std::size_t max_bytes = 2048);

    void append(std::string_view data);
    void clear();
    bool empty() const { return head_.empty() && tail_.empty(); }

    // lines: the head's lines, a "[... K lines omitted ...]" line when
    // lines were dropped (K as counted), then the tail's lines; each as
    // printable ASCII (a tab as four spaces, other bytes outside it written
    // \xNN), without line ends, a line cut by the byte limit ending (or, at
    // the tail's start, starting) with "...". Trailing empty lines are left
    // out.
    std::vector<std::string> lines() const;

private:
    std::size_t max_lines_;
    std::size_t max_bytes_;
    std::string head_;
    std::size_t head_lines_ = 0;  // complete lines in head_
    bool head_open_ = true;
    bool head_cut_ = false;       // the head ended inside a line
    std::string tail_;            // the latest bytes after the head (up to 2 * max_bytes_)
    std::uint64_t tail_dropped_ = 0;       // bytes after the head no longer in tail_
    std::uint64_t tail_newlines_ = 0;      // '\n's after the head, dropped or kept
    bool tail_dropped_ends_line_ = true;   // the last dropped byte was a '\n' (or none was dropped)
};

}  // namespace qemud::conform
