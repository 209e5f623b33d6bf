// SPDX-License-Identifier: Apache-2.0
// qemud-crosscheck: encodes sample values of every arm with every in-tree
// implementation, decodes every encoding with every implementation, and
// prints one row per arm. Exit status: 0 all agree, 1 a disagreement or a
// failure, 2 bad arguments.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "version/version.h"
#include "codecs/registry.h"
#include "sample_values.h"

using namespace qemud;

namespace {

// check_arm returns "" when every implementation agrees on every plan, or
// the first problem.
std::string check_arm(const ArmInfo& arm, const Codec& codec) {
    const Kind kind = payload_kind(arm.direction);
    for (const auto plan : samples::all_plans) {
        const Json value = samples::payload_value(arm, plan);
        const auto expected = reference_codec().encode(kind, value);
        if (!expected.ok()) return "rpcgen cannot encode the " + std::string(samples::to_string(plan)) + " value";
        const auto wire = codec.encode(kind, value);
        if (!wire.ok())
            return std::string(samples::to_string(plan)) + ": encode failed: " +
                   (wire.failed() ? wire.error().to_string() : "unsupported");
        if (wire.value() != expected.value()) {
            std::size_t at = 0;
            while (at < wire.value().size() && at < expected.value().size() && wire.value()[at] == expected.value()[at])
                ++at;
            return std::string(samples::to_string(plan)) + ": bytes differ from rpcgen at offset " + std::to_string(at);
        }
        const auto back = codec.decode(kind, expected.value());
        if (!back.ok())
            return std::string(samples::to_string(plan)) + ": decode failed: " +
                   (back.failed() ? back.error().to_string() : "unsupported");
        if (back.value() != value) return std::string(samples::to_string(plan)) + ": decoded value differs";
    }
    return "";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "qemud-crosscheck: every arm of protocol.x through every in-tree implementation "
        "(rpcgen, cxx, dynamic), with the zeros, realistic and boundary sample values"};
    bool quiet = false;
    app.add_flag("-q,--quiet", quiet, "Print only disagreements and the summary");
    app.set_version_flag("--version", qemud::version_text("qemud-crosscheck"));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }

    const auto& codecs = all_codecs();
    std::printf("%-45s %6s", "arm", "bytes");
    for (const Codec* c : codecs) std::printf(" %-8s", std::string(c->name()).c_str());
    std::printf("\n");
    int failures = 0;
    int rows = 0;
    for (const auto& arm : ProtocolInfo::get().all_arms()) {
        std::string line;
        std::vector<std::string> problems;
        for (const Codec* c : codecs) {
            const std::string problem = check_arm(arm, *c);
            if (!problem.empty()) problems.push_back(std::string(c->name()) + ": " + problem);
            char cell[16];
            std::snprintf(cell, sizeof cell, " %-8s", problem.empty() ? "ok" : "FAIL");
            line += cell;
        }
        ++rows;
        failures += problems.empty() ? 0 : 1;
        if (!quiet || !problems.empty()) std::printf("%-45s %6u%s\n", arm.name.c_str(), arm.payload_size, line.c_str());
        for (const auto& p : problems) std::printf("    %s\n", p.c_str());
    }
    std::printf("%d arms, %zu implementations, 3 value plans: %d passed, %d failed\n", rows, codecs.size(),
                rows - failures, failures);
    return failures == 0 ? 0 : 1;
}
