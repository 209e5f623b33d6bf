// SPDX-License-Identifier: Apache-2.0
// wire_codec.h: the strict XDR runtime of the "cxx" implementation. Generic
// templates encode and decode any type of the generated model (structs
// through visit_fields, unions through visit_arm / select_arm and
// xdr::UnionTraits, enums through xdr::EnumTraits), so no message is written
// by hand.
//
// Strict means docs/POLICY.md as policy.h classifies it: a char
// element word must be sign-extended or (for bytes >= 0x80) zero-extended,
// an unsigned char word must be zero-extended, a discriminant must select an
// arm, and the input must hold exactly the message. Encoding always gives
// the canonical form.
//
// Bounded: the decoder never reads past its input, and it never sizes a
// container from a count before checking the count against the type's
// maximum and against the bytes that remain.
//
// Fast: the success path builds no strings. A failure records where it
// happened (flag, offset, message) and each enclosing level appends its path
// segment while unwinding; Failure::path_string() joins them. Arrays of char
// and unsigned char (the bulk of this protocol) are decoded in one
// branch-free pass over words in native byte order that accumulates a "bad"
// mask (AVX-512, AVX2 or portable code chosen at run time: reader.h and
// writer.h); only an array that fails that test is scanned again, with
// policy.h's own classifier, to find the first bad element. The fast test is
// checked against policy.h at compile time. Encoding overwrites the caller's
// vector in place (writer.h), so a reused vector is never zero-filled.
//
// Wire values outside a type that this protocol never uses (a bool other
// than 0/1, an undeclared enum value in a plain enum field, a count above a
// variable-length maximum, non-zero opaque padding) are rejected with the
// flag "value": the policy table has no row for them.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "policy/policy.h"
#include "runtime/reader.h"
#include "runtime/writer.h"
#include "runtime/model_traits.h"
#include "runtime/xdr_types.h"

#ifdef QEMUD_CANARY_BUILD
// The canary build (docs/DETECTION.md) plants bugs here. Its templates live
// in an inline namespace so their instantiations never share a symbol with
// the product's (a program that links both kinds of object must not have
// the linker pick one copy for both).
#include "canary/wire_hooks.h"
#endif

