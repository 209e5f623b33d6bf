// SPDX-License-Identifier: Apache-2.0
#include "html_report.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <variant>

#include "io/json_input.h"
#include "io/output_file.h"
#include "version/version.h"

namespace qemud::conform {

namespace {

using Json = nlohmann::json;

// escape makes any text safe between tags and inside quoted attributes:
// names, reasons and values come from the implementations under test.
std::string escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += ch;
        }
    }
    return out;
}

std::string str(const Json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string pretty(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace); }

struct Counts {
    int passed = 0, failed = 0, skipped = 0, accepted = 0, rejected = 0;
    void add(const std::string& status) {
        if (status == "passed") ++passed;
        else if (status == "failed") ++failed;
        else if (status == "skipped") ++skipped;
        else if (status == "accepted") ++accepted;
        else if (status == "rejected") ++rejected;
    }
    int ok() const { return passed + accepted + rejected; }  // an acceptable vector passes either way
    int total() const { return ok() + failed + skipped; }
};

// Impl is one run of one report: one implementation's column.
struct Impl {
    std::string name, version, source, page;
    const Json* run = nullptr;
    Counts all;
    std::map<std::string, Counts> by_group;  // message type (or a peer run's case family)
    std::map<std::string, Counts> by_flags;  // acceptable vectors only
    bool interrupted = false;
};

// Model is what the pages show: the implementations and the rows in the
// order they first came (protocol order for message types).
struct Model {
    std::vector<Impl> impls;
    std::vector<std::string> groups, flag_sets;
    std::vector<std::string> sources;
};

std::string group_of(const Json& c) {
    const std::string type = str(c, "messageType");
    return type.empty() ? str(c, "family") : type;
}

std::string flags_of(const Json& c) {
    std::string out;
    if (const auto it = c.find("flags"); it != c.end() && it->is_array())
        for (const auto& f : *it)
            if (f.is_string()) out += (out.empty() ? "" : ",") + f.get<std::string>();
    return out.empty() ? "(no flags)" : out;
}

std::size_t index_of(std::vector<std::string>& order, const std::string& key) {
    const auto it = std::find(order.begin(), order.end(), key);
    if (it != order.end()) return static_cast<std::size_t>(it - order.begin());
    order.push_back(key);
    return order.size() - 1;
}

Model build_model(const std::vector<Json>& reports, const std::vector<std::string>& sources) {
    Model m;
    m.sources = sources;
    std::map<std::string, int> seen;
    for (std::size_t r = 0; r < reports.size(); ++r) {
        const auto runs = reports[r].find("runs");
        if (runs == reports[r].end() || !runs->is_array()) continue;
        for (const auto& run : *runs) {
            Impl impl;
            impl.name = str(run, "implementation");
            // Two runs of one name (two reports of the same codec) stay two
            // columns, told apart.
            if (const int n = ++seen[impl.name]; n > 1) impl.name += " (" + std::to_string(n) + ")";
            impl.version = str(run, "version");
            impl.source = sources[r];
            impl.page = "impl-" + std::to_string(m.impls.size() + 1) + ".html";
            impl.run = &run;
            impl.interrupted = run.value("interrupted", false);
            if (const auto cases = run.find("cases"); cases != run.end() && cases->is_array())
                for (const auto& c : *cases) {
                    const std::string status = str(c, "status");
                    impl.all.add(status);
                    const std::string group = group_of(c);
                    index_of(m.groups, group);
                    impl.by_group[group].add(status);
                    if (status == "accepted" || status == "rejected") {
                        const std::string flags = flags_of(c);
                        index_of(m.flag_sets, flags);
                        impl.by_flags[flags].add(status);
                    }
                }
            m.impls.push_back(std::move(impl));
        }
    }
    return m;
}

