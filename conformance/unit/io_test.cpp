// SPDX-License-Identifier: Apache-2.0
// io_test.cpp: reference/io: an output file is written whole or not at all,
// never over a device or a directory, and a JSON syntax error says where.
#define BOOST_TEST_MODULE io
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/json_input.h"
#include "io/output_file.h"

namespace fs = std::filesystem;
using namespace qemud::io;

namespace {

// Folder is a fresh temporary folder, removed with everything in it.
struct Folder {
    fs::path path;
    Folder() {
        std::string name = (fs::temp_directory_path() / "qemud-io-test.XXXXXX").string();
        BOOST_REQUIRE(::mkdtemp(name.data()));
        path = name;
    }
    ~Folder() { fs::remove_all(path); }
    std::size_t entries() const { return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), {})); }
};

std::string slurp(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(output_file)

BOOST_AUTO_TEST_CASE(writes_and_replaces_a_regular_file) {
    Folder f;
    const std::string path = (f.path / "out.txt").string();
    BOOST_TEST(!write_file(path, "first\n"));
    BOOST_TEST(slurp(path) == "first\n");
    BOOST_TEST(!write_file(path, "second\n"));
    BOOST_TEST(slurp(path) == "second\n");
    BOOST_TEST(f.entries() == 1u);  // no temporary left
}

BOOST_AUTO_TEST_CASE(never_replaces_a_device_or_a_directory) {
    // A FIFO stands for a device: the test never points at /dev/full, so a
    // broken build cannot replace a device of the machine.
    Folder f;
    auto error = write_file(f.path.string(), "x");
    BOOST_REQUIRE(error);
    BOOST_TEST(error->find("is a directory") != std::string::npos);
    const std::string fifo = (f.path / "fifo").string();
    BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    error = write_file(fifo, "x");
    BOOST_REQUIRE(error);
    BOOST_TEST(error->find(fifo + ": not a regular file") == 0u, *error);
    BOOST_TEST(check_output_path(fifo).has_value());
    struct stat st {};
    BOOST_REQUIRE(::stat(fifo.c_str(), &st) == 0);
    BOOST_TEST(S_ISFIFO(st.st_mode));
    BOOST_TEST(f.entries() == 1u);
}

BOOST_AUTO_TEST_CASE(a_failed_write_leaves_the_old_file) {
    Folder f;
    const std::string path = (f.path / "out.txt").string();
    BOOST_REQUIRE(!write_file(path, "old\n"));
    // A 4 KiB file-size limit: the write of 64 KiB fails with EFBIG.
    rlimit saved{};
    ::getrlimit(RLIMIT_FSIZE, &saved);
    rlimit small = saved;
    small.rlim_cur = 4096;
    ::setrlimit(RLIMIT_FSIZE, &small);
    const auto error = write_file(path, std::string(65536, 'x'));
    ::setrlimit(RLIMIT_FSIZE, &saved);
    BOOST_REQUIRE(error);
    BOOST_TEST(error->find(path) == 0u, *error);
    BOOST_TEST(slurp(path) == "old\n");
    BOOST_TEST(f.entries() == 1u);
}

BOOST_AUTO_TEST_CASE(abandoned_output_leaves_nothing) {
    Folder f;
    {
        OutputFile out((f.path / "partial").string());
        BOOST_REQUIRE(!out.open());
        out.append("half");
    }
    BOOST_TEST(f.entries() == 0u);
}

BOOST_AUTO_TEST_CASE(an_unchanged_output_keeps_its_time) {
    // A build restats a generated file: if xdrc touched an unchanged
    // header, everything that includes it would recompile.
    Folder f;
    const fs::path path = f.path / "model.gen.h";
    BOOST_REQUIRE(!write_file_if_changed(path.string(), "struct a;\n"));
    BOOST_TEST(slurp(path) == "struct a;\n");
    const auto old = fs::last_write_time(path) - std::chrono::hours(1);
    fs::last_write_time(path, old);
    BOOST_TEST(!write_file_if_changed(path.string(), "struct a;\n"));
    BOOST_TEST((fs::last_write_time(path) == old));
    // The same size with other bytes is a change, and so is another size.
    BOOST_TEST(!write_file_if_changed(path.string(), "struct b;\n"));
    BOOST_TEST(slurp(path) == "struct b;\n");
    BOOST_TEST((fs::last_write_time(path) != old));
    BOOST_TEST(!write_file_if_changed(path.string(), "struct b; struct c;\n"));
    BOOST_TEST(slurp(path) == "struct b; struct c;\n");
    BOOST_TEST(f.entries() == 1u);
    // A directory is still never replaced, whatever it "holds".
    fs::create_directory(f.path / "dir");
    BOOST_TEST(write_file_if_changed((f.path / "dir").string(), "").has_value());
}

BOOST_AUTO_TEST_CASE(a_missing_folder_is_reported_before_any_work) {
    const auto error = check_output_path("/nonexistent/folder/report.xml");
    BOOST_REQUIRE(error);
    BOOST_TEST(error->find("/nonexistent/folder") != std::string::npos);
    BOOST_TEST(!check_output_path((fs::temp_directory_path() / "anything").string()));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(json_input)

BOOST_AUTO_TEST_CASE(a_syntax_error_has_line_and_column) {
    Folder f;
    const std::string path = (f.path / "v.json").string();
    std::ofstream(path) << "{\n  \"a\": 1,\n  \"b\": }\n";
    auto read = read_json(path);
    BOOST_REQUIRE(std::holds_alternative<std::string>(read));
    BOOST_TEST(std::get<std::string>(read).rfind(path + ":3:8: not valid JSON: syntax error", 0) == 0u,
               std::get<std::string>(read));
    std::ofstream(path) << "{\"a\": [1, 2";  // truncated
    read = read_json(path);
    BOOST_REQUIRE(std::holds_alternative<std::string>(read));
    BOOST_TEST(std::get<std::string>(read).rfind(path + ":1:12: not valid JSON", 0) == 0u, std::get<std::string>(read));
}

BOOST_AUTO_TEST_CASE(a_directory_or_missing_file_is_named) {
    Folder f;
    auto read = read_json(f.path.string());
    BOOST_REQUIRE(std::holds_alternative<std::string>(read));
    BOOST_TEST(std::get<std::string>(read) == f.path.string() + ": is a directory, not a file");
    read = read_json((f.path / "missing.json").string());
    BOOST_REQUIRE(std::holds_alternative<std::string>(read));
    BOOST_TEST(std::get<std::string>(read).find("missing.json: cannot open") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_valid_file_parses) {
    Folder f;
    const std::string path = (f.path / "ok.json").string();
    std::ofstream(path) << "{\"b\": 1, \"a\": 2}";
    const auto read = read_json<nlohmann::ordered_json>(path);
    BOOST_REQUIRE(std::holds_alternative<nlohmann::ordered_json>(read));
    BOOST_TEST(std::get<nlohmann::ordered_json>(read).begin().key() == "b");
}

BOOST_AUTO_TEST_SUITE_END()
