// SPDX-License-Identifier: Apache-2.0
// parser.cpp: a recursive-descent parser for RFC 4506 XDR as rpcgen accepts
// it. A hand-written parser is smaller and gives better located messages
// than a grammar library for a language this size.
#include "parser.h"

#include <charconv>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analysis.h"
#include "known_constants.h"

namespace qemud::xdr {

namespace {

// Failure carries a ParseError out of the recursion; it never leaves this file.
struct Failure {
    ParseError error;
};

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {
        spec_.definitions.reserve(tokens_.size() / 4 + 1);  // a definition takes at least 4 tokens
        advise_huge_pages(spec_.definitions.data(), spec_.definitions.capacity() * sizeof(Definition));
        names_.reserve(tokens_.size() / 4 + 1);
    }

    Specification run() {
        while (peek().kind != TokenKind::end) parse_definition();
        if (names_.empty()) fail(peek(), "no definitions: an XDR specification needs at least one");
        spec_.build_index();
        check_references();
        check_acyclic();
        check_array_sizes();
        return std::move(spec_);
    }

private:
    // ---- token helpers ----
    const Token& peek(std::size_t ahead = 0) const {
        const std::size_t i = std::min(pos_ + ahead, tokens_.size() - 1);
        return tokens_[i];
    }
    const Token& next() {
        const Token& t = tokens_[pos_];
        if (pos_ + 1 < tokens_.size()) ++pos_;
        return t;
    }
    bool is(const char* text) const { return peek().kind != TokenKind::end && peek().text == text; }
    bool accept(const char* text) {
        if (!is(text)) return false;
        next();
        return true;
    }
    [[noreturn]] void fail(const Token& at, const std::string& message) const {
        throw Failure{{at.location, message}};
    }
    static std::string describe(const Token& t) {
        switch (t.kind) {
            case TokenKind::end: return "end of file";
            case TokenKind::pass_through: return "a `%` line";
            default: return "'" + t.str() + "'";
        }
    }
    void expect(const char* text) {
        if (!accept(text)) fail(peek(), std::string("expected '") + text + "', found " + describe(peek()));
    }
    const Token& expect_identifier(const char* what) {
        if (peek().kind != TokenKind::identifier || is_keyword(peek().str()))
            fail(peek(), std::string("expected ") + what + ", found " + describe(peek()));
        return next();
    }
    static bool is_keyword(const std::string& word) {
        static const std::set<std::string> keywords = {
            "bool",   "case",    "const",   "default", "double", "quadruple", "enum",
            "float",  "hyper",   "int",     "opaque",  "string", "struct",    "switch",
            "typedef", "union",  "unsigned", "void",   "program", "version"};
        return keywords.count(word) != 0;
    }

    // ---- definitions ----
    void parse_definition() {
        const Token& t = peek();
        if (t.kind == TokenKind::pass_through) {
            spec_.definitions.push_back(PassThrough{next().str(), t.location});
            return;
        }
        if (t.kind != TokenKind::identifier)
            fail(t, "expected a definition (const, enum, struct, union or typedef), found " + describe(t));
        if (t.text == "const") return parse_const();
        if (t.text == "enum") return parse_enum();
        if (t.text == "struct") return parse_struct();
        if (t.text == "union") return parse_union();
        if (t.text == "typedef") return parse_typedef();
        if (t.text == "program") fail(t, "program definitions are not supported by xdrc");
        fail(t, "expected a definition (const, enum, struct, union or typedef), found " + describe(t));
    }

    void declare_name(const Token& t) {
        if (!names_.insert(t.text).second) fail(t, "'" + t.str() + "' is already defined");
    }

    void parse_const() {
        const Token& keyword = next();
        const Token& name = expect_identifier("a constant name");
        declare_name(name);
        expect("=");
        const std::int64_t value = parse_value();
        expect(";");
        constants_[name.str()] = value;
        spec_.definitions.push_back(ConstDef{name.str(), value, keyword.location});
    }

