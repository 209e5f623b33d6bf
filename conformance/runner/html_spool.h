// SPDX-License-Identifier: Apache-2.0
// html_spool.h: the rows of a page's tables while its cases are read.
//
// An implementation's page lists its cases by message type, each type a
// table, while the report holds them in the order they ran. Rather than
// keep the cases, or read the report once per table, each row goes to its
// table's unnamed scratch file (tmpfile(3), gone when closed) as its case
// is read; the page then copies the tables out in order. Memory holds one
// buffer per table, whatever the number of cases.
#pragma once

#include <cstddef>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "io/output_file.h"

namespace qemud::conform::html {

class Spools {
public:
    Spools() = default;
    ~Spools();
    Spools(const Spools&) = delete;
    Spools& operator=(const Spools&) = delete;

    // add appends text to table key's file, made on first use; a failure is
    // remembered and reported by error().
    void add(std::size_t key, std::string_view text);
    // copy_to appends table key's text to out (nothing if it has none).
    void copy_to(std::size_t key, io::OutputFile& out);
    // error: the first failure of a scratch file ("why"), or nullopt.
    const std::optional<std::string>& error() const { return error_; }

private:
    void fail(const char* what);
    std::map<std::size_t, std::FILE*> files_;
    std::optional<std::string> error_;
};

}  // namespace qemud::conform::html
