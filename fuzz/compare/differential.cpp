#include "differential.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "codecs/registry.h"

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

comparator::Comparison check_wire(Kind kind, ByteView wire) {
    auto cmp = comparator::compare_decoders(kind, wire, codecs());
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
    const auto& info = ProtocolInfo::get();
    Bytes framed;
    framed.reserve(info.header_size() + payload.size());
    for (const std::uint32_t word : {info.header_magic(), static_cast<std::uint32_t>(payload.size())})
        for (int shift = 24; shift >= 0; shift -= 8) framed.push_back(static_cast<std::uint8_t>(word >> shift));
    framed.insert(framed.end(), payload.begin(), payload.end());
    check_wire(message_kind(direction), framed);
}

}  // namespace qemud::fuzz
