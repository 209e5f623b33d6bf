// SPDX-License-Identifier: Apache-2.0
// emit_cxx.cpp: writes the C++ model of a Specification (namespace
// qemud::model). The model holds types and their description only: the
// runtime (reference/runtime/) encodes and decodes any type through
// visit_fields, visit_arm and select_arm, so no per-message code is written
// by hand or generated here.
#include <sstream>

#include "emitters.h"

namespace qemud::xdr {

namespace {

std::string primitive_cxx(PrimitiveType p) {
    switch (p) {
        case PrimitiveType::int_: return "std::int32_t";
        case PrimitiveType::uint_: return "std::uint32_t";
        case PrimitiveType::hyper: return "std::int64_t";
        case PrimitiveType::uhyper: return "std::uint64_t";
        case PrimitiveType::char_: return "char";
        case PrimitiveType::uchar: return "unsigned char";
        case PrimitiveType::bool_: return "bool";
        case PrimitiveType::float_: return "float";
        case PrimitiveType::double_: return "double";
        case PrimitiveType::opaque:
        case PrimitiveType::string: return "std::uint8_t";
    }
    return "void";
}

std::string base_cxx(const TypeRef& t) { return t.is_primitive() ? primitive_cxx(t.primitive()) : t.name(); }

std::string bound(const Declaration& d) { return d.size ? std::to_string(*d.size) + "u" : "0xFFFFFFFFu"; }

std::string declaration_cxx(const Declaration& d) {
    const bool is_opaque = d.type.is_primitive() && d.type.primitive() == PrimitiveType::opaque;
    const bool is_string = d.type.is_primitive() && d.type.primitive() == PrimitiveType::string;
    switch (d.array) {
        case ArrayKind::none: return base_cxx(d.type);
        case ArrayKind::fixed:
            if (is_opaque) return "::qemud::xdr::FixedOpaque<" + bound(d) + ">";
            return "std::array<" + base_cxx(d.type) + ", " + std::to_string(*d.size) + ">";
        case ArrayKind::variable:
            if (is_opaque) return "::qemud::xdr::VarOpaque<" + bound(d) + ">";
            if (is_string) return "::qemud::xdr::String<" + bound(d) + ">";
            return "::qemud::xdr::VarArray<" + base_cxx(d.type) + ", " + bound(d) + ">";
        case ArrayKind::optional: return "::qemud::xdr::Optional<" + base_cxx(d.type) + ">";
    }
    return "void";
}

// Alternatives of a union's std::variant: monostate, then one per non-void
// case in source order, then the default arm if it is not void.
struct Alternatives {
    std::vector<std::string> types{"std::monostate"};
    std::vector<std::size_t> of_case;  // alternative index per case
    std::size_t default_index = 0;
};

Alternatives alternatives_of(const UnionDef& u) {
    Alternatives a;
    for (const auto& c : u.cases) {
        if (c.arm.is_void) {
            a.of_case.push_back(0);
        } else {
            a.of_case.push_back(a.types.size());
            a.types.push_back(declaration_cxx(c.arm));
        }
    }
    if (u.default_arm && !u.default_arm->is_void) {
        a.default_index = a.types.size();
        a.types.push_back(declaration_cxx(*u.default_arm));
    }
    return a;
}

std::string discriminant_cxx(const Specification& spec, const UnionDef& u) {
    (void)spec;
    return base_cxx(u.discriminant.type);
}

class Emitter {
public:
    Emitter(const Specification& spec, std::string_view source) : spec_(spec), source_(source) {}

