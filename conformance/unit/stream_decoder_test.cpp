// SPDX-License-Identifier: Apache-2.0
// stream_decoder_test.cpp: messages come out whole and in order whatever
// the chunking, in every framing profile and with the profile detected;
// framing errors come out with their stream offset.
#define BOOST_TEST_MODULE stream_decoder
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>
#include <tuple>

#include "codecs/registry.h"
#include "framing/framing.h"
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
Stream every_arm_stream(Direction d, Framing framing = Framing::seed) {
    Stream s;
    for (const auto& arm : ProtocolInfo::get().arms(d))
        for (const auto plan : samples::all_plans) {
            auto encoded = reference_codec().encode(message_kind(d), samples::payload_value(arm, plan), framing);
            BOOST_REQUIRE_MESSAGE(encoded.ok(), describe(encoded));
            Bytes m = std::move(encoded.value());
            s.bytes.insert(s.bytes.end(), m.begin(), m.end());
            s.messages.push_back(std::move(m));
        }
    return s;
}

// feed_in_chunks feeds bytes to `decoder` in chunks of next_size().
std::vector<Bytes> feed_in_chunks(StreamDecoder& decoder, const Bytes& bytes,
                                  const std::function<std::size_t()>& next_size) {
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

std::vector<Bytes> feed_in_chunks(Direction d, const Bytes& bytes, const std::function<std::size_t()>& next_size,
                                  Framing framing = Framing::seed) {
    StreamDecoder decoder(d, framing);
    return feed_in_chunks(decoder, bytes, next_size);
}

}  // namespace

BOOST_AUTO_TEST_CASE(any_chunking_yields_the_same_messages) {
    for (const Framing f : all_framings)
        for (const Direction d : all_directions) {
            const Stream s = every_arm_stream(d, f);
            for (const std::size_t fixed : {std::size_t{1}, std::size_t{3}, std::size_t{8}, std::size_t{4096},
                                            s.bytes.size()}) {
                BOOST_TEST_CONTEXT(to_string(f) << " " << to_string(d) << " chunks of " << fixed) {
                    BOOST_TEST((feed_in_chunks(d, s.bytes, [&] { return fixed; }, f) == s.messages));
                }
            }
            std::mt19937 rng(1234);
            std::uniform_int_distribution<std::size_t> size(1, 30000);
            BOOST_TEST((feed_in_chunks(d, s.bytes, [&] { return size(rng); }, f) == s.messages));
        }
}

BOOST_AUTO_TEST_CASE(every_frame_decodes_with_every_codec) {
    for (const Framing f : all_framings) {
        const Stream s = every_arm_stream(Direction::server, f);
        const auto frames = feed_in_chunks(Direction::server, s.bytes, [] { return std::size_t{7}; }, f);
        BOOST_TEST(frames.size() == s.messages.size());
        for (const Codec* codec : all_codecs())
            for (const auto& frame : frames) BOOST_TEST(codec->decode(Kind::server_message, frame, f).ok());
    }
}

BOOST_AUTO_TEST_CASE(a_detecting_decoder_tells_the_profile_from_the_first_header) {
    for (const Framing f : all_framings)
        for (const std::size_t chunk : {std::size_t{1}, std::size_t{5}, std::size_t{65536}}) {
            BOOST_TEST_CONTEXT(to_string(f) << " chunks of " << chunk) {
                const Stream s = every_arm_stream(Direction::client, f);
                StreamDecoder decoder = StreamDecoder::detecting(Direction::client);
                BOOST_TEST(!decoder.framing().has_value());
                BOOST_TEST((feed_in_chunks(decoder, s.bytes, [&] { return chunk; }) == s.messages));
                BOOST_TEST(decoder.framing() == std::optional<Framing>(f));
            }
        }
}

BOOST_AUTO_TEST_CASE(a_first_header_of_no_profile_or_of_both_names_both_readings) {
    // Neither word is 0x20001A64; then both are.
    for (const auto& [w1, w2, what] : {std::tuple{0x00000010u, 0x00000008u, "no profile's"},
                                      std::tuple{0x20001A64u, 0x20001A64u, "ambiguous"}}) {
        BOOST_TEST_CONTEXT(what) {
            Bytes header;
            append_be32(header, w1);
            append_be32(header, w2);
            StreamDecoder decoder = StreamDecoder::detecting(Direction::server);
            const auto error = decoder.feed(header, [](const StreamDecoder::Frame&) { BOOST_FAIL("no frame"); });
            BOOST_REQUIRE(error.has_value());
            BOOST_TEST(error->message.find(what) != std::string::npos, error->message);
            BOOST_TEST(error->message.find("seed reads") != std::string::npos, error->message);
            BOOST_TEST(error->message.find("libvirt-0.3 reads") != std::string::npos, error->message);
            BOOST_TEST(error->offset == std::optional<std::size_t>(0));
        }
    }
}

