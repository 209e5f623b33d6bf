// SPDX-License-Identifier: Apache-2.0
#include "output_file.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

namespace qemud::io {

namespace {

std::string folder_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string failure(const std::string& path, const char* what, int error) {
    return path + ": " + what + ": " + std::strerror(error);
}

// not_regular says why path must not be replaced, or "" when it may be.
std::string not_regular(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "";  // absent: created
    if (S_ISREG(st.st_mode)) return "";
    if (S_ISDIR(st.st_mode)) return path + ": is a directory";
    return path + ": not a regular file (a device, FIFO or socket is never replaced)";
}

// holds says whether path is a regular file whose whole content is text.
// Anything it cannot read counts as "no": the file is then written.
bool holds(const std::string& path, std::string_view text) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    if (static_cast<std::size_t>(st.st_size) != text.size()) return false;
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return !in.bad() && content == text;
}

}  // namespace

std::optional<std::string> check_output_path(const std::string& path) {
    if (path.empty()) return std::string("an empty output path");
    if (auto why = not_regular(path); !why.empty()) return why;
    const std::string folder = folder_of(path);
    struct stat st {};
    if (::stat(folder.c_str(), &st) != 0) return failure(path, ("folder " + folder).c_str(), errno);
    if (!S_ISDIR(st.st_mode)) return path + ": " + folder + " is not a directory";
    if (::access(folder.c_str(), W_OK | X_OK) != 0) return failure(path, ("folder " + folder).c_str(), errno);
    return std::nullopt;
}

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {}

OutputFile::~OutputFile() { abandon(); }

std::optional<std::string> OutputFile::open() {
    if (auto why = check_output_path(path_)) return why;
    // A file-size limit (ulimit -f) must surface as a failed write (EFBIG)
    // that we report, not as SIGXFSZ killing the tool halfway through.
    std::signal(SIGXFSZ, SIG_IGN);
    // mkstemp's temporary sits beside the target, so rename never crosses
    // a file system; its name starts with '.' and ends in the random part.
    const std::string folder = folder_of(path_);
    const auto slash = path_.rfind('/');
    const std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
    std::string name = folder + "/." + base + ".tmp.XXXXXX";
    fd_ = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd_ < 0) return failure(path_, "cannot create a temporary beside it", errno);
    temporary_ = name;
    // mkstemp creates 0600; an output file gets the usual 0666 & ~umask.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd_, 0666 & ~mask);
    error_.clear();
    return std::nullopt;
}

void OutputFile::append(std::string_view text) {
    if (fd_ < 0 || !error_.empty()) return;
    while (!text.empty()) {
        const ssize_t n = ::write(fd_, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error_ = failure(path_, "write failed", n < 0 ? errno : EIO);
            return;
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

std::optional<std::string> OutputFile::commit() {
    if (fd_ < 0) return path_ + ": not open";
    std::string error = error_;
    // fsync before rename: after a crash the target is the old file or the
    // whole new one, never an empty one.
    if (error.empty() && ::fsync(fd_) != 0 && errno != EINVAL) error = failure(path_, "fsync failed", errno);
    if (::close(fd_) != 0 && error.empty()) error = failure(path_, "close failed", errno);
    fd_ = -1;
    if (error.empty()) {
        // Checked again: the target may have become a device meanwhile.
        if (auto why = not_regular(path_); !why.empty()) error = why;
    }
    if (error.empty() && ::rename(temporary_.c_str(), path_.c_str()) != 0)
        error = failure(path_, "rename failed", errno);
    if (!error.empty()) {
        abandon();
        return error;
    }
    temporary_.clear();
    return std::nullopt;
}

void OutputFile::abandon() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (!temporary_.empty()) ::unlink(temporary_.c_str());
    temporary_.clear();
}

std::optional<std::string> write_file(const std::string& path, std::string_view text) {
    OutputFile out(path);
    if (auto error = out.open()) return error;
    out.append(text);
    return out.commit();
}

std::optional<std::string> write_file_if_changed(const std::string& path, std::string_view text) {
    if (holds(path, text)) return std::nullopt;
    return write_file(path, text);
}

}  // namespace qemud::io
