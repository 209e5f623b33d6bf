// SPDX-License-Identifier: Apache-2.0
#include "properties.h"

#include <sstream>

#include <rapidcheck.h>

#include "canonical.h"
#include "codecs/registry.h"
#include "framing/framing.h"
#include "codecs/value_model.h"
#include "draw_payload.h"
#include "generators.h"
#include "stream/stream_decoder.h"

namespace qemud::properties {

namespace {

std::string hex(ByteView bytes) { return value_model::to_hex(bytes.data(), bytes.size()); }

template <class T>
std::string describe(const Outcome<T>& out) {
    if (out.ok()) return "ok";
    if (out.unsupported()) return "unsupported: " + out.unsupported_reason().what;
    return out.error().to_string() + " [" + out.error().flag + "]";
}

std::string first_difference(ByteView a, ByteView b) {
    const std::size_t n = std::min(a.size(), b.size());
    std::ostringstream os;
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) {
            const std::size_t word = i & ~std::size_t{3};
            os << "first difference at byte 0x" << std::hex << i << " (word at 0x" << word << ": "
               << hex(a.subspan(word, std::min<std::size_t>(4, a.size() - word))) << " vs "
               << hex(b.subspan(word, std::min<std::size_t>(4, b.size() - word))) << ")";
            return os.str();
        }
    if (a.size() != b.size()) os << "sizes differ: " << a.size() << " vs " << b.size() << " bytes";
    return os.str();
}

// fail stops the case with everything needed to read the counterexample:
// what broke, the value (JSON, the value model of docs/VALUE-MODEL.md) and the wire (hex).
[[noreturn]] void fail(const std::string& what, const Json& value, ByteView wire) {
    std::ostringstream os;
    os << what << "\n  value (JSON): " << value.dump() << "\n  wire (" << wire.size() << " bytes, hex): " << hex(wire);
    RC_FAIL(os.str());
    std::abort();  // RC_FAIL throws; not reached
}

std::string header_of(const Codec& impl, const ArmInfo& arm) {
    return std::string(impl.name()) + " " + arm.name + ": ";
}

// draw_value draws a payload value of exactly `arm` and converts it to the
// value model; the model value is what RapidCheck shows and shrinks.
Json draw_value(const ArmInfo& arm) { return draw_payload(arm.direction, arm.value); }

Bytes must_encode(const Codec& codec, Kind kind, const Json& value, const std::string& context) {
    auto out = codec.encode(kind, value);
    if (!out.ok()) fail(context + std::string(codec.name()) + " cannot encode a valid value: " + describe(out), value, {});
    return std::move(out.value());
}

}  // namespace

// Mutation: one change to a valid encoding (docs/POLICY.md cases
// come from single bytes, truncations and extensions).
struct Mutation {
    enum class What { change_byte, truncate, extend } what = What::change_byte;
    std::size_t position = 0;  // change_byte: the byte; truncate: the new size
    std::uint8_t byte = 0;     // change_byte: the new byte (differs from the old)
    Bytes extension;           // extend: bytes appended

    Bytes apply(ByteView wire) const {
        Bytes out(wire.begin(), wire.end());
        switch (what) {
            case What::change_byte:
                if (out[position] == byte) out[position] ^= 0x01;
                else out[position] = byte;
                break;
            case What::truncate: out.resize(position); break;
            case What::extend: out.insert(out.end(), extension.begin(), extension.end()); break;
        }
        return out;
    }
};

void showValue(const Mutation& m, std::ostream& os) {
    switch (m.what) {
        case Mutation::What::change_byte:
            os << "set byte 0x" << std::hex << m.position << " to 0x" << int{m.byte}
               << " (flip its low bit instead if it already is 0x" << int{m.byte} << ")" << std::dec;
            break;
        case Mutation::What::truncate: os << "truncate to " << m.position << " bytes"; break;
        case Mutation::What::extend: os << "append " << hex(m.extension); break;
    }
}

