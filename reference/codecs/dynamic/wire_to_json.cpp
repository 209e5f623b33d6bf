// SPDX-License-Identifier: Apache-2.0
// wire_to_json.cpp: the decoder walk, wire -> JSON value model, strict per
// docs/POLICY.md. Every accept / reject question about a char or
// unsigned char word is asked of policy.h.
#include <algorithm>
#include <bit>
#include <cstdio>
#include <iterator>
#include <vector>
#include <optional>

#include "codecs/value_model.h"
#include "decode_plan.h"
#include "path.h"
#include "policy/policy.h"
#include "walkers.h"
#include "wire_flags.h"
#include "wire_io.h"

namespace qemud::dynamic {

namespace {

std::string hex32(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", v);
    return buf;
}

class Decoder {
public:
    explicit Decoder(ByteView wire) : in_(wire) {}

    // value reads type n into out; on failure it records error_ and returns false.
    bool value(const Node* n, Json& out) {
        if (!n) return fail(wire_flag::unresolved_type, in_.offset(), "the type does not resolve (a typedef cycle)");
        std::uint32_t w = 0;
        switch (n->kind) {
            case NodeKind::int32:
                if (!word(&w, "int")) return false;
                out = static_cast<std::int32_t>(w);
                return true;
            case NodeKind::uint32:
                if (!word(&w, "unsigned int")) return false;
                out = w;
                return true;
            case NodeKind::int64: {
                std::uint64_t v = 0;
                if (!hyper(&v)) return false;
                out = value_model::int64_json(static_cast<std::int64_t>(v));
                return true;
            }
            case NodeKind::uint64: {
                std::uint64_t v = 0;
                if (!hyper(&v)) return false;
                out = value_model::uint64_json(v);
                return true;
            }
            case NodeKind::boolean: {
                const std::size_t at = in_.offset();
                if (!word(&w, "bool")) return false;
                if (w > 1) return fail(wire_flag::bad_bool, at, "bool " + hex32(w) + " is neither 0 nor 1");
                out = w == 1;
                return true;
            }
            case NodeKind::float32:
                if (!word(&w, "float")) return false;
                out = std::bit_cast<float>(w);
                return true;
            case NodeKind::float64: {
                std::uint64_t v = 0;
                if (!hyper(&v)) return false;
                out = std::bit_cast<double>(v);
                return true;
            }
            case NodeKind::char_:
            case NodeKind::uchar: {
                std::uint8_t b = 0;
                if (!byte_word(n->kind, &b)) return false;
                out = value_model::to_hex(&b, 1);
                return true;
            }
            case NodeKind::enumeration: {
                const std::size_t at = in_.offset();
                if (!word(&w, "enum")) return false;
                const std::string* name = enum_name(*n, w);
                if (!name)
                    return fail(wire_flag::unknown_enum_value, at,
                                "value " + std::to_string(static_cast<std::int32_t>(w)) + " is not an item of enum " +
                                    n->type_name);
                out = *name;
                return true;
            }
            case NodeKind::structure: return structure(*n, out, false);
            case NodeKind::union_: return union_(*n, out);
            case NodeKind::fixed_array:
                if (n->is_byte_array()) return byte_array(*n, out);
                return array(*n, n->bound, false, out);
            case NodeKind::var_array: {
                std::uint32_t count = 0;
                if (!count_word(*n, &count)) return false;
                return array(*n, count, true, out);
            }
            case NodeKind::fixed_opaque:
            case NodeKind::var_opaque:
            case NodeKind::string: return bytes(*n, out);
            case NodeKind::optional: {
                const std::size_t at = in_.offset();
                if (!word(&w, "optional flag")) return false;
                if (w > 1) return fail(wire_flag::bad_bool, at, "optional flag " + hex32(w) + " is neither 0 nor 1");
                if (w == 0) {
                    out = nullptr;
                    return true;
                }
                return nested(n->element, out);
            }
        }
        return fail(wire_flag::unresolved_type, in_.offset(), "unknown node kind");
    }

    // planned_arm picks the arm of root's plan (decode_plan.h) by the
    // discriminant word, or returns nullptr: the plan does not apply.
    const DecodePlan::Arm* planned_arm(const DecodePlan& plan) const {
        std::uint32_t w = 0;
        if (!in_.peek_word(plan.discriminant_offset, &w)) return nullptr;
        std::int64_t value = 0;
        switch (plan.discriminant_kind) {
            case NodeKind::enumeration:
            case NodeKind::int32: value = static_cast<std::int32_t>(w); break;
            case NodeKind::uint32:
            case NodeKind::boolean: value = w; break;
            default: return nullptr;
        }
        const auto it = plan.arms.find(value);
        return it == plan.arms.end() ? nullptr : &it->second;
    }

