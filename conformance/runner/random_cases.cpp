// SPDX-License-Identifier: Apache-2.0
#include "random_cases.h"

#include <random>

#include "arm_layout.h"
#include "bad_values.h"
#include "codecs/registry.h"
#include "codecs/value_model.h"
#include "framing/framing.h"
#include "text_util.h"
#include "xdrc/analysis.h"

namespace qemud::conform {

namespace {

using xdr::ArrayKind;
using xdr::Declaration;
using xdr::PrimitiveType;
using xdr::TypeRef;

std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

class ValueDrawer {
public:
    explicit ValueDrawer(std::uint64_t seed) : rng_(seed), spec_(ProtocolInfo::get().spec()) {}

    Json payload(const ArmInfo& arm) {
        const auto* root = spec_.find_struct(ProtocolInfo::get().payload_type(arm.direction));
        Json out = Json::object();
        for (const auto& field : root->fields) {
            const TypeRef t = xdr::resolve_typedefs(spec_, field.type);
            if (!t.is_primitive() && spec_.find_union(t.name()) && field.array == ArrayKind::none)
                out[field.name] = union_on(*spec_.find_union(t.name()), &arm);
            else
                out[field.name] = declaration(field);
        }
        return out;
    }

    Json header(const FramingProfile& profile) {
        const std::uint32_t lo = profile.min_bare_length() / 4, hi = profile.max_bare_length() / 4;
        std::uint32_t words;
        switch (pick(4)) {
            case 0: words = lo; break;
            case 1: words = hi; break;
            default: words = lo + static_cast<std::uint32_t>(pick(hi - lo + 1));
        }
        return profile.to_json({profile.constant(), words * 4});
    }

private:
    std::uint64_t pick(std::uint64_t n) { return n == 0 ? 0 : rng_() % n; }
    bool chance(int percent) { return pick(100) < static_cast<std::uint64_t>(percent); }

    Json declaration(const Declaration& d) {
        const TypeRef type = xdr::resolve_typedefs(spec_, d.type);
        const bool primitive = type.is_primitive();
        const PrimitiveType p = primitive ? type.primitive() : PrimitiveType::int_;
        const bool bytes_like =
            primitive && (p == PrimitiveType::char_ || p == PrimitiveType::uchar || p == PrimitiveType::opaque);
        switch (d.array) {
            case ArrayKind::none: return scalar(type);
            case ArrayKind::optional: return chance(50) ? Json(nullptr) : scalar(type);
            case ArrayKind::fixed:
                if (bytes_like) return value_model::to_hex(bytes(*d.size).data(), *d.size);
                return items(type, *d.size);
            case ArrayKind::variable: {
                const std::uint32_t max = d.size.value_or(16);
                const auto n = static_cast<std::uint32_t>(chance(30) ? (chance(50) ? 0 : max) : pick(std::min<std::uint32_t>(max, 16) + 1));
                if (primitive && p == PrimitiveType::string) {
                    std::string s;
                    for (std::uint32_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + pick(26)));
                    return s;
                }
                if (bytes_like) return value_model::to_hex(bytes(n).data(), n);
                return items(type, n);
            }
        }
        return nullptr;
    }

    Json items(const TypeRef& type, std::uint32_t n) {
        Json out = Json::array();
        const int mode = static_cast<int>(pick(3));  // all zero, all one boundary, mixed
        const Json fixed = scalar(type);
        for (std::uint32_t i = 0; i < n; ++i) out.push_back(mode == 0 ? scalar_zero(type) : mode == 1 ? fixed : scalar(type));
        return out;
    }

    Json scalar_zero(const TypeRef& type) {
        if (type.is_primitive() && (type.primitive() == PrimitiveType::int_ || type.primitive() == PrimitiveType::uint_))
            return 0;
        return scalar(type);
    }

    std::string bytes(std::uint32_t n) {
        std::string b(n, '\0');
        switch (pick(7)) {
            case 0: break;  // all NUL
            case 1:         // NUL-padded text, as C strings fill these arrays
            case 2: {
                const auto len = static_cast<std::uint32_t>(pick(n + 1));
                for (std::uint32_t i = 0; i < len; ++i) b[i] = static_cast<char>(0x20 + pick(0x5f));
                break;
            }
            case 3:  // full, no NUL
                for (auto& c : b) c = static_cast<char>(0x21 + pick(0x5e));
                break;
            case 4:  // every byte >= 0x80 (sign-extended on the wire for char)
                for (auto& c : b) c = static_cast<char>(0x80 + pick(0x80));
                break;
            case 5: b.assign(n, '\xff'); break;
            default:
                for (auto& c : b) c = static_cast<char>(pick(256));
        }
        return b;
    }