    std::string run() {
        out_ << generated_banner(source_) << "#pragma once\n\n"
             << "#include <array>\n#include <cstdint>\n#include <utility>\n#include <variant>\n\n"
             << "#include \"runtime/xdr_types.h\"\n\nnamespace qemud::model {\n\n";
        for (const auto& d : spec_.definitions) std::visit([&](const auto& def) { emit_type(def); }, d);
        out_ << "}  // namespace qemud::model\n\nnamespace qemud::xdr {\n\n";
        for (const auto& d : spec_.definitions) std::visit([&](const auto& def) { emit_traits(def); }, d);
        out_ << "}  // namespace qemud::xdr\n\nnamespace qemud::model {\n\n";
        for (const auto& d : spec_.definitions) std::visit([&](const auto& def) { emit_visitation(def); }, d);
        out_ << "}  // namespace qemud::model\n";
        return out_.str();
    }

private:
    // ---- types ----
    void emit_type(const ConstDef& c) {
        out_ << "inline constexpr std::int64_t " << c.name << " = " << c.value << ";\n";
    }
    void emit_type(const PassThrough&) {}  // C preprocessor lines are for rpcgen's C output only
    void emit_type(const EnumDef& e) {
        out_ << "\nenum class " << e.name << " : std::int32_t {\n";
        for (const auto& item : e.items) out_ << "    " << item.name << " = " << item.value << ",\n";
        out_ << "};\n";
    }
    void emit_type(const TypedefDef& t) {
        out_ << "\nusing " << t.declaration.name << " = " << declaration_cxx(t.declaration) << ";\n";
    }
    void emit_type(const StructDef& s) {
        out_ << "\nstruct " << s.name << " {\n";
        for (const auto& f : s.fields) out_ << "    " << declaration_cxx(f) << " " << f.name << "{};\n";
        out_ << "    bool operator==(const " << s.name << "&) const = default;\n};\n";
    }
    void emit_type(const UnionDef& u) {
        const Alternatives a = alternatives_of(u);
        out_ << "\n// " << u.name << ": `" << u.discriminant.name << "` selects the arm; `arm` holds it\n"
             << "// (std::monostate for a void arm).\nstruct " << u.name << " {\n    "
             << discriminant_cxx(spec_, u) << " " << u.discriminant.name << "{};\n    std::variant<";
        for (std::size_t i = 0; i < a.types.size(); ++i) out_ << (i ? ", " : "") << a.types[i];
        out_ << "> arm;\n    bool operator==(const " << u.name << "&) const = default;\n};\n";
    }

    // ---- traits (namespace qemud::xdr) ----
    void emit_traits(const ConstDef&) {}
    void emit_traits(const PassThrough&) {}
    void emit_traits(const TypedefDef&) {}
    void emit_traits(const StructDef&) {}
    void emit_traits(const EnumDef& e) {
        out_ << "template <>\nstruct EnumTraits<model::" << e.name << "> {\n"
             << "    static constexpr const char* name = \"" << e.name << "\";\n"
             << "    static constexpr std::array<std::pair<const char*, std::int32_t>, " << e.items.size()
             << "> items{{\n";
        for (const auto& item : e.items) out_ << "        {\"" << item.name << "\", " << item.value << "},\n";
        out_ << "    }};\n};\n\n";
    }
    void emit_traits(const UnionDef& u) {
        const Alternatives a = alternatives_of(u);
        std::size_t count = 0;
        for (const auto& c : u.cases) count += c.values.size();
        out_ << "template <>\nstruct UnionTraits<model::" << u.name << "> {\n"
             << "    static constexpr const char* name = \"" << u.name << "\";\n"
             << "    static constexpr const char* discriminant_member = \"" << u.discriminant.name << "\";\n"
             << "    static constexpr auto discriminant = &model::" << u.name << "::" << u.discriminant.name << ";\n"
             << "    static constexpr std::array<UnionArm, " << count << "> arms{{\n";
        for (std::size_t i = 0; i < u.cases.size(); ++i)
            for (const auto value : u.cases[i].values)
                out_ << "        {" << value << ", " << a.of_case[i] << ", \"" << u.cases[i].arm.name << "\"},\n";
        out_ << "    }};\n    static constexpr bool has_default = " << (u.default_arm ? "true" : "false") << ";\n"
             << "    static constexpr std::size_t default_alternative = " << a.default_index << ";\n"
             << "    static constexpr const char* default_member = \""
             << (u.default_arm ? u.default_arm->name : "") << "\";\n};\n\n";
    }

