#include "executor.h"

#include "compare.h"
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
    std::string unsupported;
    bool broken = false;  // no usable reply: later steps would only repeat it
    void fail(const std::string& step, const std::string& why) {
        if (failure.empty()) failure = step + ": " + why;
    }
};

// check_decode_equal: decode must succeed and give the value.
void decode_must_give(Endpoint& ep, const Case& c, const Json& value, Steps& s) {
    Answer a = ep.decode(c.kind, c.wire);
    switch (a.type) {
        case Answer::Type::success:
            if (auto d = compare_value(c.kind, value, a.value)) s.fail("decode", d->to_string());
            break;
        case Answer::Type::error: s.fail("decode", "rejected a valid wire: " + excerpt(a.message, 300)); break;
        case Answer::Type::unsupported: s.unsupported = "unsupported op: decode"; break;
        case Answer::Type::broken: s.fail("decode", a.message), s.broken = true; break;
    }
}

void encode_must_give(Endpoint& ep, const Case& c, const std::string& wire, Steps& s) {
    Answer a = ep.encode(c.kind, *c.value);
    switch (a.type) {
        case Answer::Type::success:
            if (auto d = compare_wire(wire, a.wire, c.layout)) s.fail("encode", d->to_string());
            break;
        case Answer::Type::error: s.fail("encode", "refused a valid value: " + excerpt(a.message, 300)); break;
        case Answer::Type::unsupported:
            if (s.unsupported.empty()) s.unsupported = "unsupported op: encode";
            break;
        case Answer::Type::broken: s.fail("encode", a.message); break;
    }
}

std::string flag_list(const Case& c) {
    std::string out;
    for (const auto& f : c.flags) out += (out.empty() ? "" : ",") + f;
    return out.empty() ? "no flags" : out;
}

}  // namespace

CaseResult run_case(Endpoint& ep, const Case& c) {
    if (!ep.hello().kinds.count(c.kind))
        return {Status::skipped, "unsupported kind: " + std::string(to_string(c.kind))};
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
            Answer a = ep.decode(c.kind, c.wire);
            switch (a.type) {
                case Answer::Type::success:
                    s.fail("decode", "accepted an invalid wire (" + flag_list(c) + ") as " + show(a.value));
                    break;
                case Answer::Type::error: break;
                case Answer::Type::unsupported: s.unsupported = "unsupported op: decode"; break;
                case Answer::Type::broken: s.fail("decode", a.message), s.broken = true; break;
            }
            if (c.value && !s.broken) {  // a header built from a value: the encoder must refuse it
                Answer e = ep.encode(c.kind, *c.value);
                switch (e.type) {
                    case Answer::Type::success:
                        s.fail("encode", "encoded a value the policy refuses (" + flag_list(c) + ") as " + e.wire);
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
            Answer a = ep.decode(c.kind, c.wire);
            switch (a.type) {
                case Answer::Type::success:
                    if (auto d = compare_value(c.kind, *c.value, a.value))
                        s.fail("decode", "accepted an acceptable wire (" + flag_list(c) +
                                             ") but not as libtirpc decodes it: " + d->to_string());
                    else
                        return {Status::accepted, flag_list(c)};
                    break;
                case Answer::Type::error: return {Status::rejected, flag_list(c) + ": " + excerpt(a.message, 200)};
                case Answer::Type::unsupported: s.unsupported = "unsupported op: decode"; break;
                case Answer::Type::broken: s.fail("decode", a.message); break;
            }
            break;
        }
    }
    if (!s.failure.empty()) return {Status::failed, s.failure};
    if (!s.unsupported.empty()) return {Status::skipped, s.unsupported};
    return {Status::passed, ""};
}

}  // namespace qemud::conform