BOOST_AUTO_TEST_CASE(a_seed_header_in_a_libvirt_stream_is_refused_by_its_program_word) {
    // The seed header of the same payload: word 2 holds the payload length,
    // not the program number.
    const Stream seed = every_arm_stream(Direction::client, Framing::seed);
    StreamDecoder decoder(Direction::client, Framing::libvirt_0_3);
    const auto error = decoder.feed(seed.bytes, [](const StreamDecoder::Frame&) { BOOST_FAIL("no frame"); });
    BOOST_REQUIRE(error.has_value());
    BOOST_TEST(error->flag == "bad_magic");
    BOOST_TEST(error->offset == std::optional<std::size_t>(4));
    BOOST_TEST(error->message.find("program number") != std::string::npos, error->message);
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
    for (const Framing f : all_framings)
        for (const Direction d : all_directions) {
            const FramingProfile& p = framing_profile(f);
            Bytes header(8);
            p.write({p.constant(), p.max_length(d) + 4}, header.data());
            StreamDecoder decoder(d, f);
            const auto error = decoder.feed(header, [](const StreamDecoder::Frame&) { BOOST_FAIL("no frame"); });
            BOOST_REQUIRE(error.has_value());
            BOOST_TEST(error->flag == "length_too_large");
            BOOST_TEST(error->offset == std::optional<std::size_t>(p.length_offset()));
        }
}

