// SPDX-License-Identifier: Apache-2.0
#include "fast_tier.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <sstream>
#include <string_view>

#include "canonical.h"
#include "codecs/cxx/cxx_codec.h"
#include "framing/framing.h"
#include "policy/policy.h"
// Last: rpcgen's headers #define the protocol's constants (see the bridge).
#include "rpcgen_bridge.gen.h"
extern "C" {
#include "libvirt_0_3_header.h"
}

namespace qemud::fuzz {

namespace {

using comparator::Classification;
using policy::DecoderRule;

// tirpc_decode: rpcgen's procedure over an xdrmem stream, the whole input
// read (libtirpc itself ignores what follows the last field; every codec
// of this project calls that trailing_bytes). No member of this protocol
// is allocated by the decoder, so `out` is reused with nothing to free.
template <class C>
bool tirpc_decode(bool_t (*proc)(XDR*, C*), ByteView bytes, C& out) {
    XDR xdrs;
    xdrmem_create(&xdrs, reinterpret_cast<char*>(const_cast<std::uint8_t*>(bytes.data())),
                  static_cast<u_int>(bytes.size()), XDR_DECODE);
    const bool ok = proc(&xdrs, &out) && xdr_getpos(&xdrs) == bytes.size();
    xdr_destroy(&xdrs);
    return ok;
}

// The objects every call decodes into, one set per direction: allocated
// once (a server payload's model is 20 KB), so a call allocates nothing on
// the accepted path.
template <class Model, class C>
struct Objects {
    Model cxx;
    Model tirpc;
    C c{};
};

// Answers: what the two decoders made of a wire.
struct Answers {
    bool tirpc_ok = false;
    bool cxx_ok = false;
    std::string_view cxx_flag;  // cxx's error flag when it rejected (static storage)
    std::optional<std::size_t> cxx_offset;
    bool framing_error = false;  // rejected by the shared framing checks, before any payload decoder
};

struct Scratch {
    Objects<model::qemud_packet_client, ::qemud_packet_client> client;
    Objects<model::qemud_packet_server, ::qemud_packet_server> server;
    Classification classification;  // summary_only: no list of flags
    Bytes expected;
    Bytes encoded;
    // The payload the objects of `last_direction` were last decoded from,
    // and the decoders' answers (offsets from the payload's start): a
    // payload target checks each payload alone and then framed, and the
    // same bytes through the same decoders give the same answers, so the
    // framed check reuses them and decodes only the header.
    Bytes last_payload;
    std::optional<Direction> last_direction;
    Answers last_answers;
    Scratch() { classification.summary_only = true; }
};

Scratch& scratch() {
    static Scratch* s = new Scratch();  // never destroyed: fuzz targets exit without cleanup
    return *s;
}


void note_cxx_rejection(const std::optional<cxx::Rejection>& e, std::size_t base, Answers& a) {
    a.cxx_ok = !e;
    if (!e) return;
    a.cxx_flag = e->flag;
    if (e->offset) a.cxx_offset = *e->offset + base;
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0xBF58476D1CE4E5B9ull;
}

std::uint64_t signature(Kind kind, Framing framing, const Classification& c, const Answers& a) {
    const std::uint64_t flags = c.flag_set;
    std::uint64_t h = mix(static_cast<std::uint64_t>(kind), kind == Kind::client || kind == Kind::server ? 0 : static_cast<std::uint64_t>(framing));
    h = mix(h, c.arm ? (static_cast<std::uint64_t>(c.arm->direction) << 32) ^ static_cast<std::uint32_t>(c.arm->value) : ~0ull);
    h = mix(h, static_cast<std::uint64_t>(c.rule));
    h = mix(h, flags);
    h = mix(h, (a.tirpc_ok ? 1u : 0u) | (a.cxx_ok ? 2u : 0u));
    return mix(h, std::hash<std::string_view>{}(a.cxx_flag));
}

std::string hex_offset(std::size_t at) {
    std::ostringstream os;
    os << "0x" << std::hex << at;
    return os.str();
}

// first_difference: the first differing byte offset of two encodings.
std::string first_difference(ByteView a, ByteView b, std::size_t base) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) return "first difference at byte " + hex_offset(base + i);
    return "sizes differ: " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
}

