// SPDX-License-Identifier: Apache-2.0
// xdrc: parses a .x file and writes one generated file.
//
//   xdrc --emit embed|cxx-model|rpcgen-bridge -o OUT INPUT.x
//   xdrc --emit json-schema [--include MORE.x]... [--envelope ENVELOPE.json] -o OUT INPUT.x
//   xdrc --check INPUT.x        (parse only)
//
// Without CLI11 (the fuzz-only build, QEMUD_BUILD_TOOLS=OFF) the same
// options are read by read_arguments below: no abbreviations, no --help
// text beyond the usage lines, no checks CLI11 would add.
//
// Exit status: 0 written (or checked), 1 the input is not valid XDR (the
// message is "file:line:col: what"; a directory or an empty file included)
// or the envelope does not fit the types (a name defined twice, a
// reference to no definition),
// 2 bad arguments or an I/O failure (one line naming the path; the old
// output is left as it was, and no temporary is left behind).
#ifdef QEMUD_XDRC_CLI11
#include <CLI/CLI.hpp>
#endif
#include <iterator>
#include <filesystem>
#include <iostream>
#include <sys/stat.h>

#include <sstream>
#include <vector>

#include "version/version.h"
#include "emitters.h"
#include "io/json_input.h"
#include "io/output_file.h"
#include "parser.h"

namespace {

// source_name_of: the input as the project knows it ("reference/..."), not
// the build machine's absolute path, so that generated files are
// reproducible.
std::string source_name_of(const std::string& input) {
    const std::filesystem::path path = std::filesystem::absolute(input).lexically_normal();
    std::vector<std::string> parts;
    for (const auto& part : path) parts.push_back(part.string());
    for (std::size_t i = parts.size(); i-- > 0;) {
        if (parts[i] != "reference") continue;
        std::filesystem::path relative;
        for (std::size_t j = i; j < parts.size(); ++j) relative /= parts[j];
        return relative.generic_string();
    }
    return "reference/" + path.filename().string();
}

struct Arguments {
    std::string emit;
    std::string output;
    std::string input;
    std::string symbol = "qemud_protocol_x";
    std::vector<std::string> includes;
    std::string envelope;
    bool check_only = false;
};

const char* const kEmitters[] = {"embed", "cxx-model", "rpcgen-bridge", "json-schema"};

#ifndef QEMUD_XDRC_CLI11
// read_arguments: xdrc's options without CLI11. Returns -1 to go on, else
// the exit status (0 after --help or --version, 2 on a wrong argument).
int read_arguments(int argc, char** argv, Arguments& args) {
    const char* const usage =
        "usage: xdrc --emit embed|cxx-model|rpcgen-bridge|json-schema [--symbol NAME] [--include MORE.x]...\n"
        "            [--envelope ENVELOPE.json] -o OUT INPUT.x\n"
        "       xdrc --check INPUT.x\n";
    bool have_input = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](std::string& into) {
            if (i + 1 >= argc) {
                std::cerr << "xdrc: " << arg << " needs a value\n" << usage;
                return false;
            }
            into = argv[++i];
            return true;
        };
        if (arg == "-h" || arg == "--help") {
            std::cout << usage;
            return 0;
        } else if (arg == "--version") {
            std::cout << qemud::version_text("xdrc") << "\n";
            return 0;
        } else if (arg == "--emit") {
            if (!value(args.emit)) return 2;
            bool known = false;
            for (const char* e : kEmitters) known = known || args.emit == e;
            if (!known) {
                std::cerr << "xdrc: --emit: unknown emitter '" << args.emit << "'\n" << usage;
                return 2;
            }
        } else if (arg == "-o" || arg == "--output") {
            if (!value(args.output)) return 2;
        } else if (arg == "--symbol") {
            if (!value(args.symbol)) return 2;
        } else if (arg == "--include") {
            std::string include;
            if (!value(include)) return 2;
            args.includes.push_back(include);
        } else if (arg == "--envelope") {
            if (!value(args.envelope)) return 2;
        } else if (arg == "--check") {
            args.check_only = true;
        } else if (arg.size() > 1 && arg[0] == '-') {
            std::cerr << "xdrc: unknown option " << arg << "\n" << usage;
            return 2;
        } else if (have_input) {
            std::cerr << "xdrc: one INPUT.x only, not also " << arg << "\n" << usage;
            return 2;
        } else {
            args.input = arg;
            have_input = true;
        }
    }
    if (!have_input) {
        std::cerr << "xdrc: INPUT.x is required\n" << usage;
        return 2;
    }
    return -1;
}
#else
int read_arguments(int argc, char** argv, Arguments& args) {
    CLI::App app{"xdrc: the qemud-harness XDR compiler (rpcgen's dialect of RFC 4506)"};
    app.add_option("--emit", args.emit, "What to generate")
        ->check(CLI::IsMember(std::vector<std::string>(std::begin(kEmitters), std::end(kEmitters))));
    // A framing profile's header struct lives in its own .x file, and the
    // golden files' schema needs it beside protocol.x's types.
    app.add_option("--include", args.includes, "With --emit json-schema: another .x file whose types are added");
    app.add_option("--envelope", args.envelope,
                   "With --emit json-schema: a JSON Schema document that uses the types (#/$defs/<name>); "
                   "the output is it, with the types added to its $defs");
    app.add_option("-o,--output", args.output, "File to write (left untouched when it already holds the output)");
    app.add_option("--symbol", args.symbol, "With --emit embed: the C++ names are SYMBOL_text and SYMBOL_size")
        ->capture_default_str();
    app.add_flag("--check", args.check_only, "Parse and check INPUT only; write nothing");
    app.add_option("input", args.input, "The .x file")->required();
    app.set_version_flag("--version", qemud::version_text("xdrc"));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    return -1;
}
#endif

}  // namespace