namespace {

// mutation picks a change to a wire of `size` bytes whose payload prefix
// (serial..., discriminant) is `prefix` bytes: positions biased to the
// discriminant and the first fields, bytes to the sign boundaries. One
// pick, so the counterexample shows it as one line.
rc::Gen<Mutation> mutation(std::size_t size, std::size_t prefix) {
    using namespace rc;
    return gen::exec([size, prefix] {
        Mutation m;
        m.what = *gen_model::detail::element_of(std::vector<Mutation::What>{
            Mutation::What::change_byte, Mutation::What::change_byte, Mutation::What::change_byte,
            Mutation::What::truncate, Mutation::What::extend});
        switch (m.what) {
            case Mutation::What::change_byte:
                m.position = *gen::weightedOneOf<std::size_t>({
                    {6, gen_model::detail::uniform_in_range<std::size_t>(0, size)},
                    {2, gen::inRange<std::size_t>(prefix, std::min(size, prefix + 4))},  // the discriminant
                    {2, gen::inRange<std::size_t>(prefix + 4, std::min(size, prefix + 72))},  // first fields
                });
                m.byte = *gen_model::detail::byte();
                // Sometimes point the discriminant at another arm (a small
                // value in its low byte), valid or not for these bytes.
                if (*gen_model::detail::element_of(std::vector<bool>{false, false, false, true})) {
                    m.position = std::min(size - 1, prefix + 3);
                    m.byte = *gen_model::detail::uniform_in_range<std::uint8_t>(0, 48);
                }
                break;
            case Mutation::What::truncate:
                m.position = *gen::weightedOneOf<std::size_t>({
                    {2, gen_model::detail::element_of(std::vector<std::size_t>{0, prefix, prefix + 4, size - 4, size - 1})},
                    {3, gen_model::detail::uniform_in_range<std::size_t>(0, size)},
                });
                break;
            case Mutation::What::extend:
                m.extension = *gen::weightedOneOf<Bytes>({
                    {3, gen::container<Bytes>(4, gen_model::detail::byte())},
                    {1, gen::resize(8, gen::nonEmpty(gen::container<Bytes>(gen_model::detail::byte())))},
                });
                break;
        }
        return m;
    });
}

void value_round_trip(const Codec& impl, const ArmInfo& arm) {
    const Json value = draw_value(arm);
    const Kind kind = payload_kind(arm.direction);
    const std::string ctx = "value_round_trip " + header_of(impl, arm);
    const Bytes wire = must_encode(impl, kind, value, ctx);
    if (wire.size() != arm.payload_size)
        fail(ctx + "encoding has " + std::to_string(wire.size()) + " bytes, the arm's payload size is " +
                 std::to_string(arm.payload_size),
             value, wire);
    const auto back = impl.decode(kind, wire);
    if (!back.ok()) fail(ctx + "decode(encode(v)) failed: " + describe(back), value, wire);
    if (back.value() != value)
        fail(ctx + "decode(encode(v)) != v; decoded " + back.value().dump(), value, wire);
}

void encoder_agreement(const Codec& impl, const std::vector<const Codec*>& codecs, const ArmInfo& arm) {
    const Json value = draw_value(arm);
    const Kind kind = payload_kind(arm.direction);
    const std::string ctx = "encoder_agreement " + header_of(impl, arm);
    const Bytes wire = must_encode(impl, kind, value, ctx);
    for (const Codec* other : codecs) {
        if (other == &impl) continue;
        const auto out = other->encode(kind, value);
        if (out.unsupported()) continue;
        if (!out.ok()) fail(ctx + std::string(other->name()) + " cannot encode: " + describe(out), value, wire);
        if (out.value() != wire)
            fail(ctx + std::string(other->name()) + " encodes differently, " + first_difference(wire, out.value()) +
                     "\n  " + std::string(other->name()) + " wire: " + hex(out.value()),
                 value, wire);
    }
}

void decoder_agreement(const Codec& impl, const std::vector<const Codec*>& codecs, const ArmInfo& arm) {
    const Json value = draw_value(arm);
    const Kind kind = payload_kind(arm.direction);
    const std::string ctx = "decoder_agreement " + header_of(impl, arm);
    const Bytes wire = must_encode(impl, kind, value, ctx);
    for (const Codec* other : codecs) {
        const auto out = other->decode(kind, wire);
        if (out.unsupported()) continue;
        if (!out.ok()) fail(ctx + std::string(other->name()) + " rejects it: " + describe(out), value, wire);
        if (out.value() != value)
            fail(ctx + std::string(other->name()) + " decodes a different value: " + out.value().dump(), value, wire);
    }
}

void canonicality(const Codec& impl, const std::vector<const Codec*>& codecs, const ArmInfo& arm) {
    const Json value = draw_value(arm);
    const Kind kind = payload_kind(arm.direction);
    const std::string ctx = "canonicality " + header_of(impl, arm);
    const Bytes wire = must_encode(impl, kind, value, ctx);
    const Mutation change = *mutation(wire.size(), ProtocolInfo::get().payload_prefix_size(arm.direction));
    const Bytes changed = change.apply(wire);

    std::vector<const Codec*> compared = codecs;
    if (std::find(compared.begin(), compared.end(), &impl) == compared.end()) compared.insert(compared.begin(), &impl);
    const auto comparison = comparator::compare_decoders(kind, changed, compared).involving(impl.name());
    const auto& c = comparison.classification;
    RC_TAG(std::string(policy::to_string(c.rule)) + ":" + std::string(policy::name(c.deciding())));
    if (c.arm && c.arm->value != arm.value) RC_TAG("now-arm:" + c.arm->name);
    if (!comparison.notes.empty())
        RC_TAG("acceptable-disagreement:" + std::string(policy::name(comparison.notes.front().flag)));
    if (!comparison.ok()) {
        std::ostringstream what;
        showValue(change, what);
        if (change.what == Mutation::What::change_byte)
            what << ": byte 0x" << std::hex << change.position << " 0x" << int{wire[change.position]} << " -> 0x"
                 << int{changed[change.position]} << std::dec;
        fail(ctx + "the changed wire (" + what.str() + ") breaks the policy:\n" + comparison.to_string() +
                 "  canonical(changed): " + hex(comparator::canonical(kind, changed)),
             value, changed);
    }
}

// framing: per framing profile, the message is the profile's header of the
// payload's size followed by the payload, the header alone round-trips as
// the `header` kind, and the message decodes back to the value.
void framing(const Codec& impl, const ArmInfo& arm) {
    const Json value = draw_value(arm);
    const Kind kind = message_kind(arm.direction);
    const Bytes payload = must_encode(impl, payload_kind(arm.direction), value, "framing " + header_of(impl, arm));
    if (payload.size() != arm.payload_size)
        fail("framing " + header_of(impl, arm) + "payload length " + std::to_string(payload.size()) +
                 " is not the arm's " + std::to_string(arm.payload_size),
             value, payload);
    for (const Framing f : all_framings) {
        const FramingProfile& profile = framing_profile(f);
        const std::string ctx = "framing " + std::string(profile.name()) + " " + header_of(impl, arm);
        auto encoded = impl.encode(kind, value, f);
        if (!encoded.ok()) fail(ctx + "encode(message) failed: " + describe(encoded), value, payload);
        const Bytes& message = encoded.value();
        const Bytes expected = profile.frame(payload);
        if (message != expected)
            fail(ctx + "message is not the " + std::string(profile.name()) + " header + payload, " +
                     first_difference(expected, message) + "; " + profile.explain_mismatch(expected, message),
                 value, message);
        const Json header = profile.to_json({profile.constant(), profile.length_for(payload.size())});
        const ByteView header_bytes(message.data(), profile.header_size());
        const auto decoded_header = impl.decode(Kind::header, header_bytes, f);
        if (!decoded_header.ok() || decoded_header.value() != header)
            fail(ctx + "header decodes to " +
                     (decoded_header.ok() ? decoded_header.value().dump() : describe(decoded_header)),
                 value, message);
        const auto encoded_header = impl.encode(Kind::header, header, f);
        if (!encoded_header.ok() || encoded_header.value() != Bytes(header_bytes.begin(), header_bytes.end()))
            fail(ctx + "header " + header.dump() + " encodes to " +
                     (encoded_header.ok() ? hex(encoded_header.value()) : describe(encoded_header)),
                 value, message);
        const auto back = impl.decode(kind, message, f);
        if (!back.ok()) fail(ctx + "decode(message) failed: " + describe(back), value, message);
        if (back.value() != value) fail(ctx + "decode(message) != v; decoded " + back.value().dump(), value, message);
    }
}

void stream(Direction direction, const std::vector<const Codec*>& codecs) {
    using namespace rc;
    const auto count = *gen_model::detail::uniform_in_range<std::size_t>(0, 7);
    const std::vector<Json> values = draw_payloads(direction, count);
    const auto chunks = *gen::container<std::vector<std::size_t>>(gen::weightedOneOf<std::size_t>({
        {3, gen::inRange<std::size_t>(1, 9)},
        {2, gen_model::detail::uniform_in_range<std::size_t>(9, 300)},
        {2, gen_model::detail::uniform_in_range<std::size_t>(300, 25000)},
    }));
    // Sometimes the stream ends inside the last message.
    const auto cut = *gen::weightedOneOf<std::size_t>({{4, gen::just<std::size_t>(0)}, {1, gen::inRange<std::size_t>(1, 12)}});

    // Either framing profile, told to the decoder or detected from the stream.
    const Framing framing = *gen::element(Framing::seed, Framing::libvirt_0_3);
    const bool detect = *gen::arbitrary<bool>();
    const Kind kind = message_kind(direction);
    Bytes wire;
    std::vector<Json> jsons;
    std::vector<Bytes> messages;
    std::vector<std::size_t> offsets;
    for (const auto& v : values) {
        jsons.push_back(v);
        auto message = reference_codec().encode(kind, jsons.back(), framing);
        if (!message.ok()) fail("framing stream: the reference failed to encode: " + describe(message), jsons.back(), {});
        messages.push_back(std::move(message.value()));
        offsets.push_back(wire.size());
        wire.insert(wire.end(), messages.back().begin(), messages.back().end());
    }
    const std::size_t complete = cut && !messages.empty() ? messages.size() - 1 : messages.size();
    if (complete < messages.size()) wire.resize(wire.size() - std::min(cut, messages.back().size()));
    const Json all = jsons;

    StreamDecoder decoder = detect ? StreamDecoder::detecting(direction) : StreamDecoder(direction, framing);
    std::vector<Bytes> frames;
    std::vector<std::size_t> frame_offsets;
    std::size_t at = 0;
    for (std::size_t i = 0; at < wire.size(); ++i) {
        const std::size_t n = chunks.empty() ? wire.size() : std::min(chunks[i % chunks.size()], wire.size() - at);
        const auto error = decoder.feed(ByteView(wire).subspan(at, n), [&](const StreamDecoder::Frame& f) {
            frames.emplace_back(f.bytes.begin(), f.bytes.end());
            frame_offsets.push_back(f.stream_offset);
        });
        if (error) fail("framing stream: feed failed at chunk " + std::to_string(i) + ": " + error->to_string(), all, wire);
        at += n;
    }
    const auto end = decoder.finish();
    if (complete < messages.size() && (!end || end->flag != policy::name(policy::Flag::truncated)))
        fail("framing stream: a stream cut inside its last message must finish with a truncated error, got " +
                 (end ? end->to_string() : std::string("no error")),
             all, wire);
    if (complete == messages.size() && end) fail("framing stream: finish() reports " + end->to_string(), all, wire);
    if (frames.size() != complete)
        fail("framing stream: " + std::to_string(frames.size()) + " frames, expected " + std::to_string(complete), all,
             wire);
    for (std::size_t i = 0; i < complete; ++i) {
        if (frames[i] != messages[i] || frame_offsets[i] != offsets[i])
            fail("framing stream: frame " + std::to_string(i) + " differs (offset " + std::to_string(frame_offsets[i]) +
                     ", expected " + std::to_string(offsets[i]) + "), " + first_difference(messages[i], frames[i]),
                 jsons[i], frames[i]);
        for (const Codec* codec : codecs) {
            const auto out = codec->decode(kind, frames[i], framing);
            if (out.unsupported()) continue;
            if (!out.ok() || out.value() != jsons[i])
                fail("framing stream: " + std::string(codec->name()) + " decodes frame " + std::to_string(i) +
                         " as " + (out.ok() ? out.value().dump() : describe(out)),
                     jsons[i], frames[i]);
        }
    }
    if (detect && wire.size() >= 8 && decoder.framing() != framing)
        fail("framing stream: a detecting decoder did not tell " + std::string(to_string(framing)), all, wire);
    RC_TAG(std::string(to_string(framing)) + (detect ? " (detected)" : ""));
    RC_TAG(std::to_string(complete) + " messages" + (complete < messages.size() ? " + a cut one" : ""));
}

}  // namespace

