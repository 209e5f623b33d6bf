// SPDX-License-Identifier: Apache-2.0
#include "type_graph.h"

#include <limits>
#include <variant>

#include "json_shape.h"
#include "xdrc/analysis.h"

namespace qemud::dynamic {

// Builder turns declarations into nodes. Named types are memoized and
// registered before their members are built, so a type that reaches itself
// (through an optional, or a typedef of one) finds its own node.
class TypeGraph::Builder {
public:
    Builder(const xdr::Specification& spec, TypeGraph& graph) : spec_(spec), graph_(graph) {}

    const Node* named(const std::string& name) {
        if (const auto it = memo_.find(name); it != memo_.end()) return it->second;
        if (const auto* e = spec_.find_enum(name)) return build_enum(*e);
        if (const auto* s = spec_.find_struct(name)) return build_struct(*s);
        if (const auto* u = spec_.find_union(name)) return build_union(*u);
        if (const auto* t = spec_.find_typedef(name)) return build_typedef(*t);
        return nullptr;  // parse_specification has rejected files that use an undefined type
    }

private:
    Node* make(NodeKind kind, std::string type_name = {}) {
        graph_.nodes_.push_back(std::make_unique<Node>());
        Node* n = graph_.nodes_.back().get();
        n->kind = kind;
        n->type_name = std::move(type_name);
        return n;
    }

    Node* remember(const std::string& name, Node* node) {
        memo_[name] = node;
        return node;
    }

    const Node* primitive(xdr::PrimitiveType p) {
        using P = xdr::PrimitiveType;
        NodeKind kind = NodeKind::int32;
        switch (p) {
            case P::int_: kind = NodeKind::int32; break;
            case P::uint_: kind = NodeKind::uint32; break;
            case P::hyper: kind = NodeKind::int64; break;
            case P::uhyper: kind = NodeKind::uint64; break;
            case P::char_: kind = NodeKind::char_; break;
            case P::uchar: kind = NodeKind::uchar; break;
            case P::bool_: kind = NodeKind::boolean; break;
            case P::float_: kind = NodeKind::float32; break;
            case P::double_: kind = NodeKind::float64; break;
            // opaque and string only exist inside an array declaration,
            // which declaration() handles; the parser rejects them bare.
            case P::opaque:
            case P::string: kind = NodeKind::fixed_opaque; break;
        }
        const auto index = static_cast<std::size_t>(p);
        if (!primitives_[index]) primitives_[index] = make(kind);
        return primitives_[index];
    }

    const Node* type(const xdr::TypeRef& t) { return t.is_primitive() ? primitive(t.primitive()) : named(t.name()); }

    // declaration gives the node of a declaration's full type: the named or
    // primitive type itself, or an array / optional node around it.
    const Node* declaration(const xdr::Declaration& d) {
        if (d.array == xdr::ArrayKind::none) return type(d.type);
        Node* n = make(NodeKind::fixed_array);
        fill_wrapper(n, d);
        return n;
    }

    void fill_wrapper(Node* n, const xdr::Declaration& d) {
        using P = xdr::PrimitiveType;
        const bool opaque = d.type.is_primitive() && d.type.primitive() == P::opaque;
        const bool string = d.type.is_primitive() && d.type.primitive() == P::string;
        switch (d.array) {
            case xdr::ArrayKind::none: break;
            case xdr::ArrayKind::fixed:
                n->kind = opaque ? NodeKind::fixed_opaque : NodeKind::fixed_array;
                n->bound = d.size.value_or(0);
                break;
            case xdr::ArrayKind::variable:
                n->kind = opaque ? NodeKind::var_opaque : string ? NodeKind::string : NodeKind::var_array;
                n->bound = d.size.value_or(std::numeric_limits<std::uint32_t>::max());
                break;
            case xdr::ArrayKind::optional: n->kind = NodeKind::optional; break;
        }
        if (opaque || string) {
            n->min_element_wire = 1;
            return;
        }
        n->min_element_wire = xdr::wire_size(spec_, d.type).min;
        n->element = type(d.type);
    }

