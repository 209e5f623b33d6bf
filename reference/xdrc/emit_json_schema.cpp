// SPDX-License-Identifier: Apache-2.0
// emit_json_schema.cpp: a JSON Schema (draft 2020-12) of the JSON value
// model (docs/VALUE-MODEL.md) of every type of one or more specifications,
// optionally placed inside an envelope document that says where the types
// are used (the golden vector files: qemud-golden --schema-envelope).
//
// The rules follow the dynamic implementation's encoder
// (codecs/dynamic/json_to_wire.cpp), which accepts exactly the model:
// integers in range, 64-bit integers as plain decimal strings, fixed char
// and unsigned char arrays as hex of exactly 2N digits (minLength and
// maxLength, not a regex count: Go's RE2 refuses counts above 1000),
// objects with exactly their members. Hex is lowercase, as every decoder
// writes it. What
// a schema cannot see is left to the encoders: JSON Schema's integer is a
// value, so 1000.0 passes as an integer although it is not an integer token,
// and maxLength counts characters where string<N> counts bytes.
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "analysis.h"
#include "emitters.h"

namespace qemud::xdr {

namespace {

using OJson = nlohmann::ordered_json;

std::string def_ref(const std::string& name) { return "#/$defs/" + name; }

// decimal_alternatives: regex alternatives matching the decimal numbers
// 1..max (0 too when with_zero) written without a sign or leading zero.
// One alternative per digit of max that can be lower, so the pattern stays
// a plain regex every engine (ECMA-262, RE2, Rust's regex) accepts.
std::string decimal_alternatives(const std::string& max, bool with_zero) {
    std::vector<std::string> out;
    if (with_zero) out.push_back("0");
    const std::size_t length = max.size();
    if (length > 2) out.push_back("[1-9][0-9]{0," + std::to_string(length - 2) + "}");
    if (length == 2) out.push_back("[1-9]");
    for (std::size_t i = 0; i < length; ++i) {
        const char low = i == 0 ? '1' : '0';
        if (max[i] <= low) continue;
        const char high = char(max[i] - 1);
        std::string alt = max.substr(0, i) + (low == high ? std::string(1, low) : std::string{'[', low, '-', high, ']'});
        if (i + 2 == length) alt += "[0-9]";
        if (i + 2 < length) alt += "[0-9]{" + std::to_string(length - i - 1) + "}";
        out.push_back(alt);
    }
    out.push_back(max);
    std::string joined;
    for (const auto& alt : out) joined += (joined.empty() ? "" : "|") + alt;
    return joined;
}

OJson hex_bytes(std::optional<std::uint64_t> exact, std::optional<std::uint64_t> at_most) {
    OJson s = {{"type", "string"}};
    if (exact) {
        s["pattern"] = "^[0-9a-f]*$";
        s["minLength"] = *exact * 2;
        s["maxLength"] = *exact * 2;
    } else {
        s["pattern"] = "^([0-9a-f]{2})*$";
        if (at_most) s["maxLength"] = *at_most * 2;
    }
    return s;
}

class Emitter {
public:
    explicit Emitter(const std::vector<const Specification*>& specs) : specs_(specs) {}

    // types gives one $def per enum, struct, union and typedef, and one per
    // union arm ("<union>.<first label>", "<union>.default").
    OJson types() {
        OJson defs = OJson::object();
        for (const auto* spec : specs_) {
            spec_ = spec;
            for (const auto& d : spec->definitions) std::visit([&](const auto& def) { add(defs, def); }, d);
        }
        return defs;
    }

private:
    void put(OJson& defs, const std::string& name, OJson schema) {
        if (defs.contains(name)) throw std::runtime_error("two definitions of " + name);
        defs[name] = std::move(schema);
    }