std::string_view to_string(Property property) {
    switch (property) {
        case Property::value_round_trip: return "value_round_trip";
        case Property::encoder_agreement: return "encoder_agreement";
        case Property::decoder_agreement: return "decoder_agreement";
        case Property::canonicality: return "canonicality";
        case Property::framing: return "framing";
    }
    return "?";
}

int default_cases(Property property) {
    switch (property) {
        case Property::value_round_trip: return 100;
        case Property::encoder_agreement: return 100;
        case Property::decoder_agreement: return 100;
        case Property::canonicality: return 500;
        case Property::framing: return 50;
    }
    return 10;
}

int default_stream_cases() { return 300; }

std::function<void()> make_property(Property property, const Codec& impl, std::vector<const Codec*> codecs,
                                    const ArmInfo& arm) {
    const Codec* p = &impl;
    switch (property) {
        case Property::value_round_trip: return [p, arm] { value_round_trip(*p, arm); };
        case Property::encoder_agreement: return [p, codecs, arm] { encoder_agreement(*p, codecs, arm); };
        case Property::decoder_agreement: return [p, codecs, arm] { decoder_agreement(*p, codecs, arm); };
        case Property::canonicality: return [p, codecs, arm] { canonicality(*p, codecs, arm); };
        case Property::framing: return [p, arm] { framing(*p, arm); };
    }
    return [] {};
}

std::function<void()> make_stream_property(Direction direction, std::vector<const Codec*> codecs) {
    return [direction, codecs] { stream(direction, codecs); };
}

}  // namespace qemud::properties
