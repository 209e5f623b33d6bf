// SPDX-License-Identifier: Apache-2.0
// report_output.h: where one report (--json, --junit) goes: a file, or
// standard output for the path "-".
//
// A file is written through io::OutputFile (a temporary renamed over the
// target at commit). Standard output gets the same promise, whole or not
// at all: the text goes to an unnamed scratch file (tmpfile(3), gone when
// closed, so memory stays bounded) and is copied to standard output only
// at commit. Every error names the option and the path.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "io/output_file.h"

namespace qemud::conform {

// is_stdout_path: the report path that means standard output.
inline bool is_stdout_path(const std::string& path) { return path == "-"; }

// check_report_path is io::check_output_path for a report option: nullopt
// for "-" or a writable path, else "--json: cannot write PATH: why".
std::optional<std::string> check_report_path(const std::string& option, const std::string& path);

class ReportOutput {
public:
    ReportOutput(std::string option, std::string path);
    ~ReportOutput();
    ReportOutput(const ReportOutput&) = delete;
    ReportOutput& operator=(const ReportOutput&) = delete;

    // open prepares the output; returns "OPTION: cannot write ...", or nullopt.
    std::optional<std::string> open();
    // append adds text; a failure is remembered and reported by commit().
    void append(std::string_view text);
    // commit makes the report appear whole (renamed into place, or copied
    // to standard output); returns the error, or nullopt.
    std::optional<std::string> commit();
    // abandon drops what was written: the target or standard output gets
    // nothing.
    void abandon();
    // temporary is the named file being written ("" for standard output),
    // for the signal handler.
    const std::string& temporary() const;
    // where says "standard output" or the path, for messages.
    std::string where() const;

private:
    std::string option_;
    std::string path_;
    std::optional<io::OutputFile> file_;  // a path
    std::FILE* scratch_ = nullptr;        // "-"
    std::string error_;                   // first failure writing the scratch file
};

}  // namespace qemud::conform
