// SPDX-License-Identifier: Apache-2.0
// xdr_types.h: the few C++ types the generated model uses where the
// standard library has no exact match: XDR types whose bound or encoding
// must travel with the type (so the runtime can check it before reading).
//
// Fixed arrays of char, unsigned char and integers are plain std::array:
// their element type already says how each element is encoded.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace qemud::xdr {

// FixedOpaque<N>: `opaque x[N]`, N bytes padded to a multiple of 4.
template <std::uint32_t N>
struct FixedOpaque {
    static constexpr std::uint32_t size = N;
    std::array<std::uint8_t, N> bytes{};
    bool operator==(const FixedOpaque&) const = default;
};

// VarOpaque<Max>: `opaque x<Max>`, a length word, then the bytes padded.
template <std::uint32_t Max>
struct VarOpaque {
    static constexpr std::uint32_t max_size = Max;
    std::vector<std::uint8_t> bytes;
    bool operator==(const VarOpaque&) const = default;
};

// String<Max>: `string x<Max>`, encoded as VarOpaque.
template <std::uint32_t Max>
struct String {
    static constexpr std::uint32_t max_size = Max;
    std::string text;
    bool operator==(const String&) const = default;
};

// VarArray<T, Max>: `T x<Max>`, a count word, then the elements.
template <class T, std::uint32_t Max>
struct VarArray {
    static constexpr std::uint32_t max_size = Max;
    std::vector<T> items;
    bool operator==(const VarArray&) const = default;
};

// Optional<T>: `T *x`, a bool word, then T if present. Held by pointer so
// recursive types (linked lists) are expressible; copies are deep.
template <class T>
class Optional {
public:
    Optional() = default;
    Optional(const Optional& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
    Optional(Optional&&) noexcept = default;
    Optional& operator=(const Optional& other) {
        value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
        return *this;
    }
    Optional& operator=(Optional&&) noexcept = default;

    bool has_value() const { return value_ != nullptr; }
    T& emplace() { return *(value_ = std::make_unique<T>()); }
    void reset() { value_.reset(); }
    T& operator*() { return *value_; }
    const T& operator*() const { return *value_; }
    bool operator==(const Optional& other) const {
        return has_value() == other.has_value() && (!has_value() || *value_ == *other.value_);
    }

private:
    std::unique_ptr<T> value_;
};

// UnionArm describes one case of a generated union: the discriminant value,
// the index of its alternative in the union's std::variant (0 is
// std::monostate, used by every void arm) and the arm member name ("" when
// void).
struct UnionArm {
    std::int32_t value;
    std::size_t alternative;
    const char* member;
};

// EnumTraits<E> and UnionTraits<U> are specialized by the generated model.
// UnionTraits<U>::discriminant is a pointer to the discriminant member.
template <class E>
struct EnumTraits;
template <class U>
struct UnionTraits;

}  // namespace qemud::xdr
