// SPDX-License-Identifier: Apache-2.0
// refd_bench.cpp: calls per second through qemud-refd over a Unix socket,
// against a raw ping-pong of the same byte counts (the limit), both in this
// process on their own threads (bench_servers.h says why and how).
//
//   refd/<CALL>/depth:<N>, raw/<CALL>/depth:<N>
//
// CALL is GET_VERSION (the cheapest call: 16-byte call, 24-byte reply) or
// LIST_DEFINED_DOMAINS (16-byte call, the largest reply, 20024 bytes, here
// full: the model holds as many stopped domains as it takes). Depth N:
// N calls written back to back, then the N replies read; depth 1 is one
// call at a time. items/s counts calls.
//
// Real time is what is measured (UseRealTime): the server works on another
// thread, and a round trip's cost is mostly the other side's work and the
// scheduler handing the CPU over, none of which the client's CPU time sees.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <unistd.h>

#include "build_context.h"
#include "bench_servers.h"
#include "codecs/cxx/cxx_codec.h"
#include "framing/framing.h"
#include "protocol_model.gen.h"

namespace {

using namespace qemud;
using C = model::qemud_packet_client_data_type;
using S = model::qemud_packet_server_data_type;

constexpr std::size_t depths[] = {1, 16, 256};

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "refd_bench: %s\n", message.c_str());
    std::exit(2);
}

struct Call {
    const char* name;
    C client_type;
    S server_type;
};
constexpr Call calls[] = {
    {"GET_VERSION", C::QEMUD_CLIENT_PKT_GET_VERSION, S::QEMUD_SERVER_PKT_GET_VERSION},
    {"LIST_DEFINED_DOMAINS", C::QEMUD_CLIENT_PKT_LIST_DEFINED_DOMAINS, S::QEMUD_SERVER_PKT_LIST_DEFINED_DOMAINS},
};

const FramingProfile& seed() { return framing_profile(Framing::seed); }

template <class Arm = std::monostate>
Bytes framed_call(std::uint32_t serial, C type, Arm arm = {}) {
    model::qemud_packet_client c{};
    c.serial = serial;
    c.data.type = type;
    c.data.arm = std::move(arm);
    Bytes payload;
    if (const auto error = cxx::encode(c, payload)) die("encode: " + error->to_string());
    return seed().frame(payload);
}

// reply_at decodes the server message at `at`; a bad header or payload is
// nullopt.
std::optional<model::qemud_packet_server> reply_at(const Bytes& bytes, std::size_t at, std::size_t* size) {
    if (bytes.size() - at < seed().header_size()) return std::nullopt;
    const auto words = seed().read(bytes.data() + at);
    if (seed().check_framed(Direction::server, words, at)) return std::nullopt;
    *size = seed().header_size() + seed().payload_size(words);
    if (bytes.size() - at < *size) return std::nullopt;
    model::qemud_packet_server value{};
    const ByteView payload(bytes.data() + at + seed().header_size(), *size - seed().header_size());
    if (cxx::decode(payload, value)) return std::nullopt;
    return value;
}

// round_trip writes `request` and reads one reply (setup only).
Bytes round_trip(int fd, const Bytes& request) {
    Bytes header(seed().header_size());
    if (!bench::write_all(fd, request.data(), request.size()) || !bench::read_exactly(fd, header.data(), header.size()))
        die("setup: connection lost");
    Bytes reply = header;
    reply.resize(header.size() + seed().payload_size(seed().read(header.data())));
    if (!bench::read_exactly(fd, reply.data() + header.size(), reply.size() - header.size()))
        die("setup: connection lost");
    return reply;
}

// fill_model defines persistent (stopped) domains until the model refuses
// one, so LIST_DEFINED_DOMAINS answers with its names buffer full.
void fill_model(const std::string& path) {
    const int fd = bench::connect_unix(path);
    for (std::uint32_t i = 0;; ++i) {
        std::array<char, 4096> xml{};
        std::snprintf(xml.data(), xml.size(), "<domain><name>bench-%03u</name></domain>", i);
        std::size_t size = 0;
        const Bytes reply = round_trip(fd, framed_call(i + 1, C::QEMUD_CLIENT_PKT_DOMAIN_DEFINE,
                                                       model::qemud_packet_domain_define_request{xml}));
        const auto value = reply_at(reply, 0, &size);
        if (!value) die("setup: DOMAIN_DEFINE reply does not decode");
        if (value->data.type == S::QEMUD_SERVER_PKT_FAILURE) break;  // limit-reached
    }
    ::close(fd);
}

