// SPDX-License-Identifier: Apache-2.0
// ast.h: the syntax tree xdrc builds from a .x file in rpcgen's dialect.
//
// The tree is what every consumer of protocol.x reads: the C++ emitter, the
// rpcgen bridge emitter, the dynamic codec, the golden generator and the
// fuzz dictionaries. Identifiers are kept verbatim; constant references are
// resolved to numbers by the parser, so consumers never look names up twice.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace qemud::xdr {

struct SourceLocation {
    // file names an interned copy of the file name (intern_file_name), so
    // the millions of locations of a large file share one string instead
    // of each allocating its own.
    std::string_view file;
    int line = 0;
    int column = 0;
};

// advise_huge_pages asks the kernel to back the whole 2 MiB pages inside
// [data, data + bytes) with huge pages (Linux THP in madvise mode). The
// parser's token and definition arrays of a 200,000-line file are about
// 150 MB: with 4 KiB pages, page faults and TLB misses were most of its
// time. A hint only: nothing changes where it is not supported.
void advise_huge_pages(const void* data, std::size_t bytes);

// intern_file_name returns a view of a copy of name that lives as long as
// the program (file names are few; locations are many). Thread-safe.
std::string_view intern_file_name(const std::string& name);

// PrimitiveType lists every built-in type name rpcgen accepts. Each maps to
// one XDR encoding; see wire_word_count() in analysis.h.
enum class PrimitiveType {
    int_,        // int, long, short, int32_t (4 bytes, signed)
    uint_,       // unsigned [int|long|short], u_int, u_long, u_short, uint32_t, u_int32_t
    hyper,       // hyper, int64_t, quad_t (8 bytes, signed)
    uhyper,      // unsigned hyper, uint64_t, u_int64_t, u_quad_t
    char_,       // char: one C char encoded as a 4-byte int (xdr_char)
    uchar,       // unsigned char, u_char (xdr_u_char)
    bool_,       // bool (xdr_bool)
    float_,      // float
    double_,     // double
    opaque,      // opaque (only inside an array declaration)
    string,      // string (only as string<N> or string<>)
};

// TypeRef names the type of a declaration: a primitive, or a named
// enum / struct / union / typedef defined in the same file.
struct TypeRef {
    std::variant<PrimitiveType, std::string> type;
    bool is_primitive() const { return type.index() == 0; }
    PrimitiveType primitive() const { return std::get<PrimitiveType>(type); }
    const std::string& name() const { return std::get<std::string>(type); }
};

enum class ArrayKind {
    none,      // T name;
    fixed,     // T name[N];
    variable,  // T name<N>; or T name<>; (string and opaque too)
    optional,  // T *name;
};

// Declaration is a typed, named member: a struct field, a union arm or
// discriminant, or the body of a typedef. A void union arm has is_void set.
struct Declaration {
    std::string name;
    TypeRef type;
    ArrayKind array = ArrayKind::none;
    // Element count of a fixed array; upper bound of a variable one
    // (nullopt for <>, meaning 2^32-1). Already resolved from constants.
    std::optional<std::uint32_t> size;
    // The constant name the size was written with, if any (QEMUD_MAX_XML_LEN).
    std::string size_symbol;
    bool is_void = false;
    SourceLocation location;
};

struct ConstDef {
    std::string name;
    std::int64_t value = 0;
    SourceLocation location;
};

struct EnumDef {
    struct Item {
        std::string name;
        std::int32_t value = 0;
    };
    std::string name;
    std::vector<Item> items;
    SourceLocation location;
};

struct StructDef {
    std::string name;
    std::vector<Declaration> fields;
    SourceLocation location;
};

struct UnionDef {
    // Case lists the discriminant values (several `case X:` labels may share
    // an arm) and the arm they select.
    struct Case {
        std::vector<std::string> labels;  // as written: enum names or literals
        std::vector<std::int64_t> values; // resolved
        Declaration arm;
    };
    std::string name;
    Declaration discriminant;
    std::vector<Case> cases;
    std::optional<Declaration> default_arm;
    SourceLocation location;
};

struct TypedefDef {
    Declaration declaration;  // declaration.name is the new type name
    SourceLocation location;
};

// PassThrough is a `%` line: rpcgen copies it into its C output verbatim.
struct PassThrough {
    std::string text;
    SourceLocation location;
};

using Definition = std::variant<ConstDef, EnumDef, StructDef, UnionDef, TypedefDef, PassThrough>;

// Specification is one parsed .x file, definitions in source order, with
// name indexes into them.
struct Specification {
    std::vector<Definition> definitions;

    const ConstDef* find_const(const std::string& name) const;
    const EnumDef* find_enum(const std::string& name) const;
    const StructDef* find_struct(const std::string& name) const;
    const UnionDef* find_union(const std::string& name) const;
    const TypedefDef* find_typedef(const std::string& name) const;
    // find_enum_item returns the value of an enum item from any enum.
    std::optional<std::int32_t> find_enum_item(const std::string& name) const;

    // build_index makes the find_* lookups constant-time (the parser calls
    // it). Without it, or after definitions change, they scan the list,
    // which is quadratic over a whole file of long typedef chains.
    void build_index();
    // definition_index is the position in definitions of the const, enum,
    // struct, union or typedef called name (after build_index), or nullopt.
    std::optional<std::size_t> definition_index(const std::string& name) const;

private:
    std::unordered_map<std::string, std::size_t> index_;        // type or const name -> definition
    std::unordered_map<std::string, std::int32_t> enum_items_;  // enum item -> value
    std::size_t indexed_count_ = 0;                             // definitions.size() when indexed
    const Definition* indexed(const std::string& name) const;
};

}  // namespace qemud::xdr