    // planned fills out leaf by leaf: a copy of arm.object if `fresh`,
    // else whatever the caller holds, reused in place if it has the arm's
    // shape (reuse_slots) and replaced by a copy of arm.object if not.
    // false means only that the plan cannot finish: the caller then walks
    // the wire afresh, which decides the outcome and reports any error.
    bool planned(const DecodePlan::Arm& arm, Json& out, bool fresh) {
        Json* local[32];
        std::vector<Json*> heap;
        Json** slots = local;
        if (arm.slots > std::size(local)) {
            heap.resize(arm.slots);
            slots = heap.data();
        }
        if (Json** next = slots; fresh || !reuse_slots(arm.object, out, next)) {
            if (!fresh) out = arm.object;
            std::size_t i = 0;
            for_each_slot(out, [&](Json& member) { slots[i++] = &member; });
        }
        for (const DecodePlan::Leaf& leaf : arm.leaves) {
            if (leaf.discriminant) {
                in_.take(4);  // the word the arm was chosen by
                continue;
            }
            depth_ = leaf.depth;
            if (!nested(leaf.type, *slots[leaf.slot])) return false;
        }
        depth_ = 0;
        return in_.remaining() == 0;
    }

    // finish rejects bytes after the root type.
    bool finish() {
        if (in_.remaining() == 0) return true;
        path_ = Path{};
        return fail(policy::name(policy::Flag::trailing_bytes), in_.offset(),
                    std::to_string(in_.remaining()) + " bytes after the last field");
    }

    CodecError error() const { return *error_; }

private:
    bool fail(std::string_view flag, std::size_t offset, std::string message) {
        error_ = CodecError{path_.str(), offset, std::string(flag), std::move(message)};
        return false;
    }

    // truncated reports that `needed` bytes of `what` start at the current
    // offset but the input ends first. The offset is that of the field (or
    // element) that cannot be read in full, as the path names it: the same
    // convention as the cxx runtime, so the two can be compared.
    bool truncated(std::uint64_t needed, std::string_view what) {
        return fail(policy::name(policy::Flag::truncated), in_.offset(),
                    "input ends at byte " + std::to_string(in_.size()) + " inside " + std::string(what) + " (" +
                        std::to_string(needed) + " bytes from offset " + std::to_string(in_.offset()) + ", " +
                        std::to_string(in_.remaining()) + " present)");
    }

    bool word(std::uint32_t* w, std::string_view what) { return in_.word(w) || truncated(4, what); }

    bool hyper(std::uint64_t* v) {
        if (in_.remaining() < 8) return truncated(8, "an 8-byte value");
        std::uint32_t hi = 0, lo = 0;
        in_.word(&hi);
        in_.word(&lo);
        *v = static_cast<std::uint64_t>(hi) << 32 | lo;
        return true;
    }

    bool nested(const Node* n, Json& out) {
        if (depth_ >= nesting_limit)
            return fail(wire_flag::too_deep, in_.offset(), "value nests deeper than " + std::to_string(nesting_limit));
        ++depth_;
        const bool ok = value(n, out);
        --depth_;
        return ok;
    }

    static const std::string* enum_name(const Node& n, std::uint32_t w) {
        const auto it = n.name_of_value.find(static_cast<std::int32_t>(w));
        return it == n.name_of_value.end() ? nullptr : it->second;
    }

    // byte_word reads one char / unsigned char element word and accepts it
    // only if the policy does (a zero-extended char byte >= 0x80 included).
    bool byte_word(NodeKind kind, std::uint8_t* b) {
        const std::size_t at = in_.offset();
        std::uint32_t w = 0;
        if (!word(&w, kind == NodeKind::char_ ? "a char element" : "an unsigned char element")) return false;
        return check_byte_word(kind, w, at, b);
    }

    bool check_byte_word(NodeKind kind, std::uint32_t w, std::size_t at, std::uint8_t* b) {
        *b = static_cast<std::uint8_t>(w);
        if (kind == NodeKind::char_) {
            if (policy::classify_char_word(w) != policy::ElementClass::non_canonical) return true;
            return fail(policy::name(policy::Flag::non_canonical_char), at,
                        "char element " + hex32(w) + " is not a sign- or zero-extended byte");
        }
        if (policy::classify_uchar_word(w) != policy::ElementClass::non_canonical) return true;
        return fail(policy::name(policy::Flag::non_canonical_uchar), at,
                    "unsigned char element " + hex32(w) + " has bits set above its low byte");
    }

