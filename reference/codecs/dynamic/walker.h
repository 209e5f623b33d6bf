// SPDX-License-Identifier: Apache-2.0
// walker.h: the dynamic codec's engine for any .x file: give it a parsed
// Specification and a type name, and it encodes and decodes values of that
// type in the JSON value model, with nothing generated and nothing parsed
// per call.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "codecs/codec.h"
#include "decode_plan.h"
#include "type_graph.h"
#include "xdrc/ast.h"

namespace qemud::dynamic {

class Walker {
public:
    // Walker resolves every type of spec once (type_graph.h). spec must be
    // one that xdr::parse_specification accepted; it is not kept.
    explicit Walker(const xdr::Specification& spec) : graph_(spec) {}

    // encode writes value as the named type; a type spec does not define is
    // a CodecError with flag "value". See encode_value in walkers.h.
    Outcome<Bytes> encode(std::string_view type, const Json& value) const;
    // decode reads wire as the named type; all of wire must be consumed.
    // See decode_value in walkers.h.
    Outcome<Json> decode(std::string_view type, ByteView wire) const;

    // The two calls above resolve the name per call and use no decode
    // plan (building one costs more than a call saves).

    // Root is a named type resolved once, for a caller that encodes or
    // decodes the same type on every call (DynamicCodec's payload and
    // header structs): no lookup by name per call.
    struct Root {
        std::string type;
        const Node* node = nullptr;  // nullptr: spec defines no such type
        std::size_t expected_size = 0;  // bytes the encoder reserves
        std::shared_ptr<const DecodePlan> plan;  // decode_plan.h; may be null
    };
    // root also builds the type's decode plan (decode_plan.h).
    Root root(std::string_view type) const;
    Outcome<Bytes> encode(const Root& root, const Json& value) const;
    Outcome<Json> decode(const Root& root, ByteView wire) const;
    // decode_into is decode into a reused Json (Codec::decode_into): see
    // decode_value_into in walkers.h.
    Outcome<void> decode_into(const Root& root, ByteView wire, Json& out) const;

    const TypeGraph& graph() const { return graph_; }

private:
    Root bare_root(std::string_view type) const;
    TypeGraph graph_;
};

}  // namespace qemud::dynamic
