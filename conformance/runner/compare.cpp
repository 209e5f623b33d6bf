// SPDX-License-Identifier: Apache-2.0
#include "compare.h"

#include <cctype>
#include <cstdio>

#include "framing/framing.h"
#include "protocol_info/protocol_info.h"
#include "text_util.h"
#include "xdrc/analysis.h"

namespace qemud::conform {

namespace {

using xdr::ArrayKind;
using xdr::Declaration;
using xdr::PrimitiveType;
using xdr::TypeRef;

std::string show(const Json& j) { return excerpt(j.dump(-1, ' ', false, Json::error_handler_t::replace), 80); }

std::string join(const std::string& path, const std::string& member) {
    return path.empty() ? member : path + "." + member;
}

class Comparer {
public:
    explicit Comparer(const xdr::Specification& spec) : spec_(spec) {}

    std::optional<Difference> type(const TypeRef& raw, const Json& e, const Json& a, const std::string& path) {
        const TypeRef t = xdr::resolve_typedefs(spec_, raw);
        if (t.is_primitive()) return primitive(t.primitive(), e, a, path);
        const std::string& name = t.name();
        if (spec_.find_enum(name)) {
            if (!a.is_string()) return Difference{path, "expected the enum name " + show(e) + ", got " + show(a)};
            if (e != a) return Difference{path, "expected " + show(e) + ", got " + show(a)};
            return std::nullopt;
        }
        if (const auto* s = spec_.find_struct(name)) return structure(*s, e, a, path);
        if (const auto* u = spec_.find_union(name)) return union_(*u, e, a, path);
        if (const auto* td = spec_.find_typedef(name)) return declaration(td->declaration, e, a, path);
        return e == a ? std::nullopt : std::optional<Difference>(Difference{path, "expected " + show(e) + ", got " + show(a)});
    }

    std::optional<Difference> declaration(const Declaration& d, const Json& e, const Json& a, const std::string& path) {
        const TypeRef t = xdr::resolve_typedefs(spec_, d.type);
        const bool bytes_like = t.is_primitive() && (t.primitive() == PrimitiveType::char_ ||
                                                     t.primitive() == PrimitiveType::uchar ||
                                                     t.primitive() == PrimitiveType::opaque);
        switch (d.array) {
            case ArrayKind::none: return type(d.type, e, a, path);
            case ArrayKind::optional:
                if (e.is_null() || a.is_null())
                    return e == a ? std::nullopt
                                  : std::optional<Difference>(Difference{path, "expected " + show(e) + ", got " + show(a)});
                return type(d.type, e, a, path);
            case ArrayKind::fixed:
            case ArrayKind::variable:
                if (bytes_like) return hex(e, a, path);
                if (t.is_primitive() && t.primitive() == PrimitiveType::string)
                    return e == a ? std::nullopt
                                  : std::optional<Difference>(Difference{path, "expected " + show(e) + ", got " + show(a)});
                if (!a.is_array()) return Difference{path, "expected an array, got " + show(a)};
                if (a.size() != e.size())
                    return Difference{path, "expected " + std::to_string(e.size()) + " items, got " +
                                                std::to_string(a.size())};
                for (std::size_t i = 0; i < e.size(); ++i)
                    if (auto d2 = type(d.type, e[i], a[i], path + "[" + std::to_string(i) + "]")) return d2;
                return std::nullopt;
        }
        return std::nullopt;
    }

private:
    std::optional<Difference> primitive(PrimitiveType p, const Json& e, const Json& a, const std::string& path) {
        switch (p) {
            case PrimitiveType::int_:
            case PrimitiveType::uint_:
                if (!a.is_number_integer()) return Difference{path, "expected the JSON integer " + show(e) + ", got " + show(a)};
                break;
            case PrimitiveType::hyper:
            case PrimitiveType::uhyper:
                if (!a.is_string()) return Difference{path, "expected the decimal string " + show(e) + ", got " + show(a)};
                break;
            case PrimitiveType::char_:
            case PrimitiveType::uchar:
            case PrimitiveType::opaque: return hex(e, a, path);
            default: break;
        }
        if (e != a) return Difference{path, "expected " + show(e) + ", got " + show(a)};
        return std::nullopt;
    }

    std::optional<Difference> hex(const Json& e, const Json& a, const std::string& path) {
        if (!e.is_string()) return e == a ? std::nullopt : std::optional<Difference>(Difference{path, "expected " + show(e)});
        const std::string& es = e.get_ref<const std::string&>();
        if (!a.is_string() || !is_hex(a.get_ref<const std::string&>()))
            return Difference{path, "expected a hex string of " + std::to_string(es.size()) + " digits, got " + show(a)};
        const std::string as = lower_hex(a.get_ref<const std::string&>());
        const std::string el = lower_hex(es);
        for (std::size_t i = 0; i + 1 < el.size() && i + 1 < as.size(); i += 2)
            if (el.compare(i, 2, as, i, 2) != 0)
                return Difference{path + "[" + std::to_string(i / 2) + "]",
                                  "expected byte " + el.substr(i, 2) + ", got " + as.substr(i, 2)};
        if (as.size() != el.size())
            return Difference{path, "expected " + std::to_string(el.size() / 2) + " bytes, got " +
                                        std::to_string(as.size() / 2)};
        return std::nullopt;
    }

