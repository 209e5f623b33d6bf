// SPDX-License-Identifier: Apache-2.0
#include "faulty_codec.h"

#include <string>

#include "arm_layout.h"
#include "canonical.h"
#include "xdrc/analysis.h"

namespace qemud::properties {

namespace {

std::uint32_t be32(const Bytes& b, std::size_t at) {
    return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) | b[at + 3];
}
void put_be32(Bytes& b, std::size_t at, std::uint32_t word) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(word >> (24 - 8 * i));
}

// arm_of finds the arm a well-formed payload or message names.
const ArmInfo* arm_of(Kind kind, const Bytes& wire, std::size_t* base) {
    const auto d = direction_of(kind);
    if (!d) return nullptr;
    *base = is_message(kind) ? 8 : 0;
    const std::size_t at = *base + ProtocolInfo::get().payload_prefix_size(*d);
    if (wire.size() < at + 4) return nullptr;
    return ProtocolInfo::get().find_arm(*d, static_cast<std::int32_t>(be32(wire, at)));
}

class Wrapper : public Codec {
public:
    Wrapper(const Codec& inner, std::string name) : inner_(inner), name_(std::move(name)) {}
    std::string_view name() const override { return name_; }
    bool strict() const override { return inner_.strict(); }
    using Codec::decode;
    using Codec::encode;
    Outcome<Bytes> encode(Kind kind, const Json& value, Framing framing) const override {
        return inner_.encode(kind, value, framing);
    }
    Outcome<Json> decode(Kind kind, ByteView wire, Framing framing) const override {
        return inner_.decode(kind, wire, framing);
    }

protected:
    const Codec& inner_;
    std::string name_;
};

class ZeroExtendChars final : public Wrapper {
public:
    using Wrapper::Wrapper;
    using Wrapper::decode;
    using Wrapper::encode;
    Outcome<Bytes> encode(Kind kind, const Json& value, Framing framing) const override {
        auto out = inner_.encode(kind, value, framing);
        if (!out.ok()) return out;
        Bytes& wire = out.value();
        std::size_t base = 0;
        if (const ArmInfo* arm = arm_of(kind, wire, &base))
            for (const auto& site : comparator::element_sites(*arm)) {
                const std::size_t at = base + site.offset;
                if (site.is_char && at + 4 <= wire.size() && (be32(wire, at) & 0xFFFFFF80u) == 0xFFFFFF80u)
                    put_be32(wire, at, be32(wire, at) & 0xFFu);  // the bug
            }
        return out;
    }
};

class SwapHyperWords final : public Wrapper {
public:
    using Wrapper::Wrapper;
    using Wrapper::decode;
    using Wrapper::encode;
    Outcome<Bytes> encode(Kind kind, const Json& value, Framing framing) const override {
        auto out = inner_.encode(kind, value, framing);
        if (out.ok()) swap(kind, out.value());
        return out;
    }
    Outcome<Json> decode(Kind kind, ByteView wire, Framing framing) const override {
        Bytes copy(wire.begin(), wire.end());
        swap(kind, copy);
        return inner_.decode(kind, copy, framing);
    }

private:
    static void swap(Kind kind, Bytes& wire) {
        std::size_t base = 0;
        const ArmInfo* arm = arm_of(kind, wire, &base);
        if (!arm) return;
        for (const auto& field : testing::arm_fields(*arm)) {
            const auto& d = field.declaration;
            const auto type = xdr::resolve_typedefs(ProtocolInfo::get().spec(), d.type);
            if (d.array != xdr::ArrayKind::none || !type.is_primitive()) continue;
            if (type.primitive() != xdr::PrimitiveType::hyper && type.primitive() != xdr::PrimitiveType::uhyper) continue;
            const std::size_t at = base + field.offset;
            if (at + 8 > wire.size()) continue;
            const std::uint32_t hi = be32(wire, at);
            put_be32(wire, at, be32(wire, at + 4));  // the bug
            put_be32(wire, at + 4, hi);
        }
    }
};

class StrictButLenient final : public Wrapper {
public:
    using Wrapper::Wrapper;
    bool strict() const override { return true; }  // the bug: it is not
};

}  // namespace

std::unique_ptr<Codec> make_zero_extend_chars_codec(const Codec& inner) {
    return std::make_unique<ZeroExtendChars>(inner, "faulty-zero-extend-chars");
}
std::unique_ptr<Codec> make_swap_hyper_words_codec(const Codec& inner) {
    return std::make_unique<SwapHyperWords>(inner, "faulty-swap-hyper-words");
}
std::unique_ptr<Codec> make_strict_but_lenient_codec(const Codec& lenient_inner) {
    return std::make_unique<StrictButLenient>(lenient_inner, "faulty-strict-but-lenient");
}

}  // namespace qemud::properties
