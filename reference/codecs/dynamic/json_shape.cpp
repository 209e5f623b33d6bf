// SPDX-License-Identifier: Apache-2.0
#include "json_shape.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace qemud::dynamic {

namespace {

class ShapeBuilder {
public:
    // of returns the shape a member of type n starts with: a struct's
    // object, else null (filled by the decoder).
    Json of(const Node* n) {
        if (!n || n->kind != NodeKind::structure) return nullptr;
        if (const auto it = memo_.find(n); it != memo_.end()) return it->second;
        if (!open_.insert(n).second) return nullptr;  // a struct inside itself
        Json object(Json::value_t::object);
        auto& members = object.get_ref<Json::object_t&>();
        for (const Field& field : n->fields)
            // A name declared twice is decoded twice into one member, so it
            // gets no nested shape: the second field must start afresh.
            members.try_emplace(field.name, duplicated(*n, field.name) ? Json() : of(field.type));
        open_.erase(n);
        return memo_[n] = std::move(object);
    }

    static bool duplicated(const Node& n, const std::string& name) {
        return std::count_if(n.fields.begin(), n.fields.end(), [&](const Field& f) { return f.name == name; }) > 1;
    }

private:
    std::map<const Node*, Json> memo_;
    std::set<const Node*> open_;
};

// rank_in is the position of name among object's members in iteration order.
std::uint32_t rank_in(const Json& object, const std::string& name) {
    const auto& members = object.get_ref<const Json::object_t&>();
    return static_cast<std::uint32_t>(std::distance(members.begin(), members.find(name)));
}

}  // namespace

void attach_json_shapes(const std::vector<std::unique_ptr<Node>>& nodes) {
    ShapeBuilder builder;
    for (const auto& node : nodes) {
        Node& n = *node;
        if (n.kind == NodeKind::structure) {
            n.shape = builder.of(&n);
            n.member_rank.clear();
            n.member_shaped.clear();
            for (const Field& field : n.fields) {
                n.member_rank.push_back(rank_in(n.shape, field.name));
                const bool shaped = field.type && field.type->kind == NodeKind::structure &&
                                    !ShapeBuilder::duplicated(n, field.name) &&
                                    n.shape.at(field.name).is_object();
                n.member_shaped.push_back(shaped ? 1 : 0);
            }
        } else if (n.kind == NodeKind::union_) {
            n.arm_shapes.clear();
            for (const Field& arm : n.arms) {
                Node::ArmShape shape{Json(Json::value_t::object)};
                auto& members = shape.object.get_ref<Json::object_t&>();
                // The discriminant is written first, then the arm: if the
                // two share a name, the arm's value is what stays.
                members.try_emplace(n.discriminant.name, nullptr);
                if (arm.type) members.insert_or_assign(arm.name, builder.of(arm.type));
                shape.discriminant_rank = rank_in(shape.object, n.discriminant.name);
                shape.arm_rank = arm.type ? rank_in(shape.object, arm.name) : 0;
                shape.arm_shaped = arm.type && arm.type->kind == NodeKind::structure &&
                                   arm.name != n.discriminant.name && shape.object.at(arm.name).is_object();
                n.arm_shapes.push_back(std::move(shape));
            }
        }
    }
}

}  // namespace qemud::dynamic
