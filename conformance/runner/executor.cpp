// SPDX-License-Identifier: Apache-2.0
#include "executor.h"

#include "codecs/value_model.h"
#include "compare.h"
#include "framing/framing.h"
#include "text_util.h"

namespace qemud::conform {

std::string_view to_string(Status status) {
    switch (status) {
        case Status::passed: return "passed";
        case Status::failed: return "failed";
        case Status::skipped: return "skipped";
        case Status::accepted: return "accepted";
        case Status::rejected: return "rejected";
    }
    return "?";
}

namespace {

std::string show(const Json& j) { return excerpt(j.dump(-1, ' ', false, Json::error_handler_t::replace), 120); }

// Steps collects the outcome of a case's requests.
struct Steps {
    std::string failure;
    std::optional<std::string> actual_wire;
    std::optional<Json> actual_value;
    std::string unsupported;
    bool broken = false;  // no usable reply: later steps would only repeat it
    // fail records a step's failure; a later step's is appended, so that a
    // valid case shows what both its decode and its encode did wrong.
    void fail(const std::string& step, const std::string& why) {
        failure += (failure.empty() ? "" : "; ") + step + ": " + why;
    }
};

bool is_framed(Kind kind) { return kind == Kind::header || is_message(kind); }

// framing_hint: for a framed case outside the seed framing, how its header
// reads, so that an implementation reading another layout sees why.
std::string framing_hint(const Case& c) {
    if (!is_framed(c.kind) || c.framing == Framing::seed) return "";
    const auto bytes = value_model::bytes_from_hex(c.wire);
    if (!bytes) return "";
    const std::string hint = framing_profile(c.framing).reading_hint(*bytes);
    return hint.empty() ? "" : " (the wire has " + hint + ")";
}

// framing_diagnosis: for a framed case whose encoding differs from the
// expected one in the header, which header words differ and how.
std::string framing_diagnosis(const Case& c, const std::string& expected_hex, const std::string& actual_hex) {
    if (!is_framed(c.kind)) return "";
    const auto expected = value_model::bytes_from_hex(expected_hex);
    const auto actual = value_model::bytes_from_hex(actual_hex);
    if (!expected || !actual) return "";
    const std::string why = framing_profile(c.framing).explain_mismatch(*expected, *actual);
    return why.empty() ? "" : " (" + why + ")";
}

std::string flag_list(const Case& c) {
    std::string out;
    for (const auto& f : c.flags) out += (out.empty() ? "" : ",") + f;
    return out.empty() ? "no flags" : out;
}

// decode_must_give: decode must succeed and give the value.
void decode_must_give(Endpoint& ep, const Case& c, const Json& value, Steps& s) {
    Answer a = ep.decode(c.kind, c.wire, c.framing);
    switch (a.type) {
        case Answer::Type::success:
            if (auto d = compare_value(c.kind, value, a.value, c.framing)) {
                s.fail("decode", d->to_string());
                s.actual_value = a.value;
            }
            break;
        case Answer::Type::error:
            // Which vector: its flags and comment say what the wire holds
            // (a decode-only zero-extended char, a boundary value, ...).
            s.fail("decode", "rejected a valid wire (" + flag_list(c) +
                                 (c.comment.empty() ? "" : "; " + excerpt(c.comment, 200)) +
                                 "): " + excerpt(a.message, 300) + framing_hint(c));
            break;
        case Answer::Type::unsupported: s.unsupported = "unsupported op: decode"; break;
        case Answer::Type::broken: s.fail("decode", a.message), s.broken = true; break;
    }
}

void encode_must_give(Endpoint& ep, const Case& c, const std::string& wire, Steps& s) {
    Answer a = ep.encode(c.kind, *c.value, c.framing);
    switch (a.type) {
        case Answer::Type::success:
            if (auto d = compare_wire(wire, a.wire, c.layout)) {
                s.fail("encode", d->to_string() + framing_diagnosis(c, wire, a.wire));
                s.actual_wire = a.wire;
            }
            break;
        case Answer::Type::error: s.fail("encode", "refused a valid value: " + excerpt(a.message, 300)); break;
        case Answer::Type::unsupported:
            if (s.unsupported.empty()) s.unsupported = "unsupported op: encode";
            break;
        case Answer::Type::broken: s.fail("encode", a.message); break;
    }
}

// refuse_value: a value to refuse (no wire): encode must fail.
void refuse_value(Endpoint& ep, const Case& c, Steps& s) {
    Answer e = ep.encode(c.kind, *c.value, c.framing);
    switch (e.type) {
        case Answer::Type::success:
            s.fail("encode", "encoded a value it must refuse (" + flag_list(c) + "): " +
                                 (c.error_path.empty() ? "" : c.error_path + " is wrong: ") + c.comment + "; it wrote " +
                                 excerpt(e.wire, 80));
            s.actual_wire = e.wire;
            break;
        case Answer::Type::error: break;
        case Answer::Type::unsupported: s.unsupported = "unsupported op: encode"; break;
        case Answer::Type::broken: s.fail("encode", e.message); break;
    }
}

}  // namespace

CaseResult run_case(Endpoint& ep, const Case& c) {
    if (!ep.hello().kinds.count(c.kind))
        return {Status::skipped, "unsupported kind: " + std::string(to_string(c.kind))};
    if (is_framed(c.kind) && !ep.hello().framings.count(c.framing))
        return {Status::skipped, "unsupported framing: " + std::string(to_string(c.framing)) +
                                     " (not in the hello reply's \"framings\")"};
    if (c.wire.empty() && c.expect == Expectation::valid && !c.comment.empty() && c.comment.rfind("internal:", 0) == 0)
        return {Status::failed, c.comment};

    Steps s;
    s.broken = false;
    switch (c.expect) {
        case Expectation::valid:
            decode_must_give(ep, c, *c.value, s);
            if (!s.broken) encode_must_give(ep, c, c.canonical_wire ? *c.canonical_wire : c.wire, s);
            break;
        case Expectation::invalid: {
            if (!c.has_wire) {
                refuse_value(ep, c, s);
                break;
            }
            Answer a = ep.decode(c.kind, c.wire, c.framing);
            switch (a.type) {
                case Answer::Type::success:
                    s.fail("decode", "accepted an invalid wire (" + flag_list(c) + ") as " + show(a.value));
                    s.actual_value = a.value;
                    break;
                case Answer::Type::error: break;
                case Answer::Type::unsupported: s.unsupported = "unsupported op: decode"; break;
                case Answer::Type::broken: s.fail("decode", a.message), s.broken = true; break;
            }
            if (c.value && !s.broken) {  // a header built from a value: the encoder must refuse it
                Answer e = ep.encode(c.kind, *c.value, c.framing);
                switch (e.type) {
                    case Answer::Type::success:
                        s.fail("encode", "encoded a value the policy refuses (" + flag_list(c) + ") as " + e.wire);
                        s.actual_wire = e.wire;
                        break;
                    case Answer::Type::error: break;
                    case Answer::Type::unsupported:
                        if (s.unsupported.empty()) s.unsupported = "unsupported op: encode";
                        break;
                    case Answer::Type::broken: s.fail("encode", e.message); break;
                }
            }
            break;
        }
        case Expectation::acceptable: {
            Answer a = ep.decode(c.kind, c.wire, c.framing);
            switch (a.type) {
                case Answer::Type::success:
                    if (auto d = compare_value(c.kind, *c.value, a.value, c.framing)) {
                        s.fail("decode", "accepted an acceptable wire (" + flag_list(c) +
                                             ") but not as libtirpc decodes it: " + d->to_string());
                        s.actual_value = a.value;
                    } else
                        return {Status::accepted, flag_list(c)};
                    break;
                case Answer::Type::error: return {Status::rejected, flag_list(c) + ": " + excerpt(a.message, 200)};
                case Answer::Type::unsupported: s.unsupported = "unsupported op: decode"; break;
                case Answer::Type::broken: s.fail("decode", a.message); break;
            }
            break;
        }
    }
    if (!s.failure.empty()) return {Status::failed, s.failure, s.actual_wire, s.actual_value};
    if (!s.unsupported.empty()) return {Status::skipped, s.unsupported};
    return {Status::passed, ""};
}

}  // namespace qemud::conform