BOOST_AUTO_TEST_CASE(a_length_no_payload_has_is_refused) {
    for (const Framing f : all_framings)
        for (const std::uint32_t length : {0u, 4u, 8u, 13u}) {
            const FramingProfile& p = framing_profile(f);
            Bytes header(8);
            p.write({p.constant(), length}, header.data());
            StreamDecoder decoder(Direction::server, f);
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

BOOST_AUTO_TEST_CASE(reset_starts_a_new_stream_as_the_decoder_was_made) {
    // A detecting decoder, broken and mid-message, then reset: it detects
    // the next stream's profile afresh and reads it whole from offset 0.
    const Stream seed = every_arm_stream(Direction::client, Framing::seed);
    const Stream libvirt = every_arm_stream(Direction::client, Framing::libvirt_0_3);
    StreamDecoder decoder = StreamDecoder::detecting(Direction::client);
    Bytes broken = seed.bytes;
    put_be32(broken, seed.messages[0].size(), 0xDEADBEEF);
    BOOST_TEST(decoder.feed(broken, [](const StreamDecoder::Frame&) {}).has_value());
    decoder.reset();
    BOOST_TEST(!decoder.broken());
    BOOST_TEST(!decoder.framing().has_value());
    BOOST_TEST((feed_in_chunks(decoder, libvirt.bytes, [] { return std::size_t{5}; }) == libvirt.messages));
    BOOST_TEST(decoder.framing() == std::optional<Framing>(Framing::libvirt_0_3));
    // Cut short, then reset: the partial message is gone.
    BOOST_TEST(!decoder.feed(ByteView(seed.bytes).first(3), [](const StreamDecoder::Frame&) {}).has_value());
    decoder.reset();
    BOOST_TEST((feed_in_chunks(decoder, seed.bytes, [] { return std::size_t{4096}; }) == seed.messages));
    BOOST_TEST(decoder.framing() == std::optional<Framing>(Framing::seed));
    // A decoder of a fixed profile keeps it.
    StreamDecoder fixed(Direction::client, Framing::libvirt_0_3);
    BOOST_TEST(fixed.feed(seed.bytes, [](const StreamDecoder::Frame&) {}).has_value());
    fixed.reset();
    BOOST_TEST(fixed.framing() == std::optional<Framing>(Framing::libvirt_0_3));
    BOOST_TEST((feed_in_chunks(fixed, libvirt.bytes, [] { return std::size_t{1}; }) == libvirt.messages));
}

namespace {

// Delivered is what a feed handed out: the frame's stream offset and size,
// whether its bytes are the stream's at that offset, and whether they were
// handed out from the chunk itself (where the chunk holds them) rather
// than from the decoder's buffer. Sizes, not copies, so that a stream can
// be cut at every byte in little time.
struct Delivered {
    std::size_t offset = 0;
    std::size_t size = 0;
    bool same_bytes = true;
    bool from_chunk = false;
    bool operator==(const Delivered&) const = default;
};

// feed_parts feeds `bytes` cut at `cuts` (ascending, inside the stream),
// one feed per part, and returns the frames in order.
std::vector<Delivered> feed_parts(Direction d, Framing f, const Bytes& bytes, const std::vector<std::size_t>& cuts) {
    StreamDecoder decoder(d, f);
    std::vector<Delivered> out;
    std::size_t from = 0;
    for (std::size_t i = 0; i <= cuts.size(); ++i) {
        const std::size_t to = i < cuts.size() ? cuts[i] : bytes.size();
        const ByteView part = ByteView(bytes).subspan(from, to - from);
        const auto error = decoder.feed(part, [&](const StreamDecoder::Frame& frame) {
            const std::size_t at = frame.stream_offset, size = frame.bytes.size();
            out.push_back({at, size,
                           at + size <= bytes.size() && std::ranges::equal(frame.bytes, ByteView(bytes).subspan(at, size)),
                           at >= from && frame.bytes.data() == part.data() + (at - from)});
        });
        BOOST_REQUIRE_MESSAGE(!error, describe(error));
        from = to;
    }
    BOOST_TEST(!decoder.finish().has_value());
    return out;
}

// framed_stream concatenates messages and gives what one feed of it hands
// out: every message at its offset, from the chunk.
std::pair<Bytes, std::vector<Delivered>> framed_stream(const std::vector<const Bytes*>& messages) {
    Bytes bytes;
    std::vector<Delivered> frames;
    for (const Bytes* m : messages) {
        frames.push_back({bytes.size(), m->size(), true, true});
        bytes.insert(bytes.end(), m->begin(), m->end());
    }
    return {std::move(bytes), std::move(frames)};
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_frame_inside_a_chunk_comes_from_the_chunk_and_one_across_chunks_is_gathered) {
    // One feed of the whole every-arm stream hands out every message from
    // the stream itself (no copy). Then a stream of the smallest message,
    // the largest, the smallest, a middle-sized one, cut in two at every
    // byte: the same frames at the same offsets, each one wholly inside a
    // part handed out from that part, and the one the cut splits (inside its
    // header, at its header's end, inside its payload) gathered whole.
    for (const Framing f : all_framings)
        for (const Direction d : all_directions) {
            BOOST_TEST_CONTEXT(to_string(f) << " " << to_string(d)) {
                const Stream s = every_arm_stream(d, f);
                std::vector<const Bytes*> all;
                for (const Bytes& m : s.messages) all.push_back(&m);
                const auto [whole, whole_frames] = framed_stream(all);
                BOOST_TEST((feed_parts(d, f, whole, {}) == whole_frames));

                std::ranges::sort(all, {}, [](const Bytes* m) { return m->size(); });
                const auto [bytes, one_shot] = framed_stream({all.front(), all.back(), all.front(), all[all.size() / 2]});
                BOOST_TEST((feed_parts(d, f, bytes, {}) == one_shot));
                std::size_t mismatches = 0;
                for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
                    std::vector<Delivered> expected = one_shot;
                    for (Delivered& e : expected) e.from_chunk = !(e.offset < cut && cut < e.offset + e.size);
                    if (feed_parts(d, f, bytes, {cut}) != expected && ++mismatches <= 3)
                        BOOST_ERROR("cut at byte " << cut << " gives other frames");
                }
                BOOST_TEST(mismatches == 0u);
            }
        }
}

BOOST_AUTO_TEST_CASE(a_framing_error_reads_the_same_however_its_header_is_cut) {
    // A bad second header, and a length too large in the third: the error
    // (flag, offset, message) and the frames before it are those of one
    // feed, wherever a cut falls, also inside the bad header.
    for (const Framing f : all_framings) {
        const FramingProfile& p = framing_profile(f);
        Stream s = every_arm_stream(Direction::client, f);
        const std::size_t second = s.messages[0].size(), third = second + s.messages[1].size();
        for (const auto& [at, words] :
             {std::pair{second, HeaderWords{0xDEADBEEF, p.read(s.messages[1].data()).length}},
              std::pair{third, HeaderWords{p.constant(), p.max_length(Direction::client) + 4}}}) {
            Bytes bytes = s.bytes;
            p.write(words, bytes.data() + at);
            auto run = [&](std::size_t cut, std::size_t& frames) {
                StreamDecoder decoder(Direction::client, f);
                frames = 0;
                auto error = decoder.feed(ByteView(bytes).first(cut), [&](const StreamDecoder::Frame&) { ++frames; });
                if (!error)
                    error = decoder.feed(ByteView(bytes).subspan(cut), [&](const StreamDecoder::Frame&) { ++frames; });
                return error;
            };
            std::size_t one_shot_frames = 0;
            const auto one_shot = run(bytes.size(), one_shot_frames);
            BOOST_REQUIRE(one_shot.has_value());
            BOOST_TEST(one_shot->offset.has_value());
            for (std::size_t cut = 1; cut < at + 8 + 4; ++cut) {
                std::size_t frames = 0;
                const auto error = run(cut, frames);
                BOOST_REQUIRE(error.has_value());
                BOOST_TEST_CONTEXT(to_string(f) << " bad header at " << at << ", cut at " << cut) {
                    BOOST_TEST(error->flag == one_shot->flag);
                    BOOST_TEST(error->offset == one_shot->offset);
                    BOOST_TEST(error->message == one_shot->message);
                    BOOST_TEST(frames == one_shot_frames);
                }
            }
        }
    }
}
