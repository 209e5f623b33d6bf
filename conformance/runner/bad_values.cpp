// SPDX-License-Identifier: Apache-2.0
#include "bad_values.h"

#include <functional>
#include <vector>

#include "arm_layout.h"
#include "sample_values.h"

namespace qemud::conform {

namespace {

using xdr::PrimitiveType;

// Site is one way to spoil the value: what it breaks and how.
struct Site {
    std::string rule;
    std::string path;
    std::function<void(Json&)> apply;
};

std::string join(const std::string& path, const std::string& member) {
    return path.empty() ? member : path + "." + member;
}

Json& at_path(Json& root, const std::vector<std::string>& members) {
    Json* j = &root;
    for (const auto& m : members) j = &(*j)[m];
    return *j;
}

// Sites of an integer member: out of range (by its type), not an integer,
// a string.
void integer_sites(std::vector<Site>& out, const std::vector<std::string>& parent, const std::string& member,
                   bool is_signed, std::uint64_t draw) {
    std::string path;
    for (const auto& p : parent) path = join(path, p);
    path = join(path, member);
    const auto set = [parent, member](Json bad) {
        return [parent, member, bad](Json& v) { at_path(v, parent)[member] = bad; };
    };
    if (is_signed)
        out.push_back({"int32_out_of_range", path,
                       set(draw & 1 ? Json(std::int64_t{2147483648}) : Json(std::int64_t{-2147483649}))});
    else
        out.push_back({"uint32_out_of_range", path, set(draw & 1 ? Json(-1) : Json(std::int64_t{4294967296}))});
    out.push_back({"non_integer_number", path, set(draw & 2 ? Json(1.5) : Json(1e3))});
    out.push_back({"string_for_integer", path, set(Json("42"))});
    out.push_back({"missing_member", path, [parent, member](Json& v) { at_path(v, parent).erase(member); }});
}

const char* const uint64_forms[] = {"-1", "01", "18446744073709551616", " 1", "+1", ""};
const char* const hex_rules[] = {"hex_too_short", "hex_too_long", "hex_odd_length", "hex_not_hex"};

std::string spoil_hex(const std::string& h, std::size_t rule) {
    switch (rule) {
        case 0: return h.substr(0, h.size() - 2);
        case 1: return h + "00";
        case 2: return h.substr(0, h.size() - 1);
        default: return "zz" + h.substr(2);
    }
}

Spoiled pick(const Json& value, std::vector<Site>& sites, std::uint64_t draw) {
    Site& s = sites[(draw >> 8) % sites.size()];
    Spoiled out{value, s.rule, s.path};
    s.apply(out.value);
    return out;
}

}  // namespace

Spoiled spoil_payload(const Json& value, const ArmInfo& arm, std::uint64_t draw) {
    const auto& info = ProtocolInfo::get();
    const auto* root = info.spec().find_struct(info.payload_type(arm.direction));
    const std::string data = root->fields.back().name;
    const std::string type = info.payload_union(arm.direction).discriminant.name;
    std::vector<Site> sites;
    for (const auto& field : root->fields)
        if (field.name != data) integer_sites(sites, {}, field.name, false, draw);
    sites.push_back({"missing_member", data, [data](Json& v) { v.erase(data); }});
    sites.push_back({"extra_member", "unknownMember", [](Json& v) { v["unknownMember"] = 0; }});
    sites.push_back({"missing_member", data + "." + type, [data, type](Json& v) { v[data].erase(type); }});
    const std::string max_name = info.discriminant_enum(arm.direction).items.back().name;
    const Json bad_types[] = {Json(max_name + "_NO_SUCH_ARM"), Json(max_name), Json(arm.value)};
    sites.push_back({"unknown_type", data + "." + type,
                     [data, type, bad = bad_types[(draw >> 2) % 3]](Json& v) { v[data][type] = bad; }});

    // Another arm with a body, for the union's member cases.
    const auto& arms = info.arms(arm.direction);
    const ArmInfo* other = nullptr;
    for (std::size_t k = 0; k < arms.size() && !other; ++k) {
        const ArmInfo& a = arms[((draw >> 16) + k) % arms.size()];
        if (!a.member.empty() && a.member != arm.member) other = &a;
    }
    if (other) {
        const Json body = samples::payload_value(*other, samples::Plan::zeros)[data][other->member];
        if (arm.member.empty())
            sites.push_back({"void_arm_member", data + "." + other->member,
                             [data, m = other->member, body](Json& v) { v[data][m] = body; }});
        else
            sites.push_back({"other_arm_member", data + "." + other->member,
                             [data, own = arm.member, m = other->member, body, beside = (draw >> 3) & 1](Json& v) {
                                 if (!beside) v[data].erase(own);
                                 v[data][m] = body;
                             }});
    }
    if (!arm.member.empty()) {
        const std::string body = data + "." + arm.member;
        sites.push_back({"missing_member", body, [data, m = arm.member](Json& v) { v[data].erase(m); }});
        sites.push_back({"extra_member", body + ".unknownMember",
                         [data, m = arm.member](Json& v) { v[data][m]["unknownMember"] = 0; }});
        const std::vector<std::string> parent{data, arm.member};
        for (const auto& f : testing::arm_fields(arm)) {
            const auto& d = f.declaration;
            if (!d.type.is_primitive()) continue;
            const std::string path = body + "." + f.name;
            if (d.array == xdr::ArrayKind::none && d.type.primitive() == PrimitiveType::int_) {
                integer_sites(sites, parent, f.name, true, draw);
            } else if (d.array == xdr::ArrayKind::none && d.type.primitive() == PrimitiveType::uint_) {
                integer_sites(sites, parent, f.name, false, draw);
            } else if (d.array == xdr::ArrayKind::none && d.type.primitive() == PrimitiveType::uhyper) {
                const std::size_t form = (draw >> 4) % (std::size(uint64_forms) + 1);
                const Json bad = form == std::size(uint64_forms) ? Json(1) : Json(uint64_forms[form]);
                sites.push_back({"non_canonical_uint64", path,
                                 [parent, n = f.name, bad](Json& v) { at_path(v, parent)[n] = bad; }});
            } else if (testing::is_byte_array(d, true) || testing::is_byte_array(d, false)) {
                const std::size_t rule = (draw >> 4) % std::size(hex_rules);
                sites.push_back({hex_rules[rule], path, [parent, n = f.name, rule](Json& v) {
                                     Json& h = at_path(v, parent)[n];
                                     h = spoil_hex(h.get<std::string>(), rule);
                                 }});
            }
        }
    }
    return pick(value, sites, draw);
}

Spoiled spoil_header(const Json& value, std::uint64_t draw) {
    std::vector<Site> sites;
    for (const auto& [member, _] : value.items()) integer_sites(sites, {}, member, false, draw);
    sites.push_back({"extra_member", "unknownMember", [](Json& v) { v["unknownMember"] = 0; }});
    return pick(value, sites, draw);
}

}  // namespace qemud::conform
