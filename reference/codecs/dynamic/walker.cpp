// SPDX-License-Identifier: Apache-2.0
#include "walker.h"

#include <algorithm>

#include "codecs/value_model.h"
#include "walkers.h"

namespace qemud::dynamic {

namespace {

CodecError unknown_type(std::string_view type) {
    return value_model::value_error("", "the specification defines no type named '" + std::string(type) + "'");
}

}  // namespace

Walker::Root Walker::bare_root(std::string_view type) const {
    Root root;
    root.type = std::string(type);
    root.node = graph_.find(type);
    // Reserve the largest encoding up front, unless the type is unbounded.
    if (root.node)
        root.expected_size = static_cast<std::size_t>(std::min<std::uint64_t>(graph_.max_wire_size(type), 1 << 16));
    return root;
}

Walker::Root Walker::root(std::string_view type) const {
    Root root = bare_root(type);
    if (root.node) root.plan = make_decode_plan(*root.node);
    return root;
}

Outcome<Bytes> Walker::encode(const Root& root, const Json& value) const {
    if (!root.node) return unknown_type(root.type);
    return encode_value(*root.node, value, root.expected_size);
}

Outcome<Json> Walker::decode(const Root& root, ByteView wire) const {
    if (!root.node) return unknown_type(root.type);
    return decode_value(*root.node, wire, root.plan.get());
}

Outcome<void> Walker::decode_into(const Root& root, ByteView wire, Json& out) const {
    if (!root.node) return unknown_type(root.type);
    return decode_value_into(*root.node, wire, root.plan.get(), out);
}

Outcome<Bytes> Walker::encode(std::string_view type, const Json& value) const {
    return encode(bare_root(type), value);
}

Outcome<Json> Walker::decode(std::string_view type, ByteView wire) const { return decode(bare_root(type), wire); }

}  // namespace qemud::dynamic