namespace qemud::wire {
#ifdef QEMUD_CANARY_BUILD
inline namespace canary_build {
#endif

// PathSegment is one step of a field path: a member name, or (member ==
// nullptr) an array index.
struct PathSegment {
    const char* member;
    std::size_t index;
};

// Failure describes why a decode or encode failed. flag is a policy flag
// name (policy::name) or "value"; offset is the byte offset in the input
// (decode only); path lists segments innermost first. A quiet Failure
// records the flag and offset only: no message is built and no path kept,
// so a rejected input allocates nothing (for hot loops that reject most of
// what they read, such as a fuzzer's).
struct Failure {
    std::string_view flag;
    std::optional<std::size_t> offset;
    std::string message;
    std::vector<PathSegment> path;
    bool quiet = false;

    void set(std::string_view new_flag, std::optional<std::size_t> new_offset, std::string new_message) {
        flag = new_flag;
        offset = new_offset;
        message = std::move(new_message);
        path.clear();
    }
    // set_quiet: the flag and offset of a quiet Failure; true when the
    // caller may skip describing the failure.
    bool set_quiet(std::string_view new_flag, std::optional<std::size_t> new_offset) {
        if (!quiet) return false;
        flag = new_flag;
        offset = new_offset;
        return true;
    }
    void push(const char* member) {
        if (!quiet) path.push_back({member, 0});
    }
    void push(std::size_t index) {
        if (!quiet) path.push_back({nullptr, index});
    }

    // path_string joins the segments outermost first:
    // "data.domainCreateReply.name[17]"; "" for the whole input.
    std::string path_string() const {
        std::string out;
        for (auto it = path.rbegin(); it != path.rend(); ++it) {
            if (it->member) {
                if (!out.empty()) out += '.';
                out += it->member;
            } else {
                out += '[' + std::to_string(it->index) + ']';
            }
        }
        return out;
    }
};

inline constexpr std::string_view value_flag = "value";

namespace detail {

using namespace xdr::traits;
template <class T>
inline constexpr bool is_word_int = std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::uint32_t>;

constexpr std::size_t padded(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

// min_wire_size is a lower bound on T's encoded size, used to bound a
// variable-length count by the bytes that remain before anything is
// allocated. Structs and unions count one word (every XDR struct with a
// field that is not a zero-length array has at least one).
template <class T>
constexpr std::size_t min_wire_size() {
    if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t> ||
                  std::is_same_v<T, double>)
        return 8;
    else if constexpr (is_std_array<T>::value)
        return std::tuple_size_v<T> * min_wire_size<typename T::value_type>();
    else if constexpr (is_fixed_opaque<T>::value)
        return padded(T::size);
    else
        return 4;
}

inline std::string hex32(std::uint32_t w) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", w);
    return buf;
}

// ---------------------------------------------------------------- failures
// Out of line and cold, so the decoding loops stay small.

[[gnu::cold, gnu::noinline]] inline void fail_truncated(Failure& f, std::size_t offset, std::size_t needed,
                                                        std::size_t left) {
    if (f.set_quiet(policy::name(policy::Flag::truncated), offset)) return;
    f.set(policy::name(policy::Flag::truncated), offset,
          "input ends inside the field: " + std::to_string(needed) + " bytes needed, " + std::to_string(left) +
              " left");
}

[[gnu::cold, gnu::noinline]] inline void fail_char_word(Failure& f, std::size_t offset, std::uint32_t word) {
    if (f.set_quiet(policy::name(policy::char_word_flag(policy::classify_char_word(word))), offset)) return;
    f.set(policy::name(policy::char_word_flag(policy::classify_char_word(word))), offset,
          "char element " + hex32(word) + " is not a sign- or zero-extended byte");
}

[[gnu::cold, gnu::noinline]] inline void fail_uchar_word(Failure& f, std::size_t offset, std::uint32_t word) {
    if (f.set_quiet(policy::name(policy::Flag::non_canonical_uchar), offset)) return;
    f.set(policy::name(policy::Flag::non_canonical_uchar), offset,
          "unsigned char element " + hex32(word) + " is not a zero-extended byte");
}

[[gnu::cold, gnu::noinline]] inline void fail_value(Failure& f, std::optional<std::size_t> offset,
                                                    std::string message) {
    f.set(value_flag, offset, std::move(message));
}

inline bool need(Reader& r, std::size_t n, Failure& f) {
    if (r.has(n)) [[likely]]
        return true;
    fail_truncated(f, r.offset(), n, r.remaining());
    return false;
}

// ------------------------------------------------------ char element words

// byte_word_ok: whether policy.h accepts the element word (a big-endian
// word value). This is the rule; everything below that is faster defers to
// it.
template <class C>
constexpr bool byte_word_ok(std::uint32_t w) {
    if constexpr (std::is_same_v<C, char>)
        return policy::classify_char_word(w) != policy::ElementClass::non_canonical;
    else
        return policy::classify_uchar_word(w) == policy::ElementClass::canonical;
}

template <class C>
constexpr std::uint32_t canonical_word(C c) {
    const auto byte = static_cast<std::uint8_t>(c);
    if constexpr (std::is_same_v<C, char>)
        return policy::canonical_char_word(byte);
    else
        return policy::canonical_uchar_word(byte);
}

// The bulk kernels (reader.h and writer.h: byte_words::decode / encode)
// work on words as loaded in native byte order, with no byte swap, and pick
// AVX-512, AVX2 or portable code at run time. fast_word_ok and
// fast_canonical_word are their element rules; the proof below ties them to
// policy.h, and every kernel applies exactly those rules (the SIMD ones are
// checked against the portable one, word by word and position by position,
// by bench/simd_check.cpp: ci/bench.sh runs it for every level the CPU has).
constexpr std::uint32_t native_word(std::uint32_t be_value) {
    return byte_words::Layout::little ? __builtin_bswap32(be_value) : be_value;
}

template <class C>
inline constexpr bool is_signed_byte = std::is_same_v<C, char>;

// fast_word_ok is a sufficient test for byte_word_ok on a native word: a
// word it passes is accepted by the policy (checked below). A word it fails
// sends the whole array to the policy's own classifier, so if it were ever
// narrower than the policy, decoding would be slower, never wrong.
template <class C>
constexpr bool fast_word_ok(std::uint32_t x) {
    return byte_words::fast_ok<is_signed_byte<C>>(x);
}

// fast_canonical_word is canonical_word in native byte order; checked
// against the policy for all 256 bytes below.
template <class C>
constexpr std::uint32_t fast_canonical_word(std::uint8_t b) {
    return byte_words::canonical<is_signed_byte<C>>(b);
}

template <class C>
consteval bool fast_paths_agree_with_policy() {
    for (std::uint32_t b = 0; b < 256; ++b)
        if (fast_canonical_word<C>(static_cast<std::uint8_t>(b)) != native_word(canonical_word(static_cast<C>(b))))
            return false;
    // Every low byte under high parts at and around the accepted ones.
    constexpr std::uint32_t highs[] = {0x000000, 0xFFFFFF, 0x000001, 0xFFFFFE, 0x7FFFFF, 0x800000,
                                       0x0000FF, 0xFF0000, 0x00FF00, 0xFFFF00, 0x00FFFF, 0x100000};
    for (const std::uint32_t high : highs)
        for (std::uint32_t b = 0; b < 256; ++b) {
            const std::uint32_t w = (high << 8) | b;
            if (fast_word_ok<C>(native_word(w)) && !byte_word_ok<C>(w)) return false;  // must never happen
            if (fast_word_ok<C>(native_word(w)) != byte_word_ok<C>(w)) return false;  // would only be slow
        }
    return true;
}
static_assert(fast_paths_agree_with_policy<char>());
static_assert(fast_paths_agree_with_policy<unsigned char>());

template <class C>
[[gnu::cold, gnu::noinline]] void fail_byte_word(Failure& f, std::size_t offset, std::uint32_t w) {
    if constexpr (std::is_same_v<C, char>)
        fail_char_word(f, offset, w);
    else
        fail_uchar_word(f, offset, w);
}

// decode_byte_words decodes n element words at p into out and returns
// whether fast_word_ok passed them all (one branch-free pass).
template <class C>
inline bool decode_byte_words(const std::uint8_t* p, std::size_t n, C* out) {
    return byte_words::decode<is_signed_byte<C>>(p, n, reinterpret_cast<std::uint8_t*>(out));
}

// check_byte_words runs the policy's classifier over n words that the fast
// test did not pass; it records the first unacceptable one and returns
// false, or returns true if there is none.
template <class C>
[[gnu::cold, gnu::noinline]] bool check_byte_words(Failure& f, const std::uint8_t* p, std::size_t n,
                                                   std::size_t offset) {
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t w = load_be32(p + 4 * i);
        if (!byte_word_ok<C>(w)) {
            fail_byte_word<C>(f, offset + 4 * i, w);
            f.push(i);
            return false;
        }
    }
    return true;
}

// encode_byte_words writes the canonical words of n elements at p.
template <class C>
inline void encode_byte_words(const C* in, std::size_t n, std::uint8_t* p) {
    byte_words::encode<is_signed_byte<C>>(reinterpret_cast<const std::uint8_t*>(in), n, p);
}

}  // namespace detail