    Json scalar(const TypeRef& type) {
        if (!type.is_primitive()) return named(type);
        const bool boundary = chance(60);
        switch (type.primitive()) {
            case PrimitiveType::int_: {
                static const std::int32_t edges[] = {0, 1, -1, INT32_MIN, INT32_MAX, INT32_MIN + 1, INT32_MAX - 1,
                                                     127, 128, -128, 255, 256, 65535, 65536};
                return boundary ? edges[pick(std::size(edges))] : static_cast<std::int32_t>(rng_());
            }
            case PrimitiveType::uint_: {
                static const std::uint32_t edges[] = {0, 1, 2, 0x7fffffffu, 0x80000000u, UINT32_MAX, UINT32_MAX - 1,
                                                      255, 256, 65535, 65536};
                return boundary ? edges[pick(std::size(edges))] : static_cast<std::uint32_t>(rng_());
            }
            case PrimitiveType::hyper: {
                static const std::int64_t edges[] = {0, 1, -1, INT64_MIN, INT64_MAX, (1LL << 53) + 1, -(1LL << 53) - 1,
                                                     0xffffffffLL, 0x100000000LL};
                return value_model::int64_json(boundary ? edges[pick(std::size(edges))]
                                                        : static_cast<std::int64_t>(rng_()));
            }
            case PrimitiveType::uhyper: {
                static const std::uint64_t edges[] = {0, 1, 0xffffffffULL, 0x100000000ULL, (1ULL << 53),
                                                      (1ULL << 53) + 1, (1ULL << 63), UINT64_MAX, UINT64_MAX - 1};
                return value_model::uint64_json(boundary ? edges[pick(std::size(edges))] : rng_());
            }
            case PrimitiveType::bool_: return chance(50);
            case PrimitiveType::float_:
            case PrimitiveType::double_: return static_cast<double>(pick(1000)) / 4.0;
            case PrimitiveType::char_:
            case PrimitiveType::uchar:
            case PrimitiveType::opaque: {
                const auto b = bytes(1);
                return value_model::to_hex(b.data(), 1);
            }
            default: return nullptr;
        }
    }

    Json named(const TypeRef& type) {
        const std::string& name = type.name();
        if (const auto* e = spec_.find_enum(name)) return e->items[pick(e->items.size())].name;
        if (const auto* s = spec_.find_struct(name)) {
            Json out = Json::object();
            for (const auto& field : s->fields) out[field.name] = declaration(field);
            return out;
        }
        if (const auto* u = spec_.find_union(name)) return union_on(*u, nullptr);
        if (const auto* t = spec_.find_typedef(name)) return declaration(t->declaration);
        return nullptr;
    }

    // union_on fills a union on the given arm, or a random one.
    Json union_on(const xdr::UnionDef& u, const ArmInfo* arm) {
        const xdr::UnionDef::Case* chosen = nullptr;
        std::string label;
        if (arm) {
            for (const auto& c : u.cases)
                for (std::size_t i = 0; i < c.values.size(); ++i)
                    if (c.values[i] == arm->value) chosen = &c, label = c.labels[i];
        } else {
            chosen = &u.cases[pick(u.cases.size())];
            label = chosen->labels[pick(chosen->labels.size())];
        }
        Json out = Json::object();
        out[u.discriminant.name] = arm ? Json(arm->name) : Json(label);
        if (chosen && !chosen->arm.is_void) out[chosen->arm.name] = declaration(chosen->arm);
        return out;
    }

    std::mt19937_64 rng_;
    const xdr::Specification& spec_;
};

}  // namespace

std::vector<FieldSpan> header_layout(Framing framing, const std::string& prefix) {
    const FramingProfile& p = framing_profile(framing);
    std::vector<FieldSpan> out{{p.constant_offset(), 4, prefix + p.constant_member()},
                               {p.length_offset(), 4, prefix + p.length_member()}};
    if (out[0].offset > out[1].offset) std::swap(out[0], out[1]);
    return out;
}

