// SPDX-License-Identifier: Apache-2.0
#include "differential.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "codecs/registry.h"
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

comparator::Comparison check_wire(Kind kind, ByteView wire, Framing framing) {
    auto cmp = comparator::compare_decoders(kind, wire, codecs(), framing);
    if (!cmp.ok()) {
        // Several findings on one wire: report the smallest title, so the
        // same wire always lands in the same bucket.
        const auto first = std::min_element(cmp.findings.begin(), cmp.findings.end(),
                                            [](const auto& a, const auto& b) { return a.title < b.title; });
        report_finding(first->title, cmp.to_string());
    }
    return cmp;
}

void check_payload(Direction direction, ByteView payload) {
    check_wire(payload_kind(direction), payload);
    const Framing framing = !payload.empty() && (payload[0] & 1) ? Framing::libvirt_0_3 : Framing::seed;
    check_wire(message_kind(direction), framing_profile(framing).frame(payload), framing);
}

}  // namespace qemud::fuzz