template <class T>
bool decode_value(Reader& r, T& out, Failure& f);
template <class T>
bool encode_value(Writer& w, const T& value, Failure& f);

namespace detail {

// ------------------------------------------------------------------ decode

template <class E>
const char* enum_name(std::int64_t value) {
    if constexpr (requires { xdr::EnumTraits<E>::items; }) {
        for (const auto& [name, v] : xdr::EnumTraits<E>::items)
            if (v == value) return name;
    }
    return nullptr;
}

// discriminant_value reads a discriminant word as its declared type does:
// signed for int and int-based enums, unsigned otherwise.
template <class D>
std::int64_t discriminant_value(std::uint32_t w) {
    using Base = typename std::conditional_t<std::is_enum_v<D>, std::underlying_type<D>, std::type_identity<D>>::type;
    if constexpr (std::is_signed_v<Base>)
        return static_cast<std::int32_t>(w);
    else
        return w;
}

template <class U>
[[gnu::cold, gnu::noinline]] void fail_unknown_discriminant(Failure& f, std::size_t offset, std::int64_t value) {
    if (f.set_quiet(policy::name(policy::Flag::unknown_discriminant), offset)) return;
    using D = std::remove_cvref_t<decltype(std::declval<U&>().*xdr::UnionTraits<U>::discriminant)>;
    std::string message = "discriminant " + std::to_string(value);
    if constexpr (std::is_enum_v<D>)
        if (const char* name = enum_name<D>(value)) message += std::string(" (") + name + ")";
    message += std::string(" has no arm in union ") + xdr::UnionTraits<U>::name;
    f.set(policy::name(policy::Flag::unknown_discriminant), offset, std::move(message));
    f.push(xdr::UnionTraits<U>::discriminant_member);
}

struct ArmDecoder {
    Reader* r;
    Failure* f;
    bool ok = true;
    const char* member = nullptr;
    void void_arm() {}
    template <class A>
    void operator()(const char* name, A& arm) {
        if (!decode_value(*r, arm, *f)) {
            ok = false;
            member = name;
        }
    }
};

template <class U>
bool decode_union(Reader& r, U& out, Failure& f) {
    using Traits = xdr::UnionTraits<U>;
    using D = std::remove_cvref_t<decltype(out.*Traits::discriminant)>;
    const std::size_t at = r.offset();
    if (!need(r, 4, f)) {
        f.push(Traits::discriminant_member);
        return false;
    }
    std::int64_t value = discriminant_value<D>(r.read_u32());
#ifdef QEMUD_CANARY_BUILD
    value = canary::wire_hooks::swapped_discriminant<D>(value, enum_name<D>(value));
#endif
    ArmDecoder visitor{&r, &f};
    // Decoding into an object that already holds this arm reuses it, so a
    // hot loop over similar messages does not re-initialize the arm.
    bool selected = static_cast<std::int64_t>(out.*Traits::discriminant) == value && visit_arm(out, visitor);
    if (!selected) selected = select_arm(out, value, visitor);
#ifdef QEMUD_CANARY_BUILD
    if (!selected && canary::wire_hooks::accept_as_void(enum_name<D>(value))) {
        out.*Traits::discriminant = static_cast<D>(value);
        out.arm.template emplace<0>();
        return true;
    }
#endif
    if (!selected) [[unlikely]] {
        fail_unknown_discriminant<U>(f, at, value);
        return false;
    }
    if (!visitor.ok) [[unlikely]] {
        f.push(visitor.member);
        return false;
    }
    return true;
}

template <class S>
bool decode_struct(Reader& r, S& out, Failure& f) {
    bool ok = true;
    visit_fields(out, [&](const char* name, auto& field) {
        if (!ok) return;
        if (!decode_value(r, field, f)) [[unlikely]] {
            f.push(name);
            ok = false;
        }
    });
#ifdef QEMUD_CANARY_BUILD
    if (ok) canary::wire_hooks::after_struct_decode(out);
#endif
    return ok;
}

#ifdef QEMUD_CANARY_BUILD
// decode_byte_words_canary: the element rules bent by a canary, one word
// at a time (the product's kernels never see a canary).
template <class E, std::size_t N>
bool decode_byte_words_canary(Reader& r, std::array<E, N>& out, Failure& f) {
    const std::size_t at = r.offset();
    const std::size_t available = std::min(N, r.remaining() / 4);
    for (std::size_t i = 0; i < available; ++i) {
        const std::uint32_t w = load_be32(r.data() + 4 * i);
        std::uint8_t b = 0;
        if (!canary::wire_hooks::byte_word<is_signed_byte<E>>(w, byte_word_ok<E>(w), &b)) {
            fail_byte_word<E>(f, at + 4 * i, w);
            f.push(i);
            return false;
        }
        out[i] = static_cast<E>(b);
    }
    if (available < N) {
        fail_truncated(f, at + 4 * available, 4, r.remaining() - 4 * available);
        f.push(available);
        return false;
    }
    r.skip(4 * N);
    return true;
}
#endif

template <class E, std::size_t N>
bool decode_array(Reader& r, std::array<E, N>& out, Failure& f) {
    if constexpr (is_byte<E>) {
#ifdef QEMUD_CANARY_BUILD
        if (canary::wire_hooks::any_byte_decode_canary()) return decode_byte_words_canary(r, out, f);
#endif
        // All complete words present are decoded first, so a bad element
        // before the end of a truncated input is reported as what it is.
        const std::size_t at = r.offset();
        const std::size_t available = std::min(N, r.remaining() / 4);
        if (!decode_byte_words(r.data(), available, out.data())) [[unlikely]] {
            if (!check_byte_words<E>(f, r.data(), available, at)) return false;
        }
        if (available < N) [[unlikely]] {
            fail_truncated(f, at + 4 * available, 4, r.remaining() - 4 * available);
            f.push(available);
            return false;
        }
        r.skip(4 * N);
        return true;
    } else if constexpr (is_word_int<E>) {
        const std::size_t available = std::min(N, r.remaining() / 4);
        const std::uint8_t* p = r.data();
        for (std::size_t i = 0; i < available; ++i) out[i] = static_cast<E>(load_be32(p + 4 * i));
        if (available < N) [[unlikely]] {
            fail_truncated(f, r.offset() + 4 * available, 4, r.remaining() - 4 * available);
            f.push(available);
            return false;
        }
        r.skip(4 * N);
        return true;
    } else {
        for (std::size_t i = 0; i < N; ++i)
            if (!decode_value(r, out[i], f)) [[unlikely]] {
                f.push(i);
                return false;
            }
        return true;
    }
}

// decode_count reads the count word of a variable-length item and checks
// it against the declared maximum.
inline bool decode_count(Reader& r, std::uint32_t max, std::uint32_t& count, Failure& f) {
    const std::size_t at = r.offset();
    if (!need(r, 4, f)) return false;
    count = r.read_u32();
    if (count > max) [[unlikely]] {
        fail_value(f, at, "count " + std::to_string(count) + " exceeds the maximum " + std::to_string(max));
        return false;
    }
    return true;
}

// decode_bytes reads `count` opaque bytes and their zero padding.
template <class Fill>
bool decode_bytes(Reader& r, std::size_t count, Failure& f, Fill&& fill) {
    const std::size_t total = padded(count);
    if (!need(r, total, f)) return false;
    const std::uint8_t* p = r.data();
    for (std::size_t i = count; i < total; ++i)
        if (p[i] != 0) [[unlikely]] {
            fail_value(f, r.offset() + i, "non-zero padding byte");
            return false;
        }
    fill(p, count);
    r.skip(total);
    return true;
}

}  // namespace detail

