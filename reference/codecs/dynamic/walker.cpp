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

Outcome<Bytes> Walker::encode(std::string_view type, const Json& value) const {
    const Node* root = graph_.find(type);
    if (!root) return unknown_type(type);
    // Reserve the largest encoding up front, unless the type is unbounded.
    const std::size_t expected = static_cast<std::size_t>(std::min<std::uint64_t>(graph_.max_wire_size(type), 1 << 16));
    return encode_value(*root, value, expected);
}

Outcome<Json> Walker::decode(std::string_view type, ByteView wire) const {
    const Node* root = graph_.find(type);
    if (!root) return unknown_type(type);
    return decode_value(*root, wire);
}

}  // namespace qemud::dynamic
