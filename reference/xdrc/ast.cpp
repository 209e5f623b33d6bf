#include "ast.h"

namespace qemud::xdr {

namespace {
template <class T>
const T* find_definition(const std::vector<Definition>& definitions, const std::string& name) {
    for (const auto& definition : definitions)
        if (const auto* found = std::get_if<T>(&definition)) {
            if constexpr (std::is_same_v<T, TypedefDef>) {
                if (found->declaration.name == name) return found;
            } else {
                if (found->name == name) return found;
            }
        }
    return nullptr;
}
}  // namespace

const ConstDef* Specification::find_const(const std::string& name) const {
    return find_definition<ConstDef>(definitions, name);
}
const EnumDef* Specification::find_enum(const std::string& name) const {
    return find_definition<EnumDef>(definitions, name);
}
const StructDef* Specification::find_struct(const std::string& name) const {
    return find_definition<StructDef>(definitions, name);
}
const UnionDef* Specification::find_union(const std::string& name) const {
    return find_definition<UnionDef>(definitions, name);
}
const TypedefDef* Specification::find_typedef(const std::string& name) const {
    return find_definition<TypedefDef>(definitions, name);
}
std::optional<std::int32_t> Specification::find_enum_item(const std::string& name) const {
    for (const auto& definition : definitions)
        if (const auto* e = std::get_if<EnumDef>(&definition))
            for (const auto& item : e->items)
                if (item.name == name) return item.value;
    return std::nullopt;
}

}  // namespace qemud::xdr
