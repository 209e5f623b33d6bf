#include "stream_input.h"

#include <algorithm>
#include <sstream>

#include "canonical.h"
#include "compare/differential.h"
#include "policy/policy.h"
#include "stream/stream_decoder.h"

namespace qemud::fuzz {

namespace {

std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

// Run is what one decoder made of a stream: the frames (offset, size) and
// the error it ended with, if any.
struct Run {
    std::vector<std::pair<std::size_t, std::size_t>> frames;
    std::optional<CodecError> error;
    std::string to_string() const {
        std::ostringstream os;
        os << frames.size() << " frames";
        for (const auto& [at, size] : frames) os << " [" << at << "+" << size << "]";
        if (error) os << "; error " << error->flag << " at " << error->offset.value_or(0);
        return os.str();
    }
    bool operator==(const Run& o) const {
        const bool same_error = error.has_value() == o.error.has_value() &&
                                (!error || (error->flag == o.error->flag && error->offset == o.error->offset));
        return frames == o.frames && same_error;
    }
};

template <class OnFrame>
Run run(Direction d, ByteView stream, const std::vector<std::size_t>& chunks, OnFrame&& on_frame) {
    Run r;
    StreamDecoder decoder(d);
    auto handler = [&](const StreamDecoder::Frame& f) {
        r.frames.emplace_back(f.stream_offset, f.bytes.size());
        on_frame(f);
    };
    std::size_t pos = 0;
    for (std::size_t i = 0; pos < stream.size(); ++i) {
        const std::size_t n = std::min(chunks.empty() ? stream.size() : chunks[i % chunks.size()], stream.size() - pos);
        if (auto e = decoder.feed(stream.subspan(pos, n), handler)) {
            r.error = e;
            return r;
        }
        pos += n;
    }
    r.error = decoder.finish();
    return r;
}

std::string title(Direction d, const ArmInfo* arm, std::string_view what) {
    return comparator::title("stream", "", message_kind(d), arm, what);
}

}  // namespace

StreamInput to_parts(ByteView input) {
    StreamInput out;
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
    return out;
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

std::vector<ByteView> split_frames(ByteView stream) {
    std::vector<ByteView> frames;
    std::size_t pos = 0;
    while (pos < stream.size()) {
        std::size_t n = stream.size() - pos;
        if (n >= 8) n = std::min<std::size_t>(n, 8 + std::size_t{be32(stream.data() + pos + 4)});
        frames.push_back(stream.subspan(pos, n));
        pos += n;
    }
    return frames;
}

void check_stream(Direction d, ByteView input) {
    const StreamInput in = to_parts(input);
    const ByteView stream(in.stream);
    const Kind kind = message_kind(d);
    const auto& info = ProtocolInfo::get();

    const Run chunked = run(d, stream, in.chunk_sizes, [&](const StreamDecoder::Frame& f) {
        const bool own_bytes = f.stream_offset + f.bytes.size() <= stream.size() &&
                               std::equal(f.bytes.begin(), f.bytes.end(), stream.begin() + f.stream_offset);
        if (!own_bytes)
            report_finding(title(d, nullptr, "frame-bytes-differ"),
                           "frame at stream offset " + std::to_string(f.stream_offset) + " (" +
                               std::to_string(f.bytes.size()) + " bytes) is not the stream's bytes there");
        const auto c = comparator::classify(kind, f.bytes);
        for (const auto& flag : c.flags)
            if (flag.flag == policy::Flag::bad_magic || flag.flag == policy::Flag::length_too_large)
                report_finding(title(d, c.arm, "frames-bad-header"),
                               "the stream decoder handed out a frame at offset " + std::to_string(f.stream_offset) +
                                   " whose header the policy rejects: " + c.to_string());
        check_wire(kind, f.bytes);
    });

    if (chunked.error && chunked.error->flag != policy::name(policy::Flag::truncated)) {
        // A framing error is decided from the 8 header bytes alone, so it is
        // right only if the policy rejects that header whatever payload
        // follows: a bad magic, a length above the direction's bound, or a
        // length that is no arm's payload size.
        const std::size_t at = chunked.error->offset.value_or(0);
        const std::size_t start = chunked.error->path == "length" ? at - 4 : at;
        bool header_rejected = start + 8 > stream.size();
        if (!header_rejected) {
            const std::uint32_t magic = be32(stream.data() + start);
            const std::uint32_t length = be32(stream.data() + start + 4);
            header_rejected = policy::check_magic(magic).has_value() || length > info.max_payload(d) ||
                              std::none_of(info.arms(d).begin(), info.arms(d).end(),
                                           [&](const ArmInfo& a) { return a.payload_size == length; });
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
    if (stream.size() <= 2 * (info.header_size() + info.max_payload(d))) compare_with({1}, "one byte at a time");
}

}  // namespace qemud::fuzz