const char* style() {
    return R"(<style>
body{font:14px/1.4 sans-serif;margin:1.5em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#eee}
table.matrix td.cell{text-align:center;white-space:nowrap}
td.cell a{color:inherit;text-decoration:none;display:block}
.pass{background:#b7e4b0}.fail{background:#f2a3a3}.skip{background:#f5e19b}.none{background:#f4f4f4;color:#999}
.acc{background:#b9d7f0}.rej{background:#d9c9ee}.mixed{background:#c8d0f0}
td.name{font-family:monospace;white-space:nowrap}
pre{background:#f7f7f7;border:1px solid #ddd;padding:4px;overflow-x:auto;white-space:pre-wrap}
table.wire td{font-family:monospace}
tr.differs td{background:#fde2c8}tr.first td{background:#f7a35c;font-weight:bold}
section.failure{border-left:4px solid #d33;padding-left:1em;margin:1em 0}
.legend span{padding:0 .5em;margin-right:.5em}
</style>
)";
}

std::string page_head(const std::string& title) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) +
           "</title>\n" + style() + "</head><body>\n<h1>" + escape(title) + "</h1>\n";
}

const char* worst_class(const Counts& c) {
    if (c.total() == 0) return "none";
    if (c.failed) return "fail";
    if (c.skipped) return "skip";
    return "pass";
}

std::string counts_attributes(const Counts& c) {
    return " data-passed=\"" + std::to_string(c.passed) + "\" data-failed=\"" + std::to_string(c.failed) +
           "\" data-skipped=\"" + std::to_string(c.skipped) + "\" data-accepted=\"" + std::to_string(c.accepted) +
           "\" data-rejected=\"" + std::to_string(c.rejected) + "\"";
}

std::string impl_header(const Model& m) {
    std::string out;
    for (const auto& impl : m.impls)
        out += "<th><a href=\"" + impl.page + "\">" + escape(impl.name) + "</a>" +
               (impl.version.empty() ? "" : "<br><small>" + escape(impl.version) + "</small>") + "</th>";
    return out;
}

std::string render_index(const Model& m) {
    std::string out = page_head("qemud conformance report");
    out += "<p>Rendered by qemud-conform " + escape(std::string(project_version())) + " from ";
    for (std::size_t i = 0; i < m.sources.size(); ++i)
        out += (i ? ", " : "") + std::string("<code>") + escape(m.sources[i]) + "</code>";
    out += ".</p>\n";

    // Totals per implementation.
    out += "<h2 id=\"summary\">Implementations</h2>\n<table class=\"summary\"><tr><th>implementation</th><th>cases</th>"
           "<th>passed</th><th>failed</th><th>skipped</th><th>accepted</th><th>rejected</th><th>verdict</th></tr>\n";
    for (const auto& impl : m.impls) {
        const Counts& c = impl.all;
        const std::string verdict = impl.interrupted ? "INTERRUPTED" : c.total() == c.skipped ? "NOT RUN"
                                                                     : c.failed             ? "FAIL"
                                                                                            : "PASS";
        out += "<tr class=\"impl\" data-implementation=\"" + escape(impl.name) + "\"" + counts_attributes(c) +
               "><td><a href=\"" + impl.page + "\">" + escape(impl.name) + "</a></td><td>" +
               std::to_string(c.total()) + "</td><td>" + std::to_string(c.passed) + "</td><td>" +
               std::to_string(c.failed) + "</td><td>" + std::to_string(c.skipped) + "</td><td>" +
               std::to_string(c.accepted) + "</td><td>" + std::to_string(c.rejected) + "</td><td class=\"" +
               (verdict == "PASS" ? "pass" : verdict == "FAIL" ? "fail" : "skip") + "\">" + verdict + "</td></tr>\n";
    }
    out += "</table>\n";

    out += "<h2 id=\"types\">Message types</h2>\n<p class=\"legend\">Each cell: passed / failed / skipped cases "
           "(an acceptable vector counts as passed whether accepted or rejected), coloured by the worst: "
           "<span class=\"fail\">a case failed</span><span class=\"skip\">a case skipped</span>"
           "<span class=\"pass\">all passed</span><span class=\"none\">no case</span>. A cell links to its "
           "cases.</p>\n<table class=\"matrix\" id=\"type-matrix\"><tr><th>message type</th>" +
           impl_header(m) + "</tr>\n";
    for (std::size_t g = 0; g < m.groups.size(); ++g) {
        out += "<tr><td class=\"name\">" + escape(m.groups[g]) + "</td>";
        for (std::size_t i = 0; i < m.impls.size(); ++i) {
            const auto& impl = m.impls[i];
            const auto it = impl.by_group.find(m.groups[g]);
            const Counts c = it == impl.by_group.end() ? Counts{} : it->second;
            out += "<td class=\"cell " + std::string(worst_class(c)) + "\" data-impl=\"" + std::to_string(i) +
                   "\" data-group=\"" + escape(m.groups[g]) + "\"" + counts_attributes(c) + ">";
            if (c.total())
                out += "<a href=\"" + impl.page + "#g" + std::to_string(g) + "\">" + std::to_string(c.ok()) + " / " +
                       std::to_string(c.failed) + " / " + std::to_string(c.skipped) + "</a>";
            else
                out += "&ndash;";
            out += "</td>";
        }
        out += "</tr>\n";
    }
    out += "</table>\n";

    out += "<h2 id=\"flags\">Acceptable vectors by policy flags</h2>\n<p class=\"legend\">A wire either outcome of "
           "which passes: each cell counts the vectors of those flags the implementation "
           "<span class=\"acc\">accepted</span> / <span class=\"rej\">rejected</span>.</p>\n";
    if (m.flag_sets.empty()) out += "<p>No acceptable vector was accepted or rejected.</p>\n";
    else {
        out += "<table class=\"matrix\" id=\"flag-matrix\"><tr><th>flags</th>" + impl_header(m) + "</tr>\n";
        for (std::size_t f = 0; f < m.flag_sets.size(); ++f) {
            out += "<tr><td class=\"name\">" + escape(m.flag_sets[f]) + "</td>";
            for (std::size_t i = 0; i < m.impls.size(); ++i) {
                const auto& impl = m.impls[i];
                const auto it = impl.by_flags.find(m.flag_sets[f]);
                const Counts c = it == impl.by_flags.end() ? Counts{} : it->second;
                const char* cls = c.total() == 0 ? "none" : c.rejected == 0 ? "acc" : c.accepted == 0 ? "rej" : "mixed";
                out += "<td class=\"cell " + std::string(cls) + "\" data-impl=\"" + std::to_string(i) +
                       "\" data-flags=\"" + escape(m.flag_sets[f]) + "\"" + counts_attributes(c) + ">";
                if (c.total())
                    out += "<a href=\"" + impl.page + "#f" + std::to_string(f) + "\">" + std::to_string(c.accepted) +
                           " / " + std::to_string(c.rejected) + "</a>";
                else
                    out += "&ndash;";
                out += "</td>";
            }
            out += "</tr>\n";
        }
        out += "</table>\n";
    }
    return out + "</body></html>\n";
}

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

std::string render_implementation(const Model& m, const Impl& impl) {
    std::string out = page_head(impl.name + (impl.version.empty() ? "" : " " + impl.version));
    const Counts& t = impl.all;
    out += "<p><a href=\"index.html\">All implementations</a>. From <code>" + escape(impl.source) + "</code>: " +
           std::to_string(t.total()) + " cases, " + std::to_string(t.passed) + " passed, " + std::to_string(t.failed) +
           " failed, " + std::to_string(t.skipped) + " skipped, " + std::to_string(t.accepted) + " accepted, " +
           std::to_string(t.rejected) + " rejected.</p>\n";
    if (const auto notes = impl.run->find("notes"); notes != impl.run->end() && notes->is_array())
        for (const auto& n : *notes)
            if (n.is_string()) out += "<p>Note: " + escape(n.get<std::string>()) + "</p>\n";

    const Json empty = Json::array();
    const auto found = impl.run->find("cases");
    const Json& cases = found != impl.run->end() && found->is_array() ? *found : empty;

    // Failures first, each with its detail; the tables below link to them.
    std::map<std::size_t, std::size_t> failure_of;  // case index -> its detail's id
    std::string failures;
    for (std::size_t k = 0; k < cases.size(); ++k)
        if (str(cases[k], "status") == "failed") {
            failure_of[k] = failure_of.size() + 1;
            failures += render_failure(cases[k], failure_of[k]);
        }
    if (!failures.empty()) out += "<h2 id=\"failures\">Failures</h2>\n" + failures;

    const auto row = [&](std::size_t k) {
        const Json& c = cases[k];
        const std::string status = str(c, "status");
        const char* cls = status == "failed" ? "fail" : status == "skipped" ? "skip" : status == "accepted" ? "acc"
                                                      : status == "rejected"                                ? "rej"
                                                                                                            : "pass";
        std::string name = escape(str(c, "name"));
        if (const auto it = failure_of.find(k); it != failure_of.end())
            name = "<a href=\"#c" + std::to_string(it->second) + "\">" + name + "</a>";
        return "<tr><td class=\"name\">" + name + "</td><td>" + escape(str(c, "expected")) + "</td><td class=\"" +
               cls + "\">" + escape(status) + "</td><td>" + escape(str(c, "reason")) + "</td></tr>\n";
    };
    const char* head = "<table class=\"cases\"><tr><th>case</th><th>expected</th><th>status</th><th>reason</th></tr>\n";
    for (std::size_t g = 0; g < m.groups.size(); ++g) {
        if (!impl.by_group.count(m.groups[g])) continue;
        out += "<h2 id=\"g" + std::to_string(g) + "\">" + escape(m.groups[g]) + "</h2>\n" + head;
        for (std::size_t k = 0; k < cases.size(); ++k)
            if (group_of(cases[k]) == m.groups[g]) out += row(k);
        out += "</table>\n";
    }
    for (std::size_t f = 0; f < m.flag_sets.size(); ++f) {
        if (!impl.by_flags.count(m.flag_sets[f])) continue;
        out += "<h2 id=\"f" + std::to_string(f) + "\">Acceptable vectors: " + escape(m.flag_sets[f]) + "</h2>\n" + head;
        for (std::size_t k = 0; k < cases.size(); ++k) {
            const std::string status = str(cases[k], "status");
            if ((status == "accepted" || status == "rejected") && flags_of(cases[k]) == m.flag_sets[f]) out += row(k);
        }
        out += "</table>\n";
    }
    return out + "</body></html>\n";
}

}  // namespace

std::string html_json_path(const std::string& dir) { return (std::filesystem::path(dir) / "report.json").string(); }

std::optional<std::string> prepare_html_dir(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return "--html: cannot make " + dir + ": " + ec.message();
    if (auto error = io::check_output_path((std::filesystem::path(dir) / "index.html").string()))
        return "--html: cannot write " + *error;
    return std::nullopt;
}

std::optional<std::string> write_html_report(const std::string& dir, const std::vector<std::string>& json_reports) {
    std::vector<Json> reports;
    for (const auto& path : json_reports) {
        auto loaded = io::read_json(path);
        if (auto* error = std::get_if<std::string>(&loaded)) return "--html: " + *error;
        auto& doc = std::get<Json>(loaded);
        if (!doc.is_object() || doc.value("tool", "") != "qemud-conform" || !doc.contains("runs"))
            return "--html: " + path + ": not a qemud-conform JSON report";
        reports.push_back(std::move(doc));
    }
    const Model m = build_model(reports, json_reports);
    const std::filesystem::path base(dir);
    // Each page is whole or not at all; index.html goes last, so that it
    // never links to a page that was not written.
    for (const auto& impl : m.impls)
        if (auto error = io::write_file((base / impl.page).string(), render_implementation(m, impl)))
            return "--html: cannot write " + *error;
    if (auto error = io::write_file((base / "index.html").string(), render_index(m)))
        return "--html: cannot write " + *error;
    // Pages of a former report of more implementations would linger,
    // linked from nowhere: remove them.
    for (std::size_t k = m.impls.size() + 1;; ++k) {
        std::error_code ec;
        if (!std::filesystem::remove(base / ("impl-" + std::to_string(k) + ".html"), ec)) break;
    }
    return std::nullopt;
}

}  // namespace qemud::conform
