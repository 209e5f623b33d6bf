// SPDX-License-Identifier: Apache-2.0
// protocol_info.h: the qemud protocol as the harness sees it, read from
// reference/protocol.x at run time (the text is embedded at build time).
//
// Everything outside reference/ that needs to enumerate arms, sizes or
// limits asks this module, so a message added to protocol.x reaches tests,
// vectors and fuzzers with no other edit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "xdrc/ast.h"

namespace qemud {

enum class Direction { client, server };
inline constexpr Direction all_directions[] = {Direction::client, Direction::server};
std::string_view to_string(Direction direction);

// ArmInfo describes one union arm of one direction.
struct ArmInfo {
    Direction direction{};
    std::string name;         // discriminant enum item: QEMUD_CLIENT_PKT_DOMAIN_CREATE
    std::int32_t value = 0;   // discriminant value
    std::string member;       // arm member name, empty for a void arm
    std::string struct_name;  // arm struct type, empty for a void arm
    std::uint32_t payload_size = 0;  // bytes of the whole payload (serial, ..., discriminant, arm)
};

class ProtocolInfo {
public:
    // get parses the embedded protocol.x once. A protocol.x that does not
    // parse, or lacks the names listed in protocol_info.cpp, aborts with a
    // message: the build embedded a broken file.
    static const ProtocolInfo& get();

    const xdr::Specification& spec() const { return spec_; }
    std::string_view source_text() const;
    // source_sha256: the SHA-256 of protocol.x's bytes, lowercase hex (the
    // golden vectors' protocolSha256), computed by the build.
    std::string_view source_sha256() const;

    const std::vector<ArmInfo>& arms(Direction direction) const;
    std::vector<ArmInfo> all_arms() const;  // client arms, then server arms
    const ArmInfo* find_arm(Direction direction, std::string_view name) const;
    const ArmInfo* find_arm(Direction direction, std::int32_t value) const;

    // payload_type is the root struct of a direction's payload
    // (qemud_packet_client / qemud_packet_server); payload_union its union.
    const std::string& payload_type(Direction direction) const;
    const xdr::UnionDef& payload_union(Direction direction) const;
    const xdr::EnumDef& discriminant_enum(Direction direction) const;
    // payload_prefix_size: bytes before the discriminant (4 client, 8 server).
    std::uint32_t payload_prefix_size(Direction direction) const;

    std::uint32_t min_payload(Direction direction) const;
    std::uint32_t max_payload(Direction direction) const;
    // header_size is QEMUD_PKT_HEADER_XDR_LEN, the header's size in every
    // framing profile; the header's words and rules are the profile's
    // (framing/framing.h).
    std::uint32_t header_size() const { return header_size_; }
    // Bounds on a bare header's length word, whose direction is unknown:
    // the smallest payload of either direction and the largest.
    std::uint32_t min_any_payload() const;
    std::uint32_t max_any_payload() const;

private:
    ProtocolInfo();
    struct PerDirection {
        std::string payload_type;
        const xdr::UnionDef* payload_union = nullptr;
        const xdr::EnumDef* discriminant_enum = nullptr;
        std::uint32_t prefix_size = 0;
        std::vector<ArmInfo> arms;
        // by_value[v - lowest_value]: the index in `arms` of the arm whose
        // discriminant is v, or -1. find_arm by value is on every fuzz
        // input's path (the comparator and the stream decoder look a
        // payload's arm up); a table is one bounds check where a scan is up
        // to 38 traced comparisons in a fuzz build.
        std::int32_t lowest_value = 0;
        std::vector<std::int32_t> by_value;
        std::uint32_t min_payload = 0;
        std::uint32_t max_payload = 0;
    };
    const PerDirection& of(Direction d) const { return d == Direction::client ? client_ : server_; }
    void load_direction(Direction d, const std::string& root, PerDirection& out);

    xdr::Specification spec_;
    PerDirection client_;
    PerDirection server_;
    std::uint32_t header_size_ = 0;
};

}  // namespace qemud
