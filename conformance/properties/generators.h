// SPDX-License-Identifier: Apache-2.0
// generators.h: RapidCheck generators for every type of the generated C++
// model (protocol_model.gen.h), derived from the model's own visitation
// (visit_fields, select_arm, UnionTraits, EnumTraits), so no message is
// written here by hand and a message added to protocol.x is generated with
// no edit.
//
// Values are biased to the boundaries the wire cares about: 0, +-1 and the
// min/max of every integer width; char / unsigned char bytes 0x00, 0x7F,
// 0x80, 0xFF; byte arrays NUL-padded or completely full; every discriminant.
// Shrinking goes toward zeros, short text and NUL padding.
//
// A Pin fixes the arm of one union type (by its UnionTraits name), which is
// how the per-arm properties generate values of exactly one arm.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

#include <rapidcheck.h>

#include "protocol_model.gen.h"
#include "runtime/model_json.h"
#include "runtime/model_traits.h"

namespace qemud::properties::gen_model {

// Pin: unions named union_name take discriminant `value`; other unions
// (and every union when union_name is empty) take any of their arms.
struct Pin {
    std::string union_name;
    std::int64_t value = 0;
};

template <class T>
rc::Gen<T> arbitrary(const Pin& pin = {});

namespace detail {

using namespace xdr::traits;

template <class I>
void push_if_representable(std::vector<I>& out, long double v) {
    if (v >= static_cast<long double>(std::numeric_limits<I>::min()) &&
        v <= static_cast<long double>(std::numeric_limits<I>::max()))
        out.push_back(static_cast<I>(v));
}

// boundaries_of lists 0 first (so shrinking ends there), then +-1 and the
// min/max (and min+1, max-1) of every integer width that fits in I.
template <class I>
std::vector<I> boundaries_of() {
    std::vector<I> out;
    for (long double v : {0.0L, 1.0L, -1.0L}) push_if_representable<I>(out, v);
    auto widths = [&](auto tag) {
        using W = decltype(tag);
        const auto lo = static_cast<long double>(std::numeric_limits<W>::min());
        const auto hi = static_cast<long double>(std::numeric_limits<W>::max());
        for (long double v : {lo, hi, lo + 1, hi - 1, hi + 1}) push_if_representable<I>(out, v);
    };
    widths(std::int8_t{});
    widths(std::uint8_t{});
    widths(std::int16_t{});
    widths(std::uint16_t{});
    widths(std::int32_t{});
    widths(std::uint32_t{});
    widths(std::int64_t{});
    widths(std::uint64_t{});
    if constexpr (sizeof(I) == 8) {
        // Word boundaries of a hyper: one word zero, the other all ones, and
        // the two words different (what catches a swapped pair of words).
        for (std::uint64_t v : {0x00000000FFFFFFFFull, 0xFFFFFFFF00000000ull, 0x0000000100000000ull,
                                0x0000000080000000ull, 0x0123456789ABCDEFull})
            out.push_back(static_cast<I>(v));
    }
    return out;
}

// uniform_in_range is rc::gen::inRange over the whole range at every
// generation size (inRange alone scales the range down with the size), still
// shrinking toward min.
template <class T>
rc::Gen<T> uniform_in_range(T min, T max) {
    return rc::gen::resize(100, rc::gen::inRange<T>(min, max));
}

// element_of picks from `values` and, unlike rc::gen::elementOf, shrinks
// toward the first one.
template <class T>
rc::Gen<T> element_of(std::vector<T> values) {
    const std::size_t n = values.size();
    return rc::gen::map(uniform_in_range<std::size_t>(0, n),
                        [values = std::move(values)](std::size_t i) { return values[i]; });
}

template <class I>
rc::Gen<I> boundary_integer() {
    return rc::gen::weightedOneOf<I>({
        {4, element_of(boundaries_of<I>())},
        {3, rc::gen::arbitrary<I>()},
        {1, rc::gen::inRange<I>(0, 16)},
    });
}

// The byte values a char / unsigned char element is most likely to get
// wrong: NUL, the sign boundary on both sides, all ones.
inline const std::vector<std::uint8_t>& boundary_bytes() {
    static const std::vector<std::uint8_t> bytes{0x00, 0x7F, 0x80, 0xFF, 0x01, 0x41, 0xE9, 0xFE};
    return bytes;
}

inline rc::Gen<std::uint8_t> byte() {
    return rc::gen::weightedOneOf<std::uint8_t>({
        {4, element_of(boundary_bytes())},
        {3, rc::gen::inRange<std::uint8_t>(0x20, 0x7F)},  // text
        {3, rc::gen::arbitrary<std::uint8_t>()},
    });
}

// byte_array: a run of text (at most the generation size, shrinking to
// none) at the start or, sometimes, at the end, with the rest filled by one
// byte: NUL mostly (NUL-padded), else a boundary or any byte (completely
// full, no NUL).
template <class E, std::size_t N>
rc::Gen<std::array<E, N>> byte_array() {
    return rc::gen::exec([] {
        const auto text = *rc::gen::container<std::vector<std::uint8_t>>(byte());
        const auto fill = *rc::gen::weightedOneOf<std::uint8_t>({
            {6, rc::gen::just<std::uint8_t>(0)},
            {3, element_of(boundary_bytes())},
            {1, rc::gen::arbitrary<std::uint8_t>()},
        });
        const bool at_end = *rc::gen::weightedOneOf<bool>({{4, rc::gen::just(false)}, {1, rc::gen::just(true)}});
        std::array<E, N> out{};
        const std::size_t n = std::min(text.size(), N);
        const std::size_t start = at_end ? N - n : 0;
        for (std::size_t i = 0; i < N; ++i)
            out[i] = static_cast<E>(i >= start && i < start + n ? text[i - start] : fill);
        return out;
    });
}


template <class E>
std::vector<E> enum_values() {
    std::vector<E> out;
    for (const auto& item : xdr::EnumTraits<E>::items) out.push_back(static_cast<E>(item.second));
    return out;
}

struct ArmGenerator {
    const Pin* pin;
    void void_arm() {}
    template <class A>
    void operator()(const char*, A& arm) {
        arm = *arbitrary<A>(*pin);
    }
};

template <class U>
rc::Gen<U> union_gen(const Pin& pin) {
    using Traits = xdr::UnionTraits<U>;
    if (pin.union_name == Traits::name)
        return rc::gen::exec([pin] {
            U out{};
            select_arm(out, pin.value, ArmGenerator{&pin});
            return out;
        });
    std::vector<std::int64_t> values;
    for (const auto& arm : Traits::arms) values.push_back(arm.value);
    return rc::gen::exec([pin, values] {
        U out{};
        select_arm(out, *element_of(values), ArmGenerator{&pin});
        return out;
    });
}

}  // namespace detail

// arbitrary gives a generator for any model type T (see the file comment).
template <class T>
rc::Gen<T> arbitrary(const Pin& pin) {
    using namespace detail;
    if constexpr (std::is_same_v<T, bool>) {
        return rc::gen::arbitrary<bool>();
    } else if constexpr (is_byte<T>) {
        return rc::gen::map(byte(), [](std::uint8_t b) { return static_cast<T>(b); });
    } else if constexpr (std::is_integral_v<T>) {
        return boundary_integer<T>();
    } else if constexpr (std::is_floating_point_v<T>) {
        return rc::gen::arbitrary<T>();
    } else if constexpr (Enum<T>) {
        return element_of(enum_values<T>());
    } else if constexpr (is_std_array<T>::value) {
        using E = typename T::value_type;
        constexpr std::size_t n = std::tuple_size_v<T>;
        if constexpr (is_byte<E>) {
            return byte_array<E, n>();
        } else {
            return rc::gen::map(rc::gen::container<std::vector<E>>(n, arbitrary<E>(pin)), [](std::vector<E> items) {
                T out{};
                std::copy(items.begin(), items.end(), out.begin());
                return out;
            });
        }
    } else if constexpr (is_fixed_opaque<T>::value) {
        return rc::gen::map(byte_array<std::uint8_t, T::size>(), [](auto bytes) {
            T out{};
            out.bytes = bytes;
            return out;
        });
    } else if constexpr (is_var_opaque<T>::value) {
        return rc::gen::map(rc::gen::container<std::vector<std::uint8_t>>(byte()), [](std::vector<std::uint8_t> b) {
            T out{};
            b.resize(std::min<std::size_t>(b.size(), T::max_size));
            out.bytes = std::move(b);
            return out;
        });
    } else if constexpr (is_string<T>::value) {
        return rc::gen::map(rc::gen::container<std::string>(rc::gen::inRange<char>(0x20, 0x7F)), [](std::string s) {
            T out{};
            s.resize(std::min<std::size_t>(s.size(), T::max_size));
            out.text = std::move(s);
            return out;
        });
    } else if constexpr (is_var_array<T>::value) {
        using E = typename decltype(T::items)::value_type;
        return rc::gen::map(rc::gen::container<std::vector<E>>(arbitrary<E>(pin)), [](std::vector<E> items) {
            T out{};
            items.resize(std::min<std::size_t>(items.size(), T::max_size));
            out.items = std::move(items);
            return out;
        });
    } else if constexpr (is_optional<T>::value) {
        using E = std::remove_cvref_t<decltype(*std::declval<T&>())>;
        return rc::gen::exec([pin] {
            T out;
            if (*rc::gen::weightedOneOf<bool>({{1, rc::gen::just(false)}, {3, rc::gen::just(true)}}))
                out.emplace() = *arbitrary<E>(pin);
            return out;
        });
    } else if constexpr (Union<T>) {
        return union_gen<T>(pin);
    } else if constexpr (Struct<T>) {
        return rc::gen::exec([pin] {
            T out{};
            visit_fields(out, [&](const char*, auto& field) {
                field = *arbitrary<std::remove_cvref_t<decltype(field)>>(pin);
            });
            return out;
        });
    } else {
        static_assert(sizeof(T) == 0, "gen_model: unsupported model type");
    }
}

// payload pins the payload union to one arm's discriminant.
template <class Payload>
rc::Gen<Payload> payload(std::int64_t discriminant) {
    using U = std::remove_cvref_t<decltype(std::declval<Payload&>().data)>;
    return arbitrary<Payload>(Pin{xdr::UnionTraits<U>::name, discriminant});
}

}  // namespace qemud::properties::gen_model

namespace qemud::model {

// showValue prints a generated model value in RapidCheck's counterexample
// as JSON in the value model of docs/VALUE-MODEL.md (found by argument-dependent
// lookup).
template <class T>
    requires xdr::traits::Struct<T>
void showValue(const T& value, std::ostream& os) {
    os << model_json::to_json(value).dump();
}

}  // namespace qemud::model