// Judge: the verdicts shared by every kind, from the answers and (for an
// accepting decoder) the values.
class Judge {
public:
    Judge(const Classification& c, FastResult& r) : c_(c), r_(r) {}

    void finding(std::string_view what, std::string_view first, std::string_view second, std::string detail) {
        if (r_.suspicious()) return;  // the first one seen is reported
        r_.what = what;
        r_.first = first;
        r_.second = second;
        r_.detail = "fast tier: " + std::move(detail);
    }

    // accept_reject: the decision alone, against the rule.
    void accept_reject(const Answers& a) {
        const std::string_view flag = policy::name(c_.deciding());
        switch (c_.rule) {
            case DecoderRule::must_accept:
                if (!a.cxx_ok) finding("rejects-valid", "cxx", "", "cxx rejected a wire the policy accepts: " + reject_text(a));
                if (!a.tirpc_ok) finding("rejects-valid", "rpcgen", "", "rpcgen rejected a wire the policy accepts");
                break;
            case DecoderRule::acceptable:
                if (a.cxx_ok)
                    finding("strict-accepts-acceptable", "cxx", "",
                            "cxx is strict but accepted a " + std::string(flag) + " wire; a strict decoder rejects it");
                break;
            case DecoderRule::must_reject:
                if (a.cxx_ok)
                    finding("accepts-invalid", "cxx", "",
                            "cxx accepted a wire the policy rejects (" + std::string(flag) + ")");
                if (a.tirpc_ok)
                    finding("accepts-invalid", "rpcgen", "",
                            "rpcgen accepted a wire the policy rejects (" + std::string(flag) + ")");
                if (!a.cxx_ok && !a.framing_error) check_cxx_error(a);
                break;
        }
    }

    // values: both accepted a must_accept wire, or rpcgen accepted an
    // acceptable one. `tirpc` is rpcgen's value through the bridge, `cxx`
    // cxx's (nullptr: cxx rejected); `expected` the canonical (or
    // low-byte) payload bytes; encoded is cxx's encoding of the value the
    // rule says must round-trip.
    template <class Model>
    void values(const Model& tirpc, const Model* cxx, ByteView expected, std::size_t base) {
        auto& s = scratch();
        if (cxx && !(tirpc == *cxx)) {
            finding("decode-disagrees", "cxx", "rpcgen", "rpcgen's and cxx's values of the wire differ");
            return;
        }
        const Model& value = cxx ? *cxx : tirpc;
        if (auto e = cxx::encode(value, s.encoded)) {
            finding(cxx ? "reencode-fails" : "lenient-misreads", cxx ? "cxx" : "rpcgen", "",
                    "cxx cannot encode the decoded value: " + e->to_string());
            return;
        }
        if (!std::equal(s.encoded.begin(), s.encoded.end(), expected.begin(), expected.end())) {
            if (cxx)
                finding("not-canonical-round-trip", "cxx", "",
                        "cxx: encode(decode(b)) != canonical(b), " + first_difference(s.encoded, expected, base));
            else
                finding("lenient-misreads", "rpcgen", "",
                        "rpcgen accepted a " + std::string(policy::name(c_.deciding())) +
                            " wire but its value is not the low-8-bit reading: " +
                            first_difference(s.encoded, expected, base));
        }
    }

private:
    std::string reject_text(const Answers& a) const {
        return std::string(a.cxx_flag) + (a.cxx_offset ? " at " + hex_offset(*a.cxx_offset) : "");
    }

