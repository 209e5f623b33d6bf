// junit_report.cpp: JUnit XML, one <testsuite> per implementation and one
// <testcase> per case, for CI dashboards.
#include <cstdio>
#include <sstream>

#include "io/output_file.h"
#include "report.h"

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

}  // namespace

std::string write_junit(const std::string& path, const std::vector<RunReport>& runs, const Verdict& verdict) {
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"qemud-conform\">\n";
    for (const auto& run : runs) {
        int failures = 0, skipped = 0;
        double seconds = 0;
        for (const auto& r : run.records) {
            failures += r.result.status == Status::failed;
            skipped += r.result.status == Status::skipped;
            seconds += r.seconds;
        }
        char time[32];
        std::snprintf(time, sizeof time, "%.3f", seconds);
        out << "  <testsuite name=\"qemud-conform." << xml_escape(run.implementation) << "\" tests=\""
            << run.records.size() << "\" failures=\"" << failures << "\" errors=\"0\" skipped=\"" << skipped
            << "\" time=\"" << time << "\">\n";
        // JUnit has no attribute for an interrupted run; a property is what
        // dashboards show. Notes (e.g. --any-protocol) go the same way.
        out << "    <properties>\n      <property name=\"interrupted\" value=\""
            << (run.interrupted ? "true" : "false") << "\"/>\n";
        if (verdict.signal) out << "      <property name=\"signal\" value=\"" << verdict.signal << "\"/>\n";
        for (const auto& note : run.notes)
            out << "      <property name=\"note\" value=\"" << xml_escape(note) << "\"/>\n";
        out << "    </properties>\n";
        for (const auto& r : run.records) {
            std::snprintf(time, sizeof time, "%.3f", r.seconds);
            out << "    <testcase classname=\"" << xml_escape(run.implementation + "." + r.c->message_type)
                << "\" name=\"" << xml_escape(r.c->name) << "\" time=\"" << time << "\"";
            switch (r.result.status) {
                case Status::passed: out << "/>\n"; break;
                case Status::failed:
                    out << ">\n      <failure message=\"" << xml_escape(r.result.reason) << "\">"
                        << xml_escape(r.result.reason + "\nrerun: " + r.repro) << "</failure>\n    </testcase>\n";
                    break;
                case Status::skipped:
                    out << ">\n      <skipped message=\"" << xml_escape(r.result.reason) << "\"/>\n    </testcase>\n";
                    break;
                case Status::accepted:
                case Status::rejected:
                    out << ">\n      <system-out>acceptable vector " << to_string(r.result.status) << ": "
                        << xml_escape(r.result.reason) << "</system-out>\n    </testcase>\n";
                    break;
            }
        }
        out << "  </testsuite>\n";
    }
    out << "</testsuites>\n";
    if (auto error = io::write_file(path, out.str())) return "--junit: cannot write " + *error;
    return "";
}

}  // namespace qemud::conform
