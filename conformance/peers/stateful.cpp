// SPDX-License-Identifier: Apache-2.0
// stateful.cpp: run_stateful drives RapidCheck over the commands of
// stateful_commands.h, one connection and one StatefulSut per sequence.
//
// RapidCheck shrinks a failing sequence by running shorter ones; the last
// sequence that failed is the shrunk one it reports, so the transcript and
// command list kept from the last failing run are the shrunk sequence's.
#include "stateful.h"

#include <random>
#include <unordered_map>
#include <sstream>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "stateful_commands.h"

namespace qemud::peers {

namespace {

using namespace stateful;

// A failing sequence, as the result reports it.
struct Failing {
    std::vector<TranscriptEntry> transcript;
    std::vector<std::string> commands;
    std::string reason;
    int sequence = 0;
    bool seen = false;
};

// Silent: the run's result is the report, not RapidCheck's own printing.
class QuietListener : public rc::detail::TestListener {
public:
    void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
    void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
    void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

std::string joined(const std::vector<std::string>& commands) {
    std::string out;
    for (const auto& c : commands) out += (out.empty() ? "" : "; ") + c;
    return out;
}

}  // namespace

PeerResult run_stateful(const PeerOptions& options, const StatefulOptions& stateful) {
    PeerResult result;
    result.name = "stateful/" + std::to_string(stateful.sequences) + "-sequences";
    result.repro = options.repro_command + " --connect " + shell_quote(options.address) +
                   (options.framing == Framing::seed ? "" : " --framing " + std::string(to_string(options.framing))) +
                   " --only 'stateful/*' --stateful " + std::to_string(stateful.sequences) + " --seed " +
                   std::to_string(stateful.seed);
    const auto start = Clock::now();

    // Object names: a tag random per run of the tool (so leftovers of an
    // earlier run never collide) and a counter per sequence (so a sequence
    // never meets the objects of the one before, whatever their cleanup).
    const std::string tag = [] {
        std::ostringstream os;
        os << std::hex << (std::random_device{}() & 0xffffffu);
        return os.str();
    }();
    int sequence = 0;
    Failing first, last;  // the first failing sequence, and the last (the shrunk one)
    auto property = [&] {
        std::vector<TranscriptEntry> transcript;
        Session session(options, &transcript);
        const std::string prefix = "rc" + tag + "-" + std::to_string(++sequence);
        std::vector<std::string> commands;
        std::string reason = "the sequence failed";
        try {
            StatefulSut sut(session, prefix, &reason);
            try {
                rc::state::check(
                    StatefulModel{}, sut,
                    rc::state::gen::execOneOfWithArgs<
                        DefineDomain, CreateDomain, StartDomain, SuspendDomain, ResumeDomain, DestroyDomain,
                        UndefineDomain, LookupDomainByName, LookupDomainByUuid, LookupDomainById, DomainInfo,
                        DomainSetAutostart, DomainGetAutostart, ListDomains, DefineNetwork, CreateNetwork,
                        StartNetwork, DestroyNetwork, UndefineNetwork, LookupNetworkByName, LookupNetworkByUuid,
                        NetworkSetAutostart, NetworkGetAutostart, ListNetworks>());
            } catch (...) {
                commands = sut.commands();
                throw;  // the Sut's destructor cleans up, then RapidCheck sees the failure
            }
        } catch (...) {
            last = Failing{std::move(transcript), std::move(commands), reason, sequence, true};
            if (!first.seen) first = last;
            throw;
        }
    };

    rc::detail::TestMetadata metadata;
    metadata.id = result.name;
    metadata.description = result.name;
    rc::detail::TestParams params;
    params.seed = stateful.seed;
    params.maxSuccess = static_cast<int>(stateful.sequences);
    params.maxSize = 40;  // sequences of up to about 40 commands
    QuietListener quiet;
    // No reproduce map: the same --seed against a fresh server repeats the
    // run, shrinking included.
    const auto outcome = rc::detail::checkTestable(property, metadata, params, quiet,
                                                   std::unordered_map<std::string, rc::detail::Reproduce>{});

    if (outcome.is<rc::detail::FailureResult>()) {
        const auto& failure = outcome.get<rc::detail::FailureResult>();
        result.status = PeerResult::Status::failed;
        result.step = "sequence " + std::to_string(failure.numSuccess + 1) + " of " +
                      std::to_string(stateful.sequences) + ", shrunk to: " + joined(last.commands);
        result.reason = last.reason;
        // Shrinking replays shorter sequences against a server that keeps
        // the state of the longer ones; when the shrunk failure differs
        // from the one first seen, both are worth reading.
        if (first.commands != last.commands)
            result.reason += "; first seen as: " + joined(first.commands) + ": " + first.reason;
        result.transcript = std::move(last.transcript);
    } else if (outcome.is<rc::detail::GaveUpResult>()) {
        result.status = PeerResult::Status::failed;
        result.step = "generating sequences";
        result.reason = "RapidCheck gave up: " + outcome.get<rc::detail::GaveUpResult>().description;
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

}  // namespace qemud::peers
