// SPDX-License-Identifier: Apache-2.0
// html_report.cpp: writes the HTML report's pages, and renders its index:
// the summary and the two matrices.
#include "html_report.h"

#include <filesystem>
#include <variant>

#include "html_model.h"
#include "io/output_file.h"
#include "version/version.h"

namespace qemud::conform {

namespace html {

namespace {

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

}  // namespace

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

}  // namespace html

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
    using namespace html;
    // The reports are read case by case, once for the counts and once
    // more for each implementation's page: memory does not grow with the
    // number of cases (html_reader.h).
    auto built = build_model(json_reports);
    if (auto* error = std::get_if<std::string>(&built)) return "--html: " + *error;
    const Model& m = std::get<Model>(built);
    const std::filesystem::path base(dir);
    // Each page is whole or not at all; index.html goes last, so that it
    // never links to a page that was not written.
    for (const auto& impl : m.impls) {
        io::OutputFile page((base / impl.page).string());
        if (auto error = page.open()) return "--html: cannot write " + *error;
        if (auto error = write_implementation(m, impl, page)) return "--html: cannot write " + *error;
        if (auto error = page.commit()) return "--html: cannot write " + *error;
    }
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
