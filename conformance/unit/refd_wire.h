// SPDX-License-Identifier: Apache-2.0
// refd_wire.h: what the qemud-refd tests need to talk to a Connection in
// process: framed calls in, framed replies out, both through the cxx codec
// and the framing profiles (no protocol fact restated here).
#pragma once

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "codecs/cxx/cxx_codec.h"
#include "framing/framing.h"
#include "protocol_model.gen.h"
#include "refd/xml_fields.h"

namespace refd_test {

using namespace qemud;
using C = model::qemud_packet_client_data_type;
using S = model::qemud_packet_server_data_type;

// call_bytes: the framed call `type` with `serial` and arm `arm`.
template <class Arm = std::monostate>
Bytes call_bytes(std::uint32_t serial, C type, Arm arm = {}, Framing framing = Framing::seed) {
    model::qemud_packet_client c{};
    c.serial = serial;
    c.data.type = type;
    c.data.arm = std::move(arm);
    Bytes payload;
    const auto error = cxx::encode(c, payload);
    BOOST_TEST_REQUIRE(!error, "encode: " << (error ? error->to_string() : ""));
    return framing_profile(framing).frame(payload);
}

inline Bytes words(std::initializer_list<std::uint32_t> list) {
    Bytes out;
    for (const std::uint32_t w : list)
        for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(w >> shift));
    return out;
}

inline Bytes operator+(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

inline std::uint32_t word_at(const Bytes& bytes, std::size_t at) {
    return static_cast<std::uint32_t>(bytes.at(at)) << 24 | static_cast<std::uint32_t>(bytes.at(at + 1)) << 16 |
           static_cast<std::uint32_t>(bytes.at(at + 2)) << 8 | bytes.at(at + 3);
}

// Reply is one server message cut from the output: its payload bytes and,
// when the strict decoder accepts it, the value.
struct Reply {
    Bytes payload;
    std::optional<model::qemud_packet_server> value;
    std::uint32_t serial() const { return word_at(payload, 0); }
    std::uint32_t in_reply_to() const { return word_at(payload, 4); }
    std::uint32_t type_word() const { return word_at(payload, 8); }
    bool is_failure() const { return type_word() == 0; }
    std::uint32_t failure_code() const {
        return std::get<model::qemud_packet_failure_reply>(value.value().data.arm).code;
    }
};

// replies cuts `out` into server messages of `framing`; every header must
// be valid and the bytes must end on a message boundary.
inline std::vector<Reply> replies(const Bytes& out, Framing framing = Framing::seed) {
    const auto& profile = framing_profile(framing);
    std::vector<Reply> list;
    std::size_t at = 0;
    while (at < out.size()) {
        BOOST_TEST_REQUIRE(out.size() - at >= profile.header_size());
        const auto words = profile.read(out.data() + at);
        BOOST_TEST_REQUIRE(!profile.check_framed(Direction::server, words, at));
        const std::size_t size = profile.payload_size(words);
        BOOST_TEST_REQUIRE(out.size() - at - profile.header_size() >= size);
        Reply reply;
        const auto begin = out.begin() + static_cast<std::ptrdiff_t>(at + profile.header_size());
        reply.payload.assign(begin, begin + static_cast<std::ptrdiff_t>(size));
        model::qemud_packet_server value{};
        if (!cxx::decode(reply.payload, value)) reply.value = value;
        list.push_back(std::move(reply));
        at += profile.header_size() + size;
    }
    return list;
}

inline std::array<char, 4096> xml(const std::string& text) {
    std::array<char, 4096> out{};
    qemud::refd::copy_padded(text, out);
    return out;
}

}  // namespace refd_test