// decode_value decodes one T at the reader's position. On failure it
// returns false with f set (path relative to T); out is then valid but
// unspecified.
template <class T>
bool decode_value(Reader& r, T& out, Failure& f) {
    using namespace detail;
    if constexpr (std::is_same_v<T, bool>) {
        const std::size_t at = r.offset();
        if (!need(r, 4, f)) return false;
        const std::uint32_t w = r.read_u32();
        if (w > 1) [[unlikely]] {
            fail_value(f, at, "bool word " + hex32(w) + " is neither 0 nor 1");
            return false;
        }
        out = w != 0;
    } else if constexpr (is_byte<T>) {
        if (!need(r, 4, f)) return false;
        const std::uint32_t w = load_be32(r.data());
        if (!byte_word_ok<T>(w)) [[unlikely]] {
            fail_byte_word<T>(f, r.offset(), w);
            return false;
        }
        out = static_cast<T>(static_cast<std::uint8_t>(w));
        r.skip(4);
    } else if constexpr (std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::uint32_t>) {
        if (!need(r, 4, f)) return false;
        out = static_cast<T>(r.read_u32());
#ifdef QEMUD_CANARY_BUILD
        if constexpr (std::is_same_v<T, std::int32_t>)
            if (canary::wire_hooks::reject_int32(out)) {
                f.set(policy::name(policy::Flag::semantic_value), r.offset() - 4, "INT32_MIN refused");
                return false;
            }
#endif
    } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t>) {
        if (!need(r, 8, f)) return false;
        out = static_cast<T>(r.read_u64());
    } else if constexpr (std::is_same_v<T, float>) {
        if (!need(r, 4, f)) return false;
        out = std::bit_cast<float>(r.read_u32());
    } else if constexpr (std::is_same_v<T, double>) {
        if (!need(r, 8, f)) return false;
        out = std::bit_cast<double>(r.read_u64());
    } else if constexpr (std::is_enum_v<T>) {
        const std::size_t at = r.offset();
        if (!need(r, 4, f)) return false;
        const std::int64_t value = discriminant_value<T>(r.read_u32());
        if (!enum_name<T>(value)) [[unlikely]] {
            fail_value(f, at, std::to_string(value) + " is not a value of enum " + xdr::EnumTraits<T>::name);
            return false;
        }
        out = static_cast<T>(value);
    } else if constexpr (is_std_array<T>::value) {
        return decode_array(r, out, f);
    } else if constexpr (is_fixed_opaque<T>::value) {
        return decode_bytes(r, T::size, f,
                            [&](const std::uint8_t* p, std::size_t n) { std::copy_n(p, n, out.bytes.data()); });
    } else if constexpr (is_var_opaque<T>::value) {
        std::uint32_t count = 0;
        if (!decode_count(r, T::max_size, count, f)) return false;
        return decode_bytes(r, count, f, [&](const std::uint8_t* p, std::size_t n) { out.bytes.assign(p, p + n); });
    } else if constexpr (is_string<T>::value) {
        std::uint32_t count = 0;
        if (!decode_count(r, T::max_size, count, f)) return false;
        return decode_bytes(r, count, f, [&](const std::uint8_t* p, std::size_t n) {
            out.text.assign(reinterpret_cast<const char*>(p), n);
        });
    } else if constexpr (is_var_array<T>::value) {
        using E = typename decltype(out.items)::value_type;
        std::uint32_t count = 0;
        if (!decode_count(r, T::max_size, count, f)) return false;
        // Never more elements than the remaining bytes could hold.
        const std::size_t fit = std::min<std::size_t>(count, r.remaining() / min_wire_size<E>());
        out.items.resize(fit);
        for (std::size_t i = 0; i < fit; ++i)
            if (!decode_value(r, out.items[i], f)) [[unlikely]] {
                f.push(i);
                return false;
            }
        if (fit < count) [[unlikely]] {
            fail_truncated(f, r.offset(), min_wire_size<E>(), r.remaining());
            f.push(fit);
            return false;
        }
    } else if constexpr (is_optional<T>::value) {
        bool present = false;
        if (!decode_value(r, present, f)) return false;
        if (!present) {
            out.reset();
            return true;
        }
        return decode_value(r, out.has_value() ? *out : out.emplace(), f);
    } else if constexpr (Union<T>) {
        return decode_union(r, out, f);
    } else if constexpr (Struct<T>) {
        return decode_struct(r, out, f);
    } else {
        static_assert(sizeof(T) == 0, "wire_codec: unsupported model type");
    }
    return true;
}

