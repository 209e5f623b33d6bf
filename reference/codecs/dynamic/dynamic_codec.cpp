// SPDX-License-Identifier: Apache-2.0
// dynamic_codec.cpp: the "dynamic" implementation. It interprets the AST
// of the embedded protocol.x at run time through a Walker; framing (the
// header kind and header + payload messages) comes from FramedCodec.
#include "codecs/framed_codec.h"
#include "codecs/registry.h"
#include "walker.h"

namespace qemud {

namespace {

class DynamicCodec final : public FramedCodec {
public:
    DynamicCodec()
        : walker_(ProtocolInfo::get().spec()),
          client_(walker_.root(ProtocolInfo::get().payload_type(Direction::client))),
          server_(walker_.root(ProtocolInfo::get().payload_type(Direction::server))),
          header_(walker_.root(framing_profile(Framing::seed).header_type())),
          libvirt_walker_(framing_profile(Framing::libvirt_0_3).spec()),
          libvirt_header_(libvirt_walker_.root(framing_profile(Framing::libvirt_0_3).header_type())) {}

    std::string_view name() const override { return "dynamic"; }
    bool strict() const override { return true; }

protected:
    Outcome<Bytes> encode_payload(Direction direction, const Json& value) const override {
        return walker_.encode(payload_root(direction), value);
    }
    Outcome<Json> decode_payload(Direction direction, ByteView payload) const override {
        return walker_.decode(payload_root(direction), payload);
    }
    Outcome<void> decode_payload_into(Direction direction, ByteView payload, Json& out) const override {
        return walker_.decode_into(payload_root(direction), payload, out);
    }
    // The header struct is walked from the .x file that declares it, as the
    // payloads are: the seed's from protocol.x, libvirt-0.3's from its own.
    Outcome<Bytes> encode_header_struct(Framing framing, HeaderWords header) const override {
        return header_walker(framing).encode(header_root(framing), framing_profile(framing).to_json(header));
    }
    Outcome<HeaderWords> decode_header_struct(Framing framing, ByteView eight_bytes) const override {
        auto value = header_walker(framing).decode(header_root(framing), eight_bytes);
        if (value.failed()) return value.error();
        return framing_profile(framing).from_json(value.value());
    }

private:
    const dynamic::Walker::Root& payload_root(Direction direction) const {
        return direction == Direction::client ? client_ : server_;
    }
    const dynamic::Walker& header_walker(Framing framing) const {
        return framing == Framing::seed ? walker_ : libvirt_walker_;
    }
    const dynamic::Walker::Root& header_root(Framing framing) const {
        return framing == Framing::seed ? header_ : libvirt_header_;
    }

    dynamic::Walker walker_;
    // The three root types, resolved once (type_graph.h), not per call.
    dynamic::Walker::Root client_;
    dynamic::Walker::Root server_;
    dynamic::Walker::Root header_;
    dynamic::Walker libvirt_walker_;
    dynamic::Walker::Root libvirt_header_;
};

}  // namespace

std::unique_ptr<Codec> make_dynamic_codec() { return std::make_unique<DynamicCodec>(); }

}  // namespace qemud