    void parse_enum() {
        const Token& keyword = next();
        const Token& name = expect_identifier("an enum name");
        declare_name(name);
        EnumDef def{name.str(), {}, keyword.location};
        expect("{");
        std::int64_t next_value = 0;
        do {
            const Token& item = expect_identifier("an enum item name");
            declare_name(item);
            std::int64_t value = next_value;
            if (accept("=")) value = parse_value();
            if (value < INT32_MIN || value > INT32_MAX)
                fail(item, "enum value of '" + item.str() + "' does not fit in 32 bits");
            def.items.push_back({item.str(), static_cast<std::int32_t>(value)});
            enum_items_[item.str()] = value;
            next_value = value + 1;  // rpcgen numbers an item without `=` one past the previous
        } while (accept(",") && !is("}"));
        expect("}");
        expect(";");
        spec_.definitions.push_back(std::move(def));
    }

    void parse_struct() {
        const Token& keyword = next();
        const Token& name = expect_identifier("a struct name");
        declare_name(name);
        StructDef def{name.str(), {}, keyword.location};
        expect("{");
        std::set<std::string> field_names;
        do {
            Declaration field = parse_declaration(false);
            if (!field_names.insert(field.name).second)
                fail(tokens_[name_token_], "field '" + field.name + "' appears twice in struct '" + def.name + "'");
            def.fields.push_back(std::move(field));
            expect(";");
        } while (!is("}") && peek().kind != TokenKind::end);
        expect("}");
        expect(";");
        spec_.definitions.push_back(std::move(def));
    }

    void parse_union() {
        const Token& keyword = next();
        const Token& name = expect_identifier("a union name");
        declare_name(name);
        UnionDef def{name.str(), {}, {}, std::nullopt, keyword.location};
        expect("switch");
        expect("(");
        const Token& discriminant_token = peek();
        def.discriminant = parse_declaration(false);
        if (def.discriminant.array != ArrayKind::none)
            fail(discriminant_token, "a union discriminant cannot be an array");
        pending_discriminants_.push_back({def.discriminant, discriminant_token});
        expect(")");
        expect("{");
        std::set<std::int64_t> seen_values;
        while (is("case")) {
            UnionDef::Case c;
            while (accept("case")) {
                const Token& label = peek();
                const std::int64_t value = parse_value();
                if (!seen_values.insert(value).second)
                    fail(label, "case " + label.str() + " appears twice in union '" + def.name + "'");
                c.labels.push_back(label.str());
                c.values.push_back(value);
                expect(":");
            }
            c.arm = parse_declaration(true);
            expect(";");
            def.cases.push_back(std::move(c));
        }
        if (accept("default")) {
            expect(":");
            def.default_arm = parse_declaration(true);
            expect(";");
        }
        if (def.cases.empty()) fail(peek(), "union '" + def.name + "' has no case");
        expect("}");
        expect(";");
        spec_.definitions.push_back(std::move(def));
    }

    void parse_typedef() {
        const Token& keyword = next();
        Declaration declaration = parse_declaration(false);
        declare_name(tokens_[name_token_]);
        expect(";");
        spec_.definitions.push_back(TypedefDef{std::move(declaration), keyword.location});
    }