// decode decodes exactly one T from input: truncation and bytes after the
// last field both fail (flags truncated / trailing_bytes, offsets from the
// start of input).
template <class T>
bool decode(std::span<const std::uint8_t> input, T& out, Failure& f) {
    Reader r(input);
#ifdef QEMUD_CANARY_BUILD
    if (!decode_value(r, out, f)) {
        if (!canary::on(canary::Id::truncated_zero_fill) || f.flag != policy::name(policy::Flag::truncated))
            return false;
        // Decode again from the input followed by enough zeros for any arm,
        // as if the missing bytes had been zeros.
        std::vector<std::uint8_t> padded(input.begin(), input.end());
        padded.resize(input.size() + 32 * 1024);
        Reader again(padded);
        out = T{};
        f = Failure{};
        return decode_value(again, out, f);
    }
    canary::wire_hooks::overread(input.data(), input.size());
    if (canary::on(canary::Id::payload_trailing_bytes)) return true;
#else
    if (!decode_value(r, out, f)) return false;
#endif
    if (r.remaining() != 0) [[unlikely]] {
        if (f.set_quiet(policy::name(policy::Flag::trailing_bytes), r.offset())) return false;
        f.set(policy::name(policy::Flag::trailing_bytes), r.offset(),
              std::to_string(r.remaining()) + " bytes after the last field");
        return false;
    }
    return true;
}

