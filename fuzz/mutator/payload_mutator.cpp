// SPDX-License-Identifier: Apache-2.0
#include "payload_mutator.h"

#include <algorithm>
#include <map>
#include <string>

#include "arm_layout.h"
#include "canonical.h"
#include "codecs/registry.h"
#include "policy/policy.h"
#include "sample_values.h"

namespace qemud::fuzz {

namespace {

const ProtocolInfo& info() { return ProtocolInfo::get(); }

template <class T, std::size_t N>
const T& pick(const T (&items)[N], Rng& rng) {
    return items[rng() % N];
}

constexpr std::uint32_t boundary_words[] = {0,          1,          2,          3,          0x7f,       0x80,
                                            0xff,       0x100,      0x7fff,     0x8000,     0xffff,     0x10000,
                                            0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 100,        101,
                                            4096,       5000,       16396,      20016,      0x20001a64, 0xffffff80};
constexpr std::int64_t boundary_numbers[] = {0, 1, -1, 2, 100, 101, 255, 256, 65535, 2147483647, -2147483648LL,
                                             2147483648LL, 4294967295LL, 4294967294LL};
constexpr const char* boundary_decimals[] = {"0", "1", "4294967295", "4294967296", "9223372036854775807",
                                             "9223372036854775808", "18446744073709551615"};
constexpr std::uint8_t boundary_bytes[] = {0x00, 0x01, 0x20, 0x41, 0x7e, 0x7f, 0x80, 0x81, 0xc3, 0xe9, 0xfe, 0xff};
constexpr const char* texts[] = {"<domain type='qemu'><name>a</name></domain>", "default", "vnet0",
                                 "/var/lib/libvirt/qemu/save", "\xc3\xa9t\xc3\xa9", "i686", "virbr0"};

const Codec& lenient() { return reference_codec(); }
const Codec& strict_encoder() { return *find_codec("cxx"); }

// leaves collects the JSON pointers of the value's leaves, except the
// union discriminant (an arm change is its own mutation).
void leaves(const Json& v, const Json::json_pointer& at, std::vector<Json::json_pointer>& out) {
    if (v.is_object()) {
        for (const auto& [key, item] : v.items())
            if (key != "type") leaves(item, at / key, out);
    } else if (v.is_array()) {
        for (std::size_t i = 0; i < v.size(); ++i) leaves(v[i], at / i, out);
    } else {
        out.push_back(at);
    }
}

bool is_decimal(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string hex_byte(std::uint8_t b) {
    static constexpr char digits[] = "0123456789abcdef";
    return {digits[b >> 4], digits[b & 15]};
}

// change_leaf gives one leaf a boundary value of its JSON type.
void change_leaf(Json& leaf, Rng& rng) {
    if (leaf.is_number()) {
        leaf = pick(boundary_numbers, rng);
    } else if (leaf.is_string() && is_decimal(leaf.get<std::string>())) {
        leaf = pick(boundary_decimals, rng);
    } else if (leaf.is_string()) {  // hex of a byte array
        std::string hex = leaf.get<std::string>();
        const std::size_t n = hex.size() / 2;
        if (n == 0) return;
        switch (rng() % 4) {
            case 0: hex.replace(2 * (rng() % n), 2, hex_byte(pick(boundary_bytes, rng))); break;
            case 1: {  // every byte the same
                const std::string b = hex_byte(pick(boundary_bytes, rng));
                for (std::size_t i = 0; i < n; ++i) hex.replace(2 * i, 2, b);
                break;
            }
            case 2: {  // a NUL-terminated text at the start
                const std::string text = pick(texts, rng);
                for (std::size_t i = 0; i <= text.size() && i < n; ++i)
                    hex.replace(2 * i, 2, hex_byte(i < text.size() ? static_cast<std::uint8_t>(text[i]) : 0));
                break;
            }
            default:  // a random byte anywhere
                hex.replace(2 * (rng() % n), 2, hex_byte(static_cast<std::uint8_t>(rng())));
        }
        leaf = hex;
    } else if (leaf.is_boolean()) {
        leaf = !leaf.get<bool>();
    }
}

// value_edit: decode (leniently), change one field, re-encode (strictly,
// so canonically). nullopt when the changed value does not encode.
std::optional<Bytes> value_edit(Direction d, ByteView payload, Rng& rng) {
    const Kind kind = payload_kind(d);
    auto decoded = lenient().decode(kind, payload);
    if (!decoded.ok()) return std::nullopt;
    Json value = std::move(decoded.value());
    std::vector<Json::json_pointer> found;
    leaves(value, Json::json_pointer(), found);
    if (found.empty()) return std::nullopt;
    change_leaf(value[found[rng() % found.size()]], rng);
    auto encoded = strict_encoder().encode(kind, value);
    if (!encoded.ok()) return std::nullopt;
    return std::move(encoded.value());
}

// element_edit rewrites one char / unsigned char element word: canonical
// for another byte, zero-extended (the one accepted non-canonical form), or
// non-canonical (high bits set), the cases the policy distinguishes.
void element_edit(const ArmInfo& arm, Bytes& p, Rng& rng) {
    const auto& sites = comparator::element_sites(arm);
    if (sites.empty()) return;
    const auto& site = sites[rng() % sites.size()];
    if (site.offset + 4 > p.size()) return;
    const std::uint8_t byte = rng() % 2 ? pick(boundary_bytes, rng) : static_cast<std::uint8_t>(rng());
    const std::uint8_t high = static_cast<std::uint8_t>(0x80 | byte);
    std::uint32_t word = 0;
    switch (rng() % 5) {
        case 0: word = site.is_char ? policy::canonical_char_word(byte) : policy::canonical_uchar_word(byte); break;
        case 1: word = high; break;                         // 00 00 00 XX, XX >= 0x80
        case 2: word = 0xffffff00u | (byte & 0x7f); break;  // FF FF FF 41
        case 3: word = 0x100u | byte; break;                // 00 00 01 41
        default: word = pick(boundary_words, rng);
    }
    store32(p.data() + site.offset, word);
}

}  // namespace

std::uint32_t load32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
void store32(std::uint8_t* p, std::uint32_t word) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(word >> (24 - 8 * i));
}

const Bytes& sample_payload(Direction d, Rng& rng, const ArmInfo* arm) {
    static std::map<std::tuple<Direction, std::int32_t, int>, Bytes> cache;
    const auto& arms = info().arms(d);
    if (!arm) arm = &arms[rng() % arms.size()];
    const int plan = static_cast<int>(rng() % std::size(samples::all_plans));
    const auto key = std::make_tuple(d, arm->value, plan);
    auto it = cache.find(key);
    if (it == cache.end()) {
        auto wire = strict_encoder().encode(payload_kind(d), samples::payload_value(*arm, samples::all_plans[plan]));
        it = cache.emplace(key, wire.ok() ? wire.value() : Bytes{}).first;
    }
    return it->second;
}

const ArmInfo* arm_of(Direction d, ByteView payload) {
    const std::size_t prefix = info().payload_prefix_size(d);
    if (payload.size() < prefix + 4) return nullptr;
    const ArmInfo* arm = info().find_arm(d, static_cast<std::int32_t>(load32(payload.data() + prefix)));
    return arm && payload.size() == arm->payload_size ? arm : nullptr;
}

std::optional<Bytes> mutate_payload(Direction d, ByteView payload, Rng& rng) {
    const std::size_t prefix = info().payload_prefix_size(d);
    const ArmInfo* arm = arm_of(d, payload);
    // keep_prefix copies serial (and inReplyTo) from the input into a sample.
    auto keep_prefix = [&](Bytes sample) {
        std::copy_n(payload.begin(), std::min(prefix, payload.size()), sample.begin());
        return sample;
    };
    if (!arm) {
        if (rng() % 2) return std::nullopt;
        const ArmInfo* named =
            payload.size() >= prefix + 4
                ? info().find_arm(d, static_cast<std::int32_t>(load32(payload.data() + prefix)))
                : nullptr;
        return keep_prefix(sample_payload(d, rng, named));
    }
    Bytes p(payload.begin(), payload.end());
    switch (rng() % 10) {
        case 0:
        case 1:
        case 2:
            if (auto edited = value_edit(d, payload, rng)) return edited;
            element_edit(*arm, p, rng);
            return p;
        case 3:
        case 4: element_edit(*arm, p, rng); return p;
        case 5: return keep_prefix(sample_payload(d, rng));  // another arm
        case 6: {  // a discriminant with no arm
            std::int32_t count = 0;  // ..._PKT_MAX: one past the largest arm
            for (const auto& a : info().arms(d)) count = std::max(count, a.value + 1);
            const std::uint32_t words[] = {static_cast<std::uint32_t>(count), static_cast<std::uint32_t>(count + 1),
                                           0xffffffff, 0x80000000, 0x7fffffff};
            store32(p.data() + prefix, pick(words, rng));
            return p;
        }
        case 7: {  // a boundary word anywhere
            const std::size_t words = p.size() / 4;
            store32(p.data() + 4 * (rng() % words), pick(boundary_words, rng));
            return p;
        }
        case 8:  // truncated
            p.resize(p.size() - std::min<std::size_t>(p.size(), rng() % 2 ? 4 : 1 + rng() % 3));
            return p;
        default: {  // trailing bytes
            const std::size_t extra = rng() % 2 ? 4 : 1 + rng() % 3;
            for (std::size_t i = 0; i < extra; ++i) p.push_back(static_cast<std::uint8_t>(rng()));
            return p;
        }
    }
}

}  // namespace qemud::fuzz