    // byte_array reads char[N] / unsigned char[N] into a hex string.
    bool byte_array(const Node& n, Json& out) {
        const NodeKind kind = n.element->kind;
        bytes_.resize(n.bound);
        for (std::size_t i = 0; i < n.bound; ++i) {
            const std::size_t at = in_.offset();
            std::uint32_t w = 0;
            if (!in_.word(&w)) {
                PathScope element(path_, i);
                return truncated(4 * std::uint64_t{n.bound - i}, "a byte array");
            }
            std::uint8_t b = 0;
            if (!check_byte_word(kind, w, at, &b)) {
                // The path is built only here, on the error.
                PathScope element(path_, i);
                return check_byte_word(kind, w, at, &b);
            }
            bytes_[i] = static_cast<char>(b);
        }
        out = value_model::to_hex(bytes_.data(), bytes_.size());
        return true;
    }

    // empty_array constructs straight from the value type: Json::array()
    // goes through nlohmann's initializer-list constructor (~60
    // instructions more per array in callgrind).
    static Json empty_array() { return Json(Json::value_t::array); }

    // Slots holds pointers to an object's members in iteration order, on
    // the stack for the usual few members (a heap vector only past 16).
    class Slots {
    public:
        explicit Slots(Json& object) {
            auto& members = object.get_ref<Json::object_t&>();
            if (members.size() > std::size(local_)) {
                heap_.reserve(members.size());
                for (auto& member : members) heap_.push_back(&member.second);
                slots_ = heap_.data();
                return;
            }
            std::size_t i = 0;
            for (auto& member : members) local_[i++] = &member.second;
            slots_ = local_;
        }
        Json& operator[](std::uint32_t rank) const { return *slots_[rank]; }

    private:
        Json* local_[16];
        std::vector<Json*> heap_;
        Json** slots_ = nullptr;
    };

    // structure fills a struct's object. shaped: out already is the
    // struct's shape, copied with the enclosing object's (json_shape.h).
    bool structure(const Node& n, Json& out, bool shaped) {
        if (!shaped) out = n.shape;
        const Slots slots(out);
        for (std::size_t i = 0; i < n.fields.size(); ++i) {
            const Field& field = n.fields[i];
            PathScope at(path_, field.name);
            Json& member = slots[n.member_rank[i]];
            if (!(n.member_shaped[i] ? nested_shaped(*field.type, member) : nested(field.type, member))) return false;
        }
        return true;
    }

    // nested_shaped is nested() for a struct whose object is already shaped.
    bool nested_shaped(const Node& n, Json& out) {
        if (depth_ >= nesting_limit)
            return fail(wire_flag::too_deep, in_.offset(), "value nests deeper than " + std::to_string(nesting_limit));
        ++depth_;
        const bool ok = structure(n, out, true);
        --depth_;
        return ok;
    }

    bool union_(const Node& n, Json& out) {
        const Field& d = n.discriminant;
        const Field* arm = nullptr;
        Json* arm_slot = nullptr;
        {
            PathScope at(path_, d.name);
            const std::size_t offset = in_.offset();
            std::uint32_t w = 0;
            if (!word(&w, "a union discriminant")) return false;
            const NodeKind kind = d.type ? d.type->kind : NodeKind::structure;
            std::int64_t value = 0;
            switch (kind) {
                case NodeKind::enumeration:
                case NodeKind::int32: value = static_cast<std::int32_t>(w); break;
                case NodeKind::uint32: value = w; break;
                case NodeKind::boolean:
                    if (w > 1) return fail(wire_flag::bad_bool, offset, "bool " + hex32(w) + " is neither 0 nor 1");
                    value = w;
                    break;
                default:
                    return fail(wire_flag::unresolved_type, offset,
                                "a union discriminant must be an int, unsigned int, bool or enum");
            }
            std::size_t arm_index = 0;
            if (const auto a = n.arm_of_value.find(value); a != n.arm_of_value.end()) {
                arm_index = a->second;
                arm = &n.arms[arm_index];
            } else if (n.has_default) {
                arm_index = n.arms.size() - 1;
                arm = &n.arms.back();
            }
            const std::string* name = kind == NodeKind::enumeration ? enum_name(*d.type, w) : nullptr;
            if (!arm)
                return fail(policy::name(policy::Flag::unknown_discriminant), offset,
                            "discriminant " + std::to_string(value) + (name ? " (" + *name + ")" : std::string()) +
                                " has no arm in union " + n.type_name);
            // A default arm can take a value the enum does not name, which
            // the value model has no way to write.
            if (kind == NodeKind::enumeration && !name)
                return fail(wire_flag::unknown_enum_value, offset,
                            "value " + std::to_string(value) + " is not an item of enum " + d.type->type_name);
            const Node::ArmShape& shape = n.arm_shapes[arm_index];
            out = shape.object;
            const Slots slots(out);
            Json& disc = slots[shape.discriminant_rank];
            switch (kind) {
                case NodeKind::enumeration: disc = *name; break;
                case NodeKind::int32: disc = static_cast<std::int32_t>(value); break;
                case NodeKind::uint32: disc = static_cast<std::uint32_t>(value); break;
                default: disc = value == 1; break;
            }
            arm_slot = &slots[shape.arm_rank];
        }
        if (!arm->type) return true;
        PathScope at(path_, arm->name);
        if (n.arm_shapes[arm - n.arms.data()].arm_shaped) return nested_shaped(*arm->type, *arm_slot);
        return nested(arm->type, *arm_slot);
    }