int main(int argc, char** argv) {
    Arguments args;
    if (const int status = read_arguments(argc, argv, args); status >= 0) return status;
    const std::string& emit = args.emit;
    const std::string& output = args.output;
    const std::string& input = args.input;
    const std::string& symbol = args.symbol;
    const std::vector<std::string>& includes = args.includes;
    const std::string& envelope = args.envelope;
    const bool check_only = args.check_only;
    if (!check_only && (emit.empty() || output.empty())) {
        std::cerr << "xdrc: --emit and -o are required unless --check is given\n";
        return 2;
    }
    if (emit != "json-schema" && (!includes.empty() || !envelope.empty())) {
        std::cerr << "xdrc: --include and --envelope go with --emit json-schema only\n";
        return 2;
    }

    // A path that exists but is not a file is a wrong input, reported the
    // way a compiler reports one; a path that cannot be read is an I/O error.
    struct stat st {};
    if (::stat(input.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        std::cerr << input << ":1:1: is a directory, not an XDR specification\n";
        return 1;
    }
    // Checked before the work, so a bad -o costs nothing.
    if (!check_only) {
        if (auto error = qemud::io::check_output_path(output)) {
            std::cerr << "xdrc: cannot write " << *error << "\n";
            return 2;
        }
    }
    std::string text;
    if (auto error = qemud::io::read_text(input, text)) {
        std::cerr << "xdrc: cannot read " << *error << "\n";
        return 2;
    }

    auto parsed = qemud::xdr::parse_specification(text, input);
    if (const auto* error = std::get_if<qemud::xdr::ParseError>(&parsed)) {
        std::cerr << error->to_string() << "\n";
        return 1;
    }
    if (check_only) return 0;
    const auto& spec = std::get<qemud::xdr::Specification>(parsed);
    const std::string source_name = source_name_of(input);

    std::string generated;
    if (emit == "json-schema") {
        // Every input is parsed before anything is written; the first
        // error is reported the way protocol.x's own would be.
        std::vector<qemud::xdr::Specification> more;
        more.reserve(includes.size());
        std::vector<std::string> names{source_name};
        for (const auto& path : includes) {
            std::string include_text;
            if (auto error = qemud::io::read_text(path, include_text)) {
                std::cerr << "xdrc: cannot read " << *error << "\n";
                return 2;
            }
            auto included = qemud::xdr::parse_specification(include_text, path);
            if (const auto* error = std::get_if<qemud::xdr::ParseError>(&included)) {
                std::cerr << error->to_string() << "\n";
                return 1;
            }
            more.push_back(std::move(std::get<qemud::xdr::Specification>(included)));
            names.push_back(source_name_of(path));
        }
        std::vector<const qemud::xdr::Specification*> specs{&spec};
        for (const auto& m : more) specs.push_back(&m);
        std::string envelope_text;
        if (!envelope.empty()) {
            if (auto error = qemud::io::read_text(envelope, envelope_text)) {
                std::cerr << "xdrc: cannot read " << *error << "\n";
                return 2;
            }
        }
        try {
            generated = qemud::xdr::emit_json_schema(specs, names, envelope.empty() ? nullptr : &envelope_text);
        } catch (const std::exception& e) {
            std::cerr << (envelope.empty() ? input : envelope) << ": " << e.what() << "\n";
            return 1;
        }
    } else if (emit == "embed")
        generated = qemud::xdr::emit_embed(text, source_name, symbol);
    else if (emit == "cxx-model")
        generated = qemud::xdr::emit_cxx_model(spec, source_name);
    else
        generated = qemud::xdr::emit_rpcgen_bridge(spec, source_name);

    // An output that would not change is not touched, so the build that
    // runs xdrc rebuilds nothing after it (output_file.h).
    if (auto error = qemud::io::write_file_if_changed(output, generated)) {
        std::cerr << "xdrc: cannot write " << *error << "\n";
        return 2;
    }
    return 0;
}
