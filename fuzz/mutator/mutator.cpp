// SPDX-License-Identifier: Apache-2.0
#include "mutator.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "framing/framing.h"
#include "payload_mutator.h"
#include "stream/stream_input.h"

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

namespace qemud::fuzz {

namespace {

const ProtocolInfo& info() { return ProtocolInfo::get(); }

std::optional<Direction> direction_of(Surface s) {
    switch (s) {
        case Surface::client_payload:
        case Surface::client_stream: return Direction::client;
        case Surface::server_payload:
        case Surface::server_stream: return Direction::server;
        case Surface::header: return std::nullopt;
    }
    return std::nullopt;
}

// The messages of an input are framed in one profile: the stream's (its
// first header tells it), and for the header target a random one.
Bytes header_bytes(const FramingProfile& p, std::uint32_t constant, std::uint32_t length) {
    Bytes h(p.header_size());
    p.write({constant, length}, h.data());
    return h;
}

Bytes framed(const FramingProfile& p, ByteView payload) { return p.frame(payload); }

// payload_direction guesses which direction a framed payload is meant for:
// the one whose arm it holds, else a random one.
Direction payload_direction(ByteView payload, Rng& rng) {
    if (arm_of(Direction::client, payload)) return Direction::client;
    if (arm_of(Direction::server, payload)) return Direction::server;
    return rng() % 2 ? Direction::client : Direction::server;
}

// mutate_message changes one thing in a framed message (header and
// payload): the magic, the length, or (most often) the payload, whose
// length word then follows it unless the length is the thing made
// inconsistent. `d` fixes the direction (stream targets); nullopt guesses.
std::optional<Bytes> mutate_message(const FramingProfile& fp, ByteView m, std::optional<Direction> d, Rng& rng) {
    if (m.size() < 8) {
        if (rng() % 2) return std::nullopt;
        const Direction dir = d ? *d : (rng() % 2 ? Direction::client : Direction::server);
        return framed(fp, sample_payload(dir, rng));
    }
    Bytes out(m.begin(), m.end());
    const ByteView payload = m.subspan(8);
    switch (rng() % 8) {
        case 0: {  // magic or program number: one bit off, or the right one back
            const std::uint32_t magic = fp.constant();
            store32(out.data() + fp.constant_offset(), rng() % 2 ? magic ^ (1u << (rng() % 32)) : magic);
            return out;
        }
        case 1: {  // length: another arm's size, off by a little, past the bound
            const Direction dir = d ? *d : payload_direction(payload, rng);
            const auto& arms = info().arms(dir);
            const std::uint32_t sizes[] = {fp.length_for(arms[rng() % arms.size()].payload_size),
                                           fp.length_for(payload.size() + 4),
                                           fp.length_for(payload.size() - 4),
                                           fp.length_for(payload.size() + 1),
                                           fp.max_length(dir),
                                           fp.max_length(dir) + 4,
                                           fp.max_bare_length() + 4,
                                           0,
                                           7,
                                           0xffffffff};
            store32(out.data() + fp.length_offset(), sizes[rng() % std::size(sizes)]);
            return out;
        }
        case 2: {  // append a whole sample message's payload or cut the message
            if (rng() % 2) {
                out.resize(8);
                return out;
            }
            const Direction dir = d ? *d : (rng() % 2 ? Direction::client : Direction::server);
            return framed(fp, sample_payload(dir, rng));
        }
        default: {
            const Direction dir = d ? *d : payload_direction(payload, rng);
            auto p = mutate_payload(dir, payload, rng);
            if (!p) return std::nullopt;
            // The length follows the payload, except now and then.
            const HeaderWords words = fp.read(m.data());
            const std::uint32_t length = rng() % 8 ? fp.length_for(p->size()) : words.length;
            Bytes result = header_bytes(fp, words.constant, length);
            result.insert(result.end(), p->begin(), p->end());
            return result;
        }
    }
}

std::vector<std::size_t> rechunk(std::size_t stream_size, Rng& rng) {
    constexpr std::size_t fixed[] = {1, 2, 3, 4, 5, 7, 8, 9, 12, 64, 4096};
    switch (rng() % 4) {
        case 0: return {std::max<std::size_t>(stream_size, 1)};
        case 1: return {fixed[rng() % std::size(fixed)]};
        default: {
            std::vector<std::size_t> sizes(1 + rng() % 8);
            for (auto& s : sizes) s = 1 + rng() % (rng() % 2 ? 16 : 2048);
            return sizes;
        }
    }
}

std::optional<Bytes> mutate_stream(Direction d, ByteView input, Rng& rng) {
    StreamInput in = to_parts(input);
    const FramingProfile& fp = framing_profile(stream_framing(in.stream));
    std::vector<Bytes> frames;
    for (const auto f : split_frames(in.stream)) frames.emplace_back(f.begin(), f.end());
    std::vector<std::size_t> chunks = in.chunk_sizes;
    switch (rng() % 8) {
        case 0: chunks = rechunk(in.stream.size(), rng); break;
        case 1:  // add a sample message somewhere
            frames.insert(frames.begin() + (frames.empty() ? 0 : rng() % (frames.size() + 1)),
                          framed(fp, sample_payload(d, rng)));
            break;
        case 2:  // drop or repeat a message
            if (frames.empty()) return std::nullopt;
            if (rng() % 2) {
                frames.erase(frames.begin() + rng() % frames.size());
            } else {
                const std::size_t i = rng() % frames.size();
                frames.insert(frames.begin() + i, frames[i]);
            }
            break;
        default: {  // change one message
            if (frames.empty()) return std::nullopt;
            const std::size_t i = rng() % frames.size();
            auto m = mutate_message(fp, frames[i], d, rng);
            if (!m) return std::nullopt;
            frames[i] = std::move(*m);
        }
    }
    Bytes stream;
    for (const auto& f : frames) stream.insert(stream.end(), f.begin(), f.end());
    return from_parts(stream, chunks);
}

std::size_t fallback(std::uint8_t* data, std::size_t size, std::size_t max_size) {
    return LLVMFuzzerMutate(data, size, max_size);
}

std::size_t emit(const Bytes& bytes, std::uint8_t* out) {
    if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());  // data() may be null when empty
    return bytes.size();
}

// splice: the first k words of a, the rest of b from the same offset.
Bytes splice(ByteView a, ByteView b, Rng& rng) {
    const std::size_t words = std::min(a.size(), b.size()) / 4;
    const std::size_t k = 4 * (words ? rng() % (words + 1) : 0);
    Bytes out(a.begin(), a.begin() + std::min(k, a.size()));
    if (k < b.size()) out.insert(out.end(), b.begin() + k, b.end());
    return out;
}

}  // namespace

