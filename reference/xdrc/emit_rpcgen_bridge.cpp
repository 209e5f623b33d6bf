// SPDX-License-Identifier: Apache-2.0
// emit_rpcgen_bridge.cpp: writes C++ that copies values between the C++
// model (emit_cxx.cpp) and the C structs rpcgen generates from the same
// file, so the "rpcgen" implementation can take and give model values
// while libtirpc alone does the encoding.
//
// It follows rpcgen's C naming: a union U's arms live in `U_u`, enums and
// structs keep their names, fixed arrays are C arrays.
#include <sstream>

#include "emitters.h"

namespace qemud::xdr {

namespace {

bool is_byte_element(const TypeRef& t) {
    return t.is_primitive() && (t.primitive() == PrimitiveType::char_ || t.primitive() == PrimitiveType::uchar);
}

class BridgeEmitter {
public:
    BridgeEmitter(const Specification& spec, std::string_view source) : spec_(spec), source_(source) {}

    std::string run() {
        for (const auto& d : spec_.definitions) std::visit([&](const auto& def) { check(def); }, d);
        out_ << generated_banner(source_) << "// Include after protocol_model.gen.h: rpcgen's header #defines the\n"
             << "// protocol's constants, which would rewrite the model's names.\n"
             << "#include <cstring>\n#include <variant>\n\n#include \"protocol_model.gen.h\"\n\n"
             << "extern \"C\" {\n#include \"protocol.h\"\n}\n\nnamespace qemud::rpcgen_bridge {\n\n";
        for (const auto& d : spec_.definitions) std::visit([&](const auto& def) { declare(def); }, d);
        out_ << "\n";
        for (const auto& d : spec_.definitions) std::visit([&](const auto& def) { define(def); }, d);
        out_ << "}  // namespace qemud::rpcgen_bridge\n";
        return problems_.str() + out_.str();
    }

private:
    // rpcgen gives variable arrays, strings, opaque and optionals C shapes
    // (x_len / x_val, char *) that this bridge does not copy yet; the
    // generated file then fails to compile with a message naming the field.
    void check_declaration(const std::string& owner, const Declaration& d) {
        if (d.is_void) return;
        const bool bytes = d.type.is_primitive() && (d.type.primitive() == PrimitiveType::opaque ||
                                                     d.type.primitive() == PrimitiveType::string);
        if (d.array == ArrayKind::variable || d.array == ArrayKind::optional || bytes)
            problems_ << "#error \"xdrc rpcgen-bridge: " << owner << "." << d.name
                      << ": variable-length arrays, strings, opaque and optional data are not bridged yet\"\n";
    }
    void check(const StructDef& s) {
        for (const auto& f : s.fields) check_declaration(s.name, f);
    }
    void check(const UnionDef& u) {
        for (const auto& c : u.cases) check_declaration(u.name, c.arm);
        if (u.default_arm) check_declaration(u.name, *u.default_arm);
    }
    void check(const TypedefDef& t) { check_declaration("typedef", t.declaration); }
    template <class T>
    void check(const T&) {}

    template <class T>
    void declare(const T&) {}
    void declare(const StructDef& s) { declare_pair(s.name); }
    void declare(const UnionDef& u) { declare_pair(u.name); }
    void declare_pair(const std::string& name) {
        out_ << "inline void to_c(const model::" << name << "& in, ::" << name << "& out);\n"
             << "inline void from_c(const ::" << name << "& in, model::" << name << "& out);\n";
    }

