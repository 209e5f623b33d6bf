// SPDX-License-Identifier: Apache-2.0
#include "ast.h"

#include <cstdint>
#include <mutex>
#include <sys/mman.h>
#include <unordered_set>

namespace qemud::xdr {

void advise_huge_pages(const void* data, std::size_t bytes) {
#ifdef MADV_HUGEPAGE
    constexpr std::uintptr_t huge = 2u << 20;
    const auto start = (reinterpret_cast<std::uintptr_t>(data) + huge - 1) & ~(huge - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(huge - 1);
    if (end > start) ::madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);
#else
    (void)data, (void)bytes;
#endif
}

std::string_view intern_file_name(const std::string& name) {
    static std::mutex mutex;
    static std::unordered_set<std::string> names;  // node-based: views stay valid as it grows
    const std::lock_guard<std::mutex> lock(mutex);
    return *names.insert(name).first;
}

namespace {
std::string name_of(const Definition& definition) {
    return std::visit(
        [](const auto& d) -> std::string {
            using T = std::decay_t<decltype(d)>;
            if constexpr (std::is_same_v<T, TypedefDef>)
                return d.declaration.name;
            else if constexpr (std::is_same_v<T, PassThrough>)
                return {};
            else
                return d.name;
        },
        definition);
}

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
    if (indexed_count_ == definitions.size() && indexed_count_ > 0) return std::get_if<ConstDef>(indexed(name));
    return find_definition<ConstDef>(definitions, name);
}
const EnumDef* Specification::find_enum(const std::string& name) const {
    if (indexed_count_ == definitions.size() && indexed_count_ > 0) return std::get_if<EnumDef>(indexed(name));
    return find_definition<EnumDef>(definitions, name);
}
const StructDef* Specification::find_struct(const std::string& name) const {
    if (indexed_count_ == definitions.size() && indexed_count_ > 0) return std::get_if<StructDef>(indexed(name));
    return find_definition<StructDef>(definitions, name);
}
const UnionDef* Specification::find_union(const std::string& name) const {
    if (indexed_count_ == definitions.size() && indexed_count_ > 0) return std::get_if<UnionDef>(indexed(name));
    return find_definition<UnionDef>(definitions, name);
}
const TypedefDef* Specification::find_typedef(const std::string& name) const {
    if (indexed_count_ == definitions.size() && indexed_count_ > 0) return std::get_if<TypedefDef>(indexed(name));
    return find_definition<TypedefDef>(definitions, name);
}
std::optional<std::int32_t> Specification::find_enum_item(const std::string& name) const {
    if (indexed_count_ == definitions.size() && indexed_count_ > 0) {
        const auto it = enum_items_.find(name);
        if (it == enum_items_.end()) return std::nullopt;
        return it->second;
    }
    for (const auto& definition : definitions)
        if (const auto* e = std::get_if<EnumDef>(&definition))
            for (const auto& item : e->items)
                if (item.name == name) return item.value;
    return std::nullopt;
}

const Definition* Specification::indexed(const std::string& name) const {
    const auto it = index_.find(name);
    return it == index_.end() ? nullptr : &definitions[it->second];
}

std::optional<std::size_t> Specification::definition_index(const std::string& name) const {
    if (indexed_count_ != definitions.size()) return std::nullopt;
    const auto it = index_.find(name);
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

void Specification::build_index() {
    index_.clear();
    enum_items_.clear();
    index_.reserve(definitions.size());
    for (std::size_t i = 0; i < definitions.size(); ++i) {
        const std::string name = name_of(definitions[i]);
        if (!name.empty()) index_.emplace(name, i);  // the first definition wins, as the scan finds it
        if (const auto* e = std::get_if<EnumDef>(&definitions[i]))
            for (const auto& item : e->items) enum_items_.emplace(item.name, item.value);
    }
    indexed_count_ = definitions.size();
}

}  // namespace qemud::xdr
