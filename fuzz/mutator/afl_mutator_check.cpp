// SPDX-License-Identifier: Apache-2.0
// afl_mutator_check.cpp: loads libqemud_afl_mutator.so as afl-fuzz does
// (dlopen, afl_custom_init / afl_custom_fuzz / afl_custom_deinit) and checks
// what it promises, on the committed corpus of each target named:
//   - afl_custom_init fails without QEMUD_FUZZ_SURFACE and with an unknown one;
//   - every output differs from its input and fits max_size (also a
//     max_size of the input's own size);
//   - the outputs are the same for the same seed, and differ for another.
//
//   afl_mutator_check LIBRARY CORPUS_ROOT TARGET...
// Exit 0 when all holds, 1 with one line per failure, 2 for bad arguments.
#include <dlfcn.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using Init = void* (*)(void*, unsigned);
using Fuzz = std::size_t (*)(void*, std::uint8_t*, std::size_t, std::uint8_t**, std::uint8_t*, std::size_t,
                             std::size_t);
using Deinit = void (*)(void*);

int failures = 0;

void fail(const std::string& what) {
    std::fprintf(stderr, "FAIL: %s\n", what.c_str());
    ++failures;
}

using Bytes = std::vector<std::uint8_t>;

// outputs: `rounds` outputs per corpus file of one mutator instance of seed.
std::vector<Bytes> outputs(Init init, Fuzz fuzz, Deinit deinit, unsigned seed, const std::vector<Bytes>& corpus,
                           const std::string& target, int rounds) {
    std::vector<Bytes> all;
    void* m = init(nullptr, seed);
    if (!m) {
        fail(target + ": afl_custom_init returned null");
        return all;
    }
    for (std::size_t i = 0; i < corpus.size(); ++i) {
        Bytes in = corpus[i];
        const Bytes& partner = corpus[(i + 1) % corpus.size()];
        for (int r = 0; r < rounds; ++r) {
            // Every other round a max_size of the input's own size: nothing may grow past it.
            const std::size_t max_size = r % 2 ? in.size() + 256 : std::max<std::size_t>(in.size(), 1);
            Bytes add = partner;
            std::uint8_t* out = nullptr;
            const std::size_t n = fuzz(m, in.data(), in.size(), &out, add.data(), add.size(), max_size);
            const std::string where = target + " file " + std::to_string(i) + " round " + std::to_string(r);
            if (n > max_size) fail(where + ": output of " + std::to_string(n) + " bytes, max_size " +
                                   std::to_string(max_size));
            if (n && !out) {
                fail(where + ": null output");
                continue;
            }
            Bytes o(out, out + std::min(n, max_size));
            if (o == in) fail(where + ": the output is the input");
            all.push_back(o);
        }
    }
    deinit(m);
    return all;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s LIBRARY CORPUS_ROOT TARGET...\n", argv[0]);
        return 2;
    }
    void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        std::fprintf(stderr, "FAIL: dlopen %s: %s\n", argv[1], dlerror());
        return 1;
    }
    auto init = reinterpret_cast<Init>(dlsym(lib, "afl_custom_init"));
    auto fuzz = reinterpret_cast<Fuzz>(dlsym(lib, "afl_custom_fuzz"));
    auto deinit = reinterpret_cast<Deinit>(dlsym(lib, "afl_custom_deinit"));
    if (!init || !fuzz || !deinit) {
        std::fprintf(stderr, "FAIL: %s lacks afl_custom_init, afl_custom_fuzz or afl_custom_deinit\n", argv[1]);
        return 1;
    }

    unsetenv("QEMUD_FUZZ_SURFACE");
    if (void* m = init(nullptr, 1)) {
        fail("afl_custom_init succeeded without QEMUD_FUZZ_SURFACE");
        deinit(m);
    }
    setenv("QEMUD_FUZZ_SURFACE", "no_such_fuzzer", 1);
    if (void* m = init(nullptr, 1)) {
        fail("afl_custom_init succeeded with QEMUD_FUZZ_SURFACE=no_such_fuzzer");
        deinit(m);
    }

    for (int a = 3; a < argc; ++a) {
        const std::string target = argv[a];
        setenv("QEMUD_FUZZ_SURFACE", target.c_str(), 1);
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(argv[2]) / target))
            if (e.is_regular_file()) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        if (files.size() > 40) files.resize(40);  // enough, and quick
        std::vector<Bytes> corpus;
        for (const auto& f : files) {
            std::ifstream in(f, std::ios::binary);
            corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        if (corpus.empty()) {
            fail(target + ": no corpus under " + argv[2]);
            continue;
        }
        const auto first = outputs(init, fuzz, deinit, 42, corpus, target, 8);
        const auto again = outputs(init, fuzz, deinit, 42, corpus, target, 8);
        const auto other = outputs(init, fuzz, deinit, 43, corpus, target, 8);
        if (first != again) fail(target + ": two runs of seed 42 differ");
        if (first == other) fail(target + ": seeds 42 and 43 give the same outputs");
        std::printf("%s: %zu outputs from %zu corpus files checked\n", target.c_str(), first.size(), corpus.size());
    }
    dlclose(lib);
    if (failures) std::fprintf(stderr, "afl_mutator_check: %d failure(s)\n", failures);
    return failures ? 1 : 0;
}
