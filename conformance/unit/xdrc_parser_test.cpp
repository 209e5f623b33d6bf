// SPDX-License-Identifier: Apache-2.0
// xdrc_parser_test.cpp: the parser accepts rpcgen's dialect and rejects
// malformed input with "file:line:col: message".
#define BOOST_TEST_MODULE xdrc_parser
#include <boost/test/unit_test.hpp>

#include <chrono>

#include "xdrc/analysis.h"
#include "xdrc/parser.h"

using namespace qemud::xdr;

namespace {

Specification parse_ok(const std::string& text) {
    auto result = parse_specification(text, "test.x");
    if (auto* error = std::get_if<ParseError>(&result)) BOOST_FAIL("unexpected error: " << error->to_string());
    return std::get<Specification>(std::move(result));
}

ParseError parse_error(const std::string& text) {
    auto result = parse_specification(text, "test.x");
    BOOST_REQUIRE_MESSAGE(std::holds_alternative<ParseError>(result), "expected a parse error for:\n" << text);
    return std::get<ParseError>(result);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(accepts)

BOOST_AUTO_TEST_CASE(every_construct_of_rpcgens_dialect) {
    const auto spec = parse_ok(R"(
/* block comment */
// line comment
%#include <limits.h>
const SMALL = 4;
const NEG = -3;
const HEX = 0x20001A64;
enum color { RED, GREEN = 5, BLUE };
typedef unsigned int count_t;
typedef opaque blob<16>;
struct inner { hyper h; unsigned hyper uh; bool flag; float f; double d; };
struct node { int value; node *next; };
struct everything {
    int32_t a;
    uint32_t b[SMALL];
    char name[PATH_MAX];
    unsigned char uuid[16];
    int list<10>;
    int unbounded<>;
    string text<32>;
    opaque fixed_bytes[3];
    opaque var_bytes<HEX>;
    inner *maybe;
    color shade;
    count_t n;
    struct choice pick;
};
union choice switch (color kind) {
    case RED:
    case GREEN:
        int number;
    case BLUE:
        void;
    default:
        string other<>;
};
)");
    BOOST_TEST(spec.find_const("HEX")->value == 0x20001A64);
    BOOST_TEST(spec.find_const("NEG")->value == -3);
    const auto* color = spec.find_enum("color");
    BOOST_REQUIRE(color);
    BOOST_TEST(color->items[0].value == 0);
    BOOST_TEST(color->items[1].value == 5);
    BOOST_TEST(color->items[2].value == 6);  // implicit: one past the previous

    const auto* everything = spec.find_struct("everything");
    BOOST_REQUIRE(everything);
    BOOST_TEST(everything->fields.size() == 13u);
    const Declaration& name = everything->fields[2];
    BOOST_TEST(name.size.value() == 4096u);  // PATH_MAX from the known-constant table
    BOOST_TEST(name.size_symbol == "PATH_MAX");
    BOOST_TEST((everything->fields[4].array == ArrayKind::variable));
    BOOST_TEST(!everything->fields[5].size.has_value());
    BOOST_TEST((everything->fields[9].array == ArrayKind::optional));
    BOOST_TEST(everything->fields[12].type.name() == "choice");

    const auto* choice = spec.find_union("choice");
    BOOST_REQUIRE(choice);
    BOOST_TEST(choice->cases.size() == 2u);
    BOOST_TEST(choice->cases[0].values.size() == 2u);
    BOOST_TEST(choice->cases[1].arm.is_void);
    BOOST_REQUIRE(choice->default_arm.has_value());
    BOOST_TEST(choice->default_arm->name == "other");

    const auto* pass = std::get_if<PassThrough>(&spec.definitions[0]);
    BOOST_REQUIRE(pass);
    BOOST_TEST(pass->text == "#include <limits.h>");
}

// A long chain of typedefs, as a generated file might hold, is checked in
// linear time: with list scans per lookup it took minutes.
BOOST_AUTO_TEST_CASE(long_typedef_chain_in_linear_time) {
    std::string text = "typedef int t0;\n";
    for (int i = 1; i < 200000; ++i)
        text += "typedef t" + std::to_string(i - 1) + " t" + std::to_string(i) + ";\n";
    const auto started = std::chrono::steady_clock::now();
    const auto spec = parse_ok(text);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    BOOST_TEST(spec.definitions.size() == 200000u);
    BOOST_TEST(spec.find_typedef("t199999") != nullptr);
    // Generous for a loaded CI machine; the quadratic parser took > 120 s.
    BOOST_TEST(seconds < 10.0, "200,000 typedefs took " << seconds << " s");
}

// Cycles broken by an optional or a variable array are finite and allowed.
BOOST_AUTO_TEST_CASE(recursion_through_optional_or_variable_array) {
    parse_ok("struct node { int v; node *next; };");
    parse_ok("struct tree { int v; tree children<>; };");
    parse_ok("struct a { b *x; };\nstruct b { a y; };");
}

BOOST_AUTO_TEST_CASE(wire_sizes_follow_rpcgen) {
    const auto spec = parse_ok(R"(
struct s { char c[50]; unsigned char u[16]; uint64_t big; opaque o[5]; int v<3>; };
)");
    const WireSize size = wire_size(spec, TypeRef{std::string("s")});
    // 50 and 16 chars at 4 bytes each, 8, 5 bytes padded to 8, then 4..16.
    BOOST_TEST(size.min == 200u + 64u + 8u + 8u + 4u);
    BOOST_TEST(size.max == 200u + 64u + 8u + 8u + 16u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rejects)

struct BadInput {
    const char* text;
    int line;
    int column;
    const char* message_part;
};

BOOST_AUTO_TEST_CASE(malformed_input_with_its_location) {
    const BadInput cases[] = {
        {"struct s { int a; }", 1, 20, "expected ';'"},
        {"struct s {\n  int a;\n  widget w;\n};", 3, 3, "unknown type 'widget'"},
        {"const A = 1;\nconst A = 2;", 2, 7, "'A' is already defined"},
        {"struct s { char c[NOPE]; };", 1, 19, "'NOPE' is not a defined constant"},
        {"union u switch (int d) {\n case 1: int a;\n case 1: int b;\n};", 3, 7, "case 1 appears twice"},
        {"struct s { int a; int a; };", 1, 23, "field 'a' appears twice"},
        {"/* never closed", 1, 1, "unterminated comment"},
        {"struct s { int a; };\n  @", 2, 3, "unexpected character '@'"},
        {"struct s { string name; };", 1, 12, "needs a maximum"},
        {"struct s { opaque o; };", 1, 12, "needs a size"},
        {"union u switch (hyper d) { case 1: void; };", 1, 17, "discriminant must be"},
        {"union u switch (int d<>) { case 1: void; };", 1, 17, "discriminant cannot be an array"},
        {"struct s { void; };", 1, 12, "'void' is allowed only as a union arm"},
        {"program P { version V { void f(void) = 1; } = 1; } = 1;", 1, 1, "program definitions"},
        {"struct s { int a[0]; };", 1, 18, "at least one element"},
        {"#define X 1", 1, 1, "preprocessor directives"},
        {"enum e { A = 99999999999 };", 1, 14, "not a valid 32-bit number"},
        // Types that hold themselves by value have no finite encoding.
        {"struct a { int n; a inner; };", 1, 19, "type 'a' is recursive (a -> a)"},
        {"struct a { b x; };\nstruct b { a y[2]; };", 2, 12, "type 'a' is recursive (a -> b -> a)"},
        {"typedef b a;\ntypedef a b;", 2, 9, "type 'a' is recursive (a -> b -> a)"},
        {"union u switch (int d) { case 1: u again; };", 1, 34, "type 'u' is recursive"},
        // A fixed array whose encoding passes 2^32 - 1 bytes.
        {"struct s { opaque o[4294967295]; };", 1, 12, "overflows 32 bits"},
        {"struct s { hyper h[600000000]; };", 1, 12, "overflows 32 bits"},
        {"typedef int row[65536];\nstruct s { row r[65536]; };", 2, 12, "overflows 32 bits"},
        // Nothing to compile.
        {"", 1, 1, "no definitions"},
        {"/* only a comment */\n", 2, 1, "no definitions"},
    };
    for (const auto& c : cases) {
        const ParseError e = parse_error(c.text);
        BOOST_TEST_CONTEXT("input: " << c.text) {
            BOOST_TEST(e.location.file == "test.x");
            BOOST_TEST(e.location.line == c.line);
            BOOST_TEST(e.location.column == c.column);
            BOOST_TEST(e.message.find(c.message_part) != std::string::npos, "message: " << e.message);
            BOOST_TEST(e.to_string().rfind("test.x:" + std::to_string(c.line) + ":" + std::to_string(c.column) +
                                               ": ",
                                           0) == 0u);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
