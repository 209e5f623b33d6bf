// SPDX-License-Identifier: Apache-2.0
// model_traits.h: how generic code recognises the kinds of type the
// generated model uses (structs, unions, enums, the xdr_types.h wrappers).
// The wire runtime, the JSON conversion and the property generators all
// dispatch on these, so there is one definition of each.
#pragma once

#include <array>
#include <cstdint>
#include <type_traits>

#include "runtime/xdr_types.h"

namespace qemud::xdr::traits {

// Struct: a generated struct (it has visit_fields, found by ADL).
template <class T>
concept Struct = requires(T& t) { visit_fields(t, [](const char*, auto&) {}); };
// Union: a generated union (UnionTraits is specialized for it).
template <class T>
concept Union = requires { UnionTraits<T>::discriminant; };
template <class T>
concept Enum = std::is_enum_v<T>;

template <class T>
struct is_std_array : std::false_type {};
template <class T, std::size_t N>
struct is_std_array<std::array<T, N>> : std::true_type {};
template <class T>
struct is_fixed_opaque : std::false_type {};
template <std::uint32_t N>
struct is_fixed_opaque<FixedOpaque<N>> : std::true_type {};
template <class T>
struct is_var_opaque : std::false_type {};
template <std::uint32_t N>
struct is_var_opaque<VarOpaque<N>> : std::true_type {};
template <class T>
struct is_string : std::false_type {};
template <std::uint32_t N>
struct is_string<String<N>> : std::true_type {};
template <class T>
struct is_var_array : std::false_type {};
template <class T, std::uint32_t N>
struct is_var_array<VarArray<T, N>> : std::true_type {};
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<Optional<T>> : std::true_type {};

// is_byte: char and unsigned char, each one XDR word on the wire.
template <class T>
inline constexpr bool is_byte = std::is_same_v<T, char> || std::is_same_v<T, unsigned char>;

}  // namespace qemud::xdr::traits
