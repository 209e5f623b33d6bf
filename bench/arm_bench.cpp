// SPDX-License-Identifier: Apache-2.0
// arm_bench.cpp: the dynamic codec against rpcgen / libtirpc on every arm
// of both directions, encode and decode, so that the per-call fixed cost
// of the small arms shows (codec_bench measures four representative
// payloads only).
//
//   arm/decode/rpcgen/<ARM>, arm/decode/dynamic/<ARM>,
//   arm/encode/rpcgen/<ARM>, arm/encode/dynamic/<ARM>
//   arm/floor/json_copy/<ARM>, arm/new_json/dynamic/<ARM>
//
// Decode compares like with like: rpcgen decodes into one reused C struct
// and dynamic into one reused Json (Codec::decode_into), which it
// overwrites in place when it already holds the arm, as a caller decoding
// message after message would. new_json is Codec::decode, which returns a
// new Json per call, and json_copy its floor: copying the arm's decoded
// value and destroying it, which allocates every object, member node and
// long string such a decode must allocate, with no wire read and no map
// lookup. On the smallest arms that floor alone is over 10x rpcgen, which
// is why decode_into exists (reference/codecs/dynamic/README.md, "Speed").
//
// Values are conformance/support's sample values (plan `realistic`), the
// wire is the cxx codec's (bench_payloads.h). The two implementations of
// an arm are registered next to each other so that they run back to back;
// bench/arm_ratios.py divides their medians.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "bench_payloads.h"
#include "build_context.h"
#include "codecs/registry.h"
// Last: rpcgen's header #defines the protocol's constants.
#include <rpc/rpc.h>
#include "protocol.h"

namespace {

using namespace qemud;
using bench::Payload;

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "arm_bench: %s\n", message.c_str());
    std::exit(2);
}

void count(benchmark::State& state, const Payload& p) {
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * p.wire.size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

template <class C>
bool_t rpcgen_proc(XDR* x, C* v);
template <>
bool_t rpcgen_proc(XDR* x, qemud_packet_client* v) { return xdr_qemud_packet_client(x, v); }
template <>
bool_t rpcgen_proc(XDR* x, qemud_packet_server* v) { return xdr_qemud_packet_server(x, v); }

// One xdrmem stream per call, as codec_bench measures libtirpc.
template <class C>
bool rpcgen_decode(const Bytes& wire, C& out) {
    XDR x;
    xdrmem_create(&x, reinterpret_cast<char*>(const_cast<std::uint8_t*>(wire.data())),
                  static_cast<u_int>(wire.size()), XDR_DECODE);
    const bool ok = rpcgen_proc(&x, &out) && xdr_getpos(&x) == wire.size();
    xdr_destroy(&x);
    return ok;
}

template <class C>
bool rpcgen_encode(const C& value, Bytes& out) {
    XDR x;
    xdrmem_create(&x, reinterpret_cast<char*>(out.data()), static_cast<u_int>(out.size()), XDR_ENCODE);
    const bool ok = rpcgen_proc(&x, const_cast<C*>(&value));
    const bool exact = xdr_getpos(&x) == out.size();
    xdr_destroy(&x);
    return ok && exact;
}

// register_arm registers the four benchmarks of one arm. The protocol's
// structs have no pointers, so rpcgen needs no xdr_free between calls.
template <class C>
void register_arm(const Payload& p, const Codec* dynamic) {
    auto value = std::make_shared<C>();
    if (!rpcgen_decode(p.wire, *value)) die("rpcgen cannot decode " + p.arm.name);
    const Kind kind = payload_kind(p.arm.direction);
    const auto decoded = dynamic->decode(kind, p.wire);
    if (!decoded.ok() || decoded.value() != p.value) die("dynamic does not decode " + p.arm.name + " to its value");
    const auto encoded = dynamic->encode(kind, p.value);
    if (!encoded.ok() || encoded.value() != p.wire) die("dynamic does not encode " + p.arm.name + " to its wire");

    benchmark::RegisterBenchmark(("arm/decode/rpcgen/" + p.arm.name).c_str(), [&p](benchmark::State& state) {
        auto out = std::make_unique<C>();
        for (auto _ : state) {
            const bool ok = rpcgen_decode(p.wire, *out);
            benchmark::DoNotOptimize(ok);
            benchmark::ClobberMemory();
        }
        count(state, p);
    });
    // One Json for all iterations, as rpcgen's struct above.
    benchmark::RegisterBenchmark(("arm/decode/dynamic/" + p.arm.name).c_str(),
                                 [&p, dynamic, kind](benchmark::State& state) {
                                     Json out;
                                     for (auto _ : state) {
                                         const bool ok = dynamic->decode_into(kind, p.wire, out).ok();
                                         benchmark::DoNotOptimize(ok);
                                         benchmark::ClobberMemory();
                                     }
                                     if (out != p.value) state.SkipWithError("decode_into gave another value");
                                     count(state, p);
                                 });
    benchmark::RegisterBenchmark(("arm/new_json/dynamic/" + p.arm.name).c_str(),
                                 [&p, dynamic, kind](benchmark::State& state) {
                                     for (auto _ : state) {
                                         auto out = dynamic->decode(kind, p.wire);
                                         benchmark::DoNotOptimize(out);
                                     }
                                     count(state, p);
                                 });
    benchmark::RegisterBenchmark(("arm/floor/json_copy/" + p.arm.name).c_str(), [&p](benchmark::State& state) {
        for (auto _ : state) {
            Json copy = p.value;
            benchmark::DoNotOptimize(copy);
        }
        count(state, p);
    });
    benchmark::RegisterBenchmark(("arm/encode/rpcgen/" + p.arm.name).c_str(), [&p, value](benchmark::State& state) {
        Bytes out(p.wire.size());
        for (auto _ : state) {
            const bool ok = rpcgen_encode(*value, out);
            benchmark::DoNotOptimize(ok);
            benchmark::ClobberMemory();
        }
        count(state, p);
    });
    benchmark::RegisterBenchmark(("arm/encode/dynamic/" + p.arm.name).c_str(),
                                 [&p, dynamic, kind](benchmark::State& state) {
                                     for (auto _ : state) {
                                         auto out = dynamic->encode(kind, p.value);
                                         benchmark::DoNotOptimize(out);
                                     }
                                     count(state, p);
                                 });
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    bench::add_build_context();
    const Codec* dynamic = find_codec("dynamic");
    if (!dynamic) die("no dynamic codec in the registry");
    // Registered benchmarks keep references into this vector: it lives
    // until main returns.
    static const std::vector<Payload> payloads = [] {
        std::vector<Payload> out;
        for (const ArmInfo& arm : ProtocolInfo::get().all_arms())
            out.push_back(bench::make_payload(arm.direction, arm.name, samples::Plan::realistic));
        return out;
    }();
    for (const Payload& p : payloads) {
        if (p.arm.direction == Direction::client)
            register_arm<qemud_packet_client>(p, dynamic);
        else
            register_arm<qemud_packet_server>(p, dynamic);
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
