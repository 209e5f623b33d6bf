// SPDX-License-Identifier: Apache-2.0
// type_graph.h: a .x Specification resolved once into a graph of type
// nodes, so the encoder and decoder walkers never look a name up, follow a
// typedef or resolve a case label per call.
//
// Every declaration becomes a Node: typedefs are followed, array and
// optional declarations get their own node around the element type, and
// each union keeps a value -> arm table. Nodes refer to each other by
// pointer; recursive types (a list through an optional) make cycles, which
// is fine because every node lives as long as its TypeGraph.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "codecs/codec.h"
#include "xdrc/ast.h"

namespace qemud::dynamic {

enum class NodeKind {
    int32,         // int, int32_t: JSON integer
    uint32,        // unsigned int, uint32_t: JSON integer
    int64,         // hyper: decimal string
    uint64,        // unsigned hyper, uint64_t: decimal string
    boolean,       // bool: true / false
    float32,       // float: JSON number
    float64,       // double: JSON number
    char_,         // char (xdr_char, one 4-byte word): one byte as 2 hex digits
    uchar,         // unsigned char (xdr_u_char): one byte as 2 hex digits
    enumeration,   // enum: the item name
    structure,     // struct: object, one member per field
    union_,        // union: object {discriminant name, arm member}
    fixed_array,   // T x[N]: N elements; hex string when T is char / unsigned char
    var_array,     // T x<N>: count word, then elements; JSON array
    fixed_opaque,  // opaque x[N]: N bytes padded to 4; hex string
    var_opaque,    // opaque x<N>: count word, bytes, padding; hex string
    string,        // string x<N>: count word, bytes, padding; JSON string
    optional,      // T *x: bool word, then T if 1; null or the value
};

struct Node;

// Field is a named member: a struct field, a union discriminant or arm.
struct Field {
    std::string name;
    const Node* type = nullptr;  // nullptr only for a void arm
};

struct EnumItem {
    std::string name;
    std::int32_t value = 0;
};

struct Node {
    NodeKind kind = NodeKind::int32;
    std::string type_name;  // the .x name for enums, structs, unions; else empty

    // enumeration: items in source order and both lookups. Hashed, since
    // protocol.x's item names share long prefixes ("QEMUD_CLIENT_PKT_")
    // that an ordered map compares again at every level.
    std::vector<EnumItem> items;
    std::unordered_map<std::string, std::int32_t> value_of_name;
    std::unordered_map<std::int32_t, const std::string*> name_of_value;

    // structure: fields in declaration order.
    std::vector<Field> fields;

    // union_: the discriminant, the arms, and which arm each value selects
    // (index into arms; the default arm, if any, is arms.back()).
    Field discriminant;
    std::vector<Field> arms;
    std::unordered_map<std::int64_t, std::size_t> arm_of_value;
    bool has_default = false;

    // Arrays and optional: the element type; bound is the element count of
    // a fixed array or the maximum of a variable one (UINT32_MAX for <>).
    const Node* element = nullptr;
    std::uint32_t bound = 0;
    // min_element_wire is the fewest bytes one element can take, so that a
    // decoder can refuse a count the remaining input cannot hold before it
    // reserves anything.
    std::uint64_t min_element_wire = 0;

    // The decoder's object shapes (json_shape.h), built once with the graph
    // so that a decode copies an object's members instead of inserting them
    // one by one into the std::map of nlohmann::json.
    //
    // structure: the object with one null member per field, except that a
    // field whose type is itself a struct holds that struct's shape (so one
    // copy builds every object down to the next union, array or optional);
    // member_rank[i] is the position of fields[i] among the members in the
    // object's (sorted) iteration order; member_shaped[i] says that the
    // member already holds the shape of fields[i]'s struct type.
    Json shape;
    std::vector<std::uint32_t> member_rank;
    std::vector<std::uint8_t> member_shaped;
    // union_: per arm, the object {discriminant: null, arm: its shape or
    // null}, and the positions of the two members in iteration order.
    struct ArmShape {
        Json object;
        std::uint32_t discriminant_rank = 0;
        std::uint32_t arm_rank = 0;
        bool arm_shaped = false;  // the arm member holds its struct's shape
    };
    std::vector<ArmShape> arm_shapes;

    // is_byte_array: a fixed array of char / unsigned char, which the value
    // model writes as a hex string of 2N digits (docs/VALUE-MODEL.md).
    bool is_byte_array() const {
        return kind == NodeKind::fixed_array && (element->kind == NodeKind::char_ || element->kind == NodeKind::uchar);
    }
};

class TypeGraph {
public:
    // TypeGraph resolves every named type of spec. spec must be one that
    // parse_specification accepted; it is not referenced after construction.
    explicit TypeGraph(const xdr::Specification& spec);
    TypeGraph(const TypeGraph&) = delete;
    TypeGraph& operator=(const TypeGraph&) = delete;

    // find returns the node of a named struct, union, enum or typedef, or
    // nullptr if spec defines no such type.
    const Node* find(std::string_view name) const;
    // max_wire_size of a named type (saturated), used to size buffers.
    std::uint64_t max_wire_size(std::string_view name) const;

private:
    class Builder;
    std::vector<std::unique_ptr<Node>> nodes_;
    std::map<std::string, const Node*, std::less<>> named_;
    std::map<std::string, std::uint64_t, std::less<>> max_wire_;
};

}  // namespace qemud::dynamic