    // check_cxx_error: cxx's reason for rejecting names a flag the policy
    // finds in the wire; for the flags of one word (an element, the
    // discriminant), the first such word (cxx stops at the first error).
    // A payload cut short or left long inside a framed message is the
    // length's fault (length_mismatch).
    void check_cxx_error(const Answers& a) {
        auto flag = policy::flag_from_name(a.cxx_flag);
        if (flag && (*flag == policy::Flag::truncated || *flag == policy::Flag::trailing_bytes) &&
            c_.has(policy::Flag::length_mismatch))
            flag = policy::Flag::length_mismatch;
        const bool word_flag = flag && (*flag == policy::Flag::non_canonical_char ||
                                        *flag == policy::Flag::non_canonical_uchar ||
                                        *flag == policy::Flag::unknown_discriminant);
        if (flag && c_.has(*flag) && (!word_flag || a.cxx_offset == c_.first_offset[static_cast<std::size_t>(*flag)]))
            return;
        finding("error-disagrees", "cxx", "",
                "cxx rejected with " + reject_text(a) + ", which the policy does not find there (its first " +
                    std::string(a.cxx_flag) + " is elsewhere, or it has none)");
    }

    const Classification& c_;
    FastResult& r_;
};

// check_payload_natively decodes `payload` (at `base` in `wire`) with both
// decoders and judges them. The objects of direction D are reused.
template <class O>
void check_payload_natively(O& objects, bool_t (*proc)(XDR*, decltype(objects.c)*), Kind kind, ByteView wire,
                            std::size_t base, ByteView payload, const Classification& c, Answers& a, FastResult& r) {
    auto& s = scratch();
    const Direction d = *direction_of(kind);
    const bool same = s.last_direction == d &&
                      std::equal(payload.begin(), payload.end(), s.last_payload.begin(), s.last_payload.end());
    if (same) {
        a = s.last_answers;
        if (a.cxx_offset) *a.cxx_offset += base;
    } else {
        a.tirpc_ok = tirpc_decode(proc, payload, objects.c);
        note_cxx_rejection(cxx::decode_quiet(payload, objects.cxx), 0, a);
        s.last_answers = a;
        s.last_direction = d;
        s.last_payload.assign(payload.begin(), payload.end());
        if (a.cxx_offset) *a.cxx_offset += base;
    }
    Judge judge(c, r);
    judge.accept_reject(a);
    const bool must_accept = c.rule == DecoderRule::must_accept && a.tirpc_ok && a.cxx_ok;
    const bool lenient_reading = c.rule == DecoderRule::acceptable && a.tirpc_ok;
    if (!must_accept && !lenient_reading) return;
    rpcgen_bridge::from_c(objects.c, objects.tirpc);
    comparator::canonical_elements_into(kind, wire, c, s.expected);
    const ByteView expected = ByteView(s.expected).subspan(base, payload.size());
    judge.values(objects.tirpc, must_accept ? &objects.cxx : nullptr, expected, base);
}

void check_payload_kind(Kind kind, ByteView wire, std::size_t base, ByteView payload, const Classification& c,
                        Answers& a, FastResult& r) {
    auto& s = scratch();
    if (*direction_of(kind) == Direction::client)
        check_payload_natively(s.client, xdr_qemud_packet_client, kind, wire, base, payload, c, a, r);
    else
        check_payload_natively(s.server, xdr_qemud_packet_server, kind, wire, base, payload, c, a, r);
}

// HeaderAnswers: what the two header-struct decoders read from 8 bytes.
struct HeaderAnswers {
    bool tirpc_ok = false;
    bool cxx_ok = false;
    HeaderWords tirpc, cxx_words;
};

