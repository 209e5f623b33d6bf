// SPDX-License-Identifier: Apache-2.0
// json_shape.h: the decoder's precomputed object shapes (Node::shape,
// Node::member_rank, Node::arm_shapes).
//
// Why: nlohmann::json keeps an object's members in a std::map, and building
// a small object member by member (a lookup, string compares and a
// rebalance per member) cost the decoder about as much as the allocations
// themselves on the small arms. Copying a ready object clones the tree
// node by node with none of that, and the decoder then fills the members
// in wire order through member_rank.
#pragma once

#include <memory>
#include <vector>

#include "type_graph.h"

namespace qemud::dynamic {

// attach_json_shapes fills the shapes of every struct and union node.
// A struct that reaches itself through struct fields only (which no
// well-formed .x has) gets a null member there, so it still terminates.
void attach_json_shapes(const std::vector<std::unique_ptr<Node>>& nodes);

}  // namespace qemud::dynamic
