// SPDX-License-Identifier: Apache-2.0
// cxx_canary.cpp: the cxx implementation's framing canaries; see cxx_canary.h.
#include "codecs/cxx/cxx_canary.h"

#include <algorithm>
#include <new>
#include <vector>

#include "canary/canary.h"
#include "policy/policy.h"

namespace qemud::cxx::canary_hooks {

using canary::Id;
using canary::on;

namespace {

// claim reserves `bytes` as a trusted length would, before any check: a
// fuzzer's malloc limit sees the request; a plain build that cannot have it
// carries on as the product would.
void claim(std::size_t bytes) {
    canary::observations().claimed_bytes = std::max(canary::observations().claimed_bytes, bytes);
    try {
        std::vector<std::uint8_t> buffer;
        buffer.reserve(bytes);
        asm volatile("" : : "r"(buffer.data()) : "memory");  // keep the allocation
    } catch (const std::bad_alloc&) {
    }
}

CodecError flagged(std::size_t offset, policy::Flag flag, std::string message) {
    return CodecError{"", offset, std::string(policy::name(flag)), std::move(message)};
}

class CanaryCxxCodec final : public Codec {
public:
    explicit CanaryCxxCodec(std::unique_ptr<Codec> product) : product_(std::move(product)) {}
    std::string_view name() const override { return product_->name(); }
    bool strict() const override { return product_->strict(); }
    Outcome<Bytes> encode(Kind kind, const Json& value, Framing framing) const override {
        return product_->encode(kind, value, framing);
    }
    Outcome<Json> decode(Kind kind, ByteView wire, Framing framing) const override {
        const FramingProfile& profile = framing_profile(framing);
        const std::size_t hs = profile.header_size();
        if (!is_message(kind) || wire.size() < hs) return product_->decode(kind, wire, framing);
        const Direction d = *direction_of(kind);
        const HeaderWords words = profile.read(wire.data());
        const bool header_ok = profile.constant_ok(words) && !profile.framed_length_flag(d, words.length);
        const std::size_t total = header_ok ? hs + profile.payload_size(words) : 0;

        if (on(Id::message_trailing_bytes) && header_ok && wire.size() > total)
            return product_->decode(kind, wire.first(total), framing);

        if (on(Id::no_max_length) && profile.constant_ok(words) && words.length > profile.max_length(d)) {
            // The framing checks without the maximum: the payload decides.
            const std::uint64_t length = profile.payload_size(words);
            if (wire.size() - hs < length)
                return flagged(wire.size(), policy::Flag::truncated, "the header says more bytes than are present");
            if (wire.size() - hs > length)
                return flagged(hs + length, policy::Flag::trailing_bytes, "bytes after the message");
            auto out = product_->decode(payload_kind(d), wire.subspan(hs), framing);
            if (out.failed()) out.error().flag = std::string(policy::name(policy::Flag::length_mismatch));
            return out;
        }

        if (on(Id::length_not_compared) && header_ok && wire.size() == total) {
            auto out = product_->decode(kind, wire, framing);
            if (out.failed() && out.error().flag == policy::name(policy::Flag::length_mismatch))
                return decode_payload_prefix(d, wire.subspan(hs));
            return out;
        }
        return product_->decode(kind, wire, framing);
    }

private:
    std::unique_ptr<Codec> product_;
};

}  // namespace

HeaderWords bend_header(Framing framing, HeaderWords words) {
    if (on(Id::alloc_length_claim)) claim(words.length);
    if (on(Id::ignore_magic)) words.constant = framing_profile(framing).constant();
    if (on(Id::unaligned_header_length)) words.length &= ~std::uint32_t{3};
    return words;
}

std::unique_ptr<Codec> wrap(std::unique_ptr<Codec> product) {
    return std::make_unique<CanaryCxxCodec>(std::move(product));
}

}  // namespace qemud::cxx::canary_hooks
