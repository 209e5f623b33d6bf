// SPDX-License-Identifier: Apache-2.0
// cxx_codec.cpp: the "cxx" implementation. The generated C++ model and the
// strict runtime (runtime/wire_codec.h) do the wire work; values reach the
// Codec interface through runtime/model_json.h, framing through
// FramedCodec.
#include "cxx_codec.h"

#include <exception>
#include <memory>

#include "codecs/framed_codec.h"
#include "codecs/registry.h"
#include "runtime/model_json.h"
#include "runtime/wire_codec.h"
#ifdef QEMUD_CANARY_BUILD
#include "codecs/cxx/cxx_canary.h"
#endif

namespace qemud {

namespace cxx {

namespace {

CodecError to_codec_error(const wire::Failure& f) {
    return CodecError{f.path_string(), f.offset, std::string(f.flag), f.message};
}

// The native API is noexcept in effect: the runtime throws nothing but
// std::bad_alloc (a VarArray, which this protocol does not have, or an
// output vector that cannot grow).
template <class T>
std::optional<CodecError> decode_root(ByteView input, T& out) {
    try {
        wire::Failure f;
        if (wire::decode(input, out, f)) [[likely]]
            return std::nullopt;
        return to_codec_error(f);
    } catch (const std::exception& e) {
        return CodecError{"", std::nullopt, "internal", std::string("cxx decode: ") + e.what()};
    }
}

template <class T>
std::optional<Rejection> decode_quiet_root(ByteView input, T& out) {
    try {
        wire::Failure f;
        f.quiet = true;
        if (wire::decode(input, out, f)) [[likely]]
            return std::nullopt;
        return Rejection{f.flag, f.offset};
    } catch (const std::exception&) {
        return Rejection{"internal", std::nullopt};
    }
}

template <class T>
std::optional<CodecError> encode_root(const T& value, Bytes& out) {
    try {
        wire::Failure f;
        if (wire::encode(value, out, f)) [[likely]]
            return std::nullopt;
        return to_codec_error(f);
    } catch (const std::exception& e) {
        out.clear();
        return CodecError{"", std::nullopt, "internal", std::string("cxx encode: ") + e.what()};
    }
}

}  // namespace

std::optional<CodecError> decode(ByteView payload, model::qemud_packet_client& out) {
    return decode_root(payload, out);
}
std::optional<CodecError> decode(ByteView payload, model::qemud_packet_server& out) {
    return decode_root(payload, out);
}
std::optional<CodecError> decode(ByteView eight_bytes, model::qemud_packet_header& out) {
    return decode_root(eight_bytes, out);
}
std::optional<Rejection> decode_quiet(ByteView payload, model::qemud_packet_client& out) {
    return decode_quiet_root(payload, out);
}
std::optional<Rejection> decode_quiet(ByteView payload, model::qemud_packet_server& out) {
    return decode_quiet_root(payload, out);
}
std::optional<CodecError> encode(const model::qemud_packet_client& value, Bytes& out) {
    return encode_root(value, out);
}
std::optional<CodecError> encode(const model::qemud_packet_server& value, Bytes& out) {
    return encode_root(value, out);
}
std::optional<CodecError> encode(const model::qemud_packet_header& value, Bytes& out) {
    return encode_root(value, out);
}
std::optional<CodecError> decode(ByteView eight_bytes, model::qemud_packet_header_libvirt_0_3& out) {
    return decode_root(eight_bytes, out);
}
std::optional<CodecError> encode(const model::qemud_packet_header_libvirt_0_3& value, Bytes& out) {
    return encode_root(value, out);
}

}  // namespace cxx

namespace {

class CxxCodec final : public FramedCodec {
public:
    std::string_view name() const override { return "cxx"; }
    bool strict() const override { return true; }

protected:
    Outcome<Bytes> encode_payload(Direction direction, const Json& value) const override {
        return guard<Bytes>("encode", [&] {
            return direction == Direction::client ? encode_json<model::qemud_packet_client>(value)
                                                  : encode_json<model::qemud_packet_server>(value);
        });
    }