    // ---- declarations ----
    Declaration parse_declaration(bool allow_void) {
        Declaration d;
        d.location = peek().location;
        if (is("void")) {
            if (!allow_void) fail(peek(), "'void' is allowed only as a union arm");
            next();
            d.is_void = true;
            return d;
        }
        const Token& type_token = peek();
        d.type = parse_type_specifier();
        if (accept("*")) {
            d.array = ArrayKind::optional;
            name_token_ = pos_;
            d.name = expect_identifier("a declaration name").str();
            return d;
        }
        name_token_ = pos_;
        d.name = expect_identifier("a declaration name").str();
        if (accept("[")) {
            d.array = ArrayKind::fixed;
            parse_size(d);
            expect("]");
        } else if (accept("<")) {
            d.array = ArrayKind::variable;
            if (!is(">")) parse_size(d);
            expect(">");
        }
        if (d.type.is_primitive()) {
            const PrimitiveType p = d.type.primitive();
            if (p == PrimitiveType::opaque && d.array != ArrayKind::fixed && d.array != ArrayKind::variable)
                fail(type_token, "opaque '" + d.name + "' needs a size: opaque x[N] or opaque x<N>");
            if (p == PrimitiveType::string && d.array != ArrayKind::variable)
                fail(type_token, "string '" + d.name + "' needs a maximum: string x<N> or string x<>");
        }
        references_.push_back({d.type, static_cast<std::size_t>(&type_token - tokens_.data())});
        return d;
    }

    void parse_size(Declaration& d) {
        const Token& t = peek();
        if (t.kind == TokenKind::identifier) d.size_symbol = t.str();
        const std::int64_t value = parse_value();
        if (value < 0 || value > UINT32_MAX) fail(t, "array size " + std::to_string(value) + " is out of range");
        if (d.array == ArrayKind::fixed && value == 0) fail(t, "a fixed array needs at least one element");
        d.size = static_cast<std::uint32_t>(value);
    }

    TypeRef parse_type_specifier() {
        const Token& t = peek();
        if (t.kind != TokenKind::identifier) fail(t, "expected a type, found " + describe(t));
        if (accept("unsigned")) {
            if (accept("int") || accept("long") || accept("short")) return {PrimitiveType::uint_};
            if (accept("hyper")) return {PrimitiveType::uhyper};
            if (accept("char")) return {PrimitiveType::uchar};
            return {PrimitiveType::uint_};  // bare `unsigned`
        }
        static const std::pair<const char*, PrimitiveType> builtins[] = {
            {"int", PrimitiveType::int_},         {"long", PrimitiveType::int_},
            {"short", PrimitiveType::int_},       {"int32_t", PrimitiveType::int_},
            {"u_int", PrimitiveType::uint_},      {"u_long", PrimitiveType::uint_},
            {"u_short", PrimitiveType::uint_},    {"uint32_t", PrimitiveType::uint_},
            {"u_int32_t", PrimitiveType::uint_},  {"hyper", PrimitiveType::hyper},
            {"int64_t", PrimitiveType::hyper},    {"quad_t", PrimitiveType::hyper},
            {"uint64_t", PrimitiveType::uhyper},  {"u_int64_t", PrimitiveType::uhyper},
            {"u_quad_t", PrimitiveType::uhyper},  {"char", PrimitiveType::char_},
            {"u_char", PrimitiveType::uchar},     {"bool", PrimitiveType::bool_},
            {"float", PrimitiveType::float_},     {"double", PrimitiveType::double_},
            {"opaque", PrimitiveType::opaque},    {"string", PrimitiveType::string},
        };
        for (const auto& [word, type] : builtins)
            if (accept(word)) return {type};
        if (is("quadruple")) fail(t, "quadruple is not supported (rpcgen has no xdr_quadruple)");
        // rpcgen accepts `struct X`, `union X` and `enum X` as references to a
        // named type; the qemud file writes `struct qemud_packet_client_data data;`
        // for a union.
        if (accept("struct") || accept("union") || accept("enum")) {
            if (is("{")) fail(peek(), "anonymous inline type definitions are not supported; name the type");
            return {expect_identifier("a type name").str()};
        }
        if (is_keyword(t.str())) fail(t, "expected a type, found " + describe(t));
        return {next().str()};
    }

    // parse_value reads a number or a symbolic constant and resolves it.
    std::int64_t parse_value() {
        const Token& t = next();
        if (t.kind == TokenKind::number) return parse_number(t);
        if (t.kind == TokenKind::identifier) {
            if (const auto it = constants_.find(t.str()); it != constants_.end()) return it->second;
            if (const auto it = enum_items_.find(t.str()); it != enum_items_.end()) return it->second;
            if (const auto known = known_c_constant(t.str())) return *known;
            fail(t, "'" + t.str() + "' is not a defined constant, enum item or known C constant");
        }
        fail(t, "expected a number or constant name, found " + describe(t));
    }

