// SPDX-License-Identifier: Apache-2.0
// refusal_vectors.cpp: values an encoder must refuse (policy row
// unencodable_value). Each is a valid value with exactly one thing wrong:
// a member missing or unknown, another arm's member, an integer out of its
// type's range or not an integer, a uint64 that is not a canonical decimal
// string, hex of the wrong length or not hex, a type naming no arm. They
// have no wire: encode(value) must fail, naming the member (errorPath).
//
// Per arm they start from the realistic value. A large arm whose layout an
// earlier arm shares gets only the structural cases (its field-type cases
// would repeat the earlier arm's at 16-40 KB of hex each).
#include "arm_layout.h"
#include "sample_values.h"
#include "vectors.h"

namespace qemud::golden {

namespace {

using policy::Flag;
using samples::Plan;
using xdr::PrimitiveType;

const ProtocolInfo& info() { return ProtocolInfo::get(); }

std::string data_member(Direction d) {
    return info().spec().find_struct(info().payload_type(d))->fields.back().name;
}
std::string type_member(Direction d) { return info().payload_union(d).discriminant.name; }

// Refusal is one value to refuse and the member paths an error may name.
struct Refusal {
    std::string comment;
    std::string rule;  // the generator flag naming the rule
    Json value;
    std::vector<std::string> paths;  // the first is written as errorPath
};

Vector to_vector(Kind kind, Refusal r) {
    refuse_agreed(kind, r.value, r.comment, Framing::seed, r.paths);
    Vector v{std::move(r.comment), {flag(Flag::unencodable_value), std::move(r.rule)}, {}};
    v.has_wire = false;
    v.value = std::move(r.value);
    v.error_path = r.paths.front();
    return v;
}

std::string quoted(const Json& j) { return j.dump(); }

// The arm's first field of a primitive type (any when pred accepts it).
template <class Pred>
const testing::FieldLayout* first_field(const std::vector<testing::FieldLayout>& fields, Pred pred) {
    for (const auto& f : fields)
        if (f.declaration.type.is_primitive() && pred(f)) return &f;
    return nullptr;
}

bool scalar_of(const testing::FieldLayout& f, PrimitiveType t) {
    return f.declaration.array == xdr::ArrayKind::none && f.declaration.type.primitive() == t;
}

// field_cases: the cases about one field's value (range, number form,
// uint64 form, hex length and digits).
void field_cases(std::vector<Refusal>& out, const ArmInfo& arm, const Json& base) {
    const std::string body = data_member(arm.direction) + "." + arm.member;
    const auto fields = testing::arm_fields(arm);
    const auto with = [&](const testing::FieldLayout& f, Json bad, std::string rule, const std::string& what) {
        Json v = base;
        v[data_member(arm.direction)][arm.member][f.name] = bad;
        out.push_back({arm.name + " realistic value with " + body + "." + f.name + " " + what, std::move(rule),
                       std::move(v), {body + "." + f.name}});
    };
    if (const auto* f = first_field(fields, [](const auto& f) { return scalar_of(f, PrimitiveType::int_); })) {
        with(*f, Json(std::int64_t{2147483648}), "int32_out_of_range", "= 2147483648 (2^31)");
        with(*f, Json(std::int64_t{-2147483649}), "int32_out_of_range", "= -2147483649 (-2^31-1)");
    }
    if (const auto* f = first_field(fields, [](const auto& f) { return scalar_of(f, PrimitiveType::uint_); })) {
        with(*f, Json(-1), "uint32_out_of_range", "= -1");
        with(*f, Json(std::int64_t{4294967296}), "uint32_out_of_range", "= 4294967296 (2^32)");
    }
    if (const auto* f = first_field(fields, [](const auto& f) {
            return scalar_of(f, PrimitiveType::int_) || scalar_of(f, PrimitiveType::uint_);
        })) {
        with(*f, Json(1.5), "non_integer_number", "= 1.5");
        with(*f, Json(1e3), "non_integer_number", "= 1e3 (a whole number written as a float)");
        with(*f, Json("42"), "string_for_integer", "= \"42\" (a string)");
    }
    if (const auto* f = first_field(fields, [](const auto& f) { return scalar_of(f, PrimitiveType::uhyper); })) {
        for (const Json& bad : {Json("-1"), Json("01"), Json("18446744073709551616"), Json(1)})
            with(*f, bad, "non_canonical_uint64", "= " + quoted(bad));
    }
    for (const bool is_char : {true, false}) {
        const auto* f = first_field(fields, [&](const auto& f) { return testing::is_byte_array(f.declaration, is_char); });
        if (!f) continue;
        const std::string h = base[data_member(arm.direction)][arm.member][f->name].get<std::string>();
        const std::string n = std::to_string(*f->declaration.size);
        with(*f, Json(h.substr(0, h.size() - 2)), "hex_too_short", "one byte short (" + n + " - 1 bytes of hex)");
        with(*f, Json(h + "00"), "hex_too_long", "one byte long (" + n + " + 1 bytes of hex)");
        with(*f, Json(h.substr(0, h.size() - 1)), "hex_odd_length", "one digit short (odd length)");
        with(*f, Json("zz" + h.substr(2)), "hex_not_hex", "starting 'zz' (not hex)");
    }
}

// another_arm: the first arm of the direction after `arm` with a body and a
// member name other than arm's (wrapping round), the smallest such body
// first so the vector stays small.
const ArmInfo& another_arm(const ArmInfo& arm) {
    const ArmInfo* best = nullptr;
    for (const auto& other : info().arms(arm.direction))
        if (!other.member.empty() && other.member != arm.member &&
            (!best || other.payload_size < best->payload_size))
            best = &other;
    if (!best) throw GenerationError(arm.name + ": no other arm with a body");
    return *best;
}

Json arm_body(const ArmInfo& arm) {
    return samples::payload_value(arm, Plan::realistic)[data_member(arm.direction)][arm.member];
}

}  // namespace

void add_refusals(Group& g, const ArmInfo& arm, Kind kind) {
    const Json base = samples::payload_value(arm, Plan::realistic);
    const std::string data = data_member(arm.direction);
    std::vector<Refusal> cases;
    if (arm.member.empty()) {
        const ArmInfo& other = another_arm(arm);
        Json v = base;
        v[data][other.member] = arm_body(other);
        cases.push_back({arm.name + " (a void arm) carrying " + data + "." + other.member, "void_arm_member",
                         std::move(v), {data + "." + other.member}});
    } else {
        const std::string body = data + "." + arm.member;
        const auto fields = testing::arm_fields(arm);
        if (!fields.empty()) {
            Json v = base;
            v[data][arm.member].erase(fields.front().name);
            cases.push_back({arm.name + " realistic value without " + body + "." + fields.front().name,
                             "missing_member", std::move(v), {body + "." + fields.front().name}});
        }
        Json no_body = base;
        no_body[data].erase(arm.member);
        cases.push_back({arm.name + " without its arm member " + body, "missing_member", std::move(no_body), {body}});
        Json extra = base;
        extra[data][arm.member]["unknownMember"] = 0;
        cases.push_back({arm.name + " realistic value with an extra member " + body + ".unknownMember",
                         "extra_member", std::move(extra), {body + ".unknownMember"}});
        const ArmInfo& other = another_arm(arm);
        Json swapped = base;
        swapped[data].erase(arm.member);
        swapped[data][other.member] = arm_body(other);
        cases.push_back({arm.name + " carrying " + other.name + "'s member " + data + "." + other.member +
                             " instead of its own",
                         "other_arm_member", std::move(swapped), {data + "." + other.member, body}});
        Json beside = base;
        beside[data][other.member] = arm_body(other);
        cases.push_back({arm.name + " carrying " + other.name + "'s member " + data + "." + other.member +
                             " beside its own",
                         "other_arm_member", std::move(beside), {data + "." + other.member}});
        if (gets_large_edits(arm)) field_cases(cases, arm, base);
    }
    for (auto& r : cases) g.tests.push_back(to_vector(kind, std::move(r)));
}

Group refusal_group(Direction d) {
    const Kind kind = payload_kind(d);
    const std::string data = data_member(d);
    const std::string type = type_member(d);
    const auto& arms = info().arms(d);
    // The smallest void arm: its value is the payload prefix and a type.
    const ArmInfo* small = nullptr;
    for (const auto& arm : arms)
        if (arm.member.empty() && (!small || arm.payload_size < small->payload_size)) small = &arm;
    if (!small) throw GenerationError(std::string(to_string(d)) + ": no void arm");
    const Json base = samples::payload_value(*small, Plan::realistic);
    const std::string max_name = info().discriminant_enum(d).items.back().name;

    std::vector<Refusal> cases;
    const auto with_type = [&](Json t, const std::string& what) {
        Json v = base;
        v[data][type] = std::move(t);
        cases.push_back({data + "." + type + " " + what, "unknown_type", std::move(v), {data + "." + type}});
    };
    with_type(Json(max_name + "_NO_SUCH_ARM"), "names no arm (" + max_name + "_NO_SUCH_ARM)");
    with_type(Json(max_name), "is " + max_name + ", a count and not an arm");
    with_type(Json(small->value), "is the number " + std::to_string(small->value) + " (" + small->name +
                                      "'s value) instead of its name");
    const std::size_t of_no_arm = cases.size();  // a type that names no arm; the rest are small's values
    for (const auto& member : info().spec().find_struct(info().payload_type(d))->fields) {
        if (member.name == data) continue;
        for (const Json& bad : {Json(-1), Json(std::int64_t{4294967296})}) {
            Json v = base;
            v[member.name] = bad;
            cases.push_back({small->name + " with " + member.name + " = " + bad.dump() + " (a uint32)",
                             "uint32_out_of_range", std::move(v), {member.name}});
        }
        Json v = base;
        v.erase(member.name);
        cases.push_back({small->name + " without " + member.name, "missing_member", std::move(v), {member.name}});
    }
    Json no_data = base;
    no_data.erase(data);
    cases.push_back({small->name + " without " + data, "missing_member", std::move(no_data), {data}});
    Json no_type = base;
    no_type[data].erase(type);
    cases.push_back({small->name + " without " + data + "." + type, "missing_member", std::move(no_type),
                     {data + "." + type}});
    Json extra = base;
    extra["unknownMember"] = 0;
    cases.push_back({small->name + " with an extra top-level member unknownMember", "extra_member", std::move(extra),
                     {"unknownMember"}});

    Group g{"", "unencodable_value", d, std::nullopt, {}};
    for (std::size_t i = 0; i < cases.size(); ++i) {
        Vector v = to_vector(kind, std::move(cases[i]));
        if (i >= of_no_arm) v.arm = small->name;
        g.tests.push_back(std::move(v));
    }
    return g;
}

}  // namespace qemud::golden
