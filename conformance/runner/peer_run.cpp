// SPDX-License-Identifier: Apache-2.0
#include "peer_run.h"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "html_report.h"
#include "interrupt.h"
#include "io/output_file.h"
#include "selection.h"

namespace qemud::conform {

namespace {

using Clock = std::chrono::steady_clock;

std::string transcript_file_name(std::string name) {
    for (char& c : name)
        if (c == '/' || c == ' ' || c == '\'' || c == '*') c = '_';
    return name + ".json";
}

}  // namespace

int cannot_run(const std::string& why) {
    std::cerr << "qemud-conform: cannot run: " << why << "\n";
    return 2;
}

std::string family(const std::string& name) { return name.substr(0, name.find('/')); }

std::optional<std::string> checked_outputs(const Options& o) {
    if (o.junit)
        if (auto error = check_report_path("--junit", *o.junit)) return error;
    if (o.json)
        if (auto error = check_report_path("--json", *o.json)) return error;
    if (o.html)
        if (auto error = prepare_html_dir(*o.html)) return error;
    if (o.transcript) {
        std::error_code ec;
        std::filesystem::create_directories(*o.transcript, ec);
        if (ec) return "--transcript: " + *o.transcript + ": " + ec.message();
    }
    return std::nullopt;
}

int report_peer_run(const Options& o, PeerRun& run) {
    Disabled disabled;
    if (o.disabled) {
        auto loaded = load_disabled(*o.disabled);
        if (auto* error = std::get_if<std::string>(&loaded)) return cannot_run(*error);
        disabled = std::move(std::get<Disabled>(loaded));
    }
    std::vector<std::unique_ptr<ReportWriter>> writers;
    RunInfo info = run_info(o);
    info.vectors_sha256 = run.vectors_sha256;
    if (o.junit) writers.push_back(make_junit_report(*o.junit, info));
    if (o.json) writers.push_back(make_json_report(*o.json, info));
    if (o.html) writers.push_back(make_json_report(html_json_path(*o.html), info));  // the pages' source
    for (auto& w : writers) {
        if (auto error = w->open()) return cannot_run(*error);
        remove_on_second_signal(w->temporary());
    }

    RunReport report;
    report.implementation = run.implementation;
    report.group_title = "case family";
    if (o.framing != Framing::seed) report.notes.push_back("framing " + std::string(to_string(o.framing)));
    for (auto& w : writers) w->begin_run(report);

    const auto started = Clock::now();
    auto last_progress = started;
    std::size_t done = 0;
    bool could_not_run = false;
    std::optional<std::string> transcript_error;
    for (const auto& name : run.names) {
        if (interrupted_by()) break;
        Case c;
        c.name = name;
        c.kind = Kind::client_message;
        c.framing = o.framing;
        c.message_type = family(name);
        c.conversation = true;
        CaseResult result;
        double seconds = 0;
        peers::PeerResult peer;
        if (auto reason = disabled_reason(disabled, name)) {
            result = {Status::skipped, *reason};
        } else {
            peer = run.run_case(name);
            if (interrupted_by()) break;  // cut short: neither passed nor failed
            seconds = peer.seconds;
            switch (peer.status) {
                case peers::PeerResult::Status::passed: result = {Status::passed, ""}; break;
                case peers::PeerResult::Status::skipped: result = {Status::skipped, peer.reason}; break;
                case peers::PeerResult::Status::failed: result = {Status::failed, peer.step + ": " + peer.reason}; break;
            }
            if (run.after_case)
                if (auto error = run.after_case(name, result, peer, report)) {
                    cannot_run(*error);
                    could_not_run = true;
                }
        }
        report.executed += result.status != Status::skipped;
        if (o.require_all && result.status == Status::skipped)
            result = {Status::failed, "skipped under --require-all: " + result.reason};
        report.add(c, result, peer.repro, o.max_failures);
        report.seconds += seconds;
        for (auto& w : writers) w->add_case(c, result, peer.repro, seconds);
        if (result.status == Status::failed && o.transcript && !transcript_error) {
            peer.name = name;
            if (auto error = io::write_file(*o.transcript + "/" + transcript_file_name(name),
                                            peers::transcript_json(peer).dump(2) + "\n"))
                transcript_error = "--transcript: cannot write " + *error;
        }
        ++done;
        if (!o.quiet && Clock::now() - last_progress > std::chrono::seconds(2)) {
            last_progress = Clock::now();
            std::cerr << "qemud-conform: " << report.implementation << ": " << done << "/" << run.names.size()
                      << " cases, " << report.failure_count() << " failed\n";
        }
        if (could_not_run) break;
    }
    report.interrupted = interrupted_by() != 0;
    report.stale_disabled = stale_globs(disabled);
    if (!o.quiet)
        std::cerr << "qemud-conform: " << report.implementation << ": " << done << " cases in "
                  << std::chrono::duration<double>(Clock::now() - started).count() << " s, "
                  << report.failure_count() << " failed\n";
    for (auto& w : writers) w->end_run(report);

    const int signal = interrupted_by();
    const int exit_code = judge_runs(summary_stream(o), {report}, could_not_run, signal, o.max_failures);
    const Verdict verdict{exit_code, signal};
    for (auto& w : writers)
        if (auto error = w->finish(verdict)) return cannot_run(*error);
    if (o.html)
        if (auto error = write_html_report(*o.html, {html_json_path(*o.html)})) return cannot_run(*error);
    if (transcript_error) return cannot_run(*transcript_error);
    return exit_code;
}

}  // namespace qemud::conform
