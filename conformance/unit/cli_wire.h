// SPDX-License-Identifier: Apache-2.0
// cli_wire.h: what the qemud-cli tests need to play the server in process:
// framed server messages built from value-model JSON by the cxx codec (no
// protocol fact restated here beyond the arms the tests name).
#pragma once

#include <boost/test/unit_test.hpp>

#include <string>

#include "codecs/registry.h"

namespace cli_test {

using namespace qemud;

inline Bytes server_message(std::uint32_t serial, std::uint32_t in_reply_to, const Json& data,
                            Framing framing = Framing::seed) {
    const Json value = {{"serial", serial}, {"inReplyTo", in_reply_to}, {"data", data}};
    auto encoded = find_codec("cxx")->encode(Kind::server_message, value, framing);
    BOOST_TEST_REQUIRE(encoded.ok(), "encode: " << (encoded.failed() ? encoded.error().to_string() : "unsupported"));
    return encoded.value();
}

inline Json version_reply(std::uint32_t version = 9000) {
    return {{"type", "QEMUD_SERVER_PKT_GET_VERSION"}, {"getVersionReply", {{"versionNum", version}}}};
}

inline Json num_domains_reply(std::int32_t n) {
    return {{"type", "QEMUD_SERVER_PKT_NUM_DOMAINS"}, {"numDomainsReply", {{"numDomains", n}}}};
}

// failure_message_hex is the value model's form of a FAILURE message: the
// text NUL-padded to the full 1024 bytes, in hex.
inline std::string failure_message_hex(const std::string& text) {
    std::string hex;
    static const char* digits = "0123456789abcdef";
    for (std::size_t i = 0; i < 1024; ++i) {
        const auto b = static_cast<unsigned char>(i < text.size() ? text[i] : 0);
        hex += digits[b >> 4];
        hex += digits[b & 15];
    }
    return hex;
}

inline Json failure_reply(std::uint32_t code, const std::string& text) {
    return {{"type", "QEMUD_SERVER_PKT_FAILURE"},
            {"failureReply", {{"code", code}, {"message", failure_message_hex(text)}}}};
}

inline Bytes operator+(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

}  // namespace cli_test
