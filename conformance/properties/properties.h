// SPDX-License-Identifier: Apache-2.0
// properties.h: the RapidCheck properties of the protocol, as functions of
// (implementation under test, implementations compared, arm), so the same
// property runs as a registered Boost.Test case (property_test.cpp) and
// programmatically against a faulty codec (faulty_codec_test.cpp).
//
// Each returned function is a RapidCheck property (it draws its values
// with `*gen` and fails with RC_FAIL); run it with rc_boost.h. A failure
// message names the property, implementation and arm, and shows the value
// as JSON (the value model of docs/VALUE-MODEL.md) and the wire as hex.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "codecs/codec.h"

namespace qemud::properties {

enum class Property {
    value_round_trip,   // impl: decode(encode(v)) == v
    encoder_agreement,  // every implementation encodes v to impl's bytes
    decoder_agreement,  // every implementation decodes impl's bytes to v
    canonicality,       // changed / truncated / extended encodings, judged by the comparator
    framing,            // header + payload through the *_message kinds
};
inline constexpr Property all_properties[] = {Property::value_round_trip, Property::encoder_agreement,
                                              Property::decoder_agreement, Property::canonicality,
                                              Property::framing};
std::string_view to_string(Property property);

// default_cases is the number of successful cases a property runs per
// arm and implementation by default (before QEMUD_PROPERTY_SCALE).
int default_cases(Property property);
int default_stream_cases();

// make_property builds `property` for `impl` on `arm`; `codecs` are the
// implementations it is compared with (impl may or may not be among them).
std::function<void()> make_property(Property property, const Codec& impl, std::vector<const Codec*> codecs,
                                    const ArmInfo& arm);

// make_stream_property: a random sequence of messages of `direction`
// (every arm), encoded by the reference codec and fed to a StreamDecoder
// in random chunks, yields the same frames, which every codec decodes to
// the same values.
std::function<void()> make_stream_property(Direction direction, std::vector<const Codec*> codecs);

}  // namespace qemud::properties
