// SPDX-License-Identifier: Apache-2.0
// output_file.h: the one way every tool of the harness writes an output
// file (runner reports, golden vectors and C header, xdrc's generated code,
// campaign summaries).
//
// The text goes to a temporary in the same folder (so rename is atomic),
// every write and the close are checked, the data is fsync'd, then the
// temporary is renamed over the target. A target that exists and is not a
// regular file (a device, a FIFO, a directory) is never replaced. On any
// failure the old file is intact and the temporary is gone.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qemud::io {

// check_output_path says whether path could be written by OutputFile:
// its folder exists and is writable, and path is absent or a regular file.
// Tools call it before a long run so a typo costs nothing. Returns the
// reason it cannot ("PATH: ..."), or nullopt.
std::optional<std::string> check_output_path(const std::string& path);

// OutputFile writes one file. Construct it with the target path, append()
// text as it comes (memory stays bounded: the text goes straight to the
// temporary), then commit(). Destroying it without commit() removes the
// temporary and leaves the target untouched.
class OutputFile {
public:
    explicit OutputFile(std::string path);
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    // open creates the temporary. Returns the error ("PATH: why"), or
    // nullopt.
    std::optional<std::string> open();
    // append writes text to the temporary; a failure is remembered and
    // reported by commit().
    void append(std::string_view text);
    // commit flushes, fsyncs and closes the temporary and renames it over
    // the target. Returns the error ("PATH: why"), or nullopt; on error the
    // temporary is removed.
    std::optional<std::string> commit();
    // abandon removes the temporary (also done by the destructor).
    void abandon();

    const std::string& path() const { return path_; }
    // temporary is the file being written ("" when none), e.g. for a signal
    // handler that must remove it before exiting at once.
    const std::string& temporary() const { return temporary_; }

private:
    std::string path_;
    std::string temporary_;
    int fd_ = -1;
    std::string error_;  // first write failure
};

// write_file writes the whole text through an OutputFile. Returns the error
// ("PATH: why"), or nullopt.
std::optional<std::string> write_file(const std::string& path, std::string_view text);

// write_file_if_changed is write_file for code and data generated during a
// build: a target that is a regular file already holding exactly text is
// left as it is, its modification time included. ninja restats a custom
// command's outputs (CMake asks it to), so an unchanged output rebuilds
// nothing after it: xdrc reruns whenever it is relinked (every commit
// changes the version it links), and rewriting its unchanged headers made
// the next build recompile two dozen files and relink every program.
// Returns the error ("PATH: why"), or nullopt.
std::optional<std::string> write_file_if_changed(const std::string& path, std::string_view text);

}  // namespace qemud::io
