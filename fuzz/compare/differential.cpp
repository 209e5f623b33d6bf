// SPDX-License-Identifier: Apache-2.0
#include "differential.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

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

// SignatureSet: the signatures seen, in open addressing with linear
// probing. A lookup is on every check (three per header_fuzzer input), where
// std::unordered_set's modulo and node walk cost about 2 % of the target's
// time. Signatures are already mixed hashes, so their low bits index.
class SignatureSet {
public:
    // insert: whether `s` was new.
    bool insert(std::uint64_t s) {
        if (s == empty) {
            const bool fresh = !has_empty_;
            has_empty_ = true;
            size_ += fresh;
            return fresh;
        }
        if (2 * (size_ + 1) > slots_.size()) grow();
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = s & mask;; i = (i + 1) & mask) {
            if (slots_[i] == s) return false;
            if (slots_[i] == empty) {
                slots_[i] = s;
                ++size_;
                return true;
            }
        }
    }
    std::size_t size() const { return size_; }

private:
    static constexpr std::uint64_t empty = 0;
    void grow() {
        std::vector<std::uint64_t> old(std::max<std::size_t>(1024, 2 * slots_.size()), empty);
        old.swap(slots_);
        const std::size_t mask = slots_.size() - 1;
        for (const std::uint64_t s : old)
            if (s != empty) {
                std::size_t i = s & mask;
                while (slots_[i] != empty) i = (i + 1) & mask;
                slots_[i] = s;
            }
    }
    std::vector<std::uint64_t> slots_;
    std::size_t size_ = 0;
    bool has_empty_ = false;
};

// TierState: the signatures seen so far and the sampler (a splitmix64
// sequence from QEMUD_FUZZ_SAMPLE_SEED), per process.
struct TierState {
    SignatureSet seen;
    std::uint64_t every = full_check_every();
    std::uint64_t state = number_from_env("QEMUD_FUZZ_SAMPLE_SEED", 1, 0);
    std::uint64_t checks = 0, sampled_full = 0;
    TierState() {
        // QEMUD_FUZZ_ORACLE_STATS=1: how the tiers shared the work, on exit.
        if (const char* env = std::getenv("QEMUD_FUZZ_ORACLE_STATS"); env && std::string_view(env) == "1")
            std::atexit([] {
                const TierState& t = tiers();
                std::fprintf(stderr,
                             "qemud tiered oracle: %llu checks, %zu signatures (full check on the first of each), "
                             "%llu sampled full checks (1 in %llu)\n",
                             static_cast<unsigned long long>(t.checks), t.seen.size(),
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

// UncountedCoverage: while one lives, the edges the code runs leave no
// coverage behind. libFuzzer's inline 8-bit counters (the section
// __sancov_cntrs, whose bounds the linker defines) are saved when it is
// made and put back when it goes. The tiered oracle's full checks run
// code the fast tier never does (the dynamic codec, the JSON adapters,
// the re-encoders) on the first wire of a signature and on a random one
// in K: counted, those edges are features that come and go with the
// sampler, and libFuzzer keeps chasing them (measured: 3.6x the features
// and 2.8x the corpus of the same target with the fast tier alone, at
// half its executions per second). The dynamic codec has targets of its
// own for its coverage. Builds without these counters (AFL++'s own map)
// have no section, and nothing is saved.
extern "C" {
__attribute__((weak)) extern std::uint8_t __start___sancov_cntrs[];
__attribute__((weak)) extern std::uint8_t __stop___sancov_cntrs[];
}
class UncountedCoverage {
public:
    UncountedCoverage() {
        if (__start___sancov_cntrs && __stop___sancov_cntrs)
            saved().assign(__start___sancov_cntrs, __stop___sancov_cntrs);
    }
    ~UncountedCoverage() {
        if (__start___sancov_cntrs && __stop___sancov_cntrs)
            std::copy(saved().begin(), saved().end(), __start___sancov_cntrs);
    }
    UncountedCoverage(const UncountedCoverage&) = delete;
    UncountedCoverage& operator=(const UncountedCoverage&) = delete;

private:
    static std::vector<std::uint8_t>& saved() {
        static std::vector<std::uint8_t> counters;  // reused: kilobytes, on every full check
        return counters;
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
    if (full_check_due(fast.signature)) {
        const UncountedCoverage uncounted;
        full_check(kind, wire, framing);
    }
}

bool full_check_due(std::uint64_t signature) {
    if (oracle() != Oracle::tiered) return oracle() == Oracle::full;
    TierState& tiers = TierState::tiers();
    ++tiers.checks;
    if (tiers.seen.insert(signature)) return true;
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

namespace {
// check_decode_into: the codec's decode_into answers as its decode does,
// into one Json reused from wire to wire (holding the last wire's value,
// which is what takes the dynamic codec's in-place path).
void check_decode_into(const Codec& codec, Kind kind, ByteView wire, Framing framing) {
    static Json reused;
    const Outcome<Json> fresh = codec.decode(kind, wire, framing);
    const Outcome<void> into = codec.decode_into(kind, wire, framing, reused);
    std::string differs;
    if (fresh.ok() != into.ok() || fresh.failed() != into.failed())
        differs = "decode " + std::string(fresh.ok() ? "accepted" : "did not accept") + " the wire, decode_into " +
                  (into.ok() ? "accepted" : "did not accept") + " it";
    else if (fresh.ok() && fresh.value() != reused)
        differs = "decode_into's value is not decode's";
    else if (fresh.failed() && (fresh.error().to_string() != into.error().to_string() ||
                                fresh.error().flag != into.error().flag))
        differs = "decode rejected with " + fresh.error().to_string() + " [" + fresh.error().flag +
                  "], decode_into with " + into.error().to_string() + " [" + into.error().flag + "]";
    if (!differs.empty())
        report_finding(comparator::title(codec.name(), "", kind, nullptr, "decode-into-disagrees"),
                       std::string(codec.name()) + ": " + differs);
}
}  // namespace

void check_dynamic_payload(Direction direction, ByteView payload) {
    static const Codec& dynamic = *find_codec("dynamic");
    static const std::vector<const Codec*> compared{&dynamic, find_codec("cxx")};
    full_check(payload_kind(direction), payload, Framing::seed, compared);
    check_decode_into(dynamic, payload_kind(direction), payload, Framing::seed);
    const Framing framing = !payload.empty() && (payload[0] & 1) ? Framing::libvirt_0_3 : Framing::seed;
    const ByteView message = framed(framing, payload);
    full_check(message_kind(direction), message, framing, compared);
    check_decode_into(dynamic, message_kind(direction), message, framing);
}

}  // namespace qemud::fuzz