// ------------------------------------------------------------------ encode

namespace detail {

struct ArmEncoder {
    Writer* w;
    Failure* f;
    bool ok = true;
    const char* member = nullptr;
    void void_arm() {}
    template <class A>
    void operator()(const char* name, const A& arm) {
        if (!encode_value(*w, arm, *f)) {
            ok = false;
            member = name;
        }
    }
};

template <class U>
[[gnu::cold, gnu::noinline]] void fail_arm_mismatch(Failure& f, const U& u, std::int64_t value) {
    using Traits = xdr::UnionTraits<U>;
    const xdr::UnionArm* arm = nullptr;
    for (const auto& a : Traits::arms)
        if (a.value == value) arm = &a;
    std::string message = "discriminant " + std::to_string(value);
    if (!arm && !Traits::has_default) {
        message += std::string(" has no arm in union ") + Traits::name;
    } else {
        const std::size_t want = arm ? arm->alternative : Traits::default_alternative;
        const char* member = arm ? arm->member : Traits::default_member;
        message += " selects " + (*member ? "arm " + std::string(member) : std::string("a void arm")) +
                   " (alternative " + std::to_string(want) + ") but the union holds alternative " +
                   std::to_string(u.arm.index());
    }
    fail_value(f, std::nullopt, std::move(message));
    f.push(Traits::discriminant_member);
}

template <class U>
bool encode_union(Writer& w, const U& u, Failure& f) {
    using Traits = xdr::UnionTraits<U>;
    const auto value = static_cast<std::int64_t>(u.*Traits::discriminant);
    w.put_u32(static_cast<std::uint32_t>(value));
#ifdef QEMUD_CANARY_BUILD
    using D = std::remove_cvref_t<decltype(u.*Traits::discriminant)>;
    if (canary::wire_hooks::extra_word_before_arm(enum_name<D>(value))) w.put_u32(0);
#endif
    ArmEncoder visitor{&w, &f};
    if (!visit_arm(u, visitor)) [[unlikely]] {
        fail_arm_mismatch(f, u, value);
        return false;
    }
    if (!visitor.ok) [[unlikely]] {
        f.push(visitor.member);
        return false;
    }
    return true;
}

template <class S>
bool encode_struct(Writer& w, const S& s, Failure& f) {
    bool ok = true;
    visit_fields(s, [&](const char* name, const auto& field) {
        if (!ok) return;
        if (!encode_value(w, field, f)) [[unlikely]] {
            f.push(name);
            ok = false;
        }
    });
    return ok;
}

inline bool encode_count(Writer& w, std::size_t count, std::uint32_t max, Failure& f) {
    if (count > max) [[unlikely]] {
        fail_value(f, std::nullopt, "count " + std::to_string(count) + " exceeds the maximum " + std::to_string(max));
        return false;
    }
    w.put_u32(static_cast<std::uint32_t>(count));
    return true;
}

inline void encode_bytes(Writer& w, const void* bytes, std::size_t count) {
    std::uint8_t* p = w.extend(padded(count));
    if (count) std::memcpy(p, bytes, count);
    std::memset(p + count, 0, padded(count) - count);  // Writer leaves old bytes: pad explicitly
}

}  // namespace detail

