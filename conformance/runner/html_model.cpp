// SPDX-License-Identifier: Apache-2.0
#include "html_model.h"

#include <algorithm>

#include "html_reader.h"

namespace qemud::conform::html {

namespace {

std::size_t index_of(std::vector<std::string>& order, const std::string& key) {
    const auto it = std::find(order.begin(), order.end(), key);
    if (it != order.end()) return static_cast<std::size_t>(it - order.begin());
    order.push_back(key);
    return order.size() - 1;
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

}  // namespace

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

std::variant<Model, std::string> build_model(const std::vector<std::string>& sources) {
    Model m;
    m.sources = sources;
    std::map<std::string, int> seen;
    for (const auto& source : sources) {
        // A run's name comes before its cases, but is handed over with the
        // run's other members once its cases have been counted.
        Impl impl;
        ReportVisitor visitor;
        visitor.on_case = [&](std::size_t, const Json& c) {
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
            return true;
        };
        visitor.on_run = [&](std::size_t run, const Json& members) {
            impl.name = str(members, "implementation");
            // Two runs of one name (two reports of the same codec) stay two
            // columns, told apart.
            if (const int n = ++seen[impl.name]; n > 1) impl.name += " (" + std::to_string(n) + ")";
            impl.version = str(members, "version");
            impl.source = source;
            impl.run = run;
            impl.page = "impl-" + std::to_string(m.impls.size() + 1) + ".html";
            if (const auto notes = members.find("notes"); notes != members.end() && notes->is_array())
                for (const auto& n : *notes)
                    if (n.is_string()) impl.notes.push_back(n.get<std::string>());
            impl.interrupted = members.value("interrupted", false);
            m.impls.push_back(std::move(impl));
            impl = Impl{};
            return true;
        };
        Json head;
        if (auto error = visit_report(source, visitor, head)) return *error;
        if (!head.is_object() || str(head, "tool") != "qemud-conform" || !head.contains("runs"))
            return source + ": not a qemud-conform JSON report";
    }
    return m;
}

std::string page_head(const std::string& title) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) +
           "</title>\n" + style() + "</head><body>\n<h1>" + escape(title) + "</h1>\n";
}

}  // namespace qemud::conform::html
