// SPDX-License-Identifier: Apache-2.0
// rpcgen_codec.cpp: the "rpcgen" implementation. libtirpc's xdrmem stream
// and the xdr_ procedures rpcgen generated from protocol.x do all the
// encoding; this adapter only moves values between the JSON value model,
// the C++ model and rpcgen's C structs (rpcgen_bridge.gen.h).
//
// libtirpc is lenient (docs/VALUE-MODEL.md): it keeps the low 8 bits of
// any char word. That is the reference behaviour the policy calls
// acceptable, so nothing here tightens it.
#include <exception>
#include <memory>

#include "codecs/framed_codec.h"
#include "codecs/registry.h"
#include "policy/policy.h"
#include "runtime/model_json.h"
// Last: rpcgen's headers #define the protocol's constants (see the bridge).
#include "rpcgen_bridge.gen.h"
extern "C" {
#include "libvirt_0_3_header.h"
}

namespace qemud {

namespace {

using XdrProc = bool_t (*)(XDR*, void*);

// XdrMemory wraps an xdrmem stream over a buffer and destroys it on exit.
class XdrMemory {
public:
    XdrMemory(const std::uint8_t* data, std::size_t size, xdr_op op) {
        // xdrmem_create takes char*; a decode stream never writes through it.
        xdrmem_create(&xdrs_, reinterpret_cast<char*>(const_cast<std::uint8_t*>(data)),
                      static_cast<u_int>(size), op);
    }
    ~XdrMemory() { xdr_destroy(&xdrs_); }
    XdrMemory(const XdrMemory&) = delete;
    XdrMemory& operator=(const XdrMemory&) = delete;
    XDR* get() { return &xdrs_; }
    std::size_t position() { return xdr_getpos(&xdrs_); }

private:
    XDR xdrs_{};
};

CodecError libtirpc_error(std::size_t position, std::size_t size) {
    // libtirpc says only "FALSE". For this protocol a decode fails for two
    // reasons: the input ran out, or a discriminant has no arm (the stream
    // stops right after reading it).
    if (position + 4 > size)
        return CodecError{"", position, std::string(policy::name(policy::Flag::truncated)),
                          "libtirpc: input ends inside a field"};
    return CodecError{"", position >= 4 ? position - 4 : position,
                      std::string(policy::name(policy::Flag::unknown_discriminant)),
                      "libtirpc: the xdr_ procedure failed (discriminant with no arm)"};
}

// Per-direction glue: the model type, rpcgen's C type and its procedure.
template <class Model, class C>
struct Root {
    bool_t (*proc)(XDR*, C*);
};

template <class Model, class C>
Outcome<Bytes> encode_root(Root<Model, C> root, const Json& value, std::size_t capacity) {
    auto model = std::make_unique<Model>();
    if (auto error = model_json::from_json(value, *model)) return *error;
    auto c = std::make_unique<C>();
    try {
        rpcgen_bridge::to_c(*model, *c);
    } catch (const std::exception& e) {
        return value_model::value_error("", std::string("value is inconsistent: ") + e.what());
    }
    Bytes out(capacity);
    XdrMemory xdr(out.data(), out.size(), XDR_ENCODE);
    if (!root.proc(xdr.get(), c.get()))
        return CodecError{"", std::nullopt, "value", "libtirpc refused to encode the value"};
    out.resize(xdr.position());
    return out;
}

template <class Model, class C>
Outcome<Json> decode_root(Root<Model, C> root, ByteView wire) {
    auto c = std::make_unique<C>();
    XdrMemory xdr(wire.data(), wire.size(), XDR_DECODE);
    if (!root.proc(xdr.get(), c.get())) return libtirpc_error(xdr.position(), wire.size());
    // libtirpc stops after the last field and does not look further.
    if (xdr.position() != wire.size())
        return CodecError{"", xdr.position(), std::string(policy::name(policy::Flag::trailing_bytes)),
                          std::to_string(wire.size() - xdr.position()) + " bytes after the last field"};
    // No member of this protocol is allocated by the decoder (the bridge
    // refuses variable-length data), so there is nothing to xdr_free.
    auto model = std::make_unique<Model>();
    rpcgen_bridge::from_c(*c, *model);
    return model_json::to_json(*model);
}

const Root<model::qemud_packet_client, ::qemud_packet_client> client_root{xdr_qemud_packet_client};
const Root<model::qemud_packet_server, ::qemud_packet_server> server_root{xdr_qemud_packet_server};
const Root<model::qemud_packet_header, ::qemud_packet_header> header_root{xdr_qemud_packet_header};

class RpcgenCodec final : public FramedCodec {
public:
    std::string_view name() const override { return "rpcgen"; }
    bool strict() const override { return false; }

protected:
    Outcome<Bytes> encode_payload(Direction direction, const Json& value) const override {
        const std::size_t capacity = ProtocolInfo::get().max_payload(direction);
        return direction == Direction::client ? encode_root(client_root, value, capacity)
                                              : encode_root(server_root, value, capacity);
    }
    Outcome<Json> decode_payload(Direction direction, ByteView payload) const override {
        return direction == Direction::client ? decode_root(client_root, payload) : decode_root(server_root, payload);
    }
    Outcome<Bytes> encode_header_struct(Framing framing, HeaderWords header) const override {
        const FramingProfile& profile = framing_profile(framing);
        if (framing == Framing::seed) return encode_root(header_root, profile.to_json(header), profile.header_size());
        // libvirt-0.3: rpcgen's procedure for framing/libvirt_0_3_header.x.
        ::qemud_packet_header_libvirt_0_3 c{};
        c.length = header.length;
        c.prog = header.constant;
        Bytes out(profile.header_size());
        XdrMemory xdr(out.data(), out.size(), XDR_ENCODE);
        if (!xdr_qemud_packet_header_libvirt_0_3(xdr.get(), &c))
            return CodecError{"", std::nullopt, "value", "libtirpc refused to encode the header"};
        out.resize(xdr.position());
        return out;
    }
    Outcome<HeaderWords> decode_header_struct(Framing framing, ByteView eight_bytes) const override {
        const FramingProfile& profile = framing_profile(framing);
        if (framing == Framing::seed) {
            auto json = decode_root(header_root, eight_bytes);
            if (!json.ok()) return json.error();
            return profile.from_json(json.value());
        }
        ::qemud_packet_header_libvirt_0_3 c{};
        XdrMemory xdr(eight_bytes.data(), eight_bytes.size(), XDR_DECODE);
        if (!xdr_qemud_packet_header_libvirt_0_3(xdr.get(), &c)) return libtirpc_error(xdr.position(), eight_bytes.size());
        return HeaderWords{c.prog, c.length};
    }
};

}  // namespace

std::unique_ptr<Codec> make_rpcgen_codec() { return std::make_unique<RpcgenCodec>(); }

}  // namespace qemud
