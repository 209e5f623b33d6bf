// SPDX-License-Identifier: Apache-2.0
// peer_check_main.cpp: qemud-peer-check, the standalone driver of the
// server conversation engine. One line per case, a summary, exit 0 (every
// case passed or skipped), 1 (a case failed), 2 (bad arguments, no server
// to connect to, or a transcript that could not be written).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fnmatch.h>
#include <fstream>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "version/version.h"
#include "peer_check.h"

namespace {

using qemud::peers::PeerResult;

// write_file writes text to path through a temporary in the same folder
// and a rename, so a reader never sees half a file; an existing
// non-regular file is never replaced. Returns an error line or "".
std::string write_file(const std::string& path, const std::string& text) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) return path + ": exists and is not a regular file";
    const std::string temporary = path + ".tmp." + std::to_string(::getpid());
    FILE* out = std::fopen(temporary.c_str(), "w");
    if (out == nullptr) return temporary + ": " + std::strerror(errno);
    bool ok = std::fwrite(text.data(), 1, text.size(), out) == text.size();
    ok = (std::fclose(out) == 0) && ok;
    if (!ok || std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::string error = path + ": " + std::strerror(errno);
        std::remove(temporary.c_str());
        return error;
    }
    return "";
}

std::string file_name_of(std::string name) {
    for (char& c : name)
        if (c == '/' || c == ' ' || c == '\'') c = '_';
    return name + ".json";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"qemud-peer-check: run the server conversation cases (docs/PEERS.md) against a running server"};
    qemud::peers::PeerOptions options;
    std::string framing = "seed";
    std::vector<std::string> only;
    std::string transcript_dir;
    bool list = false;
    app.add_option("--connect", options.address, "the server under test: unix:PATH or tcp:HOST:PORT")->required();
    app.add_option("--framing", framing, "framing profile: seed or libvirt-0.3")->capture_default_str();
    app.add_option("--only", only, "run only the cases whose name matches this glob; repeatable");
    app.add_option("--timeout-ms", options.timeout_ms, "per-step timeout")->capture_default_str()->check(CLI::Range(1, 600000));
    app.add_option("--seed", options.seed, "seed of the call serials")->capture_default_str();
    app.add_option("--golden", options.golden_dir, "golden vector directory (default: this tree's golden/)");
    app.add_option("--transcript", transcript_dir, "write each failing case's conversation to DIR/<case>.json");
    app.add_flag("--list", list, "list the case names and exit");
    app.set_version_flag("--version", qemud::version_text("qemud-peer-check"));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11's own exit codes are 0 for --help and 105+ for errors; this
        // tool says 2 for every bad argument.
        app.exit(e);
        return e.get_exit_code() == 0 ? 0 : 2;
    }
    auto profile = qemud::framing_from_string(framing);
    if (!profile) {
        std::cerr << "qemud-peer-check: unknown --framing '" << framing << "' (seed, libvirt-0.3)\n";
        return 2;
    }
    options.framing = *profile;

    std::vector<std::string> names;
    for (const auto& name : qemud::peers::list_server_cases(options)) {
        bool wanted = only.empty();
        for (const auto& glob : only) wanted = wanted || ::fnmatch(glob.c_str(), name.c_str(), 0) == 0;
        if (wanted) names.push_back(name);
    }
    if (names.empty()) {
        std::cerr << "qemud-peer-check: no case matches --only\n";
        return 2;
    }
    if (list) {
        for (const auto& name : names) std::cout << name << "\n";
        return 0;
    }
    if (!transcript_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(transcript_dir, ec);
        if (ec) {
            std::cerr << "qemud-peer-check: " << transcript_dir << ": " << ec.message() << "\n";
            return 2;
        }
    }
    if (auto down = qemud::peers::probe_server(options)) {
        std::cerr << "qemud-peer-check: cannot connect to the server: " << *down << "\n";
        return 2;
    }

    int passed = 0, failed = 0, skipped = 0;
    for (const auto& name : names) {
        PeerResult result = qemud::peers::run_server_case(name, options);
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.3f s", result.seconds);
        switch (result.status) {
            case PeerResult::Status::passed:
                ++passed;
                std::cout << "pass  " << name << " (" << seconds << ")\n";
                break;
            case PeerResult::Status::skipped:
                ++skipped;
                std::cout << "skip  " << name << ": " << result.reason << "\n";
                break;
            case PeerResult::Status::failed:
                ++failed;
                std::cout << "FAIL  " << name << ": " << result.step << ": " << result.reason << "\n"
                          << "      repro: " << result.repro << "\n";
                if (!transcript_dir.empty()) {
                    std::string error = write_file(transcript_dir + "/" + file_name_of(name),
                                                   qemud::peers::transcript_json(result).dump(2) + "\n");
                    if (!error.empty()) {
                        std::cerr << "qemud-peer-check: cannot write the transcript " << error << "\n";
                        return 2;
                    }
                }
                break;
        }
        std::cout.flush();
    }
    std::cout << passed << " passed, " << failed << " failed, " << skipped << " skipped (" << options.address
              << ", framing " << qemud::to_string(options.framing) << ")\n";
    return failed > 0 ? 1 : 0;
}