    void add(OJson&, const ConstDef&) {}
    void add(OJson&, const PassThrough&) {}
    void add(OJson& defs, const EnumDef& e) {
        OJson names = OJson::array();
        for (const auto& item : e.items) names.push_back(item.name);
        put(defs, e.name, {{"enum", names}});
    }
    void add(OJson& defs, const TypedefDef& t) { put(defs, t.declaration.name, declaration(t.declaration)); }
    void add(OJson& defs, const StructDef& s) {
        OJson required = OJson::array();
        OJson properties = OJson::object();
        for (const auto& f : s.fields) {
            required.push_back(f.name);
            properties[f.name] = declaration(f);
        }
        put(defs, s.name,
            {{"type", "object"}, {"required", required}, {"properties", properties}, {"additionalProperties", false}});
    }
    void add(OJson& defs, const UnionDef& u) {
        OJson arms = OJson::array();
        OJson listed = OJson::array();  // every case's discriminant, for the default arm
        for (const auto& c : u.cases) {
            OJson discriminants = OJson::array();
            for (const auto value : c.values) {
                for (auto& j : discriminant_json(u, value)) {
                    discriminants.push_back(j);
                    listed.push_back(j);
                }
            }
            OJson type = discriminants.size() == 1 ? OJson{{"const", discriminants[0]}} : OJson{{"enum", discriminants}};
            const std::string name = u.name + "." + c.labels.front();
            put(defs, name, arm(u, type, c.arm));
            arms.push_back({{"$ref", def_ref(name)}});
        }
        if (u.default_arm) {
            OJson type = {{"allOf", OJson::array({declaration(u.discriminant), {{"not", {{"enum", listed}}}}})}};
            const std::string name = u.name + ".default";
            put(defs, name, arm(u, type, *u.default_arm));
            arms.push_back({{"$ref", def_ref(name)}});
        }
        // oneOf over the arms: the discriminant member is a const in each,
        // so exactly one arm can match, the shape code generators read as a
        // tagged union.
        put(defs, u.name, {{"oneOf", arms}});
    }

    OJson arm(const UnionDef& u, const OJson& discriminant, const Declaration& d) const {
        OJson required = OJson::array({u.discriminant.name});
        OJson properties = {{u.discriminant.name, discriminant}};
        if (!d.is_void) {
            required.push_back(d.name);
            properties[d.name] = declaration(d);
        }
        return {{"type", "object"}, {"required", required}, {"properties", properties}, {"additionalProperties", false}};
    }

    // discriminant_json: how a discriminant value is written: every enum
    // name with that value (encoders accept each), or the number, or a bool.
    std::vector<OJson> discriminant_json(const UnionDef& u, std::int64_t value) const {
        const TypeRef type = resolve_typedefs(*spec_, u.discriminant.type);
        if (!type.is_primitive()) {
            std::vector<OJson> names;
            if (const auto* e = spec_->find_enum(type.name()))
                for (const auto& item : e->items)
                    if (item.value == value) names.emplace_back(item.name);
            return names;
        }
        if (type.primitive() == PrimitiveType::bool_) return {OJson(value != 0)};
        return {OJson(value)};
    }

    static OJson primitive(PrimitiveType p) {
        switch (p) {
            case PrimitiveType::int_:
                return {{"type", "integer"}, {"minimum", INT32_MIN}, {"maximum", INT32_MAX}};
            case PrimitiveType::uint_: return {{"type", "integer"}, {"minimum", 0}, {"maximum", UINT32_MAX}};
            case PrimitiveType::hyper:
                return {{"type", "string"},
                        {"pattern", "^(" + decimal_alternatives("9223372036854775807", true) + "|-(" +
                                        decimal_alternatives("9223372036854775808", false) + "))$"}};
            case PrimitiveType::uhyper:
                return {{"type", "string"}, {"pattern", "^(" + decimal_alternatives("18446744073709551615", true) + ")$"}};
            case PrimitiveType::char_:
            case PrimitiveType::uchar: return hex_bytes(1, std::nullopt);  // a one-byte array
            case PrimitiveType::bool_: return {{"type", "boolean"}};
            case PrimitiveType::float_:
            case PrimitiveType::double_: return {{"type", "number"}};
            case PrimitiveType::opaque:
            case PrimitiveType::string: break;  // only inside an array declaration
        }
        return OJson::object();
    }

    OJson type(const TypeRef& t) const { return t.is_primitive() ? primitive(t.primitive()) : OJson{{"$ref", def_ref(t.name())}}; }

    bool is_byte(const TypeRef& t) const {
        const TypeRef r = resolve_typedefs(*spec_, t);
        return r.is_primitive() && (r.primitive() == PrimitiveType::char_ || r.primitive() == PrimitiveType::uchar);
    }

    OJson declaration(const Declaration& d) const {
        const bool opaque = d.type.is_primitive() &&
                            (d.type.primitive() == PrimitiveType::opaque || d.type.primitive() == PrimitiveType::string);
        const bool string = d.type.is_primitive() && d.type.primitive() == PrimitiveType::string;
        switch (d.array) {
            case ArrayKind::none: return type(d.type);
            case ArrayKind::fixed:
                if (opaque || is_byte(d.type)) return hex_bytes(d.size.value_or(0), std::nullopt);
                return {{"type", "array"}, {"items", type(d.type)}, {"minItems", d.size.value_or(0)},
                        {"maxItems", d.size.value_or(0)}};
            case ArrayKind::variable: {
                if (string) {
                    OJson s = {{"type", "string"}};
                    if (d.size) s["maxLength"] = *d.size;
                    return s;
                }
                if (opaque) return hex_bytes(std::nullopt, d.size);
                OJson s = {{"type", "array"}, {"items", type(d.type)}};
                if (d.size) s["maxItems"] = *d.size;
                return s;
            }
            case ArrayKind::optional: return {{"anyOf", OJson::array({{{"type", "null"}}, type(d.type)})}};
        }
        return OJson::object();
    }

