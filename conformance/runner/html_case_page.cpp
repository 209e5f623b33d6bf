// SPDX-License-Identifier: Apache-2.0
// html_case_page.cpp: one implementation's page of the HTML report: its
// failing cases in detail (both wires word by word under the golden
// layout, both values, the rerun line), then every case by message type
// and by the acceptable vectors' flags. Written as the run's cases are
// read again from its report, so that no page holds them all.
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "html_model.h"
#include "html_reader.h"
#include "html_spool.h"

namespace qemud::conform::html {

namespace {

// Word is one row of the wire table: the layout's span, or a 4-byte chunk
// where there is no layout (or past it).
struct Word {
    std::size_t offset, length;
    std::string path;
};

constexpr std::size_t kMaxExtraWords = 64;

std::vector<Word> words_of(const Json& c, std::size_t expected_bytes, std::size_t actual_bytes) {
    std::vector<Word> words;
    std::size_t covered = 0;
    if (const auto it = c.find("layout"); it != c.end() && it->is_array())
        for (const auto& span : *it)
            if (span.is_array() && span.size() == 3 && span[0].is_number_unsigned() && span[1].is_number_unsigned()) {
                const auto offset = span[0].get<std::size_t>(), length = span[1].get<std::size_t>();
                words.push_back({offset, length, span[2].is_string() ? span[2].get<std::string>() : ""});
                covered = std::max(covered, offset + length);
            }
    // Past the layout, 4-byte words; an answer far longer than expected
    // (a runaway encoder) shows its first kMaxExtraWords only.
    const std::size_t end = std::max(expected_bytes, actual_bytes);
    for (std::size_t at = covered; at < end; at += 4) {
        if (at >= expected_bytes && (at - std::max(covered, expected_bytes)) / 4 == kMaxExtraWords) {
            words.push_back({at, end - at, "(" + std::to_string(end - at) + " more bytes not shown)"});
            break;
        }
        words.push_back({at, std::min<std::size_t>(4, end - at),
                         at < expected_bytes ? std::string() : std::string("(past the expected end)")});
    }
    return words;
}

// slice: the hex of bytes [offset, offset + length) of a hex wire, as far
// as the wire goes.
std::string slice(const std::string& hex, std::size_t offset, std::size_t length) {
    if (offset * 2 >= hex.size()) return "";
    return hex.substr(offset * 2, length * 2);
}

std::string render_wires(const Json& c) {
    const bool has_actual = c.contains("actualWire");
    // Without an actual wire the failure was a decode: show the wire the
    // decoder was given (a decode-only vector's own, not the canonical one).
    const std::string expected = !has_actual && c.contains("wire") ? str(c, "wire") : str(c, "expectedWire");
    const std::string actual = str(c, "actualWire");
    if (expected.empty() && !has_actual) return "";
    std::string out = std::string("<table class=\"wire\"><tr><th>offset</th><th>") +
                      (has_actual ? "expected" : "wire decoded") + "</th>";
    if (has_actual) out += "<th>actual</th>";
    out += "<th>field</th></tr>\n";
    bool first = true;
    for (const auto& w : words_of(c, expected.size() / 2, actual.size() / 2)) {
        // A cell holds one word; the "more bytes" row holds none of them.
        const std::size_t shown = w.path.rfind(" more bytes not shown)") != std::string::npos ? 0 : w.length;
        const std::string e = slice(expected, w.offset, shown);
        const std::string a = slice(actual, w.offset, shown);
        // Hex compares case-insensitively: the answer's case is its own.
        std::string a_lower = a;
        std::transform(a_lower.begin(), a_lower.end(), a_lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
        const bool differs = has_actual && e != a_lower;
        std::string cls = differs ? (first ? "differs first" : "differs") : "";
        if (differs) first = false;
        char offset[16];
        std::snprintf(offset, sizeof offset, "0x%04zx", w.offset);
        out += "<tr" + (cls.empty() ? "" : " class=\"" + cls + "\"") + "><td>" + offset + "</td><td>" + escape(e) +
               "</td>" + (has_actual ? "<td>" + escape(a) + "</td>" : "") + "<td>" + escape(w.path) + "</td></tr>\n";
    }
    return out + "</table>\n";
}

std::string render_failure(const Json& c, std::size_t id) {
    std::string out = "<section class=\"failure\" id=\"c" + std::to_string(id) + "\"><h3>" + escape(str(c, "name")) +
                      "</h3>\n<p><b>" + escape(group_of(c)) + "</b>";
    if (c.contains("expected")) out += ", expected " + escape(str(c, "expected"));
    out += ", flags: " + escape(flags_of(c)) + "</p>\n";
    if (c.contains("comment")) out += "<p>" + escape(str(c, "comment")) + "</p>\n";
    out += "<p>Why it failed:</p><pre class=\"reason\">" + escape(str(c, "reason")) + "</pre>\n";
    out += render_wires(c);
    if (c.contains("expectedValue")) out += "<p>Expected value:</p><pre>" + escape(pretty(c["expectedValue"])) + "</pre>\n";
    if (c.contains("actualValue")) out += "<p>Actual value:</p><pre>" + escape(pretty(c["actualValue"])) + "</pre>\n";
    out += "<p>Rerun:</p><pre class=\"repro\">" + escape(str(c, "repro")) + "</pre>\n</section>\n";
    return out;
}

}  // namespace

std::optional<std::string> write_implementation(const Model& m, const Impl& impl, io::OutputFile& out) {
    const Counts& t = impl.all;
    out.append(page_head(impl.name + (impl.version.empty() ? "" : " " + impl.version)));
    out.append("<p><a href=\"index.html\">All implementations</a>. From <code>" + escape(impl.source) + "</code>: " +
               std::to_string(t.total()) + " cases, " + std::to_string(t.passed) + " passed, " +
               std::to_string(t.failed) + " failed, " + std::to_string(t.skipped) + " skipped, " +
               std::to_string(t.accepted) + " accepted, " + std::to_string(t.rejected) + " rejected.</p>\n");
    for (const auto& note : impl.notes) out.append("<p>Note: " + escape(note) + "</p>\n");

    // One reading of the run's cases: failures go to the page at once,
    // first, each with its detail (the counts say whether there are any);
    // each case's row goes to its message type's table and, for an
    // acceptable vector, to its flags' table, written after.
    if (t.failed) out.append("<h2 id=\"failures\">Failures</h2>\n");
    std::map<std::string, std::size_t> group_index, flags_index;
    for (std::size_t g = 0; g < m.groups.size(); ++g) group_index[m.groups[g]] = g;
    for (std::size_t f = 0; f < m.flag_sets.size(); ++f) flags_index[m.flag_sets[f]] = f;
    Spools groups, flag_tables;
    std::size_t failures = 0;
    bool changed = false;  // a case of a row the counts never saw
    ReportVisitor visitor;
    visitor.on_case = [&](std::size_t run, const Json& c) {
        if (run != impl.run) return true;
        const std::string status = str(c, "status");
        std::string name = escape(str(c, "name"));
        if (status == "failed") {
            const std::size_t id = ++failures;  // the tables below link to it
            out.append(render_failure(c, id));
            name = "<a href=\"#c" + std::to_string(id) + "\">" + name + "</a>";
        }
        const char* cls = status == "failed" ? "fail" : status == "skipped" ? "skip" : status == "accepted" ? "acc"
                                                      : status == "rejected"                                ? "rej"
                                                                                                            : "pass";
        const std::string row = "<tr><td class=\"name\">" + name + "</td><td>" + escape(str(c, "expected")) +
                                "</td><td class=\"" + cls + "\">" + escape(status) + "</td><td>" +
                                escape(str(c, "reason")) + "</td></tr>\n";
        const auto group = group_index.find(group_of(c));
        if (group == group_index.end()) {
            changed = true;
            return false;
        }
        groups.add(group->second, row);
        if (status == "accepted" || status == "rejected") {
            const auto flags = flags_index.find(flags_of(c));
            if (flags == flags_index.end()) {
                changed = true;
                return false;
            }
            flag_tables.add(flags->second, row);
        }
        return true;
    };
    visitor.on_run = [&](std::size_t run, const Json&) { return run < impl.run; };  // past its run: done
    Json head;
    if (auto error = visit_report(impl.source, visitor, head)) return error;
    // The report changed since the counts were made: the page would not
    // match the index.
    if (changed || failures != static_cast<std::size_t>(t.failed)) return impl.source + ": changed while it was read";

    const char* table_head =
        "<table class=\"cases\"><tr><th>case</th><th>expected</th><th>status</th><th>reason</th></tr>\n";
    for (std::size_t g = 0; g < m.groups.size(); ++g) {
        if (!impl.by_group.count(m.groups[g])) continue;
        out.append("<h2 id=\"g" + std::to_string(g) + "\">" + escape(m.groups[g]) + "</h2>\n" + table_head);
        groups.copy_to(g, out);
        out.append("</table>\n");
    }
    for (std::size_t f = 0; f < m.flag_sets.size(); ++f) {
        if (!impl.by_flags.count(m.flag_sets[f])) continue;
        out.append("<h2 id=\"f" + std::to_string(f) + "\">Acceptable vectors: " + escape(m.flag_sets[f]) +
                   "</h2>\n" + table_head);
        flag_tables.copy_to(f, out);
        out.append("</table>\n");
    }
    out.append("</body></html>\n");
    for (const Spools* spools : {&groups, &flag_tables})
        if (spools->error()) return out.path() + ": " + *spools->error();
    return std::nullopt;
}

}  // namespace qemud::conform::html
