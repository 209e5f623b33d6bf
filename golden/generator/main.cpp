// SPDX-License-Identifier: Apache-2.0
// qemud-golden: generates the golden vectors from protocol.x through every
// in-tree implementation, checks the committed ones are up to date, and
// emits them as a C header.
//
//   qemud-golden --out DIR       write DIR/<kind>_test.json
//   qemud-golden --check DIR     regenerate in memory, compare with DIR
//   qemud-golden --c-header FILE write every vector as a C header
//   qemud-golden --schema-envelope FILE
//                                write the files' JSON Schema without the
//                                protocol's types, for xdrc --emit json-schema
//
// Exit status: 0 done / up to date; 1 a file is stale, or implementations
// disagree (nothing is written then); 2 the run could not be made (a
// --check directory that does not exist, a file that cannot be written:
// every file is written to a temporary beside it and renamed, so a failed
// write leaves the old file intact).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "version/version.h"
#include "emit.h"
#include "io/output_file.h"

namespace fs = std::filesystem;
using namespace qemud;
using namespace qemud::golden;

namespace {

bool read_file(const fs::path& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream s;
    s << in.rdbuf();
    out = s.str();
    return true;
}

// first_line_difference: 1-based line number of the first difference.
std::size_t first_line_difference(const std::string& a, const std::string& b) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        if (a[i] != b[i]) return line;
        if (a[i] == '\n') ++line;
    }
    return line;
}

std::string line_at(const std::string& text, std::size_t line) {
    std::istringstream in(text);
    std::string s;
    for (std::size_t i = 0; i < line && std::getline(in, s);) ++i;
    return s.size() > 160 ? s.substr(0, 160) + "..." : s;
}

int check(const std::vector<VectorFile>& files, const fs::path& dir) {
    for (const auto& file : files) {
        const fs::path path = dir / file_name(file);
        const std::string expected = emit_json(file);
        std::string actual;
        if (!read_file(path, actual)) {
            std::cerr << "qemud-golden: stale: " << path.string() << " is missing; regenerate with "
                      << "qemud-golden --out " << dir.string() << "\n";
            return 1;
        }
        if (actual != expected) {
            const std::size_t line = first_line_difference(actual, expected);
            std::cerr << "qemud-golden: stale: " << path.string() << " differs from the generator's output at line "
                      << line << "\n  committed: " << line_at(actual, line)
                      << "\n  generated: " << line_at(expected, line)
                      << "\nregenerate with qemud-golden --out " << dir.string()
                      << " and commit it with the change to protocol.x or the generator\n";
            return 1;
        }
    }
    std::cout << "qemud-golden: " << files.size() << " files in " << dir.string() << " are up to date\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"qemud-golden: golden vectors of the qemud protocol, generated from protocol.x"};
    std::string out_dir, check_dir, c_header, envelope;
    bool quiet = false;
    auto* out_opt = app.add_option("--out", out_dir, "Write <kind>_test.json into this directory");
    auto* check_opt =
        app.add_option("--check", check_dir, "Compare this directory's files with a fresh generation (exit 1 if stale)");
    app.add_option("--c-header", c_header, "Write every vector as a self-contained C header to this file");
    app.add_option("--schema-envelope", envelope,
                   "Write the files' JSON Schema without the protocol's types (xdrc --emit json-schema --envelope "
                   "adds them) to this file");
    app.add_flag("-q,--quiet", quiet, "Do not print the counts");
    out_opt->excludes(check_opt);
    app.set_version_flag("--version", qemud::version_text("qemud-golden"));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    // The envelope needs no vectors: written first, and alone it skips the
    // generation.
    if (!envelope.empty()) {
        if (auto error = io::write_file(envelope, schema_envelope())) {
            std::cerr << "qemud-golden: cannot write " << *error << "\n";
            return 2;
        }
        if (out_dir.empty() && check_dir.empty() && c_header.empty()) return 0;
    }
    if (out_dir.empty() && check_dir.empty() && c_header.empty()) {
        std::cerr << "qemud-golden: nothing to do: give --out DIR, --check DIR, --c-header FILE or --schema-envelope FILE\n";
        return 2;
    }

    std::vector<VectorFile> files;
    try {
        files = build_all();
    } catch (const GenerationError& e) {
        std::cerr << "qemud-golden: refusing to write vectors: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "qemud-golden: generation failed: " << e.what() << "\n";
        return 2;
    }

    int status = 0;
    if (!check_dir.empty()) {
        // Nothing to compare with is not "stale": the run could not be made.
        std::error_code ec;
        if (!fs::is_directory(check_dir, ec)) {
            std::cerr << "qemud-golden: cannot check: " << check_dir << " is not a directory\n";
            return 2;
        }
        status = check(files, check_dir);
    }
    if (!out_dir.empty()) {
        std::error_code ec;
        fs::create_directories(out_dir, ec);
        for (const auto& file : files) {
            const fs::path path = fs::path(out_dir) / file_name(file);
            fs::create_directories(path.parent_path(), ec);
            if (auto error = io::write_file(path.string(), emit_json(file))) {
                std::cerr << "qemud-golden: cannot write " << *error << "\n";
                return 2;
            }
        }
    }
    if (!c_header.empty()) {
        if (auto error = io::write_file(c_header, emit_c_header(files))) {
            std::cerr << "qemud-golden: cannot write " << *error << "\n";
            return 2;
        }
    }
    if (!quiet) std::cout << counts(files);
    return status;
}
