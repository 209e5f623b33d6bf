// SPDX-License-Identifier: Apache-2.0
#include "protocol_info.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "xdrc/analysis.h"
#include "xdrc/parser.h"

namespace qemud {

// Defined in protocol_text.gen.cpp, which xdrc writes from protocol.x.
extern const char qemud_protocol_x_text[];
extern const std::size_t qemud_protocol_x_size;

namespace {

// The few names the harness itself relies on. protocol.x gives
// them; everything else is enumerated from the file.
constexpr const char* client_root = "qemud_packet_client";
constexpr const char* server_root = "qemud_packet_server";
constexpr const char* header_size_constant = "QEMUD_PKT_HEADER_XDR_LEN";

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "qemud-harness: embedded protocol.x: %s\n", message.c_str());
    std::abort();
}

}  // namespace

std::string_view to_string(Direction direction) {
    return direction == Direction::client ? "client" : "server";
}

const ProtocolInfo& ProtocolInfo::get() {
    static const ProtocolInfo info;
    return info;
}

std::string_view ProtocolInfo::source_sha256() const { return QEMUD_PROTOCOL_SHA256; }

std::string_view ProtocolInfo::source_text() const {
    return {qemud_protocol_x_text, qemud_protocol_x_size};
}

ProtocolInfo::ProtocolInfo() {
    auto parsed = xdr::parse_specification(source_text(), "reference/protocol.x");
    if (auto* error = std::get_if<xdr::ParseError>(&parsed)) die(error->to_string());
    spec_ = std::move(std::get<xdr::Specification>(parsed));

    const auto* header_size = spec_.find_const(header_size_constant);
    if (!header_size) die(std::string(header_size_constant) + " is not declared");
    header_size_ = static_cast<std::uint32_t>(header_size->value);

    load_direction(Direction::client, client_root, client_);
    load_direction(Direction::server, server_root, server_);
}

void ProtocolInfo::load_direction(Direction d, const std::string& root, PerDirection& out) {
    out.payload_type = root;
    const auto* s = spec_.find_struct(root);
    if (!s || s->fields.empty()) die("missing struct " + root);
    // The union is the last field; the fields before it are the prefix
    // (serial; serial and inReplyTo).
    const xdr::Declaration& data = s->fields.back();
    out.payload_union = data.type.is_primitive() ? nullptr : spec_.find_union(data.type.name());
    if (!out.payload_union) die(root + ": last field is not a union");
    for (std::size_t i = 0; i + 1 < s->fields.size(); ++i)
        out.prefix_size += static_cast<std::uint32_t>(xdr::wire_size(spec_, s->fields[i]).max);
    const xdr::TypeRef& disc = out.payload_union->discriminant.type;
    out.discriminant_enum = disc.is_primitive() ? nullptr : spec_.find_enum(disc.name());
    if (!out.discriminant_enum) die(root + ": union discriminant is not an enum");

    for (const auto& c : out.payload_union->cases) {
        for (std::size_t i = 0; i < c.values.size(); ++i) {
            ArmInfo arm;
            arm.direction = d;
            arm.name = c.labels[i];
            arm.value = static_cast<std::int32_t>(c.values[i]);
            if (!c.arm.is_void) {
                arm.member = c.arm.name;
                arm.struct_name = c.arm.type.is_primitive() ? "" : c.arm.type.name();
            }
            const xdr::WireSize size = xdr::wire_size(spec_, c.arm);
            if (!size.fixed()) die(arm.name + ": arm has no fixed size");
            arm.payload_size = out.prefix_size + 4 + static_cast<std::uint32_t>(size.max);
            out.arms.push_back(std::move(arm));
        }
    }
    const auto [lo, hi] = std::minmax_element(out.arms.begin(), out.arms.end(), [](const auto& a, const auto& b) {
        return a.payload_size < b.payload_size;
    });
    out.min_payload = lo->payload_size;
    out.max_payload = hi->payload_size;
    const auto [vlo, vhi] = std::minmax_element(out.arms.begin(), out.arms.end(), [](const auto& a, const auto& b) {
        return a.value < b.value;
    });
    // protocol.x numbers its message types densely; a sparse enum would
    // still work here, only with a larger table.
    if (static_cast<std::int64_t>(vhi->value) - vlo->value >= 1 << 16) die(root + ": discriminant values too far apart");
    out.lowest_value = vlo->value;
    out.by_value.assign(static_cast<std::size_t>(vhi->value - vlo->value) + 1, -1);
    for (std::size_t i = 0; i < out.arms.size(); ++i)
        out.by_value[static_cast<std::size_t>(out.arms[i].value - vlo->value)] = static_cast<std::int32_t>(i);
}

const std::vector<ArmInfo>& ProtocolInfo::arms(Direction direction) const { return of(direction).arms; }

std::vector<ArmInfo> ProtocolInfo::all_arms() const {
    std::vector<ArmInfo> all = client_.arms;
    all.insert(all.end(), server_.arms.begin(), server_.arms.end());
    return all;
}

const ArmInfo* ProtocolInfo::find_arm(Direction direction, std::string_view name) const {
    for (const auto& arm : of(direction).arms)
        if (arm.name == name) return &arm;
    return nullptr;
}

const ArmInfo* ProtocolInfo::find_arm(Direction direction, std::int32_t value) const {
    const PerDirection& d = of(direction);
    const std::int64_t slot = static_cast<std::int64_t>(value) - d.lowest_value;
    if (slot < 0 || slot >= static_cast<std::int64_t>(d.by_value.size())) return nullptr;
    const std::int32_t i = d.by_value[static_cast<std::size_t>(slot)];
    return i < 0 ? nullptr : &d.arms[static_cast<std::size_t>(i)];
}

const std::string& ProtocolInfo::payload_type(Direction d) const { return of(d).payload_type; }
const xdr::UnionDef& ProtocolInfo::payload_union(Direction d) const { return *of(d).payload_union; }
const xdr::EnumDef& ProtocolInfo::discriminant_enum(Direction d) const { return *of(d).discriminant_enum; }
std::uint32_t ProtocolInfo::payload_prefix_size(Direction d) const { return of(d).prefix_size; }
std::uint32_t ProtocolInfo::min_payload(Direction d) const { return of(d).min_payload; }
std::uint32_t ProtocolInfo::max_payload(Direction d) const { return of(d).max_payload; }
std::uint32_t ProtocolInfo::min_any_payload() const { return std::min(client_.min_payload, server_.min_payload); }
std::uint32_t ProtocolInfo::max_any_payload() const { return std::max(client_.max_payload, server_.max_payload); }

}  // namespace qemud