    std::int64_t parse_number(const Token& t) const {
        std::string_view text = t.text;
        const bool negative = !text.empty() && text.front() == '-';
        if (negative) text.remove_prefix(1);
        int base = 10;
        if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
            base = 16;
            text.remove_prefix(2);
        } else if (text.size() > 1 && text[0] == '0') {
            base = 8;  // C rules, as rpcgen's output is compiled as C
            text.remove_prefix(1);
        }
        std::uint64_t magnitude = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), magnitude, base);
        if (ec != std::errc() || end != text.data() + text.size() || magnitude > (1ull << 32))
            fail(t, "'" + t.str() + "' is not a valid 32-bit number");
        return negative ? -static_cast<std::int64_t>(magnitude) : static_cast<std::int64_t>(magnitude);
    }

    // ---- whole-file checks ----
    // Types may be used before they are defined (rpcgen allows it), so type
    // references are checked once the whole file is read.
    void check_references() {
        for (const auto& [type, token_index] : references_) {
            if (type.is_primitive()) continue;
            const Token& token = tokens_[token_index];
            const std::string& n = type.name();
            // One lookup: any definition but a constant is a type.
            const auto found = spec_.definition_index(n);
            if (!found || std::holds_alternative<ConstDef>(spec_.definitions[*found]))
                fail(token, "unknown type '" + n + "'");
        }
        for (const auto& [declaration, token] : pending_discriminants_) {
            const TypeRef& type = declaration.type;
            const bool ok = type.is_primitive()
                                ? (type.primitive() == PrimitiveType::int_ ||
                                   type.primitive() == PrimitiveType::uint_ ||
                                   type.primitive() == PrimitiveType::bool_)
                                : spec_.find_enum(type.name()) != nullptr;
            if (!ok) fail(token, "a union discriminant must be int, unsigned int, bool or an enum");
        }
    }

    // declarations_of lists the declarations a definition holds (struct
    // fields, union arms, a typedef's one).
    static std::vector<const Declaration*> declarations_of(const Definition& definition) {
        std::vector<const Declaration*> out;
        if (const auto* s = std::get_if<StructDef>(&definition))
            for (const auto& f : s->fields) out.push_back(&f);
        if (const auto* u = std::get_if<UnionDef>(&definition)) {
            for (const auto& c : u->cases) out.push_back(&c.arm);
            if (u->default_arm) out.push_back(&*u->default_arm);
        }
        if (const auto* t = std::get_if<TypedefDef>(&definition)) out.push_back(&t->declaration);
        return out;
    }

    // check_acyclic refuses recursive and mutually recursive types that
    // hold themselves by value (`struct a { a x; }`, `typedef b a; typedef
    // a b;`, or through a fixed array): they have no finite encoding and no
    // emitter can lay them out. A cycle through an optional (`node *next`)
    // or a variable array can end, as RFC 4506's linked lists do, and stays
    // allowed. Iterative depth-first search over a flat edge list, so a
    // chain of 200,000 typedefs neither overflows the stack nor takes
    // quadratic time.
    void check_acyclic() const {
        const auto& defs = spec_.definitions;
        // Edges from definition i: edges[first[i] .. first[i + 1]).
        std::vector<std::size_t> first(defs.size() + 1, 0);
        std::vector<std::pair<std::size_t, const Declaration*>> edges;
        for (std::size_t i = 0; i < defs.size(); ++i) {
            first[i] = edges.size();
            for (const Declaration* d : declarations_of(defs[i])) {
                if (d->is_void || d->type.is_primitive()) continue;
                if (d->array == ArrayKind::optional || d->array == ArrayKind::variable) continue;  // may be empty
                const auto target = spec_.definition_index(d->type.name());
                if (target && !name_of(defs[*target]).empty()) edges.emplace_back(*target, d);  // else an enum: a leaf
            }
        }
        first[defs.size()] = edges.size();

        enum Color : unsigned char { white, grey, black };
        std::vector<Color> color(defs.size(), white);
        std::vector<std::pair<std::size_t, std::size_t>> stack;  // definition, next edge
        for (std::size_t root = 0; root < defs.size(); ++root) {
            if (color[root] != white) continue;
            stack.push_back({root, first[root]});
            color[root] = grey;
            while (!stack.empty()) {
                auto& [node, next] = stack.back();
                if (next == first[node + 1]) {
                    color[node] = black;
                    stack.pop_back();
                    continue;
                }
                const auto [target, declaration] = edges[next++];
                if (color[target] == grey) {
                    std::string cycle;
                    bool in = false;
                    for (const auto& frame : stack) {
                        in = in || frame.first == target;
                        if (in) cycle += name_of(defs[frame.first]) + " -> ";
                    }
                    const std::string& name = name_of(defs[target]);
                    throw Failure{{declaration->location, "type '" + name + "' is recursive (" + cycle + name +
                                                              ") and holds itself by value: it has no finite encoding (use an optional, `*`)"}};
                }
                if (color[target] == white) {
                    color[target] = grey;
                    stack.push_back({target, first[target]});
                }
            }
        }
    }

    // check_array_sizes refuses a fixed array whose encoding would not fit
    // in 32 bits (the largest XDR length), e.g. opaque x[4294967295] (padded
    // to 2^32) or int x[2000000000].
    void check_array_sizes() const {
        for (const auto& definition : spec_.definitions) {
            for (const Declaration* d : declarations_of(definition)) {
                if (d->is_void || d->array != ArrayKind::fixed || !d->size) continue;
                const std::uint64_t n = *d->size;
                const bool bytes = d->type.is_primitive() && (d->type.primitive() == PrimitiveType::opaque ||
                                                              d->type.primitive() == PrimitiveType::string);
                const std::uint64_t element = bytes ? 1 : wire_size(spec_, d->type).max;
                if (element == UINT64_MAX) continue;  // unbounded elements: no fixed total to overflow
                const std::uint64_t total = bytes ? (n + 3) / 4 * 4 : (element > UINT32_MAX / n ? UINT64_MAX : element * n);
                if (total > UINT32_MAX)
                    throw Failure{{d->location, "array '" + d->name + "' of " + std::to_string(n) +
                                                    " elements: its encoded size overflows 32 bits"}};
            }
        }
    }

    // name_of is the name a struct, union or typedef defines ("" otherwise).
    static const std::string& name_of(const Definition& definition) {
        static const std::string none;
        if (const auto* s = std::get_if<StructDef>(&definition)) return s->name;
        if (const auto* u = std::get_if<UnionDef>(&definition)) return u->name;
        if (const auto* t = std::get_if<TypedefDef>(&definition)) return t->declaration.name;
        return none;
    }

    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    std::size_t name_token_ = 0;  // index of the name in the last declaration parsed
    Specification spec_;
    std::unordered_set<std::string_view> names_;  // views into tokens_, which never change after lexing
    std::map<std::string, std::int64_t> enum_items_;
    std::unordered_map<std::string, std::int64_t> constants_;  // parse_value's lookups, constant-time
    std::vector<std::pair<TypeRef, std::size_t>> references_;  // type, index of its token
    std::vector<std::pair<Declaration, Token>> pending_discriminants_;
};

}  // namespace

std::variant<Specification, ParseError> parse_specification(std::string_view text,
                                                            const std::string& file_name) {
    TokenizeResult lexed = tokenize(text, file_name);
    if (!lexed.errors.empty()) return lexed.errors.front();
    try {
        return Parser(std::move(lexed.tokens)).run();
    } catch (const Failure& failure) {
        return failure.error;
    }
}

}  // namespace qemud::xdr
