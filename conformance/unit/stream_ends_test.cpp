// SPDX-License-Identifier: Apache-2.0
// stream_ends_test.cpp: conformance/runner/stream_ends: a shim's stderr is
// kept as its first and last lines, bounded in lines and bytes, with the
// number of lines left out between them, however it arrives in chunks.
#define BOOST_TEST_MODULE stream_ends
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "stream_ends.h"

using qemud::conform::StreamEnds;

namespace {

std::string numbered(int from, int to) {
    std::string out;
    for (int i = from; i <= to; ++i) out += "line " + std::to_string(i) + "\n";
    return out;
}

std::vector<std::string> lines_of(const std::string& text, std::size_t chunk) {
    StreamEnds ends(20, 2048);
    for (std::size_t at = 0; at < text.size(); at += chunk) ends.append(std::string_view(text).substr(at, chunk));
    return ends.lines();
}

std::size_t total(const std::vector<std::string>& lines) {
    std::size_t n = 0;
    for (const auto& l : lines) n += l.size() + 1;
    return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(short_stream_whole) {
    for (std::size_t chunk : {1, 3, 1000}) {
        const auto lines = lines_of("panic: boom\n\ngoroutine 1 [running]:\n\n\n", chunk);
        BOOST_TEST(lines == (std::vector<std::string>{"panic: boom", "", "goroutine 1 [running]:"}),
                   boost::test_tools::per_element());
    }
    BOOST_TEST(StreamEnds().lines().empty());
    BOOST_TEST(lines_of("no newline at the end", 4) == std::vector<std::string>{"no newline at the end"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(first_and_last_lines_with_the_count_between) {
    const std::string text = numbered(1, 404);
    for (std::size_t chunk : {1, 7, 64, 4096, 1 << 20}) {
        const auto lines = lines_of(text, chunk);
        BOOST_TEST_CONTEXT("chunk " << chunk) {
            BOOST_REQUIRE_EQUAL(lines.size(), 41u);
            BOOST_TEST(lines.front() == "line 1");
            BOOST_TEST(lines[19] == "line 20");
            BOOST_TEST(lines[20] == "[... 364 lines omitted ...]");
            BOOST_TEST(lines[21] == "line 385");
            BOOST_TEST(lines.back() == "line 404");
        }
    }
    // 41 lines: the first 20, one dropped, the last 20.
    const auto one = lines_of(numbered(1, 41), 5);
    BOOST_TEST(one[20] == "[... 1 line omitted ...]");
    BOOST_TEST(lines_of(numbered(1, 40), 5).size() == 40u);
}

BOOST_AUTO_TEST_CASE(bytes_bound_each_end) {
    // 30 lines of 200 bytes: the head stops inside line 11 (2048 bytes),
    // the tail holds the last whole lines within 2048 bytes.
    std::string text;
    for (int i = 1; i <= 30; ++i) text += std::string(194, 'a' + (i % 26)) + std::to_string(100000 + i) + "\n";
    const auto lines = lines_of(text, 333);
    BOOST_REQUIRE_EQUAL(lines.size(), 22u);
    BOOST_TEST(lines[9].substr(194) == "100010");
    BOOST_TEST(lines[10].size() == 2048 - 10 * 201 + 3);  // the cut line, marked "..."
    BOOST_TEST(lines[10].substr(lines[10].size() - 3) == "...");
    BOOST_TEST(lines[11] == "[... 10 lines omitted ...]");
    BOOST_TEST(lines[12].substr(194) == "100021");
    BOOST_TEST(lines.back().substr(194) == "100030");

    // A flood with no newline at all: a bounded excerpt of each end.
    StreamEnds flood(20, 2048);
    const std::string block(65536, 'x');
    for (int i = 0; i < 160; ++i) flood.append(block);  // 10 MiB
    const auto kept = flood.lines();
    BOOST_TEST(total(kept) <= 2 * 2048 + 64);
    BOOST_REQUIRE_EQUAL(kept.size(), 2u);
    BOOST_TEST(kept[0].substr(kept[0].size() - 3) == "...");
    BOOST_TEST(kept[1].substr(0, 3) == "...");
}

BOOST_AUTO_TEST_CASE(printable_whatever_was_written) {
    const auto lines = lines_of("caf\xc3\xa9\r\nbell\x07\n\t/src/x.go:12 +0x1a4\n", 2);
    BOOST_TEST(lines == (std::vector<std::string>{"caf\\xc3\\xa9", "bell\\x07", "    /src/x.go:12 +0x1a4"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(clear_starts_afresh) {
    StreamEnds ends(2, 100);
    ends.append(numbered(1, 10));
    ends.clear();
    ends.append("panic: later\n");
    BOOST_TEST(ends.lines() == std::vector<std::string>{"panic: later"}, boost::test_tools::per_element());
}
