// SPDX-License-Identifier: Apache-2.0
// model_json.h: converts any value of the generated C++ model to and from
// the JSON value model of docs/VALUE-MODEL.md, through the model's visitation
// (visit_fields, visit_arm, select_arm), so no message is written by hand.
//
// to_json never fails. from_json is strict: every member present, no
// unknown member, integers in range, hex of the exact length, known enum
// names; it returns the first problem as a CodecError (flag "value") whose
// path names the member ("data.domainCreateRequest.xml").
#pragma once

#include <array>
#include <cmath>
#include <concepts>
#include <cstring>
#include <optional>
#include <string>
#include <type_traits>

#include "codecs/codec.h"
#include "codecs/value_model.h"
#include "runtime/model_traits.h"
#include "runtime/xdr_types.h"

#ifdef QEMUD_CANARY_BUILD
// The canary build (docs/DETECTION.md) plants encoder-refusal bugs here, in
// an inline namespace so its instantiations never share a symbol with the
// product's.
#include "canary/json_hooks.h"
#endif

namespace qemud::model_json {
#ifdef QEMUD_CANARY_BUILD
inline namespace canary_build {
#endif

namespace detail {

using namespace xdr::traits;

template <class E>
const char* enum_name(E value) {
    for (const auto& [name, v] : xdr::EnumTraits<E>::items)
        if (v == static_cast<std::int32_t>(value)) return name;
    return nullptr;
}

inline std::string join(const std::string& path, const char* member) {
    return path.empty() ? std::string(member) : path + "." + member;
}

}  // namespace detail

// ---------------------------------------------------------------- to_json

template <class T>
Json to_json(const T& value);

namespace detail {

struct ArmToJson {
    Json* out;
    void void_arm() {}
    template <class A>
    void operator()(const char* member, const A& arm) {
        (*out)[member] = to_json(arm);
    }
};

template <class U>
Json discriminant_json(const U& u) {
    return to_json(u.*xdr::UnionTraits<U>::discriminant);
}

}  // namespace detail

template <class T>
Json to_json(const T& value) {
    using namespace detail;
    if constexpr (std::is_same_v<T, bool>) {
        return value;
    } else if constexpr (std::is_same_v<T, char> || std::is_same_v<T, unsigned char>) {
        return value_model::to_hex(&value, 1);
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
        return value_model::int64_json(value);
    } else if constexpr (std::is_same_v<T, std::uint64_t>) {
        return value_model::uint64_json(value);
    } else if constexpr (std::is_integral_v<T> || std::is_floating_point_v<T>) {
        return value;
    } else if constexpr (Enum<T>) {
        const char* name = enum_name(value);
        return name ? Json(name) : Json(static_cast<std::int32_t>(value));
    } else if constexpr (is_std_array<T>::value) {
        using E = typename T::value_type;
        if constexpr (std::is_same_v<E, char> || std::is_same_v<E, unsigned char>) {
            return value_model::to_hex(value.data(), value.size());
        } else {
            Json out = Json::array();
            for (const auto& item : value) out.push_back(to_json(item));
            return out;
        }
    } else if constexpr (is_fixed_opaque<T>::value || is_var_opaque<T>::value) {
        return value_model::to_hex(value.bytes.data(), value.bytes.size());
    } else if constexpr (is_string<T>::value) {
        return value.text;
    } else if constexpr (is_var_array<T>::value) {
        Json out = Json::array();
        for (const auto& item : value.items) out.push_back(to_json(item));
        return out;
    } else if constexpr (is_optional<T>::value) {
        return value.has_value() ? to_json(*value) : Json(nullptr);
    } else if constexpr (Union<T>) {
        Json out = Json::object();
        out[xdr::UnionTraits<T>::discriminant_member] = discriminant_json(value);
        visit_arm(value, ArmToJson{&out});
        return out;
    } else if constexpr (Struct<T>) {
        Json out = Json::object();
        visit_fields(value, [&](const char* name, const auto& field) { out[name] = to_json(field); });
        return out;
    } else {
        static_assert(sizeof(T) == 0, "model_json: unsupported model type");
    }
}

// -------------------------------------------------------------- from_json

template <class T>
std::optional<CodecError> from_json(const Json& j, T& out, const std::string& path = "");

namespace detail {

inline CodecError value_error(const std::string& path, std::string message) {
    return value_model::value_error(path, std::move(message));
}

// check_members fails on a member of j that `known` does not list, and on a
// non-object.
template <class KnownFn>
std::optional<CodecError> check_object(const Json& j, const std::string& path, KnownFn&& known) {
    if (!j.is_object()) return value_error(path, "expected an object, found " + j.dump());
    for (const auto& [key, _] : j.items())
        if (!known(key)) return value_error(join(path, key.c_str()), "unknown member");
    return std::nullopt;
}

template <class E>
std::optional<CodecError> enum_from_json(const Json& j, E& out, const std::string& path) {
    if (!j.is_string()) return value_error(path, std::string("expected a name of enum ") +
                                                     xdr::EnumTraits<E>::name + ", found " + j.dump());
    for (const auto& [name, v] : xdr::EnumTraits<E>::items)
        if (j.get_ref<const std::string&>() == name) {
            out = static_cast<E>(v);
            return std::nullopt;
        }
#ifdef QEMUD_CANARY_BUILD
    if (canary::on(canary::Id::json_unknown_type) && !xdr::EnumTraits<E>::items.empty()) {
        out = static_cast<E>(xdr::EnumTraits<E>::items[0].second);
        return std::nullopt;
    }
#endif
    return value_error(path, "'" + j.get<std::string>() + "' is not a name of enum " + xdr::EnumTraits<E>::name);
}

struct ArmFromJson {
    const Json* j;
    const std::string* path;
    std::optional<CodecError>* error;
    void void_arm() {}
    template <class A>
    void operator()(const char* member, A& arm) {
        *error = from_json(j->at(member), arm, join(*path, member));
    }
};

template <class U>
std::optional<CodecError> union_from_json(const Json& j, U& out, const std::string& path) {
    using Traits = xdr::UnionTraits<U>;
    const char* disc_member = Traits::discriminant_member;
    const std::string disc_path = join(path, disc_member);
    if (!j.is_object()) return value_error(path, "expected an object, found " + j.dump());
    if (!j.contains(disc_member)) return value_error(disc_path, "missing member");
    std::remove_cvref_t<decltype(out.*Traits::discriminant)> discriminant{};
    if (auto e = from_json(j.at(disc_member), discriminant, disc_path)) return e;
    const auto value = static_cast<std::int64_t>(discriminant);

    // Which member the arm has (nullptr: no arm; "": void arm).
    const char* member = nullptr;
    for (const auto& arm : Traits::arms)
        if (arm.value == value) member = arm.member;
    if (!member && Traits::has_default) member = Traits::default_member;
    if (!member) return value_error(disc_path, "discriminant has no arm");

    if (auto e = check_object(j, path, [&](const std::string& key) {
#ifdef QEMUD_CANARY_BUILD
            bool is_arm_member = false;
            for (const auto& arm : Traits::arms) is_arm_member = is_arm_member || (*arm.member && key == arm.member);
            if (canary::json_hooks::union_member_ignored(member, is_arm_member)) return true;
#endif
            return key == disc_member || (*member && key == member);
        }))
        return e;
    if (*member && !j.contains(member)) return value_error(join(path, member), "missing member");

    std::optional<CodecError> error;
    select_arm(out, value, ArmFromJson{&j, &path, &error});
    return error;
}

template <class T, class Fill>
std::optional<CodecError> hex_from_json(const Json& j, std::size_t size, const std::string& path, Fill&& fill) {
    std::string bytes;
    std::string why;
    if (!value_model::read_hex(j, size, &bytes, &why)) {
#ifdef QEMUD_CANARY_BUILD
        if (canary::json_hooks::lenient_hex(j, size, &bytes)) {
            fill(bytes);
            return std::nullopt;
        }
#endif
        return value_error(path, why);
    }
    fill(bytes);
    return std::nullopt;
}

}  // namespace detail

template <class T>
std::optional<CodecError> from_json(const Json& j, T& out, const std::string& path) {
    using namespace detail;
    std::string why;
    if constexpr (std::is_same_v<T, bool>) {
        if (!j.is_boolean()) return value_error(path, "expected true or false, found " + j.dump());
        out = j.get<bool>();
    } else if constexpr (std::is_same_v<T, char> || std::is_same_v<T, unsigned char>) {
        return hex_from_json<T>(j, 1, path, [&](const std::string& b) { out = static_cast<T>(b[0]); });
    } else if constexpr (std::is_same_v<T, std::int32_t>) {
        const auto v = value_model::read_int32(j, &why);
#ifdef QEMUD_CANARY_BUILD
        if (!v)
            if (const auto lenient = canary::json_hooks::lenient_word(j, true)) {
                out = static_cast<std::int32_t>(*lenient);
                return std::nullopt;
            }
#endif
        if (!v) return value_error(path, why);
        out = static_cast<std::int32_t>(*v);
    } else if constexpr (std::is_same_v<T, std::uint32_t>) {
        const auto v = value_model::read_uint32(j, &why);
#ifdef QEMUD_CANARY_BUILD
        if (!v)
            if (const auto lenient = canary::json_hooks::lenient_word(j, false)) {
                out = *lenient;
                return std::nullopt;
            }
#endif
        if (!v) return value_error(path, why);
        out = *v;
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
        const auto v = value_model::read_int64(j, &why);
        if (!v) return value_error(path, why);
        out = *v;
    } else if constexpr (std::is_same_v<T, std::uint64_t>) {
        const auto v = value_model::read_uint64(j, &why);
#ifdef QEMUD_CANARY_BUILD
        if (!v)
            if (const auto lenient = canary::json_hooks::lenient_uint64(j)) {
                out = *lenient;
                return std::nullopt;
            }
#endif
        if (!v) return value_error(path, why);
        out = *v;
    } else if constexpr (std::is_floating_point_v<T>) {
        if (!j.is_number()) return value_error(path, "expected a number, found " + j.dump());
        out = j.get<T>();
    } else if constexpr (Enum<T>) {
        return enum_from_json(j, out, path);
    } else if constexpr (is_std_array<T>::value) {
        using E = typename T::value_type;
        if constexpr (std::is_same_v<E, char> || std::is_same_v<E, unsigned char>) {
            return hex_from_json<T>(j, out.size(), path,
                                    [&](const std::string& b) { std::memcpy(out.data(), b.data(), out.size()); });
        } else {
            if (!j.is_array() || j.size() != out.size())
                return value_error(path, "expected an array of " + std::to_string(out.size()) + " items, found " +
                                             (j.is_array() ? std::to_string(j.size()) + " items" : j.dump()));
            for (std::size_t i = 0; i < out.size(); ++i)
                if (auto e = from_json(j[i], out[i], path + "[" + std::to_string(i) + "]")) return e;
        }
    } else if constexpr (is_fixed_opaque<T>::value) {
        return hex_from_json<T>(j, T::size, path,
                                [&](const std::string& b) { std::memcpy(out.bytes.data(), b.data(), T::size); });
    } else if constexpr (is_var_opaque<T>::value) {
        if (!j.is_string() || j.get_ref<const std::string&>().size() / 2 > T::max_size)
            return value_error(path, "expected a hex string of at most " + std::to_string(T::max_size) + " bytes");
        return hex_from_json<T>(j, j.get_ref<const std::string&>().size() / 2, path, [&](const std::string& b) {
            out.bytes.assign(b.begin(), b.end());
        });
    } else if constexpr (is_string<T>::value) {
        if (!j.is_string()) return value_error(path, "expected a string, found " + j.dump());
        if (j.get_ref<const std::string&>().size() > T::max_size)
            return value_error(path, "string longer than its maximum " + std::to_string(T::max_size));
        out.text = j.get<std::string>();
    } else if constexpr (is_var_array<T>::value) {
        if (!j.is_array()) return value_error(path, "expected an array, found " + j.dump());
        if (j.size() > T::max_size)
            return value_error(path, "array longer than its maximum " + std::to_string(T::max_size));
        out.items.resize(j.size());
        for (std::size_t i = 0; i < j.size(); ++i)
            if (auto e = from_json(j[i], out.items[i], path + "[" + std::to_string(i) + "]")) return e;
    } else if constexpr (is_optional<T>::value) {
        if (j.is_null()) {
            out.reset();
        } else {
            return from_json(j, out.emplace(), path);
        }
    } else if constexpr (Union<T>) {
        return union_from_json(j, out, path);
    } else if constexpr (Struct<T>) {
        std::optional<CodecError> error;
        std::size_t fields = 0;
        visit_fields(out, [&](const char*, auto&) { ++fields; });
        if (!j.is_object()) return value_error(path, "expected an object, found " + j.dump());
        visit_fields(out, [&](const char* name, auto& field) {
            if (error) return;
            if (!j.contains(name)) {
#ifdef QEMUD_CANARY_BUILD
                if (canary::on(canary::Id::json_missing_zero)) {
                    field = std::remove_cvref_t<decltype(field)>{};
                    return;
                }
#endif
                error = value_error(join(path, name), "missing member");
                return;
            }
            error = from_json(j.at(name), field, join(path, name));
        });
        if (error) return error;
#ifdef QEMUD_CANARY_BUILD
        if (canary::on(canary::Id::json_extra_ignored)) return std::nullopt;
#endif
        if (j.size() != fields)
            return check_object(j, path, [&](const std::string& key) {
                bool known = false;
                visit_fields(out, [&](const char* name, auto&) { known = known || key == name; });
                return known;
            });
    } else {
        static_assert(sizeof(T) == 0, "model_json: unsupported model type");
    }
    return std::nullopt;
}

#ifdef QEMUD_CANARY_BUILD
}  // inline namespace canary_build
#endif
}  // namespace qemud::model_json