    const std::vector<const Specification*>& specs_;
    const Specification* spec_ = nullptr;
};

// check_refs throws on a "#/$defs/..." reference that names no definition,
// so an envelope and the .x files cannot drift apart unnoticed.
void check_refs(const OJson& node, const OJson& defs) {
    if (node.is_object()) {
        for (const auto& [key, value] : node.items()) {
            if (key == "$ref" && value.is_string()) {
                const std::string ref = value.get<std::string>();
                const std::string prefix = "#/$defs/";
                if (ref.rfind(prefix, 0) == 0 && !defs.contains(ref.substr(prefix.size())))
                    throw std::runtime_error("the reference " + ref + " names no definition");
            }
            check_refs(value, defs);
        }
    } else if (node.is_array()) {
        for (const auto& value : node) check_refs(value, defs);
    }
}

// flat: j on one line, with a space after each ':' and ','.
std::string flat(const OJson& j) {
    if (!j.is_structured() || j.empty()) return j.dump();
    std::string out = j.is_object() ? "{" : "[";
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (it != j.begin()) out += ", ";
        if (j.is_object()) out += OJson(it.key()).dump() + ": ";
        out += flat(*it);
    }
    return out + (j.is_object() ? "}" : "]");
}

// pretty: one line for any part that fits in `width` columns, one line per
// member or item above that. Stable, and readable where dump(2) would give
// a line per array item.
void pretty(const OJson& j, std::size_t indent, std::string& out) {
    constexpr std::size_t width = 120;
    const std::string line = flat(j);
    if (!j.is_structured() || j.empty() || indent + line.size() <= width) {
        out += line;
        return;
    }
    const std::string pad(indent + 2, ' ');
    out += j.is_object() ? "{\n" : "[\n";
    std::size_t i = 0;
    for (auto it = j.begin(); it != j.end(); ++it, ++i) {
        out += pad;
        if (j.is_object()) out += OJson(it.key()).dump() + ": ";
        pretty(*it, indent + 2, out);
        out += i + 1 < j.size() ? ",\n" : "\n";
    }
    out += std::string(indent, ' ') + (j.is_object() ? "}" : "]");
}

}  // namespace

std::string emit_json_schema(const std::vector<const Specification*>& specs,
                             const std::vector<std::string>& source_names, const std::string* envelope_text) {
    std::string sources;
    for (std::size_t i = 0; i < source_names.size(); ++i)
        sources += (i == 0 ? "" : i + 1 == source_names.size() ? " and " : ", ") + source_names[i];
    std::string comment = "Generated by xdrc from " + sources + ". Do not edit.";
    OJson types = Emitter(specs).types();

    OJson envelope = OJson::object();
    if (envelope_text) {
        envelope = OJson::parse(*envelope_text);  // throws nlohmann::json::parse_error
        if (!envelope.is_object()) throw std::runtime_error("the envelope is not a JSON object");
    }
    // The envelope's own members keep their order; xdrc's comment comes
    // after $schema and $id, and the types after the envelope's $defs.
    OJson out = OJson::object();
    out["$schema"] = envelope.value("$schema", "https://json-schema.org/draft/2020-12/schema");
    if (envelope.contains("$id")) out["$id"] = envelope["$id"];
    if (envelope.contains("$comment")) comment += " " + envelope["$comment"].get<std::string>();
    out["$comment"] = comment;
    if (!envelope_text) out["title"] = "The JSON value model of " + sources;
    for (const auto& [key, value] : envelope.items())
        if (key != "$schema" && key != "$id" && key != "$comment" && key != "$defs") out[key] = value;
    OJson defs = envelope.value("$defs", OJson::object());
    for (const auto& [name, schema] : types.items()) {
        if (defs.contains(name)) throw std::runtime_error("the envelope and the .x files both define " + name);
        defs[name] = schema;
    }
    out["$defs"] = defs;
    check_refs(out, defs);

    std::string text;
    pretty(out, 0, text);
    return text + "\n";
}

}  // namespace qemud::xdr