    Outcome<Json> decode_payload(Direction direction, ByteView payload) const override {
        return guard<Json>("decode", [&] {
            return direction == Direction::client ? decode_json<model::qemud_packet_client>(payload)
                                                  : decode_json<model::qemud_packet_server>(payload);
        });
    }

    Outcome<Bytes> encode_header_struct(Framing framing, HeaderWords header) const override {
        return guard<Bytes>("encode", [&]() -> Outcome<Bytes> {
            Bytes out;
            const auto e = framing == Framing::seed
                               ? cxx::encode(model::qemud_packet_header{header.constant, header.length}, out)
                               : cxx::encode(model::qemud_packet_header_libvirt_0_3{header.length, header.constant}, out);
            if (e) return *e;
            return out;
        });
    }

    Outcome<HeaderWords> decode_header_struct(Framing framing, ByteView eight_bytes) const override {
        return guard<HeaderWords>("decode", [&]() -> Outcome<HeaderWords> {
            if (framing == Framing::seed) {
                model::qemud_packet_header header;
                if (auto e = cxx::decode(eight_bytes, header)) return *e;
                return bent(framing, HeaderWords{header.magic, header.length});
            }
            model::qemud_packet_header_libvirt_0_3 header;
            if (auto e = cxx::decode(eight_bytes, header)) return *e;
            return bent(framing, HeaderWords{header.prog, header.length});
        });
    }

private:
    // bent: the header words as decoded, or as a framing canary bends them.
    static HeaderWords bent([[maybe_unused]] Framing framing, HeaderWords words) {
#ifdef QEMUD_CANARY_BUILD
        return cxx::canary_hooks::bend_header(framing, words);
#else
        return words;
#endif
    }

    template <class Root>
    static Outcome<Bytes> encode_json(const Json& value) {
        Root root;
        if (auto e = model_json::from_json(value, root)) return *e;
        Bytes out;
        if (auto e = cxx::encode(root, out)) return *e;
        return out;
    }

    template <class Root>
    static Outcome<Json> decode_json(ByteView payload) {
        Root root;
        if (auto e = cxx::decode(payload, root)) return *e;
        return model_json::to_json(root);
    }

    // guard keeps exceptions from crossing the Codec interface. On encode
    // they come from the JSON value (flag "value"); on decode only from
    // running out of memory (flag "internal").
    template <class T, class Fn>
    static Outcome<T> guard(const char* what, Fn&& fn) {
        const char* flag = std::string_view(what) == "encode" ? "value" : "internal";
        try {
            return fn();
        } catch (const std::exception& e) {
            return CodecError{"", std::nullopt, flag, std::string("cxx ") + what + ": " + e.what()};
        } catch (...) {
            return CodecError{"", std::nullopt, flag, std::string("cxx ") + what + ": unknown exception"};
        }
    }
};

}  // namespace

#ifdef QEMUD_CANARY_BUILD
namespace cxx::canary_hooks {

namespace {
template <class Root>
Outcome<Json> decode_prefix(ByteView payload) {
    Root root;
    wire::Reader r(payload);
    wire::Failure f;
    if (!wire::decode_value(r, root, f)) return to_codec_error(f);
    return model_json::to_json(root);
}
}  // namespace

Outcome<Json> decode_payload_prefix(Direction direction, ByteView payload) {
    return direction == Direction::client ? decode_prefix<model::qemud_packet_client>(payload)
                                          : decode_prefix<model::qemud_packet_server>(payload);
}

}  // namespace cxx::canary_hooks

std::unique_ptr<Codec> make_cxx_codec() { return cxx::canary_hooks::wrap(std::make_unique<CxxCodec>()); }
#else
std::unique_ptr<Codec> make_cxx_codec() { return std::make_unique<CxxCodec>(); }
#endif

}  // namespace qemud