    // ---- visitation (namespace qemud::model, found by ADL) ----
    void emit_visitation(const ConstDef&) {}
    void emit_visitation(const PassThrough&) {}
    void emit_visitation(const TypedefDef&) {}
    void emit_visitation(const EnumDef&) {}
    void emit_visitation(const StructDef& s) {
        for (const char* constness : {"", "const "}) {
            out_ << "template <class V>\nvoid visit_fields(" << constness << s.name << "& value, V&& visitor) {\n";
            for (const auto& f : s.fields) out_ << "    visitor(\"" << f.name << "\", value." << f.name << ");\n";
            if (s.fields.empty()) out_ << "    (void)value;\n    (void)visitor;\n";
            out_ << "}\n";
        }
        out_ << "\n";
    }
    void emit_visitation(const UnionDef& u) {
        const Alternatives a = alternatives_of(u);
        const std::string disc = discriminant_cxx(spec_, u);
        // visit_arm: the arm `type` selects, if `arm` holds it.
        for (const char* constness : {"", "const "}) {
            out_ << "// visit_arm calls visitor(member, arm) for the arm the discriminant selects, or\n"
                 << "// visitor.void_arm() for a void one. It returns false when the discriminant has\n"
                 << "// no arm or `arm` holds another alternative.\n"
                 << "template <class V>\nbool visit_arm(" << constness << u.name << "& value, V&& visitor) {\n"
                 << "    switch (static_cast<std::int64_t>(value." << u.discriminant.name << ")) {\n";
            for (std::size_t i = 0; i < u.cases.size(); ++i) {
                for (const auto v : u.cases[i].values) out_ << "        case " << v << ":\n";
                emit_arm_call(u.cases[i].arm, a.of_case[i], "std::get<" + std::to_string(a.of_case[i]) +
                                                                ">(value.arm)", true);
            }
            out_ << "        default:\n";
            if (u.default_arm)
                emit_arm_call(*u.default_arm, a.default_index,
                              "std::get<" + std::to_string(a.default_index) + ">(value.arm)", true);
            else
                out_ << "            return false;\n";
            out_ << "    }\n}\n";
        }
        // select_arm: set the discriminant and make `arm` hold its alternative.
        out_ << "// select_arm sets the discriminant to `discriminant`, makes `arm` hold that\n"
             << "// arm's alternative (value-initialized) and visits it as visit_arm does. It\n"
             << "// returns false, changing nothing, when the discriminant has no arm.\n"
             << "template <class V>\nbool select_arm(" << u.name
             << "& value, std::int64_t discriminant, V&& visitor) {\n"
             << "    switch (discriminant) {\n";
        for (std::size_t i = 0; i < u.cases.size(); ++i) {
            for (const auto v : u.cases[i].values) out_ << "        case " << v << ":\n";
            out_ << "            value." << u.discriminant.name << " = static_cast<" << disc << ">(discriminant);\n";
            emit_arm_call(u.cases[i].arm, a.of_case[i],
                          "value.arm.template emplace<" + std::to_string(a.of_case[i]) + ">()", false);
        }
        out_ << "        default:\n";
        if (u.default_arm) {
            out_ << "            value." << u.discriminant.name << " = static_cast<" << disc << ">(discriminant);\n";
            emit_arm_call(*u.default_arm, a.default_index,
                          "value.arm.template emplace<" + std::to_string(a.default_index) + ">()", false);
        } else {
            out_ << "            return false;\n";
        }
        out_ << "    }\n}\n\n";
    }

    void emit_arm_call(const Declaration& arm, std::size_t alternative, const std::string& access, bool check) {
        if (check)
            out_ << "            if (value.arm.index() != " << alternative << ") return false;\n";
        if (arm.is_void) {
            if (!check) out_ << "            value.arm.template emplace<0>();\n";
            out_ << "            visitor.void_arm();\n";
        } else {
            out_ << "            visitor(\"" << arm.name << "\", " << access << ");\n";
        }
        out_ << "            return true;\n";
    }

    const Specification& spec_;
    std::string_view source_;
    std::ostringstream out_;
};

}  // namespace

std::string emit_cxx_model(const Specification& spec, std::string_view source_name) {
    return Emitter(spec, source_name).run();
}

}  // namespace qemud::xdr