    // count_word reads a variable-length count and refuses one above the
    // declared maximum or larger than the remaining input could hold, before
    // anything is allocated for it.
    bool count_word(const Node& n, std::uint32_t* count) {
        const std::size_t at = in_.offset();
        if (!word(count, "a length")) return false;
        if (*count > n.bound)
            return fail(wire_flag::count_too_large, at,
                        "length " + std::to_string(*count) + " exceeds the maximum " + std::to_string(n.bound));
        return true;
    }

    // array reads `count` elements. A variable count the remaining input
    // cannot hold is refused before anything is reserved; a fixed array
    // simply runs out at the element where the input ends.
    bool array(const Node& n, std::uint32_t count, bool variable, Json& out) {
        const std::uint64_t needed = std::uint64_t{count} * n.min_element_wire;
        if (variable && needed > in_.remaining()) return truncated(needed, "an array");
        out = empty_array();
        const std::uint64_t fits = n.min_element_wire ? in_.remaining() / n.min_element_wire : 0;
        out.get_ref<Json::array_t&>().reserve(static_cast<std::size_t>(std::min<std::uint64_t>(count, fits)));
        for (std::uint32_t i = 0; i < count; ++i) {
            PathScope at(path_, std::size_t{i});
            out.push_back(Json());
            if (!nested(n.element, out.back())) return false;
        }
        return true;
    }

    // bytes reads opaque[N], opaque<N> and string<N>: the bytes, then
    // padding that must be zero for the wire to be canonical.
    bool bytes(const Node& n, Json& out) {
        std::uint32_t count = n.bound;
        if (n.kind != NodeKind::fixed_opaque && !count_word(n, &count)) return false;
        const std::uint64_t total = padded(count);
        const std::uint8_t* p = total <= in_.remaining() ? in_.take(total) : nullptr;
        if (!p) return truncated(total, n.kind == NodeKind::string ? "a string" : "opaque bytes");
        for (std::uint64_t i = count; i < total; ++i)
            if (p[i] != 0)
                return fail(wire_flag::non_zero_padding, in_.offset() - total + i,
                            "padding byte " + std::to_string(i - count) + " is not zero");
        if (n.kind == NodeKind::string) {
            out = std::string(reinterpret_cast<const char*>(p), count);
            // The value model's strings are JSON strings, so UTF-8; a value
            // that cannot be serialized would only fail later, elsewhere.
            try {
                (void)out.dump();
            } catch (const Json::type_error&) {
                return fail(wire_flag::invalid_utf8, in_.offset() - total, "string is not valid UTF-8");
            }
        } else
            out = value_model::to_hex(p, count);
        return true;
    }

    WireReader in_;
    Path path_;
    int depth_ = 0;
    std::optional<CodecError> error_;
    std::string bytes_;  // byte_array's scratch, reused
};

}  // namespace

Outcome<Json> decode_value(const Node& root, ByteView wire, const DecodePlan* plan) {
    if (plan) {
        Decoder planned(wire);
        if (const DecodePlan::Arm* arm = planned.planned_arm(*plan)) {
            Json out(arm->object);
            if (planned.planned(*arm, out, true)) return out;
        }
    }
    Decoder decoder(wire);
    Json out;
    if (!decoder.value(&root, out) || !decoder.finish()) return decoder.error();
    return out;
}

Outcome<void> decode_value_into(const Node& root, ByteView wire, const DecodePlan* plan, Json& out) {
    if (plan) {
        Decoder planned(wire);
        if (const DecodePlan::Arm* arm = planned.planned_arm(*plan))
            if (planned.planned(*arm, out, false)) return {};
    }
    // The walk replaces out whole (its root is a struct or a leaf), so what
    // the plan left in it does not matter.
    Decoder decoder(wire);
    if (!decoder.value(&root, out) || !decoder.finish()) return decoder.error();
    return {};
}

}  // namespace qemud::dynamic
