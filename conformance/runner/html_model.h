// SPDX-License-Identifier: Apache-2.0
// html_model.h: what the HTML report's pages (html_report.h) share: the
// implementations and their counts as read from JSON reports, and the
// text helpers that keep every page escaped and self-contained.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/output_file.h"

namespace qemud::conform::html {

using Json = nlohmann::json;

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

// Impl is one run of one report: one implementation's column. Its cases
// stay in the report (source, run number `run`): its page reads them again.
struct Impl {
    std::string name, version, source, page;
    std::size_t run = 0;
    std::vector<std::string> notes;
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

// escape makes any text safe between tags and inside quoted attributes:
// names, reasons and values come from the implementations under test.
std::string escape(const std::string& text);
// str: a string member, or "" when absent or not a string.
std::string str(const Json& j, const char* key);
std::string pretty(const Json& j);
// group_of: a case's row, its message type (or a peer run's case family).
std::string group_of(const Json& c);
// flags_of: a case's policy flags as one row name, "(no flags)" for none.
std::string flags_of(const Json& c);
// build_model reads each JSON report case by case (html_reader.h) and
// counts; a file that is not a qemud-conform report is an error naming it.
std::variant<Model, std::string> build_model(const std::vector<std::string>& sources);
// page_head: the document's start, with its inline style and title.
std::string page_head(const std::string& title);

// render_index is DIR/index.html; write_implementation writes one
// implementation's page to out as it reads the cases again from the
// report (html_case_page.cpp), and returns the error, or nullopt (a
// failed append is out's to report at commit).
std::string render_index(const Model& m);
std::optional<std::string> write_implementation(const Model& m, const Impl& impl, io::OutputFile& out);

}  // namespace qemud::conform::html
