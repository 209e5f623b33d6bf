// SPDX-License-Identifier: Apache-2.0
// wire_edit.h: small helpers tests use to build and alter wire bytes.
#pragma once

#include <cstdint>
#include <string>

#include <boost/test/unit_test.hpp>
#include <ostream>

#include "codecs/codec.h"
#include "wire_words.h"

// Boost.Test prints std::optional values (error offsets) in messages.
namespace boost::test_tools::tt_detail {
template <class T>
struct print_log_value<std::optional<T>> {
    void operator()(std::ostream& os, const std::optional<T>& v) {
        if constexpr (std::is_same_v<T, qemud::Framing>)
            os << (v ? qemud::to_string(*v) : "none");
        else if (v)
            os << *v;
        else
            os << "none";
    }
};
}  // namespace boost::test_tools::tt_detail

namespace qemud::testing {

using wire_words::append_be32;
using wire_words::get_be32;
using wire_words::put_be32;
std::string hex(ByteView bytes);
// first_difference is the first offset where a and b differ, or nullopt.
std::optional<std::size_t> first_difference(ByteView a, ByteView b);
// frame prepends a framing profile's header to a payload (the profile's
// definition, framing/framing.h, builds it).
Bytes frame(ByteView payload, Framing framing = Framing::seed);

// describe says what an outcome holds, for failure messages (which Boost.Test
// builds even when the check passes, so they must not assume a failure).
template <class T>
std::string describe(const Outcome<T>& out) {
    if (out.ok()) return "ok";
    if (out.unsupported()) return "unsupported: " + out.unsupported_reason().what;
    return out.error().to_string();
}
inline std::string describe(const std::optional<CodecError>& error) { return error ? error->to_string() : "no error"; }

// must_encode / must_decode fail the current test (with the error) unless
// the codec succeeds.
Bytes must_encode(const Codec& codec, Kind kind, const Json& value);
Json must_decode(const Codec& codec, Kind kind, ByteView wire);

}  // namespace qemud::testing