std::vector<FieldSpan> payload_layout(const ArmInfo& arm, bool message, Framing framing) {
    std::vector<FieldSpan> out;
    const auto& info = ProtocolInfo::get();
    const auto& spec = info.spec();
    const std::size_t base = message ? info.header_size() : 0;
    if (message) out = header_layout(framing, "header.");
    const auto* root = spec.find_struct(info.payload_type(arm.direction));
    std::size_t offset = 0;
    for (const auto& field : root->fields) {
        const TypeRef t = xdr::resolve_typedefs(spec, field.type);
        if (!t.is_primitive() && spec.find_union(t.name())) {
            const auto* u = spec.find_union(t.name());
            out.push_back({base + offset, 4, field.name + "." + u->discriminant.name});
            for (const auto& f : testing::arm_fields(arm))
                out.push_back({base + f.offset, f.size, field.name + "." + arm.member + "." + f.name});
            break;
        }
        const std::size_t size = xdr::wire_size(spec, field).max;
        out.push_back({base + offset, size, field.name});
        offset += size;
    }
    return out;
}

namespace {
// arm_list is all_arms() once: it is asked for every case.
const std::vector<ArmInfo>& arm_list() {
    static const std::vector<ArmInfo> arms = ProtocolInfo::get().all_arms();
    return arms;
}
}  // namespace

std::string random_case_name(std::size_t i, Framing framing) {
    const auto& arms = arm_list();
    const std::size_t entries = arms.size() + 1;  // every arm, then a bare header
    const std::size_t entry = i % entries;
    const bool message = (i / entries) % 2 == 1;
    // A framed kind's case outside the seed framing names its profile.
    const std::string profile = framing != Framing::seed ? std::string(to_string(framing)) + "/" : "";
    if (entry == arms.size()) return "random/" + profile + "header/header/" + std::to_string(i);
    const ArmInfo& arm = arms[entry];
    const Kind kind = message ? message_kind(arm.direction) : payload_kind(arm.direction);
    return "random/" + (message ? profile : std::string()) + std::string(to_string(kind)) + "/" + arm.name + "/" +
           std::to_string(i);
}

Case random_case(std::uint64_t seed, std::size_t i, Framing framing) {
    const auto& arms = arm_list();
    const std::size_t entries = arms.size() + 1;  // every arm, then a bare header
    const Codec& reference = reference_codec();
    {
        ValueDrawer draw(splitmix64(seed ^ splitmix64(i)));
        const std::size_t entry = i % entries;
        const bool message = (i / entries) % 2 == 1;
        Case c;
        c.expect = Expectation::valid;
        c.flags = {"random"};
        c.framing = framing;
        if (entry == arms.size()) {
            c.kind = Kind::header;
            c.message_type = "header";
            c.value = draw.header(framing_profile(framing));
            c.layout = header_layout(framing);
        } else {
            const ArmInfo& arm = arms[entry];
            c.kind = message ? message_kind(arm.direction) : payload_kind(arm.direction);
            c.message_type = arm.name;
            c.value = draw.payload(arm);
            c.layout = payload_layout(arm, message, framing);
        }
        c.name = random_case_name(i, framing);
        // One case in refusal_share asks the encoder to refuse a spoiled value.
        const std::uint64_t spoil = splitmix64(seed ^ splitmix64(i ^ 0x5bd1e995u));
        if (spoil % refusal_share == 0) {
            Spoiled bad = entry == arms.size() ? spoil_header(*c.value, spoil)
                                               : spoil_payload(*c.value, arms[entry], spoil);
            c.value = std::move(bad.value);
            c.flags = {"random", "unencodable_value", bad.rule};
            c.error_path = bad.path;
            c.comment = "a random value with " + bad.path + " spoiled (" + bad.rule + ")";
            c.layout.clear();
            auto refused = reference.encode(c.kind, *c.value, framing);
            if (refused.failed()) {
                c.expect = Expectation::invalid;
                c.has_wire = false;
            } else {
                c.comment = "internal: the reference (" + std::string(reference.name()) +
                            ") encoded a value it must refuse: " + c.comment;
            }
            return c;
        }
        auto wire = reference.encode(c.kind, *c.value, framing);
        if (wire.ok())
            c.wire = value_model::to_hex(wire.value());
        else
            c.comment = "internal: the reference (" + std::string(reference.name()) + ") refused the drawn value: " +
                        (wire.failed() ? wire.error().to_string() : wire.unsupported_reason().what);
        return c;
    }
}

}  // namespace qemud::conform