    std::optional<Difference> structure(const xdr::StructDef& s, const Json& e, const Json& a, const std::string& path) {
        if (!a.is_object()) return Difference{path, "expected an object, got " + show(a)};
        for (const auto& field : s.fields) {
            const std::string p = join(path, field.name);
            if (!a.contains(field.name)) return Difference{p, "missing member"};
            if (!e.is_object() || !e.contains(field.name)) return Difference{p, "unexpected member"};
            if (auto d = declaration(field, e.at(field.name), a.at(field.name), p)) return d;
        }
        for (const auto& [key, _] : a.items())
            if (!e.contains(key)) return Difference{join(path, key), "unexpected member"};
        return std::nullopt;
    }

    std::optional<Difference> union_(const xdr::UnionDef& u, const Json& e, const Json& a, const std::string& path) {
        if (!a.is_object()) return Difference{path, "expected an object, got " + show(a)};
        const std::string& disc = u.discriminant.name;
        const std::string dp = join(path, disc);
        if (!a.contains(disc)) return Difference{dp, "missing member"};
        if (!e.is_object() || !e.contains(disc)) return e == a ? std::nullopt : std::optional<Difference>(Difference{path, "expected " + show(e)});
        if (e.at(disc) != a.at(disc)) return Difference{dp, "expected " + show(e.at(disc)) + ", got " + show(a.at(disc))};
        const Declaration* arm = nullptr;
        for (const auto& c : u.cases)
            for (const auto& label : c.labels)
                if (e.at(disc).is_string() && label == e.at(disc).get_ref<const std::string&>()) arm = &c.arm;
        if (!arm && u.default_arm) arm = &*u.default_arm;
        if (arm && !arm->is_void) {
            const std::string mp = join(path, arm->name);
            if (!a.contains(arm->name)) return Difference{mp, "missing member"};
            if (!e.contains(arm->name)) return Difference{mp, "unexpected member"};
            if (auto d = declaration(*arm, e.at(arm->name), a.at(arm->name), mp)) return d;
        }
        for (const auto& [key, _] : a.items())
            if (!e.contains(key)) return Difference{join(path, key), "unexpected member"};
        return std::nullopt;
    }

    const xdr::Specification& spec_;
};

std::string field_at(std::size_t offset, const std::vector<FieldSpan>& layout) {
    const FieldSpan* best = nullptr;
    for (const auto& span : layout)
        if (offset >= span.offset && offset < span.offset + span.length && (!best || span.length <= best->length))
            best = &span;
    if (!best) return "";
    if (best->length > 8 && best->length % 4 == 0)
        return best->path + "[" + std::to_string((offset - best->offset) / 4) + "]";
    return best->path;
}

std::string word_at(const std::string& hex, std::size_t byte) {
    const std::size_t start = (byte / 4) * 8;
    if (start >= hex.size()) return "(end of wire)";
    return hex.substr(start, std::min<std::size_t>(8, hex.size() - start));
}

}  // namespace

std::optional<Difference> compare_value(Kind kind, const Json& expected, const Json& actual, Framing framing) {
    const auto direction = direction_of(kind);
    if (direction) return Comparer(ProtocolInfo::get().spec()).type(TypeRef{ProtocolInfo::get().payload_type(*direction)}, expected, actual, "");
    // The header kind: the framing profile's struct, from the .x file that declares it.
    const FramingProfile& profile = framing_profile(framing);
    return Comparer(profile.spec()).type(TypeRef{profile.header_type()}, expected, actual, "");
}

std::optional<Difference> compare_wire(const std::string& expected_hex, const std::string& actual_hex,
                                       const std::vector<FieldSpan>& layout) {
    if (expected_hex == actual_hex) return std::nullopt;
    std::size_t i = 0;
    while (i < expected_hex.size() && i < actual_hex.size() && expected_hex[i] == actual_hex[i]) ++i;
    const std::size_t byte = i / 2;
    char where[64];
    std::snprintf(where, sizeof where, "byte 0x%zx (%zu)", byte, byte);
    std::string w = where;
    const std::string field = field_at(byte, layout);
    if (!field.empty()) w += " in " + field;
    if (i == expected_hex.size() || i == actual_hex.size())
        return Difference{w, "wire is " + std::to_string(actual_hex.size() / 2) + " bytes, expected " +
                                 std::to_string(expected_hex.size() / 2)};
    return Difference{w, "expected word " + word_at(expected_hex, byte) + ", got " + word_at(actual_hex, byte)};
}

}  // namespace qemud::conform