std::optional<Surface> surface_from_name(std::string_view name) {
    if (name.ends_with("_fuzzer")) name.remove_suffix(7);
    if (name.ends_with("_plain")) name.remove_suffix(6);
    // qemud-cli's target reads a server stream in the same format.
    if (name == "client_reply") return Surface::server_stream;
    if (name == "header") return Surface::header;
    if (name == "client_payload") return Surface::client_payload;
    if (name == "server_payload") return Surface::server_payload;
    // The dynamic codec's targets read payloads too.
    if (name == "client_dynamic") return Surface::client_payload;
    if (name == "server_dynamic") return Surface::server_payload;
    if (name == "client_stream") return Surface::client_stream;
    if (name == "server_stream") return Surface::server_stream;
    // The daemon's conversation target reads a client stream in the same format.
    if (name == "server_dispatch") return Surface::client_stream;
    return std::nullopt;
}

std::size_t mutate(Surface surface, std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed) {
    Rng rng(seed);
    // A fifth of the time, libFuzzer's byte mutations anyway: the mutator
    // must not make inputs it cannot parse unreachable.
    if (rng() % 5 == 0) return fallback(data, size, max_size);
    const ByteView input(data, size);
    std::optional<Bytes> out;
    switch (surface) {
        case Surface::header:
            out = mutate_message(framing_profile(all_framings[rng() % all_framings.size()]), input, std::nullopt, rng);
            break;
        case Surface::client_payload:
        case Surface::server_payload: out = mutate_payload(*direction_of(surface), input, rng); break;
        case Surface::client_stream:
        case Surface::server_stream: out = mutate_stream(*direction_of(surface), input, rng); break;
    }
    if (!out || out->size() > max_size) return fallback(data, size, max_size);
    return emit(*out, data);
}

std::size_t cross_over(Surface surface, const std::uint8_t* data1, std::size_t size1, const std::uint8_t* data2,
                       std::size_t size2, std::uint8_t* out, std::size_t max_out, unsigned seed) {
    Rng rng(seed);
    const ByteView a(data1, size1), b(data2, size2);
    Bytes child;
    switch (surface) {
        case Surface::header:
            if (a.size() >= 8 && b.size() >= 8 && rng() % 2) {
                child = Bytes(a.begin(), a.begin() + 8);  // a's header, b's payload
                child.insert(child.end(), b.begin() + 8, b.end());
                if (rng() % 2) store32(child.data() + 4, static_cast<std::uint32_t>(b.size() - 8));
            } else {
                child = splice(a, b, rng);
            }
            break;
        case Surface::client_payload:
        case Surface::server_payload: {
            const Direction d = *direction_of(surface);
            const ArmInfo* arm_a = arm_of(d, a);
            const ArmInfo* arm_b = arm_of(d, b);
            if (arm_a && arm_b && arm_a != arm_b && rng() % 2) {
                const std::size_t prefix = info().payload_prefix_size(d);
                child = Bytes(b.begin(), b.end());  // b's arm under a's serial
                std::copy_n(a.begin(), prefix, child.begin());
            } else {
                child = splice(a, b, rng);
            }
            break;
        }
        case Surface::client_stream:
        case Surface::server_stream: {
            const StreamInput sa = to_parts(a), sb = to_parts(b);
            const auto fa = split_frames(sa.stream), fb = split_frames(sb.stream);
            const std::size_t i = fa.empty() ? 0 : rng() % (fa.size() + 1);
            const std::size_t j = fb.empty() ? 0 : rng() % (fb.size() + 1);
            Bytes stream;
            for (std::size_t k = 0; k < i; ++k) stream.insert(stream.end(), fa[k].begin(), fa[k].end());
            for (std::size_t k = j; k < fb.size(); ++k) stream.insert(stream.end(), fb[k].begin(), fb[k].end());
            child = from_parts(stream, rng() % 2 ? sa.chunk_sizes : sb.chunk_sizes);
            break;
        }
    }
    if (child.size() > max_out) child.resize(max_out);
    return emit(child, out);
}

}  // namespace qemud::fuzz
