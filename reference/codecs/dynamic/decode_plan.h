// SPDX-License-Identifier: Apache-2.0
// decode_plan.h: per-discriminant decode plans for a root struct, built
// once per root (Walker::root), so that decoding a small message is one
// copy of a ready object and one pass over its leaf values.
//
// Why: a payload of this protocol is a struct holding a union (serial,
// then the message type and its arm). Decoded member by member, the fixed
// cost per call (an object per struct and union, its members, the walk
// between them) made the small arms 13x to 17x slower than rpcgen, most
// of it not in the wire reading. With the union's discriminant at a fixed
// offset, the decoder reads it first and copies the whole decoded object
// of that arm (discriminant name included), then decodes each leaf (a
// field that is not a struct) into its slot in wire order.
//
// A plan is only a shortcut: whenever it cannot finish (a fault anywhere,
// or trailing bytes), the decoder starts over with the general walk, which
// reports the error, so errors, paths and offsets stay those of the walk.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "type_graph.h"

namespace qemud::dynamic {

struct DecodePlan {
    // Leaf is one wire read: a value of `type` into the `slot`-th member of
    // the copied object (depth-first, in iteration order), at the nesting
    // depth the general walk would have there; or the discriminant word,
    // already checked, which is skipped.
    struct Leaf {
        const Node* type = nullptr;
        std::uint32_t slot = 0;
        int depth = 0;
        bool discriminant = false;
    };
    struct Arm {
        Json object;               // the whole decoded value, leaves null
        std::vector<Leaf> leaves;  // in wire order
        std::uint32_t slots = 0;   // members in object, nested ones included
    };
    std::size_t discriminant_offset = 0;
    NodeKind discriminant_kind = NodeKind::int32;
    // by the discriminant's value as the walk computes it (union_ in
    // wire_to_json.cpp); a value with no entry takes the general walk.
    std::unordered_map<std::int64_t, Arm> arms;
};

// make_decode_plan returns root's plan, or nullptr if root is not a struct
// with a union field after fixed-size fields only (the discriminant offset
// must not depend on the wire).
std::unique_ptr<const DecodePlan> make_decode_plan(const Node& root);

// for_each_slot calls f on every member of object, depth first in
// iteration order, descending into member objects: the order of
// Leaf::slot, which a copy of Arm::object repeats.
template <class F>
void for_each_slot(Json& object, F&& f) {
    for (auto& [name, member] : object.get_ref<Json::object_t&>()) {
        f(member);
        if (member.is_object()) for_each_slot(member, f);
    }
}

// reuse_slots is for_each_slot for an object a previous decode of the same
// arm left (decode_value_into): if object has exactly the members of plan
// (an Arm::object), with an object wherever plan has one, it writes
// object's members into slots in plan's for_each_slot order, sets the
// members plan fixes (the discriminant) to plan's value where they differ
// (two discriminant values can share an arm), and returns true. The leaves
// (null in plan) are not looked at: the decode overwrites them whatever
// they hold, and nothing descends into them, so a leaf holding an object
// cannot shift the slots. Otherwise it returns false, with object and
// slots partly written. The walk follows plan, so it writes at most
// Arm::slots pointers.
inline bool reuse_slots(const Json& plan, Json& object, Json**& slots) {
    if (!object.is_object()) return false;
    const auto& want = plan.get_ref<const Json::object_t&>();
    auto& have = object.get_ref<Json::object_t&>();
    if (have.size() != want.size()) return false;
    auto h = have.begin();
    for (const auto& [name, member] : want) {
        if (h->first != name) return false;
        Json& slot = h->second;
        *slots++ = &slot;
        if (member.is_object()) {
            if (!reuse_slots(member, slot, slots)) return false;
        } else if (!member.is_null() && slot != member)
            slot = member;
        ++h;
    }
    return true;
}

}  // namespace qemud::dynamic