// encode_value appends T's canonical encoding. It fails (flag "value", no
// offset) on a value the wire cannot carry: a union whose arm does not
// match its discriminant, a variable-length item over its maximum, an
// undeclared enum value.
template <class T>
bool encode_value(Writer& w, const T& value, Failure& f) {
    using namespace detail;
    if constexpr (std::is_same_v<T, bool>) {
        w.put_u32(value ? 1 : 0);
    } else if constexpr (is_byte<T>) {
        w.put_u32(canonical_word(value));
    } else if constexpr (std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::uint32_t>) {
        w.put_u32(static_cast<std::uint32_t>(value));
    } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t>) {
#ifdef QEMUD_CANARY_BUILD
        if (std::is_same_v<T, std::uint64_t> && canary::on(canary::Id::uint64_word_swap)) {
            const auto v = static_cast<std::uint64_t>(value);
            w.put_u64((v << 32) | (v >> 32));
            return true;
        }
#endif
        w.put_u64(static_cast<std::uint64_t>(value));
    } else if constexpr (std::is_same_v<T, float>) {
        w.put_u32(std::bit_cast<std::uint32_t>(value));
    } else if constexpr (std::is_same_v<T, double>) {
        w.put_u64(std::bit_cast<std::uint64_t>(value));
    } else if constexpr (std::is_enum_v<T>) {
        const auto v = static_cast<std::int64_t>(value);
        if (!enum_name<T>(v)) [[unlikely]] {
            fail_value(f, std::nullopt, std::to_string(v) + " is not a value of enum " + xdr::EnumTraits<T>::name);
            return false;
        }
        w.put_u32(static_cast<std::uint32_t>(v));
    } else if constexpr (is_std_array<T>::value) {
        using E = typename T::value_type;
        constexpr std::size_t n = std::tuple_size_v<T>;
        if constexpr (is_byte<E>) {
#ifdef QEMUD_CANARY_BUILD
            if (canary::wire_hooks::encode_byte_words<is_signed_byte<E>>(
                    w, reinterpret_cast<const std::uint8_t*>(value.data()), n))
                return true;
#endif
            encode_byte_words(value.data(), n, w.extend(4 * n));
        } else if constexpr (is_word_int<E>) {
            std::uint8_t* p = w.extend(4 * n);
            for (std::size_t i = 0; i < n; ++i) store_be32(p + 4 * i, static_cast<std::uint32_t>(value[i]));
        } else {
            for (std::size_t i = 0; i < n; ++i)
                if (!encode_value(w, value[i], f)) [[unlikely]] {
                    f.push(i);
                    return false;
                }
        }
    } else if constexpr (is_fixed_opaque<T>::value) {
        encode_bytes(w, value.bytes.data(), T::size);
    } else if constexpr (is_var_opaque<T>::value) {
        if (!encode_count(w, value.bytes.size(), T::max_size, f)) return false;
        encode_bytes(w, value.bytes.data(), value.bytes.size());
    } else if constexpr (is_string<T>::value) {
        if (!encode_count(w, value.text.size(), T::max_size, f)) return false;
        encode_bytes(w, value.text.data(), value.text.size());
    } else if constexpr (is_var_array<T>::value) {
        if (!encode_count(w, value.items.size(), T::max_size, f)) return false;
        for (std::size_t i = 0; i < value.items.size(); ++i)
            if (!encode_value(w, value.items[i], f)) [[unlikely]] {
                f.push(i);
                return false;
            }
    } else if constexpr (is_optional<T>::value) {
        w.put_u32(value.has_value() ? 1 : 0);
        if (value.has_value()) return encode_value(w, *value, f);
    } else if constexpr (Union<T>) {
        return encode_union(w, value, f);
    } else if constexpr (Struct<T>) {
        return encode_struct(w, value, f);
    } else {
        static_assert(sizeof(T) == 0, "wire_codec: unsupported model type");
    }
    return true;
}

// encode replaces the contents of out (keeping its capacity) with value's
// canonical encoding. On failure out is empty.
template <class T>
bool encode(const T& value, std::vector<std::uint8_t>& out, Failure& f) {
    // Writer overwrites out in place (no clear, so no zero-fill of a
    // vector that already has the room) and trims it at the end.
    Writer w(out);
    if (!encode_value(w, value, f)) [[unlikely]] {
        out.clear();
        return false;
    }
    w.finish();
    return true;
}

#ifdef QEMUD_CANARY_BUILD
}  // inline namespace canary_build
#endif
}  // namespace qemud::wire
