// SPDX-License-Identifier: Apache-2.0
#include "html_spool.h"

#include <cerrno>
#include <cstring>

namespace qemud::conform::html {

Spools::~Spools() {
    for (auto& [key, file] : files_) std::fclose(file);
}

void Spools::fail(const char* what) {
    if (!error_) error_ = std::string("a scratch file ") + what + ": " + std::strerror(errno);
}

void Spools::add(std::size_t key, std::string_view text) {
    if (error_) return;
    auto it = files_.find(key);
    if (it == files_.end()) {
        std::FILE* file = std::tmpfile();
        if (!file) return fail("cannot be made");
        it = files_.emplace(key, file).first;
    }
    if (std::fwrite(text.data(), 1, text.size(), it->second) != text.size()) fail("cannot be written");
}

void Spools::copy_to(std::size_t key, io::OutputFile& out) {
    const auto it = files_.find(key);
    if (it == files_.end() || error_) return;
    std::FILE* file = it->second;
    if (std::fflush(file) != 0) return fail("cannot be written");
    std::rewind(file);
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, file)) > 0) out.append(std::string_view(buf, n));
    if (std::ferror(file)) fail("cannot be read");
}

}  // namespace qemud::conform::html
