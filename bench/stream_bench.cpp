// SPDX-License-Identifier: Apache-2.0
// stream_bench.cpp: StreamDecoder reassembly plus cxx decoding of a mixed
// stream (every arm, weighted to small payloads, fixed seed), fed in
// 4 KiB chunks and in 1-byte chunks, against the same messages decoded one
// by one straight from the contiguous buffer (the baseline: no
// reassembly).
//
//   stream/<direction>/chunk:4096, stream/<direction>/chunk:1,
//   contiguous/<direction>
//
// bytes/s counts stream bytes (headers included); items/s counts messages.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "build_context.h"
#include "bench_payloads.h"
#include "codecs/cxx/cxx_codec.h"
#include "runtime/reader.h"  // simd_level
#include "stream/stream_decoder.h"

namespace {

using namespace qemud;

constexpr std::size_t stream_messages = 4000;
constexpr std::uint64_t stream_seed = 0x71E3D5EEDull;

// Decoder holds one reused model object of the direction, as a hot loop
// would, and counts the messages that decoded.
template <class M>
struct Decoder {
    M model;
    std::size_t decoded = 0;
    void payload(ByteView payload) {
        if (!cxx::decode(payload, model)) ++decoded;
    }
};

void count(benchmark::State& state, const bench::MixedStream& s) {
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * s.bytes.size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * s.messages()));
}

template <class M>
void stream(benchmark::State& state, const bench::MixedStream& s, std::size_t chunk) {
    const std::size_t header = ProtocolInfo::get().header_size();
    auto d = std::make_unique<Decoder<M>>();
    for (auto _ : state) {
        d->decoded = 0;
        StreamDecoder reassembler(s.direction);
        const StreamDecoder::FrameHandler on_frame = [&](const StreamDecoder::Frame& frame) {
            d->payload(frame.bytes.subspan(header));
        };
        for (std::size_t at = 0; at < s.bytes.size(); at += chunk) {
            const std::size_t n = std::min(chunk, s.bytes.size() - at);
            if (reassembler.feed(ByteView(s.bytes.data() + at, n), on_frame)) state.SkipWithError("framing error");
        }
        if (reassembler.finish()) state.SkipWithError("stream cut short");
        benchmark::DoNotOptimize(d->decoded);
    }
    if (d->decoded != s.messages()) state.SkipWithError("not every message decoded");
    count(state, s);
}

template <class M>
void contiguous(benchmark::State& state, const bench::MixedStream& s) {
    const std::size_t header = ProtocolInfo::get().header_size();
    auto d = std::make_unique<Decoder<M>>();
    for (auto _ : state) {
        d->decoded = 0;
        for (std::size_t i = 0; i < s.offsets.size(); ++i) {
            const std::size_t end = i + 1 < s.offsets.size() ? s.offsets[i + 1] : s.bytes.size();
            d->payload(ByteView(s.bytes.data() + s.offsets[i] + header, end - s.offsets[i] - header));
        }
        benchmark::DoNotOptimize(d->decoded);
    }
    if (d->decoded != s.messages()) state.SkipWithError("not every message decoded");
    count(state, s);
}

template <class M>
void register_direction(const bench::MixedStream& s) {
    const std::string dir(to_string(s.direction));
    for (const std::size_t chunk : {std::size_t{4096}, std::size_t{1}})
        benchmark::RegisterBenchmark(("stream/" + dir + "/chunk:" + std::to_string(chunk)).c_str(),
                                     [&s, chunk](benchmark::State& state) { stream<M>(state, s, chunk); });
    benchmark::RegisterBenchmark(("contiguous/" + dir).c_str(),
                                 [&s](benchmark::State& state) { contiguous<M>(state, s); });
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    bench::add_build_context();
    // The element kernel level the cxx codec picked (QEMUD_CXX_SIMD can
    // lower it): the per-level table says which run measured which.
    benchmark::AddCustomContext("qemud_cxx_simd", std::string(qemud::wire::to_string(qemud::wire::simd_level())));
    static const bench::MixedStream client = bench::make_mixed_stream(Direction::client, stream_messages, stream_seed);
    static const bench::MixedStream server = bench::make_mixed_stream(Direction::server, stream_messages, stream_seed);
    benchmark::AddCustomContext("stream_messages", std::to_string(stream_messages));
    benchmark::AddCustomContext("client_stream_bytes", std::to_string(client.bytes.size()));
    benchmark::AddCustomContext("server_stream_bytes", std::to_string(server.bytes.size()));
    register_direction<model::qemud_packet_server>(server);
    register_direction<model::qemud_packet_client>(client);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
