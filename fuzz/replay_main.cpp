// SPDX-License-Identifier: Apache-2.0
// replay_main.cpp: the driver a fuzz target links with in the GCC build
// (instead of libFuzzer), so ctest label `fuzz-replay` runs every target over
// its whole corpus on any machine.
//
//   <target>                   every file of the target's corpus (the
//                              directory comes in as QEMUD_FUZZ_CORPUS_DIR)
//   <target> FILE|DIR...       those files, and every file under those dirs
//   <target> --mutations N ... also run N outputs of the target's custom
//                              mutator and crossover per input (seeded, so
//                              the same inputs every time)
//
// libFuzzer's own flags (-name=value, e.g. -runs=0) are accepted and
// ignored, so the same command lines work under both drivers; anything else
// that starts with '-' is refused with the usage, never taken as "replay the
// whole corpus".
//
// A finding aborts inside LLVMFuzzerTestOneInput, as under libFuzzer, after
// the input's path is printed. Exit status 0 when every input ran (and for
// --help), 2 for an unknown flag or a bad --mutations count, and when there
// was nothing to run (a missing or empty corpus is an error, not a pass).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" __attribute__((weak)) std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                                                     std::size_t max_size, unsigned int seed);
extern "C" __attribute__((weak)) std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* data1, std::size_t size1,
                                                                       const std::uint8_t* data2, std::size_t size2,
                                                                       std::uint8_t* out, std::size_t max_out_size,
                                                                       unsigned int seed);

namespace {
unsigned replay_rng = 12345;
unsigned next_random() { return replay_rng = replay_rng * 1103515245u + 12345u; }
}  // namespace

// LLVMFuzzerMutate stands in for libFuzzer's byte-level mutator, which the
// custom mutator falls back to: one byte changed, inserted or removed.
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size) {
    const unsigned r = next_random() >> 8;
    if (size == 0 || (r % 3 == 0 && size < max_size)) {
        const std::size_t at = size ? r % (size + 1) : 0;
        std::memmove(data + at + 1, data + at, size - at);
        data[at] = static_cast<std::uint8_t>(r >> 4);
        return size + 1;
    }
    if (r % 3 == 1 && size > 1) {
        const std::size_t at = r % size;
        std::memmove(data + at, data + at + 1, size - at - 1);
        return size - 1;
    }
    data[r % size] ^= static_cast<std::uint8_t>(1u << ((r >> 3) % 8));
    return size;
}

namespace {

void usage(std::FILE* out, const char* program) {
    std::fprintf(out,
                 "usage: %s [--mutations N] [FILE|DIR...]\n"
                 "  replays the target over FILEs and every file under DIRs (default: its committed corpus);\n"
                 "  --mutations N also runs N seeded outputs of the custom mutator per input.\n"
                 "  libFuzzer flags (-name=value) are accepted and ignored.\n"
                 "exit status: 0 every input ran, 2 bad arguments or nothing to run; a finding aborts.\n",
                 program);
}

// libfuzzer_flag: "-name=value" with a lowercase name, as libFuzzer spells its flags.
bool libfuzzer_flag(const char* arg) {
    if (arg[0] != '-' || arg[1] == '-' || arg[1] == '\0') return false;
    const char* p = arg + 1;
    while ((*p >= 'a' && *p <= 'z') || *p == '_') ++p;
    return *p == '=' && p > arg + 1;
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void run_one(const std::vector<std::uint8_t>& bytes) {
    // A copy in a buffer of the exact size, so ASan/valgrind see reads past the end.
    std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[std::max<std::size_t>(bytes.size(), 1)]);
    std::copy(bytes.begin(), bytes.end(), copy.get());
    LLVMFuzzerTestOneInput(copy.get(), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    long mutations = 0;
    std::vector<std::filesystem::path> roots;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0 ||
            std::strcmp(argv[i], "-help=1") == 0) {
            usage(stdout, argv[0]);
            return 0;
        }
        if (std::strcmp(argv[i], "--mutations") == 0) {
            char* end = nullptr;
            mutations = i + 1 < argc ? std::strtol(argv[++i], &end, 10) : -1;
            if (!end || *end != '\0' || end == argv[i] || mutations < 0) {
                std::fprintf(stderr, "replay: --mutations needs a non-negative integer\n");
                usage(stderr, argv[0]);
                return 2;
            }
        } else if (libfuzzer_flag(argv[i])) {
            continue;  // libFuzzer flags (-runs=, -timeout=, ...) are accepted and ignored
        } else if (argv[i][0] == '-') {
            std::fprintf(stderr, "replay: unknown flag %s\n", argv[i]);
            usage(stderr, argv[0]);
            return 2;
        } else {
            roots.emplace_back(argv[i]);
        }
    }
#ifdef QEMUD_FUZZ_CORPUS_DIR
    if (roots.empty()) roots.emplace_back(QEMUD_FUZZ_CORPUS_DIR);
#endif
    std::vector<std::filesystem::path> files;
    for (const auto& root : roots) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(root, ec)) {
            files.push_back(root);
        } else if (std::filesystem::is_directory(root, ec)) {
            for (const auto& entry : std::filesystem::recursive_directory_iterator(root))
                if (entry.is_regular_file()) files.push_back(entry.path());
        } else {
            std::fprintf(stderr, "replay: no such file or directory: %s\n", root.c_str());
            return 2;
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::fprintf(stderr, "replay: no inputs (corpus empty?)\n");
        return 2;
    }

    std::size_t runs = 0;
    std::vector<std::uint8_t> previous;
    for (const auto& file : files) {
        const auto bytes = read_file(file);
        std::fprintf(stderr, "Running: %s\n", file.c_str());
        run_one(bytes);
        ++runs;
        for (long m = 0; m < mutations; ++m) {
            const std::size_t max_size = std::max<std::size_t>(bytes.size() * 2, 4096);
            std::vector<std::uint8_t> out(max_size);
            std::size_t n = 0;
            if (m % 4 == 3 && LLVMFuzzerCustomCrossOver && !previous.empty()) {
                n = LLVMFuzzerCustomCrossOver(bytes.data(), bytes.size(), previous.data(), previous.size(),
                                              out.data(), max_size, static_cast<unsigned>(m));
            } else {
                std::copy(bytes.begin(), bytes.end(), out.begin());
                n = LLVMFuzzerCustomMutator ? LLVMFuzzerCustomMutator(out.data(), bytes.size(), max_size,
                                                                      static_cast<unsigned>(m))
                                            : LLVMFuzzerMutate(out.data(), bytes.size(), max_size);
            }
            if (n > max_size) {
                std::fprintf(stderr, "replay: mutator returned %zu bytes, more than max_size %zu\n", n, max_size);
                std::abort();
            }
            out.resize(n);
            run_one(out);
            ++runs;
        }
        previous = bytes;
    }
    std::fprintf(stderr, "replay: %zu inputs from %zu files, no finding\n", runs, files.size());
    return 0;
}
