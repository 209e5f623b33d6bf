// SPDX-License-Identifier: Apache-2.0
#include "decode_plan.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "walkers.h"
#include "wire_io.h"

namespace qemud::dynamic {

namespace {

// fixed_size is the wire size of n if every value of n has the same one.
std::optional<std::uint64_t> fixed_size(const Node* n, int depth = 0) {
    if (!n || depth > 64) return std::nullopt;
    switch (n->kind) {
        case NodeKind::int32:
        case NodeKind::uint32:
        case NodeKind::boolean:
        case NodeKind::float32:
        case NodeKind::char_:
        case NodeKind::uchar:
        case NodeKind::enumeration: return 4;
        case NodeKind::int64:
        case NodeKind::uint64:
        case NodeKind::float64: return 8;
        case NodeKind::fixed_opaque: return padded(n->bound);
        case NodeKind::fixed_array: {
            const auto element = fixed_size(n->element, depth + 1);
            if (!element) return std::nullopt;
            return *element * n->bound;
        }
        case NodeKind::structure: {
            std::uint64_t total = 0;
            for (const Field& f : n->fields) {
                const auto size = fixed_size(f.type, depth + 1);
                if (!size) return std::nullopt;
                total += *size;
            }
            return total;
        }
        default: return std::nullopt;
    }
}

bool has_duplicate_names(const Node& n) {
    std::set<std::string_view> names;
    for (const Field& f : n.fields)
        if (!names.insert(f.name).second) return true;
    return false;
}

// ArmBuilder builds one arm's object and leaves, mirroring the walk of
// wire_to_json.cpp: the same members, the same order, the same depths.
class ArmBuilder {
public:
    ArmBuilder(const Field& union_field, const Json& discriminant, const Field* arm)
        : union_field_(union_field), discriminant_(discriminant), arm_(arm) {}

    bool ok = true;
    std::vector<std::pair<Json*, DecodePlan::Leaf>> leaves;  // slot pointer, leaf

    // structure builds struct n into out; depth is the depth at which the
    // walk calls nested() for n's fields.
    void structure(const Node& n, Json& out, int depth, bool root) {
        if (depth >= nesting_limit - 1 || has_duplicate_names(n) || !open_.insert(&n).second) {
            ok = false;
            return;
        }
        out = Json(Json::value_t::object);
        auto& members = out.get_ref<Json::object_t&>();
        for (const Field& field : n.fields) {
            Json& slot = members[field.name];
            if (root && &field == &union_field_)
                arm(*field.type, slot, depth);
            else
                member(field.type, slot, depth);
        }
        open_.erase(&n);
    }

private:
    void member(const Node* type, Json& slot, int depth) {
        if (type && type->kind == NodeKind::structure)
            structure(*type, slot, depth + 1, false);
        else
            leaves.push_back({&slot, {type, 0, depth, false}});
    }

    // arm builds the union's object: {discriminant, arm}. The union is
    // read at `depth`, so its arm at depth + 1.
    void arm(const Node& u, Json& out, int depth) {
        out = Json(Json::value_t::object);
        auto& members = out.get_ref<Json::object_t&>();
        Json& disc = members[u.discriminant.name];
        disc = discriminant_;
        leaves.push_back({&disc, {nullptr, 0, depth + 1, true}});
        if (!arm_->type) return;
        if (arm_->name == u.discriminant.name) {
            ok = false;
            return;
        }
        member(arm_->type, members[arm_->name], depth + 1);
    }

    const Field& union_field_;
    const Json& discriminant_;
    const Field* arm_;
    std::set<const Node*> open_;
};

// discriminant_json is the discriminant member the walk writes for value,
// or null if the walk would reject the value.
std::optional<Json> discriminant_json(const Node& d, std::int64_t value) {
    switch (d.kind) {
        case NodeKind::enumeration: {
            const auto it = d.name_of_value.find(static_cast<std::int32_t>(value));
            if (it == d.name_of_value.end()) return std::nullopt;
            return Json(*it->second);
        }
        case NodeKind::int32:
            if (value < INT32_MIN || value > INT32_MAX) return std::nullopt;
            return Json(static_cast<std::int32_t>(value));
        case NodeKind::uint32:
            if (value < 0 || value > UINT32_MAX) return std::nullopt;
            return Json(static_cast<std::uint32_t>(value));
        case NodeKind::boolean:
            if (value != 0 && value != 1) return std::nullopt;
            return Json(value == 1);
        default: return std::nullopt;
    }
}

}  // namespace

std::unique_ptr<const DecodePlan> make_decode_plan(const Node& root) {
    if (root.kind != NodeKind::structure || has_duplicate_names(root)) return nullptr;
    std::uint64_t offset = 0;
    const Field* union_field = nullptr;
    for (const Field& f : root.fields) {
        if (f.type && f.type->kind == NodeKind::union_) {
            union_field = &f;
            break;
        }
        const auto size = fixed_size(f.type);
        if (!size) return nullptr;
        offset += *size;
    }
    if (!union_field || !union_field->type->discriminant.type) return nullptr;
    const Node& u = *union_field->type;
    const Node& d = *u.discriminant.type;

    auto plan = std::make_unique<DecodePlan>();
    plan->discriminant_offset = static_cast<std::size_t>(offset);
    plan->discriminant_kind = d.kind;
    for (const auto& [value, arm_index] : u.arm_of_value) {
        const auto disc = discriminant_json(d, value);
        if (!disc) continue;
        ArmBuilder builder(*union_field, *disc, &u.arms[arm_index]);
        DecodePlan::Arm arm;
        builder.structure(root, arm.object, 0, true);
        if (!builder.ok) continue;
        // Leaf slots as indexes in gather_slots order, which a copy of
        // arm.object repeats.
        std::vector<Json*> slots;
        for_each_slot(arm.object, [&](Json& member) { slots.push_back(&member); });
        std::map<const Json*, std::uint32_t> index;
        for (std::size_t i = 0; i < slots.size(); ++i) index[slots[i]] = static_cast<std::uint32_t>(i);
        for (auto& [slot, leaf] : builder.leaves) {
            leaf.slot = index.at(slot);
            arm.leaves.push_back(leaf);
        }
        arm.slots = static_cast<std::uint32_t>(slots.size());
        plan->arms.emplace(value, std::move(arm));
    }
    return plan;
}

}  // namespace qemud::dynamic
