// SPDX-License-Identifier: Apache-2.0
#include "differential.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <unordered_set>

#include "codecs/registry.h"
#include "compare/fast_tier.h"
#include "framing/framing.h"

namespace qemud::fuzz {

const std::vector<const Codec*>& codecs() {
    static const std::vector<const Codec*> chosen = [] {
        const char* env = std::getenv("QEMUD_FUZZ_CODECS");
        if (!env || !*env) return all_codecs();
        std::vector<const Codec*> out;
        std::stringstream names(env);
        for (std::string name; std::getline(names, name, ',');) {
            const Codec* c = find_codec(name);
            if (!c) {
                std::fprintf(stderr, "QEMUD_FUZZ_CODECS: unknown implementation '%s'\n", name.c_str());
                std::exit(2);
            }
            out.push_back(c);
        }
        return out;
    }();
    return chosen;
}

void report_finding(const std::string& title, const std::string& detail) {
    // The title goes first and alone, so `grep '^qemud-harness:'` on a
    // crash log gives the grouping key.
    std::fprintf(stderr, "\n%s\n%s\n", title.c_str(), detail.c_str());
    std::fflush(stderr);
    std::abort();
}

namespace {

Oracle oracle_from_env() {
    const char* env = std::getenv("QEMUD_FUZZ_ORACLE");
    const std::string v = env ? env : "";
    if (v.empty() || v == "tiered") return Oracle::tiered;
    if (v == "full") return Oracle::full;
    if (v == "fast") return Oracle::fast;
    std::fprintf(stderr, "QEMUD_FUZZ_ORACLE: '%s' is not one of tiered, full, fast\n", v.c_str());
    std::exit(2);
}

std::uint64_t number_from_env(const char* name, std::uint64_t fallback, std::uint64_t min) {
    const char* env = std::getenv(name);
    if (!env || !*env) return fallback;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(env, &end, 10);
    if (*end || v < min || env[0] == '-') {
        std::fprintf(stderr, "%s: '%s' is not a whole number >= %llu\n", name, env,
                     static_cast<unsigned long long>(min));
        std::exit(2);
    }
    return v;
}

// The fast tier compares rpcgen and cxx; without both among the chosen
// implementations every wire gets the full check.
bool fast_tier_applies() {
    static const bool applies = [] {
        bool rpcgen = false, cxx = false;
        for (const Codec* c : codecs()) {
            rpcgen |= c->name() == "rpcgen";
            cxx |= c->name() == "cxx";
        }
        return rpcgen && cxx;
    }();
    return applies;
}

void full_check(Kind kind, ByteView wire, Framing framing, std::span<const Codec* const> compared = codecs()) {
    auto cmp = comparator::compare_decoders(kind, wire, compared, framing);
    if (!cmp.ok()) {
        // Several findings on one wire: report the smallest title, so the
        // same wire always lands in the same bucket.
        const auto first = std::min_element(cmp.findings.begin(), cmp.findings.end(),
                                            [](const auto& a, const auto& b) { return a.title < b.title; });
        report_finding(first->title, cmp.to_string());
    }
}

// TierState: the signatures seen so far and the sampler (a splitmix64
// sequence from QEMUD_FUZZ_SAMPLE_SEED), per process.
struct TierState {
    std::unordered_set<std::uint64_t> seen;
    std::uint64_t every = full_check_every();
    std::uint64_t state = number_from_env("QEMUD_FUZZ_SAMPLE_SEED", 1, 0);
    std::uint64_t wires = 0, sampled_full = 0;
    TierState() {
        // QEMUD_FUZZ_ORACLE_STATS=1: how the tiers shared the work, on exit.
        if (const char* env = std::getenv("QEMUD_FUZZ_ORACLE_STATS"); env && std::string_view(env) == "1")
            std::atexit([] {
                const TierState& t = tiers();
                std::fprintf(stderr,
                             "qemud tiered oracle: %llu checks, %zu signatures (full check on the first of each), "
                             "%llu sampled full checks (1 in %llu)\n",
                             static_cast<unsigned long long>(t.wires), t.seen.size(),
                             static_cast<unsigned long long>(t.sampled_full), static_cast<unsigned long long>(t.every));
            });
    }
    static TierState& tiers() {
        static TierState* t = new TierState();  // never destroyed: read by the atexit report
        return *t;
    }
    bool sampled() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return (z ^ (z >> 31)) % every == 0;
    }
};

}  // namespace

Oracle oracle() {
    static const Oracle o = oracle_from_env();
    return o;
}

std::uint64_t full_check_every() {
    static const std::uint64_t k = number_from_env("QEMUD_FUZZ_FULL_EVERY", default_full_check_every, 1);
    return k;
}

void check_wire(Kind kind, ByteView wire, Framing framing) {
    if (oracle() == Oracle::full || !fast_tier_applies()) {
        full_check(kind, wire, framing);
        return;
    }
    const FastResult fast = fast_check(kind, wire, framing);
    if (fast.suspicious()) {
        // The full check names it as every other finding is named; if it
        // sees nothing, the two tiers disagree, and that is the finding.
        full_check(kind, wire, framing);
        report_finding(comparator::title(fast.first, fast.second, kind, fast.arm, fast.what),
                       fast.detail + "\n(the full check saw nothing wrong: the fast tier and the full check disagree)");
    }
    if (full_check_due(fast.signature)) full_check(kind, wire, framing);
}

bool full_check_due(std::uint64_t signature) {
    if (oracle() != Oracle::tiered) return oracle() == Oracle::full;
    TierState& tiers = TierState::tiers();
    ++tiers.wires;
    if (tiers.seen.insert(signature).second) return true;
    if (!tiers.sampled()) return false;
    ++tiers.sampled_full;
    return true;
}

namespace {
// framed: `payload` behind a correct header of the profile, in a buffer
// reused from call to call.
ByteView framed(Framing framing, ByteView payload) {
    static Bytes buffer;
    const FramingProfile& p = framing_profile(framing);
    buffer.resize(p.header_size() + payload.size());
    p.write({p.constant(), p.length_for(payload.size())}, buffer.data());
    if (!payload.empty()) std::memcpy(buffer.data() + p.header_size(), payload.data(), payload.size());
    return buffer;
}
}  // namespace

void check_payload(Direction direction, ByteView payload) {
    check_wire(payload_kind(direction), payload);
    const Framing framing = !payload.empty() && (payload[0] & 1) ? Framing::libvirt_0_3 : Framing::seed;
    check_wire(message_kind(direction), framed(framing, payload), framing);
}

void check_dynamic_payload(Direction direction, ByteView payload) {
    static const std::vector<const Codec*> compared{find_codec("dynamic"), find_codec("cxx")};
    full_check(payload_kind(direction), payload, Framing::seed, compared);
    const Framing framing = !payload.empty() && (payload[0] & 1) ? Framing::libvirt_0_3 : Framing::seed;
    full_check(message_kind(direction), framed(framing, payload), framing, compared);
}

}  // namespace qemud::fuzz
