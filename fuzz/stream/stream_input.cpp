// SPDX-License-Identifier: Apache-2.0
#include "stream_input.h"

#include <algorithm>
#include <sstream>

#include "canonical.h"
#include "compare/differential.h"
#include "framing/framing.h"
#include "policy/policy.h"
#include "stream/stream_decoder.h"

namespace qemud::fuzz {

namespace {

// Run is what one decoder made of a stream: the frames (offset, size) and
// the error it ended with, if any.
struct Run {
    std::vector<std::pair<std::size_t, std::size_t>> frames;
    std::optional<CodecError> error;
    std::optional<Framing> framing;  // what the decoder detected
    std::string to_string() const {
        std::ostringstream os;
        os << frames.size() << " frames";
        for (const auto& [at, size] : frames) os << " [" << at << "+" << size << "]";
        if (error) os << "; error " << error->flag << " at " << error->offset.value_or(0);
        if (framing) os << "; framing " << qemud::to_string(*framing);
        return os.str();
    }
    bool operator==(const Run& o) const {
        const bool same_error = error.has_value() == o.error.has_value() &&
                                (!error || (error->flag == o.error->flag && error->offset == o.error->offset));
        return frames == o.frames && same_error && framing == o.framing;
    }
};

// decoder: a detecting decoder of direction d, reset for a new stream. The
// same one serves every run (its buffer is the largest message's size:
// allocating it per run was most of a run's cost).
StreamDecoder& decoder_for(Direction d) {
    static StreamDecoder client = StreamDecoder::detecting(Direction::client);
    static StreamDecoder server = StreamDecoder::detecting(Direction::server);
    StreamDecoder& decoder = d == Direction::client ? client : server;
    decoder.reset();
    return decoder;
}

template <class OnFrame>
Run run(Direction d, ByteView stream, const std::vector<std::size_t>& chunks, OnFrame&& on_frame) {
    Run r;
    StreamDecoder& decoder = decoder_for(d);
    auto handler = [&](const StreamDecoder::Frame& f) {
        r.frames.emplace_back(f.stream_offset, f.bytes.size());
        on_frame(f);
    };
    std::size_t pos = 0;
    for (std::size_t i = 0; pos < stream.size(); ++i) {
        const std::size_t n = std::min(chunks.empty() ? stream.size() : chunks[i % chunks.size()], stream.size() - pos);
        if (auto e = decoder.feed(stream.subspan(pos, n), handler)) {
            r.error = e;
            r.framing = decoder.framing();
            return r;
        }
        pos += n;
    }
    r.error = decoder.finish();
    r.framing = decoder.framing();
    return r;
}

std::string title(Direction d, const ArmInfo* arm, std::string_view what) {
    return comparator::title("stream", "", message_kind(d), arm, what);
}

}  // namespace

StreamInput to_parts(ByteView input) {
    StreamInput out;
    to_parts_into(input, out);
    return out;
}

void to_parts_into(ByteView input, StreamInput& out) {
    out.chunk_sizes.clear();
    out.stream.clear();
    std::size_t pos = 0;
    while (pos + 2 <= input.size()) {
        const std::size_t want = (std::size_t{input[pos]} << 8) | input[pos + 1];
        pos += 2;
        const std::size_t n = std::min(want, input.size() - pos);
        if (n == 0) continue;
        out.chunk_sizes.push_back(n);
        out.stream.insert(out.stream.end(), input.begin() + pos, input.begin() + pos + n);
        pos += n;
    }
}

Bytes from_parts(ByteView stream, const std::vector<std::size_t>& chunk_sizes) {
    Bytes out;
    std::size_t pos = 0;
    for (std::size_t i = 0; pos < stream.size(); ++i) {
        std::size_t n = chunk_sizes.empty() ? stream.size() : chunk_sizes[i % chunk_sizes.size()];
        n = std::clamp<std::size_t>(n, 1, 65535);
        n = std::min(n, stream.size() - pos);
        out.push_back(static_cast<std::uint8_t>(n >> 8));
        out.push_back(static_cast<std::uint8_t>(n));
        out.insert(out.end(), stream.begin() + pos, stream.begin() + pos + n);
        pos += n;
    }
    return out;
}

Framing stream_framing(ByteView stream) {
    const auto detected = detect_framing(stream.first(std::min<std::size_t>(stream.size(), 8)));
    return detected.ok() ? detected.value() : Framing::seed;
}

std::vector<ByteView> split_frames(ByteView stream) {
    const FramingProfile& p = framing_profile(stream_framing(stream));
    std::vector<ByteView> frames;
    std::size_t pos = 0;
    while (pos < stream.size()) {
        std::size_t n = stream.size() - pos;
        if (n >= p.header_size()) {
            // A length below its own header (libvirt-0.3) ends the frame at the header.
            const std::uint32_t length = p.read(stream.data() + pos).length;
            const std::size_t payload = length >= p.length_bias() ? length - p.length_bias() : 0;
            n = std::min<std::size_t>(n, p.header_size() + payload);
        }
        frames.push_back(stream.subspan(pos, n));
        pos += n;
    }
    return frames;
}

void check_stream(Direction d, ByteView input) {
    static StreamInput in;  // reused: the stream is up to 64 KiB
    to_parts_into(input, in);
    const ByteView stream(in.stream);
    const Kind kind = message_kind(d);
    const auto& info = ProtocolInfo::get();
    // The profile is known once a frame is out: the first header told it.
    std::optional<Framing> framing_once;

    const Run chunked = run(d, stream, in.chunk_sizes, [&](const StreamDecoder::Frame& f) {
        const bool own_bytes = f.stream_offset + f.bytes.size() <= stream.size() &&
                               std::equal(f.bytes.begin(), f.bytes.end(), stream.begin() + f.stream_offset);
        if (!own_bytes)
            report_finding(title(d, nullptr, "frame-bytes-differ"),
                           "frame at stream offset " + std::to_string(f.stream_offset) + " (" +
                               std::to_string(f.bytes.size()) + " bytes) is not the stream's bytes there");
        if (!framing_once) framing_once = stream_framing(stream);
        const Framing framing = *framing_once;
        // The policy's header rules (classify_header's), without reading
        // the payload: check_wire classifies the whole frame next.
        const FramingProfile& p = framing_profile(framing);
        bool bad_header = false;
        if (f.bytes.size() >= p.header_size()) {
            const HeaderWords words = p.read(f.bytes.data());
            bad_header = !p.constant_ok(words) || p.framed_length_flag(d, words.length) == policy::Flag::length_too_large;
        }
        if (bad_header) {
            const auto c = comparator::classify(kind, f.bytes, framing);
            report_finding(title(d, c.arm, "frames-bad-header"),
                           "the stream decoder handed out a frame at offset " + std::to_string(f.stream_offset) +
                               " whose " + std::string(to_string(framing)) +
                               " header the policy rejects: " + c.to_string());
        }
        check_wire(kind, f.bytes, framing);
    });

    if (chunked.error && chunked.error->flag != policy::name(policy::Flag::truncated)) {
        // A framing error is decided from the 8 header bytes alone, so it is
        // right only if the policy rejects that header whatever payload
        // follows: a first header no profile reads (detection), a bad
        // constant, a length above the direction's bound, or a length that is
        // no arm's message length in the profile.
        const std::size_t at = chunked.error->offset.value_or(0);
        bool header_rejected = !chunked.framing;  // detection refused the first header
        if (!header_rejected) {
            const FramingProfile& p = framing_profile(*chunked.framing);
            const std::string& path = chunked.error->path;
            const std::size_t start = path == p.length_member()     ? at - p.length_offset()
                                      : path == p.constant_member() ? at - p.constant_offset()
                                                                    : at;
            header_rejected = start + p.header_size() > stream.size();
            if (!header_rejected) {
                const HeaderWords w = p.read(stream.data() + start);
                header_rejected = !p.constant_ok(w) || w.length > p.max_length(d) ||
                                  std::none_of(info.arms(d).begin(), info.arms(d).end(), [&](const ArmInfo& a) {
                                      return p.length_for(a.payload_size) == w.length;
                                  });
            }
        }
        if (!header_rejected)
            report_finding(title(d, nullptr, "stream-rejects-valid"),
                           "the stream decoder failed (" + chunked.error->to_string() + " [" + chunked.error->flag +
                               "]) on a header the policy accepts for some payload");
    }
    // Without a framing error every byte is in a frame or in the cut-off tail.
    if (!chunked.error) {
        const std::size_t framed = chunked.frames.empty() ? 0 : chunked.frames.back().first + chunked.frames.back().second;
        if (framed != stream.size())
            report_finding(title(d, nullptr, "stream-loses-bytes"),
                           "frames cover " + std::to_string(framed) + " of " + std::to_string(stream.size()) +
                               " bytes and finish() reports nothing");
    }

    auto compare_with = [&](const std::vector<std::size_t>& chunks, const char* how) {
        const Run other = run(d, stream, chunks, [](const StreamDecoder::Frame&) {});
        if (!(other == chunked))
            report_finding(title(d, nullptr, "chunking-disagrees"),
                           std::string("input chunks: ") + chunked.to_string() + "\n" + how + ": " + other.to_string());
    };
    compare_with({}, "one chunk");
    // One byte at a time costs a call per byte: it is the tiered oracle's
    // full check of a stream, on the first stream of each signature (the
    // direction, the profile, the error's flag, up to 8 frames) and on the
    // sample (differential.h). The input's own chunks, which the fuzzer
    // chooses down to single bytes, meet one chunk on every input.
    const std::uint64_t signature = (0x5354524541Dull << 16) ^ (static_cast<std::uint64_t>(d) << 12) ^
                                    (static_cast<std::uint64_t>(chunked.framing ? 1 + static_cast<int>(*chunked.framing) : 0) << 8) ^
                                    (std::min<std::uint64_t>(chunked.frames.size(), 8) << 4) ^
                                    (chunked.error ? std::hash<std::string>{}(chunked.error->flag) << 20 : 0);
    if (stream.size() <= 2 * (info.header_size() + info.max_payload(d)) && full_check_due(signature))
        compare_with({1}, "one byte at a time");
}

}  // namespace qemud::fuzz
