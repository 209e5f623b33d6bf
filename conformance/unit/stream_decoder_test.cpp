// stream_decoder_test.cpp: messages come out whole and in order whatever
// the chunking; framing errors come out with their stream offset.
#define BOOST_TEST_MODULE stream_decoder
#include <boost/test/unit_test.hpp>

#include <random>

#include "codecs/registry.h"
#include "sample_values.h"
#include "stream/stream_decoder.h"
#include "wire_edit.h"

using namespace qemud;
using namespace qemud::testing;

namespace {

struct Stream {
    Bytes bytes;
    std::vector<Bytes> messages;
};

// every_arm_stream concatenates one message per arm and plan of a direction.
Stream every_arm_stream(Direction d) {
    Stream s;
    for (const auto& arm : ProtocolInfo::get().arms(d))
        for (const auto plan : samples::all_plans) {
            Bytes m = must_encode(reference_codec(), message_kind(d), samples::payload_value(arm, plan));
            s.bytes.insert(s.bytes.end(), m.begin(), m.end());
            s.messages.push_back(std::move(m));
        }
    return s;
}

std::vector<Bytes> feed_in_chunks(Direction d, const Bytes& bytes, const std::function<std::size_t()>& next_size) {
    StreamDecoder decoder(d);
    std::vector<Bytes> out;
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        const std::size_t n = std::min(next_size(), bytes.size() - pos);
        const auto error = decoder.feed(ByteView(bytes).subspan(pos, n), [&](const StreamDecoder::Frame& f) {
            BOOST_TEST(f.stream_offset + f.bytes.size() <= pos + n);
            out.emplace_back(f.bytes.begin(), f.bytes.end());
        });
        BOOST_REQUIRE_MESSAGE(!error, describe(error));
        pos += n;
    }
    BOOST_TEST(!decoder.finish().has_value());
    BOOST_TEST(decoder.consumed() == bytes.size());
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(any_chunking_yields_the_same_messages) {
    for (const Direction d : all_directions) {
        const Stream s = every_arm_stream(d);
        for (const std::size_t fixed : {std::size_t{1}, std::size_t{3}, std::size_t{8}, std::size_t{4096},
                                        s.bytes.size()}) {
            BOOST_TEST_CONTEXT(to_string(d) << " chunks of " << fixed) {
                BOOST_TEST((feed_in_chunks(d, s.bytes, [&] { return fixed; }) == s.messages));
            }
        }
        std::mt19937 rng(1234);
        std::uniform_int_distribution<std::size_t> size(1, 30000);
        BOOST_TEST((feed_in_chunks(d, s.bytes, [&] { return size(rng); }) == s.messages));
    }
}

BOOST_AUTO_TEST_CASE(every_frame_decodes_with_every_codec) {
    const Stream s = every_arm_stream(Direction::server);
    const auto frames = feed_in_chunks(Direction::server, s.bytes, [] { return std::size_t{7}; });
    for (const Codec* codec : all_codecs())
        for (const auto& frame : frames) BOOST_TEST(codec->decode(Kind::server_message, frame).ok());
}

BOOST_AUTO_TEST_CASE(bad_magic_reports_its_stream_offset_and_stays_broken) {
    Stream s = every_arm_stream(Direction::client);
    const std::size_t second = s.messages[0].size();
    put_be32(s.bytes, second, 0xDEADBEEF);
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{4096}}) {
        StreamDecoder decoder(Direction::client);
        std::size_t frames = 0;
        std::optional<CodecError> error;
        for (std::size_t pos = 0; pos < s.bytes.size() && !error; pos += chunk)
            error = decoder.feed(ByteView(s.bytes).subspan(pos, std::min(chunk, s.bytes.size() - pos)),
                                 [&](const StreamDecoder::Frame&) { ++frames; });
        BOOST_REQUIRE(error.has_value());
        BOOST_TEST(error->flag == "bad_magic");
        BOOST_TEST(error->offset == std::optional<std::size_t>(second));
        BOOST_TEST(frames == 1u);
        BOOST_TEST(decoder.broken());
        BOOST_TEST(decoder.feed(s.bytes, [&](const StreamDecoder::Frame&) { ++frames; }).has_value());
        BOOST_TEST(frames == 1u);
    }
}

BOOST_AUTO_TEST_CASE(oversized_length_is_refused_before_buffering) {
    for (const Direction d : all_directions) {
        Bytes header;
        append_be32(header, ProtocolInfo::get().header_magic());
        append_be32(header, ProtocolInfo::get().max_payload(d) + 4);
        StreamDecoder decoder(d);
        const auto error = decoder.feed(header, [](const StreamDecoder::Frame&) { BOOST_FAIL("no frame"); });
        BOOST_REQUIRE(error.has_value());
        BOOST_TEST(error->flag == "length_too_large");
        BOOST_TEST(error->offset == std::optional<std::size_t>(4));
    }
}

BOOST_AUTO_TEST_CASE(a_length_no_payload_has_is_refused) {
    for (const std::uint32_t length : {0u, 4u, 13u}) {
        Bytes header;
        append_be32(header, ProtocolInfo::get().header_magic());
        append_be32(header, length);
        StreamDecoder decoder(Direction::server);
        const auto error = decoder.feed(header, [](const StreamDecoder::Frame&) {});
        BOOST_REQUIRE(error.has_value());
        BOOST_TEST(error->flag == "length_mismatch");
    }
}

BOOST_AUTO_TEST_CASE(end_of_stream_inside_a_message_is_truncated) {
    const Stream s = every_arm_stream(Direction::client);
    StreamDecoder decoder(Direction::client);
    std::size_t frames = 0;
    const std::size_t cut = s.messages[0].size() + 5;
    BOOST_TEST(!decoder.feed(ByteView(s.bytes).first(cut), [&](const StreamDecoder::Frame&) { ++frames; }));
    BOOST_TEST(frames == 1u);
    const auto error = decoder.finish();
    BOOST_REQUIRE(error.has_value());
    BOOST_TEST(error->flag == "truncated");
    BOOST_TEST(error->offset == std::optional<std::size_t>(cut));
}