// check names what is wrong with `replies` (depth replies of `size` bytes
// to calls with serials 1..depth), or is empty. The raw server's replies
// are copies of one, so only refd's inReplyTo can be checked.
std::string check(const Bytes& replies, const Call& call, std::size_t depth, std::size_t size, bool in_reply_to) {
    for (std::size_t i = 0; i < depth; ++i) {
        std::size_t got = 0;
        const auto value = reply_at(replies, i * size, &got);
        if (!value || got != size) return "reply " + std::to_string(i) + " is not a " + std::to_string(size) + "-byte message";
        if (value->data.type != call.server_type) return "reply " + std::to_string(i) + " is not " + call.name;
        if (in_reply_to && value->inReplyTo != i + 1) return "reply " + std::to_string(i) + ": wrong inReplyTo";
    }
    return {};
}

void round_trips(benchmark::State& state, const std::string& path, const Call& call, std::size_t depth,
                 std::size_t reply_size, bool is_refd) {
    Bytes requests;
    for (std::size_t i = 0; i < depth; ++i) {
        const Bytes one = framed_call(static_cast<std::uint32_t>(i + 1), call.client_type);
        requests.insert(requests.end(), one.begin(), one.end());
    }
    Bytes replies(depth * reply_size);
    const int fd = bench::connect_unix(path);
    // One round checked before timing: the loop below only counts bytes.
    if (!bench::write_all(fd, requests.data(), requests.size()) || !bench::read_exactly(fd, replies.data(), replies.size()))
        state.SkipWithError("connection lost");
    else if (const auto error = check(replies, call, depth, reply_size, is_refd); !error.empty())
        state.SkipWithError(error.c_str());
    for (auto _ : state) {
        if (!bench::write_all(fd, requests.data(), requests.size()) ||
            !bench::read_exactly(fd, replies.data(), replies.size())) {
            state.SkipWithError("connection lost");
            break;
        }
    }
    ::close(fd);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * depth));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * (requests.size() + replies.size())));
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    bench::add_build_context();

    const auto refd = std::make_unique<bench::RefdServer>();
    fill_model(refd->socket_path());
    // The raw server answers with refd's own reply bytes, so both write
    // exactly the same bytes per call.
    std::vector<std::unique_ptr<bench::RawServer>> raws;
    std::vector<std::size_t> reply_sizes;
    {
        const int fd = bench::connect_unix(refd->socket_path());
        for (const Call& call : calls) {
            const Bytes request = framed_call(1, call.client_type);
            const Bytes reply = round_trip(fd, request);
            std::size_t size = 0;
            const auto value = reply_at(reply, 0, &size);
            if (!value || value->data.type != call.server_type) die(std::string("setup: no ") + call.name + " reply");
            reply_sizes.push_back(reply.size());
            raws.push_back(std::make_unique<bench::RawServer>(request.size(), reply, depths[std::size(depths) - 1]));
            benchmark::AddCustomContext(std::string(call.name) + "_bytes",
                                        std::to_string(request.size()) + " call, " + std::to_string(reply.size()) + " reply");
        }
        ::close(fd);
    }

    for (std::size_t c = 0; c < std::size(calls); ++c) {
        for (const std::size_t depth : depths) {
            const std::string suffix = std::string(calls[c].name) + "/depth:" + std::to_string(depth);
            const std::size_t size = reply_sizes[c];
            const Call& call = calls[c];
            benchmark::RegisterBenchmark(("refd/" + suffix).c_str(), [server = refd.get(), depth, size, &call](benchmark::State& state) {
                round_trips(state, server->socket_path(), call, depth, size, true);
            })->UseRealTime();
            const bench::RawServer& raw = *raws[c];
            benchmark::RegisterBenchmark(("raw/" + suffix).c_str(), [&raw, depth, size, &call](benchmark::State& state) {
                round_trips(state, raw.socket_path(), call, depth, size, false);
            })->UseRealTime();
        }
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
