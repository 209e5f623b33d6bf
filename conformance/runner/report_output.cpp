// SPDX-License-Identifier: Apache-2.0
#include "report_output.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace qemud::conform {

std::optional<std::string> check_report_path(const std::string& option, const std::string& path) {
    if (is_stdout_path(path)) return std::nullopt;
    if (auto error = io::check_output_path(path)) return option + ": cannot write " + *error;
    return std::nullopt;
}

ReportOutput::ReportOutput(std::string option, std::string path) : option_(std::move(option)), path_(std::move(path)) {
    if (!is_stdout_path(path_)) file_.emplace(path_);
}

ReportOutput::~ReportOutput() { abandon(); }

std::string ReportOutput::where() const { return file_ ? path_ : std::string("standard output"); }

std::optional<std::string> ReportOutput::open() {
    if (file_) {
        if (auto error = file_->open()) return option_ + ": cannot write " + *error;
        return std::nullopt;
    }
    scratch_ = std::tmpfile();
    if (!scratch_) return option_ + ": cannot write standard output: no scratch file: " + std::strerror(errno);
    return std::nullopt;
}

void ReportOutput::append(std::string_view text) {
    if (file_) return file_->append(text);
    if (!scratch_ || !error_.empty()) return;
    if (std::fwrite(text.data(), 1, text.size(), scratch_) != text.size())
        error_ = std::string("its scratch file failed: ") + std::strerror(errno);
}

std::optional<std::string> ReportOutput::commit() {
    if (file_) {
        if (auto error = file_->commit()) return option_ + ": cannot write " + *error;
        return std::nullopt;
    }
    auto fail = [&](const std::string& why) -> std::optional<std::string> {
        abandon();
        return option_ + ": cannot write standard output: " + why;
    };
    if (!scratch_) return fail("it was not opened");
    if (!error_.empty()) return fail(error_);
    if (std::fflush(scratch_) != 0) return fail(std::string("its scratch file failed: ") + std::strerror(errno));
    std::rewind(scratch_);
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, scratch_)) > 0) {
        // Raw writes to descriptor 1: nothing else of this run writes to
        // standard output when a report goes there.
        std::size_t done = 0;
        while (done < n) {
            const ssize_t w = ::write(STDOUT_FILENO, buf + done, n - done);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) return fail(std::strerror(errno));
            done += static_cast<std::size_t>(w);
        }
    }
    if (std::ferror(scratch_)) return fail("its scratch file failed");
    std::fclose(scratch_);
    scratch_ = nullptr;
    return std::nullopt;
}

void ReportOutput::abandon() {
    if (file_) file_->abandon();
    if (scratch_) std::fclose(scratch_);
    scratch_ = nullptr;
}

const std::string& ReportOutput::temporary() const {
    static const std::string none;
    return file_ ? file_->temporary() : none;
}

}  // namespace qemud::conform
