// SPDX-License-Identifier: Apache-2.0
#include "wire_edit.h"

#include <boost/test/unit_test.hpp>

#include "codecs/value_model.h"
#include "framing/framing.h"

namespace qemud::testing {

std::string hex(ByteView bytes) { return value_model::to_hex(bytes.data(), bytes.size()); }

std::optional<std::size_t> first_difference(ByteView a, ByteView b) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) return i;
    if (a.size() != b.size()) return n;
    return std::nullopt;
}

Bytes frame(ByteView payload, Framing framing) { return framing_profile(framing).frame(payload); }

Bytes must_encode(const Codec& codec, Kind kind, const Json& value) {
    auto out = codec.encode(kind, value);
    BOOST_REQUIRE_MESSAGE(out.ok(), codec.name() << " failed to encode " << to_string(kind) << ": " << describe(out));
    return out.value();
}

Json must_decode(const Codec& codec, Kind kind, ByteView wire) {
    auto out = codec.decode(kind, wire);
    BOOST_REQUIRE_MESSAGE(out.ok(), codec.name() << " failed to decode " << to_string(kind) << ": " << describe(out));
    return out.value();
}

}  // namespace qemud::testing
