// SPDX-License-Identifier: Apache-2.0
// codec_bench.cpp: encode and decode throughput of every implementation on
// representative payloads, and memcpy of the same byte counts, in one
// binary so ci/bench.sh can divide figures measured side by side.
//
//   decode/<impl>/<ARM>, encode/<impl>/<ARM>, memcpy/<ARM>
//
// rpcgen: rpcgen's xdr_ procedures over an xdrmem stream on rpcgen's C
//         struct (libtirpc's own speed: no JSON, no adapter).
// cxx:    the native API (codecs/cxx/cxx_codec.h): decode into a reused
//         model object, encode into a reused byte vector.
// dynamic: the Codec interface with JSON values, which is what it is.
//
// Every benchmark reports bytes/s of wire (SetBytesProcessed) and items/s.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "build_context.h"
#include "bench_payloads.h"
#include "codecs/cxx/cxx_codec.h"
#include "runtime/reader.h"  // simd_level
#include "codecs/registry.h"
// Last: rpcgen's header #defines the protocol's constants.
#include <rpc/rpc.h>
#include "protocol.h"

namespace {

using namespace qemud;
using bench::Payload;

void count(benchmark::State& state, const Payload& p) {
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * p.wire.size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "codec_bench: %s\n", message.c_str());
    std::exit(2);
}

// ----------------------------------------------------------------- rpcgen

template <class C>
struct RpcgenRoot;
template <>
struct RpcgenRoot<qemud_packet_client> {
    static bool_t proc(XDR* x, qemud_packet_client* v) { return xdr_qemud_packet_client(x, v); }
};
template <>
struct RpcgenRoot<qemud_packet_server> {
    static bool_t proc(XDR* x, qemud_packet_server* v) { return xdr_qemud_packet_server(x, v); }
};

// One xdrmem stream per call, as a caller of libtirpc does per message.
template <class C>
bool rpcgen_decode(const Bytes& wire, C& out) {
    XDR x;
    xdrmem_create(&x, reinterpret_cast<char*>(const_cast<std::uint8_t*>(wire.data())),
                  static_cast<u_int>(wire.size()), XDR_DECODE);
    const bool ok = RpcgenRoot<C>::proc(&x, &out) && xdr_getpos(&x) == wire.size();
    xdr_destroy(&x);
    return ok;
}

template <class C>
bool rpcgen_encode(const C& value, Bytes& out) {
    XDR x;
    xdrmem_create(&x, reinterpret_cast<char*>(out.data()), static_cast<u_int>(out.size()), XDR_ENCODE);
    const bool ok = RpcgenRoot<C>::proc(&x, const_cast<C*>(&value));
    const bool exact = xdr_getpos(&x) == out.size();
    xdr_destroy(&x);
    return ok && exact;
}

// The structs of this protocol have no pointers (every field is fixed
// size), so nothing needs xdr_free between iterations.
template <class C>
void register_rpcgen(const Payload& p) {
    auto value = std::make_shared<C>();
    if (!rpcgen_decode(p.wire, *value)) die("rpcgen cannot decode " + p.arm.name);
    Bytes check(p.wire.size());
    if (!rpcgen_encode(*value, check) || check != p.wire) die("rpcgen re-encodes " + p.arm.name + " differently");

    benchmark::RegisterBenchmark(("decode/rpcgen/" + p.arm.name).c_str(), [&p](benchmark::State& state) {
        auto out = std::make_unique<C>();
        for (auto _ : state) {
            const bool ok = rpcgen_decode(p.wire, *out);
            benchmark::DoNotOptimize(ok);
            benchmark::ClobberMemory();
        }
        count(state, p);
    });
    benchmark::RegisterBenchmark(("encode/rpcgen/" + p.arm.name).c_str(), [&p, value](benchmark::State& state) {
        Bytes out(p.wire.size());
        for (auto _ : state) {
            const bool ok = rpcgen_encode(*value, out);
            benchmark::DoNotOptimize(ok);
            benchmark::ClobberMemory();
        }
        count(state, p);
    });
}

// -------------------------------------------------------------------- cxx

template <class M>
void register_cxx(const Payload& p) {
    auto value = std::make_shared<M>();
    if (auto e = cxx::decode(p.wire, *value)) die("cxx cannot decode " + p.arm.name + ": " + e->to_string());

    benchmark::RegisterBenchmark(("decode/cxx/" + p.arm.name).c_str(), [&p](benchmark::State& state) {
        auto out = std::make_unique<M>();
        for (auto _ : state) {
            auto e = cxx::decode(p.wire, *out);
            benchmark::DoNotOptimize(e);
            benchmark::ClobberMemory();
        }
        count(state, p);
    });
    benchmark::RegisterBenchmark(("encode/cxx/" + p.arm.name).c_str(), [&p, value](benchmark::State& state) {
        Bytes out;
        out.reserve(p.wire.size());
        for (auto _ : state) {
            auto e = cxx::encode(*value, out);
            benchmark::DoNotOptimize(e);
            benchmark::DoNotOptimize(out.data());
            benchmark::ClobberMemory();
        }
        if (out != p.wire) state.SkipWithError("cxx encoded different bytes");
        count(state, p);
    });
}

// ---------------------------------------------------------------- dynamic

void register_dynamic(const Payload& p) {
    const Codec* dynamic = find_codec("dynamic");
    if (!dynamic) die("no dynamic codec in the registry");
    const Kind kind = payload_kind(p.arm.direction);
    auto decoded = dynamic->decode(kind, p.wire);
    if (!decoded.ok()) die("dynamic cannot decode " + p.arm.name);

    benchmark::RegisterBenchmark(("decode/dynamic/" + p.arm.name).c_str(),
                                 [&p, dynamic, kind](benchmark::State& state) {
                                     for (auto _ : state) {
                                         auto out = dynamic->decode(kind, p.wire);
                                         benchmark::DoNotOptimize(out);
                                     }
                                     count(state, p);
                                 });
    benchmark::RegisterBenchmark(("encode/dynamic/" + p.arm.name).c_str(),
                                 [&p, dynamic, kind](benchmark::State& state) {
                                     for (auto _ : state) {
                                         auto out = dynamic->encode(kind, p.value);
                                         benchmark::DoNotOptimize(out);
                                     }
                                     count(state, p);
                                 });
}

// ----------------------------------------------------------------- memcpy

void register_memcpy(const Payload& p) {
    benchmark::RegisterBenchmark(("memcpy/" + p.arm.name).c_str(), [&p](benchmark::State& state) {
        Bytes out(p.wire.size());
        for (auto _ : state) {
            benchmark::DoNotOptimize(p.wire.data());
            std::memcpy(out.data(), p.wire.data(), p.wire.size());
            benchmark::DoNotOptimize(out.data());
            benchmark::ClobberMemory();
        }
        count(state, p);
    });
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    bench::add_build_context();
    // The element kernel level the cxx codec picked (QEMUD_CXX_SIMD can
    // lower it): the per-level table says which run measured which.
    benchmark::AddCustomContext("qemud_cxx_simd", std::string(qemud::wire::to_string(qemud::wire::simd_level())));
    // Registered benchmarks keep references into this vector: it lives
    // until main returns.
    static const std::vector<Payload> payloads = bench::representative_payloads();
    for (const Payload& p : payloads) {
        if (p.arm.direction == Direction::client) {
            register_rpcgen<qemud_packet_client>(p);
            register_cxx<model::qemud_packet_client>(p);
        } else {
            register_rpcgen<qemud_packet_server>(p);
            register_cxx<model::qemud_packet_server>(p);
        }
        register_dynamic(p);
        register_memcpy(p);
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