    template <class T>
    void define(const T&) {}
    void define(const StructDef& s) {
        out_ << "inline void to_c(const model::" << s.name << "& in, ::" << s.name << "& out) {\n";
        for (const auto& f : s.fields) copy(f, "in." + f.name, "out." + f.name, true);
        if (s.fields.empty()) out_ << "    (void)in;\n    (void)out;\n";
        out_ << "}\ninline void from_c(const ::" << s.name << "& in, model::" << s.name << "& out) {\n";
        for (const auto& f : s.fields) copy(f, "in." + f.name, "out." + f.name, false);
        if (s.fields.empty()) out_ << "    (void)in;\n    (void)out;\n";
        out_ << "}\n\n";
    }
    void define(const UnionDef& u) {
        const std::string disc = u.discriminant.name;
        // to_c: the model's variant holds the arm the discriminant selects
        // (the model's JSON reader and select_arm guarantee it; std::get
        // throws if not, and the adapter reports that as a failure).
        out_ << "inline void to_c(const model::" << u.name << "& in, ::" << u.name << "& out) {\n"
             << "    out." << disc << " = " << c_cast(u.discriminant.type, "in." + disc) << ";\n"
             << "    switch (static_cast<std::int64_t>(in." << disc << ")) {\n";
        std::size_t next_alternative = 1;
        for (const auto& c : u.cases) {
            for (const auto v : c.values) out_ << "        case " << v << ":\n";
            emit_to_c_arm(u, c.arm, c.arm.is_void ? 0 : next_alternative);
            if (!c.arm.is_void) ++next_alternative;
        }
        out_ << "        default:\n";
        if (u.default_arm)
            emit_to_c_arm(u, *u.default_arm, u.default_arm->is_void ? 0 : next_alternative);
        else
            out_ << "            break;\n";
        out_ << "    }\n}\n";
        // from_c: select the arm by the C discriminant, then copy its member.
        out_ << "inline void from_c(const ::" << u.name << "& in, model::" << u.name << "& out) {\n"
             << "    switch (static_cast<std::int64_t>(in." << disc << ")) {\n";
        std::size_t alternative = 1;
        for (const auto& c : u.cases) {
            for (const auto v : c.values) out_ << "        case " << v << ":\n";
            emit_from_c_arm(u, c.arm, c.arm.is_void ? 0 : alternative);
            if (!c.arm.is_void) ++alternative;
        }
        out_ << "        default:\n";
        if (u.default_arm)
            emit_from_c_arm(u, *u.default_arm, u.default_arm->is_void ? 0 : alternative);
        else
            out_ << "            break;\n";
        out_ << "    }\n}\n\n";
    }

    void emit_to_c_arm(const UnionDef& u, const Declaration& arm, std::size_t alternative) {
        if (!arm.is_void) {
            out_ << "            {\n                const auto& source = std::get<" << alternative << ">(in.arm);\n";
            indent_ = "                ";
            copy(arm, "source", "out." + u.name + "_u." + arm.name, true);
            indent_ = "    ";
            out_ << "            }\n";
        }
        out_ << "            break;\n";
    }

    void emit_from_c_arm(const UnionDef& u, const Declaration& arm, std::size_t alternative) {
        out_ << "            out." << u.discriminant.name << " = "
             << model_cast(u.discriminant.type, "in." + u.discriminant.name) << ";\n";
        if (arm.is_void) {
            out_ << "            out.arm.template emplace<0>();\n";
        } else {
            out_ << "            {\n                auto& target = out.arm.template emplace<" << alternative << ">();\n";
            indent_ = "                ";
            copy(arm, "in." + u.name + "_u." + arm.name, "target", false);
            indent_ = "    ";
            out_ << "            }\n";
        }
        out_ << "            break;\n";
    }

    std::string c_cast(const TypeRef& t, const std::string& expr) const {
        if (!t.is_primitive() && spec_.find_enum(t.name())) return "static_cast<::" + t.name() + ">(" + expr + ")";
        return expr;
    }
    std::string model_cast(const TypeRef& t, const std::string& expr) const {
        if (!t.is_primitive() && spec_.find_enum(t.name()))
            return "static_cast<model::" + t.name() + ">(" + expr + ")";
        return expr;
    }
    bool is_aggregate(const TypeRef& t) const {
        return !t.is_primitive() && (spec_.find_struct(t.name()) || spec_.find_union(t.name()));
    }

    // copy writes the statements copying one declaration from `from` to `to`.
    void copy(const Declaration& d, const std::string& from, const std::string& to, bool to_c) {
        const auto convert = [&](const std::string& a, const std::string& b) {
            if (is_aggregate(d.type)) return std::string(to_c ? "to_c(" : "from_c(") + a + ", " + b + ");";
            return b + " = " + (to_c ? c_cast(d.type, a) : model_cast(d.type, a)) + ";";
        };
        if (d.array == ArrayKind::none) {
            out_ << indent_ << convert(from, to) << "\n";
        } else if (is_byte_element(d.type)) {
            const std::string n = std::to_string(*d.size);
            if (to_c)
                out_ << indent_ << "std::memcpy(" << to << ", " << from << ".data(), " << n << ");\n";
            else
                out_ << indent_ << "std::memcpy(" << to << ".data(), " << from << ", " << n << ");\n";
        } else {
            out_ << indent_ << "for (std::size_t i = 0; i < " << *d.size << "; ++i) "
                 << convert(from + "[i]", to + "[i]") << "\n";
        }
    }

    const Specification& spec_;
    std::string_view source_;
    std::ostringstream out_;
    std::ostringstream problems_;
    std::string indent_ = "    ";
};

}  // namespace

std::string emit_rpcgen_bridge(const Specification& spec, std::string_view source_name) {
    return BridgeEmitter(spec, source_name).run();
}

}  // namespace qemud::xdr
