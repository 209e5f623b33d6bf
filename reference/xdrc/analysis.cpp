// SPDX-License-Identifier: Apache-2.0
#include "analysis.h"

#include <algorithm>
#include <limits>

namespace qemud::xdr {

namespace {

constexpr std::uint64_t unbounded = std::numeric_limits<std::uint64_t>::max();

std::uint64_t add(std::uint64_t a, std::uint64_t b) { return a > unbounded - b ? unbounded : a + b; }
std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
    return (a != 0 && b > unbounded / a) ? unbounded : a * b;
}
std::uint64_t pad4(std::uint64_t n) { return n == unbounded ? n : (n + 3) / 4 * 4; }

// depth guards recursive types (a linked list through an optional).
WireSize type_size(const Specification& spec, const TypeRef& type, int depth);

WireSize declaration_size(const Specification& spec, const Declaration& d, int depth) {
    if (d.is_void) return {0, 0};
    const bool bytes = d.type.is_primitive() &&
                       (d.type.primitive() == PrimitiveType::opaque || d.type.primitive() == PrimitiveType::string);
    switch (d.array) {
        case ArrayKind::none: return type_size(spec, d.type, depth);
        case ArrayKind::fixed: {
            const std::uint64_t n = d.size.value_or(0);
            if (bytes) return {pad4(n), pad4(n)};
            const WireSize element = type_size(spec, d.type, depth);
            return {mul(element.min, n), mul(element.max, n)};
        }
        case ArrayKind::variable: {
            const std::uint64_t n = d.size ? *d.size : unbounded;
            if (bytes) return {4, add(4, pad4(n))};
            const WireSize element = type_size(spec, d.type, depth);
            return {4, add(4, mul(element.max, n))};
        }
        case ArrayKind::optional: {
            const WireSize element = type_size(spec, d.type, depth);
            return {4, add(4, element.max)};
        }
    }
    return {0, 0};
}

WireSize type_size(const Specification& spec, const TypeRef& type, int depth) {
    if (type.is_primitive()) {
        const std::uint64_t n = element_wire_size(type.primitive());
        return {n, n};
    }
    if (depth > 64) return {0, unbounded};
    const std::string& name = type.name();
    if (spec.find_enum(name)) return {4, 4};
    if (const auto* s = spec.find_struct(name)) {
        WireSize total{0, 0};
        for (const auto& field : s->fields) {
            const WireSize f = declaration_size(spec, field, depth + 1);
            total = {add(total.min, f.min), add(total.max, f.max)};
        }
        return total;
    }
    if (const auto* u = spec.find_union(name)) {
        WireSize arms{unbounded, 0};
        auto widen = [&](const Declaration& arm) {
            const WireSize a = declaration_size(spec, arm, depth + 1);
            arms = {std::min(arms.min, a.min), std::max(arms.max, a.max)};
        };
        for (const auto& c : u->cases) widen(c.arm);
        if (u->default_arm) widen(*u->default_arm);
        return {add(4, arms.min), add(4, arms.max)};
    }
    if (const auto* t = spec.find_typedef(name)) return declaration_size(spec, t->declaration, depth + 1);
    return {0, 0};
}

}  // namespace

std::uint64_t element_wire_size(PrimitiveType type) {
    switch (type) {
        case PrimitiveType::hyper:
        case PrimitiveType::uhyper:
        case PrimitiveType::double_: return 8;
        case PrimitiveType::opaque:
        case PrimitiveType::string: return 1;
        default: return 4;
    }
}

WireSize wire_size(const Specification& spec, const Declaration& declaration) {
    return declaration_size(spec, declaration, 0);
}

WireSize wire_size(const Specification& spec, const TypeRef& type) { return type_size(spec, type, 0); }

TypeRef resolve_typedefs(const Specification& spec, TypeRef type) {
    for (int guard = 0; guard < 64 && !type.is_primitive(); ++guard) {
        const auto* t = spec.find_typedef(type.name());
        if (!t || t->declaration.array != ArrayKind::none) break;
        type = t->declaration.type;
    }
    return type;
}

}  // namespace qemud::xdr
