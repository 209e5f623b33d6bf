// SPDX-License-Identifier: Apache-2.0
// run.cpp: one qemud-conform run: gather the cases, select them, run them
// against each endpoint, report, and choose the exit status
// (docs/SHIM-CONTRACT.md; docs/EXIT-STATUS.md for interrupted runs).
#include <chrono>
#include <iostream>
#include <memory>

#include "codecs/registry.h"
#include "golden_loader.h"
#include "inprocess_endpoint.h"
#include "interrupt.h"
#include "options.h"
#include "random_cases.h"
#include "html_report.h"
#include "report.h"
#include "selection.h"
#include "shim_endpoint.h"
#include "text_util.h"

namespace qemud::conform {

namespace {

using Clock = std::chrono::steady_clock;

int cannot_run(const std::string& why) {
    std::cerr << "qemud-conform: cannot run: " << why << "\n";
    return 2;
}

// Target is one thing to test: a shim, or an in-tree implementation.
struct Target {
    std::string label;        // for messages before hello
    std::string repro_flags;  // --shim '...' or --impl NAME
    std::unique_ptr<Endpoint> endpoint;
};

std::string repro_line(const Options& o, const Target& t, const Case& c) {
    std::string line = o.program + " " + t.repro_flags;
    if (o.framing != Framing::seed) line += " --framing " + std::string(to_string(o.framing));
    const bool random = c.name.rfind("random/", 0) == 0;
    if (o.vectors_given && !random) line += " --vectors " + shell_quote(o.vectors);
    if (random) line += " --no-golden --random " + std::to_string(o.random) + " --seed " + std::to_string(o.seed);
    if (o.timeout_given) line += " --timeout-ms " + std::to_string(o.timeout_ms);
    return line + " --only " + shell_quote(c.name);
}

}  // namespace

int run(const Options& o) {
    // A report that cannot be written is known now, not after the run.
    if (o.junit)
        if (auto error = check_report_path("--junit", *o.junit)) return cannot_run(*error);
    if (o.json)
        if (auto error = check_report_path("--json", *o.json)) return cannot_run(*error);
    if (o.html)
        if (auto error = prepare_html_dir(*o.html)) return cannot_run(*error);
    install_interrupt_handlers();

    // --- the cases: the golden vectors, then random case i for i < N,
    // drawn one at a time (memory does not grow with N).
    std::vector<Case> golden;
    std::vector<std::string> notes;
    std::optional<std::string> vectors_sha256;
    if (!o.no_golden) {
        auto loaded = load_golden(o.vectors, o.framing, o.any_protocol);
        if (auto* error = std::get_if<std::string>(&loaded)) return cannot_run(*error);
        auto& set = std::get<GoldenSet>(loaded);
        golden = std::move(set.cases);
        notes = std::move(set.notes);
        vectors_sha256 = std::move(set.protocol_sha256);
    }
    const std::size_t total = golden.size() + o.random;
    if (total == 0) return cannot_run("no cases: --no-golden and no --random N");
    auto name_of = [&](std::size_t k) {
        return k < golden.size() ? golden[k].name : random_case_name(k - golden.size(), o.framing);
    };
    std::size_t selected = total;
    if (!o.only.empty()) {
        selected = 0;
        for (std::size_t k = 0; k < total; ++k) selected += matches_any(o.only, name_of(k));
    }
    if (selected == 0) return cannot_run("--only matched no case (names look like golden/client/tc12 or "
                                         "random/server/QEMUD_SERVER_PKT_GET_VERSION/3)");

    Disabled disabled;
    if (o.disabled) {
        auto loaded = load_disabled(*o.disabled);
        if (auto* error = std::get_if<std::string>(&loaded)) return cannot_run(*error);
        disabled = std::move(std::get<Disabled>(loaded));
    }

    // --- what is tested
    std::vector<Target> targets;
    if (o.shim) {
        ShimSettings settings;
        settings.command = *o.shim;
        settings.timeout_ms = o.timeout_ms;
        settings.first_hello_timeout_ms = std::max(o.timeout_ms, 10000);
        targets.push_back({*o.shim, "--shim " + shell_quote(*o.shim), make_shim_endpoint(settings)});
    } else {
        std::vector<const Codec*> codecs;
        if (o.impls.empty()) {
            codecs = all_codecs();
        } else {
            for (const auto& name : o.impls) {
                const Codec* codec = find_codec(name);
                if (!codec) {
                    std::string known;
                    for (const Codec* c : all_codecs()) known += (known.empty() ? "" : ", ") + std::string(c->name());
                    return cannot_run("--impl " + name + ": no such in-tree implementation (known: " + known + ")");
                }
                codecs.push_back(codec);
            }
        }
        for (const Codec* codec : codecs)
            targets.push_back({std::string(codec->name()), "--impl " + std::string(codec->name()),
                               make_inprocess_endpoint(*codec)});
    }

    // --- the reports, written as cases finish
    std::vector<std::unique_ptr<ReportWriter>> writers;
    RunInfo info = run_info(o);
    info.vectors_sha256 = vectors_sha256;
    if (o.junit) writers.push_back(make_junit_report(*o.junit, info));
    if (o.json) writers.push_back(make_json_report(*o.json, info));
    if (o.html) writers.push_back(make_json_report(html_json_path(*o.html), info));  // the pages' source
    for (auto& w : writers) {
        if (auto error = w->open()) return cannot_run(*error);
        remove_on_second_signal(w->temporary());
    }

    // --- run
    std::vector<RunReport> runs;
    bool could_not_run = false;
    for (auto& target : targets) {
        if (interrupted_by()) break;
        if (auto error = target.endpoint->start()) {
            if (interrupted_by()) break;
            cannot_run(target.label + ": " + *error);
            could_not_run = true;
            break;
        }
        if (!target.endpoint->hello().framings.count(o.framing)) {
            // The framed kinds' cases are skipped; with --require-all they
            // would all fail, so the run cannot be made.
            const std::string why = target.endpoint->hello().name + " does not list framing " +
                                    std::string(to_string(o.framing)) + " in its hello reply's \"framings\"";
            if (o.require_all) {
                cannot_run(why + ", and --require-all counts every framed case it would skip as failed");
                could_not_run = true;
                target.endpoint->finish();
                break;
            }
            std::cerr << "qemud-conform: note: " << why << ": its header, client_message and server_message cases "
                      << "are skipped\n";
        }
        RunReport report;
        report.implementation = target.endpoint->hello().name;
        report.version = target.endpoint->hello().version;
        report.notes = notes;
        for (auto& w : writers) w->begin_run(report);
        for (auto& [glob, hits] : disabled.hits) hits = 0;

        const auto started = Clock::now();
        auto last_progress = started;
        std::size_t done = 0;
        Case drawn;
        for (std::size_t k = 0; k < total; ++k) {
            if (interrupted_by()) break;
            if (!o.only.empty() && !matches_any(o.only, name_of(k))) continue;
            if (k >= golden.size()) drawn = random_case(o.seed, k - golden.size(), o.framing);
            const Case& c = k < golden.size() ? golden[k] : drawn;
            CaseResult result;
            double seconds = 0;
            if (auto reason = disabled_reason(disabled, c.name)) {
                result = {Status::skipped, *reason};
            } else {
                const auto t0 = Clock::now();
                result = run_case(*target.endpoint, c);
                seconds = std::chrono::duration<double>(Clock::now() - t0).count();
                if (interrupted_by()) break;  // cut short: neither passed nor failed, so not reported
            }
            report.executed += result.status != Status::skipped;
            if (o.require_all && result.status == Status::skipped)
                result = {Status::failed, "skipped under --require-all: " + result.reason};
            const std::string repro = repro_line(o, target, c);
            report.add(c, result, repro, o.max_failures);
            report.seconds += seconds;
            for (auto& w : writers) w->add_case(c, result, repro, seconds);
            ++done;
            if (!o.quiet && Clock::now() - last_progress > std::chrono::seconds(2)) {
                last_progress = Clock::now();
                std::cerr << "qemud-conform: " << report.implementation << ": " << done << "/" << selected
                          << " cases, " << report.failure_count() << " failed\n";
            }
        }
        target.endpoint->finish();
        report.interrupted = interrupted_by() != 0;
        if (!o.quiet)
            std::cerr << "qemud-conform: " << report.implementation << ": " << done << " cases in "
                      << std::chrono::duration<double>(Clock::now() - started).count() << " s, "
                      << report.failure_count() << " failed\n";
        report.stale_disabled = stale_globs(disabled);
        for (auto& w : writers) w->end_run(report);
        runs.push_back(std::move(report));
    }

    // --- verdict
    const int signal = interrupted_by();
    if (signal && runs.empty() && !targets.empty()) {
        // Interrupted before the first case: the reports still say so.
        RunReport report;
        report.implementation = targets.front().label;
        report.notes = notes;
        report.interrupted = true;
        for (auto& w : writers) w->begin_run(report), w->end_run(report);
        runs.push_back(std::move(report));
    }
    const int exit_code = judge_runs(summary_stream(o), runs, could_not_run, signal, o.max_failures);
    const Verdict verdict{exit_code, signal};
    for (auto& w : writers)
        if (auto error = w->finish(verdict)) return cannot_run(*error);
    if (o.html)
        if (auto error = write_html_report(*o.html, {html_json_path(*o.html)})) return cannot_run(*error);
    return exit_code;
}

int render_html(const Options& o) {
    if (auto error = prepare_html_dir(*o.html)) return cannot_run(*error);
    if (auto error = write_html_report(*o.html, o.html_from)) return cannot_run(*error);
    return 0;
}

}  // namespace qemud::conform
