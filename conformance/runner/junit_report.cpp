// SPDX-License-Identifier: Apache-2.0
// junit_report.cpp: JUnit XML, one <testsuite> per implementation and one
// <testcase> per case, for CI dashboards.
//
// A <testsuite>'s counts come before its cases, and are known only when the
// run ends, so each run's cases go to an unnamed scratch file (tmpfile(3),
// gone when closed) and are copied after the <testsuite> line: memory stays
// bounded however many cases there are.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "report.h"
#include "version/version.h"

namespace qemud::conform {

namespace {

// xml_escape also drops what XML 1.0 cannot hold at all (control
// characters); reasons are already printable ASCII (text_util excerpt), but
// names and comments come from files.
std::string xml_escape(const std::string& text) {
    std::string out;
    for (char ch : text) {
        const auto u = static_cast<unsigned char>(ch);
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                if (u < 0x20 && ch != '\n' && ch != '\t' && ch != '\r')
                    out += '?';
                else
                    out += ch;
        }
    }
    return out;
}

// classname keeps [A-Za-z0-9_.-] and writes '_' for anything else: the
// implementation's name is the shim's to choose ("Go xdr/v2", "client
// 'cmd'"), and dashboards split classnames at '.' into packages and make
// file names of them.
std::string classname(std::string text) {
    for (char& ch : text) {
        const bool keep = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                          ch == '_' || ch == '.' || ch == '-';
        if (!keep) ch = '_';
    }
    return text;
}

std::string seconds_text(double seconds) {
    char time[32];
    std::snprintf(time, sizeof time, "%.3f", seconds);
    return time;
}

class JunitReport : public ReportWriter {
public:
    JunitReport(const std::string& path, RunInfo info) : out_("--junit", path), info_(std::move(info)) {}
    ~JunitReport() override {
        if (scratch_) std::fclose(scratch_);
    }

    std::optional<std::string> open() override {
        if (auto error = out_.open()) return error;
        out_.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"qemud-conform\">\n");
        return std::nullopt;
    }
    void begin_run(const RunReport& run) override {
        flush_run(Verdict{});  // a run followed by another was not interrupted
        implementation_ = run.implementation;
        scratch_ = std::tmpfile();
        if (!scratch_) scratch_failed();
        seconds_ = 0;
    }
    void add_case(const Case& c, const CaseResult& result, const std::string& repro, double seconds) override {
        seconds_ += seconds;
        std::ostringstream out;
        out << "    <testcase classname=\"" << xml_escape(classname(implementation_ + "." + c.message_type))
            << "\" name=\"" << xml_escape(c.name) << "\" time=\"" << seconds_text(seconds) << "\"";
        switch (result.status) {
            case Status::passed: out << "/>\n"; break;
            case Status::failed:
                out << ">\n      <failure type=\"" << xml_escape(c.conversation ? std::string("conversation") : std::string(to_string(c.expect)))
                    << "\" message=\"" << xml_escape(result.reason.substr(0, result.reason.find('\n'))) << "\">"
                    << xml_escape(result.reason + "\nrerun: " + repro) << "</failure>\n    </testcase>\n";
                break;
            case Status::skipped:
                out << ">\n      <skipped message=\"" << xml_escape(result.reason) << "\"/>\n    </testcase>\n";
                break;
            case Status::accepted:
            case Status::rejected:
                out << ">\n      <system-out>acceptable vector " << to_string(result.status) << ": "
                    << xml_escape(result.reason) << "</system-out>\n    </testcase>\n";
                break;
        }
        const std::string text = out.str();
        if (scratch_ && std::fwrite(text.data(), 1, text.size(), scratch_) != text.size()) scratch_failed();
    }
    void end_run(const RunReport& run) override {
        const Tally& t = run.all;
        std::ostringstream head;
        head << "  <testsuite name=\"qemud-conform." << xml_escape(run.implementation) << "\" tests=\"" << t.total()
             << "\" failures=\"" << t.failed << "\" errors=\"0\" skipped=\"" << t.skipped << "\" time=\""
             << seconds_text(seconds_) << "\" timestamp=\"" << xml_escape(info_.start_time) << "\" hostname=\""
             << xml_escape(info_.hostname) << "\">\n";
        // JUnit has no attribute for an interrupted run; a property is what
        // dashboards show. Notes (e.g. --any-protocol) go the same way.
        head << "    <properties>\n      <property name=\"interrupted\" value=\""
             << (run.interrupted ? "true" : "false") << "\"/>\n";
        std::string command;
        for (const auto& a : info_.arguments) command += (command.empty() ? "" : " ") + a;
        const std::pair<const char*, std::string> about[] = {
            {"toolVersion", std::string(project_version())},
            {"gitDescribe", std::string(git_describe())},
            {"protocolSha256", std::string(build_protocol_sha256())},
            {"vectorsProtocolSha256", info_.vectors_sha256.value_or("")},
            {"implementationVersion", run.version},
            {"seed", std::to_string(info_.seed)},
            {"random", std::to_string(info_.random)},
            {"arguments", command}};
        for (const auto& [name, value] : about)
            if (!value.empty() || std::string_view(name) != "vectorsProtocolSha256")  // none read: no property
                head << "      <property name=\"" << name << "\" value=\"" << xml_escape(value) << "\"/>\n";
        for (const auto& note : run.notes)
            head << "      <property name=\"note\" value=\"" << xml_escape(note) << "\"/>\n";
        pending_head_ = head.str();
        pending_run_ = true;
    }
    std::optional<std::string> finish(const Verdict& verdict) override {
        flush_run(verdict);
        out_.append("</testsuites>\n");
        if (!error_.empty()) {
            out_.abandon();
            return error_;
        }
        return out_.commit();
    }
    const std::string& temporary() const override { return out_.temporary(); }

private:
    // flush_run writes the finished run: its head, the signal (known only
    // at the end), then the cases from the scratch file.
    void flush_run(const Verdict& verdict) {
        if (!pending_run_) return;
        pending_run_ = false;
        out_.append(pending_head_);
        if (verdict.signal)
            out_.append("      <property name=\"signal\" value=\"" + std::to_string(verdict.signal) + "\"/>\n");
        out_.append("    </properties>\n");
        if (scratch_) {
            if (std::fflush(scratch_) != 0) scratch_failed();
            std::rewind(scratch_);
            char buf[65536];
            std::size_t n;
            while ((n = std::fread(buf, 1, sizeof buf, scratch_)) > 0) out_.append(std::string_view(buf, n));
            if (std::ferror(scratch_)) scratch_failed();
            std::fclose(scratch_);
            scratch_ = nullptr;
        }
        out_.append("  </testsuite>\n");
    }

    void scratch_failed() {
        if (error_.empty())
            error_ = "--junit: cannot write " + out_.where() + ": its scratch file failed: " + std::strerror(errno);
    }

    ReportOutput out_;
    RunInfo info_;
    std::string implementation_;
    std::FILE* scratch_ = nullptr;
    double seconds_ = 0;
    std::string pending_head_;
    bool pending_run_ = false;
    std::string error_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_junit_report(const std::string& path, const RunInfo& info) {
    return std::make_unique<JunitReport>(path, info);
}

}  // namespace qemud::conform