// header_answers decodes the profile's header struct with both decoders.
// The header target checks the same 8 bytes as a header and as both
// directions' messages: the last answers of each profile are kept and
// reused for the same bytes (the same decoders give the same answers).
HeaderAnswers header_answers(Framing framing, ByteView eight) {
    static std::array<std::pair<std::array<std::uint8_t, 8>, HeaderAnswers>, all_framings.size()> last{};
    static std::array<bool, all_framings.size()> filled{};
    const auto i = static_cast<std::size_t>(framing);
    if (filled[i] && std::equal(eight.begin(), eight.end(), last[i].first.begin())) return last[i].second;
    HeaderAnswers a;
    std::optional<CodecError> e;
    HeaderWords& tirpc = a.tirpc;
    HeaderWords& cxx_words = a.cxx_words;
    bool tirpc_ok;
    if (framing == Framing::seed) {
        ::qemud_packet_header h{};
        tirpc_ok = tirpc_decode(xdr_qemud_packet_header, eight, h);
        tirpc = {h.magic, h.length};
        model::qemud_packet_header m;
        e = cxx::decode(eight, m);
        cxx_words = {m.magic, m.length};
    } else {
        ::qemud_packet_header_libvirt_0_3 h{};
        tirpc_ok = tirpc_decode(xdr_qemud_packet_header_libvirt_0_3, eight, h);
        tirpc = {h.prog, h.length};
        model::qemud_packet_header_libvirt_0_3 m;
        e = cxx::decode(eight, m);
        cxx_words = {m.prog, m.length};
    }
    a.tirpc_ok = tirpc_ok;
    a.cxx_ok = !e;
    std::copy(eight.begin(), eight.end(), last[i].first.begin());
    last[i].second = a;
    filled[i] = true;
    return a;
}

// header_words_agree: both header-struct decoders read the profile's words.
bool header_words_agree(Framing framing, ByteView eight, FastResult& r, const Classification& c) {
    const HeaderWords want = framing_profile(framing).read(eight.data());
    const HeaderAnswers a = header_answers(framing, eight);
    Judge judge(c, r);
    if (!a.tirpc_ok || !(a.tirpc == want))
        judge.finding("header-disagrees", "rpcgen", "", "rpcgen's header struct is not the header's two words");
    if (!a.cxx_ok || !(a.cxx_words == want))
        judge.finding("header-disagrees", "cxx", "", "cxx's header struct is not the header's two words");
    return !r.suspicious();
}

}  // namespace

FastResult fast_check(Kind kind, ByteView wire, Framing framing) {
    FastResult r;
    Classification& c = scratch().classification;
    comparator::classify_into(kind, wire, framing, c);
    r.arm = c.arm;
    Answers a;
    const FramingProfile& profile = framing_profile(framing);
    const std::size_t h = profile.header_size();
    switch (kind) {
        case Kind::client:
        case Kind::server:
            check_payload_kind(kind, wire, 0, wire, c, a, r);
            break;
        case Kind::header:
            // The header struct is the only per-implementation part; the
            // size and the bare-header rules are shared (FramedCodec).
            if (wire.size() == h && header_words_agree(framing, wire, r, c))
                a.tirpc_ok = a.cxx_ok = !profile.check_bare(profile.read(wire.data()));
            a.framing_error = true;
            Judge(c, r).accept_reject(a);
            break;
        case Kind::client_message:
        case Kind::server_message: {
            const Direction d = *direction_of(kind);
            a.framing_error = true;
            if (wire.size() < h || !header_words_agree(framing, wire.first(h), r, c)) {
                Judge(c, r).accept_reject(a);
                break;
            }
            // FramedCodec's checks, by the predicates check_framed uses
            // (without building its error).
            const HeaderWords words = profile.read(wire.data());
            if (!profile.constant_ok(words) || profile.framed_length_flag(d, words.length) ||
                wire.size() - h != profile.payload_size(words)) {
                Judge(c, r).accept_reject(a);
                break;
            }
            a.framing_error = false;
            if (c.payload_unread) {
                // The summary skips a payload only behind a header the
                // checks above refuse; should the two ever part, read it.
                c.summary_only = false;
                comparator::classify_into(kind, wire, framing, c);
                c.summary_only = true;
            }
            check_payload_kind(kind, wire, h, wire.subspan(h), c, a, r);
            break;
        }
    }
    r.signature = signature(kind, framing, c, a);
    return r;
}

}  // namespace qemud::fuzz