    const Node* build_enum(const xdr::EnumDef& e) {
        Node* n = remember(e.name, make(NodeKind::enumeration, e.name));
        n->items.reserve(e.items.size());
        for (const auto& item : e.items) n->items.push_back({item.name, item.value});
        for (const auto& item : n->items) {
            n->value_of_name.emplace(item.name, item.value);
            // Two names may share a value; the first one names it on decode.
            n->name_of_value.emplace(item.value, &item.name);
        }
        return n;
    }

    const Node* build_struct(const xdr::StructDef& s) {
        Node* n = remember(s.name, make(NodeKind::structure, s.name));
        for (const auto& field : s.fields) n->fields.push_back({field.name, declaration(field)});
        return n;
    }

    const Node* build_union(const xdr::UnionDef& u) {
        Node* n = remember(u.name, make(NodeKind::union_, u.name));
        n->discriminant = {u.discriminant.name, declaration(u.discriminant)};
        for (const auto& c : u.cases) {
            const std::size_t index = n->arms.size();
            n->arms.push_back(arm(c.arm));
            for (const auto value : c.values) n->arm_of_value.emplace(value, index);
        }
        if (u.default_arm) {
            n->has_default = true;
            n->arms.push_back(arm(*u.default_arm));
        }
        return n;
    }

    Field arm(const xdr::Declaration& d) {
        if (d.is_void) return {};
        return {d.name, declaration(d)};
    }

    const Node* build_typedef(const xdr::TypedefDef& t) {
        const auto& d = t.declaration;
        // An alias is its target's node; an array or optional typedef gets
        // its node registered first, in case its element refers back to it.
        if (d.array == xdr::ArrayKind::none) {
            // A cycle of aliases (typedef a b; typedef b a;) resolves to
            // nothing; the walkers report such a type instead of looping.
            if (alias_depth_ >= 64) return nullptr;
            ++alias_depth_;
            const Node* target = type(d.type);
            --alias_depth_;
            return memo_[d.name] = target;
        }
        Node* n = remember(d.name, make(NodeKind::fixed_array));
        fill_wrapper(n, d);
        return n;
    }

    const xdr::Specification& spec_;
    TypeGraph& graph_;
    std::map<std::string, const Node*> memo_;
    int alias_depth_ = 0;
    Node* primitives_[static_cast<std::size_t>(xdr::PrimitiveType::string) + 1] = {};
};

TypeGraph::TypeGraph(const xdr::Specification& spec) {
    Builder builder(spec, *this);
    for (const auto& definition : spec.definitions) {
        const std::string* name = std::visit(
            [](const auto& d) -> const std::string* {
                using D = std::decay_t<decltype(d)>;
                if constexpr (std::is_same_v<D, xdr::TypedefDef>)
                    return &d.declaration.name;
                else if constexpr (std::is_same_v<D, xdr::EnumDef> || std::is_same_v<D, xdr::StructDef> ||
                                   std::is_same_v<D, xdr::UnionDef>)
                    return &d.name;
                else
                    return nullptr;
            },
            definition);
        if (!name) continue;
        if (const Node* node = builder.named(*name)) {
            named_.emplace(*name, node);
            max_wire_.emplace(*name, xdr::wire_size(spec, xdr::TypeRef{*name}).max);
        }
    }
    attach_json_shapes(nodes_);
}

const Node* TypeGraph::find(std::string_view name) const {
    const auto it = named_.find(name);
    return it == named_.end() ? nullptr : it->second;
}

std::uint64_t TypeGraph::max_wire_size(std::string_view name) const {
    const auto it = max_wire_.find(name);
    return it == max_wire_.end() ? 0 : it->second;
}

}  // namespace qemud::dynamic
