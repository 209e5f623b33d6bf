// SPDX-License-Identifier: Apache-2.0
// framing.h: the framing profiles, the one definition of how a message's
// 8-byte header is laid out and checked. FramedCodec, the stream decoder,
// the golden generator, the runner, the fuzz targets and the dictionaries
// all ask a FramingProfile; nothing else restates a header rule.
//
// Each profile's header is an XDR struct of two uint32 words declared in a
// .x file: `seed` in protocol.x (qemud_packet_header: magic, length),
// `libvirt-0.3` in framing/libvirt_0_3_header.x (length, prog). The word
// order and the constant come from that struct; what `length` counts (the
// payload, or the whole message) is the one fact a .x file cannot say, and
// it is the table in framing.cpp.
//
// The policy rows hold per profile with the same flag names where the
// meaning is the same: bad_magic (the constant word is not 0x20001A64: the
// magic, or libvirt-0.3's program number), length_too_large, length_mismatch
// and bad_header_length, each against the profile's own bounds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "codecs/codec.h"
#include "framing/framing_id.h"
#include "policy/policy.h"

namespace qemud {

// HeaderWords is a header by meaning: the constant word (magic or program
// number) and the length word as written.
struct HeaderWords {
    std::uint32_t constant = 0;
    std::uint32_t length = 0;
    bool operator==(const HeaderWords&) const = default;
};

class FramingProfile {
public:
    Framing id() const { return id_; }
    std::string_view name() const { return to_string(id_); }

    // spec is the parsed .x file that declares header_type.
    const xdr::Specification& spec() const { return *spec_; }
    const std::string& header_type() const { return header_type_; }
    // The constant: its .x name, its member name in the header struct and
    // the value model, and what the profile calls it ("magic", "program
    // number").
    const std::string& constant_name() const { return constant_name_; }
    const std::string& constant_member() const { return constant_member_; }
    std::string_view constant_title() const { return constant_title_; }
    const std::string& length_member() const { return length_member_; }
    std::uint32_t constant() const { return constant_; }
    // Byte offsets of the two words in the header, from the struct's order.
    std::size_t constant_offset() const { return constant_offset_; }
    std::size_t length_offset() const { return length_offset_; }
    std::uint32_t header_size() const { return header_size_; }
    // length_bias is what `length` counts beyond the payload: 0 for seed,
    // the header's 8 bytes for libvirt-0.3.
    std::uint32_t length_bias() const { return length_bias_; }
    // describe: one line for users, e.g. "libvirt-0.3: word 1 the total
    // length (header included), word 2 the program number 0x20001A64".
    std::string describe() const;

    // length_for gives the length word of a message whose payload has
    // payload_size bytes (payload_size must be at most 4 GiB - 9).
    std::uint32_t length_for(std::uint64_t payload_size) const;
    // Bounds of the length word for a framed message of direction d, and
    // for a bare header (direction unknown).
    std::uint32_t min_length(Direction d) const;
    std::uint32_t max_length(Direction d) const;
    std::uint32_t min_bare_length() const;
    std::uint32_t max_bare_length() const;

    // read / write the two words at `header` (header_size() bytes). read is
    // inline: the stream decoder reads every message's header with it.
    HeaderWords read(const std::uint8_t* header) const {
        return {be32(header + constant_offset_), be32(header + length_offset_)};
    }
    void write(HeaderWords words, std::uint8_t* header) const;
    // header_for is the valid header of a payload of payload_size bytes;
    // frame is that header followed by payload.
    Bytes header_for(std::uint64_t payload_size) const;
    Bytes frame(ByteView payload) const;

    // The header kind's value: {"magic": u32, "length": u32} for seed,
    // {"length": u32, "prog": u32} for libvirt-0.3 (member names from the
    // struct). from_json refuses a missing, extra or ill-typed member.
    Json to_json(HeaderWords words) const;
    Outcome<HeaderWords> from_json(const Json& value) const;

    // The rules, one predicate each; the checks below and the comparator's
    // classification (which lists every row that applies) build on them.
    bool constant_ok(HeaderWords words) const { return words.constant == constant_; }
    bool bare_length_ok(std::uint32_t length) const;
    // framed_length_flag: nullopt for a length some message of direction d
    // can have (a multiple of 4 within min_length..max_length); else
    // length_too_large above max_length, length_mismatch otherwise.
    std::optional<policy::Flag> framed_length_flag(Direction d, std::uint32_t length) const;

    // check_framed is the framing policy of a message of direction d whose
    // header, at offset `at` of the wire or stream, holds `words`: the
    // constant, then a length above the direction's largest message
    // (length_too_large, decided from the header alone), then a length no
    // payload of d has (length_mismatch). nullopt: payload_size(words)
    // bytes of payload follow.
    std::optional<CodecError> check_framed(Direction d, HeaderWords words, std::size_t at) const;

    // FramedLimits is check_framed's bounds for one direction as plain
    // values, for a loop that checks every message's header (the stream
    // decoder): accepts(words) holds exactly when check_framed(d, words, at)
    // is nullopt, decided inline by four compares, without the calls and
    // strings check_framed costs per message. On false, check_framed says
    // why.
    struct FramedLimits {
        std::uint32_t constant = 0;
        std::uint32_t min_length = 0;
        std::uint32_t max_length = 0;
        bool accepts(HeaderWords words) const {
            return words.constant == constant && words.length <= max_length && words.length >= min_length &&
                   words.length % 4 == 0;
        }
    };
    FramedLimits framed_limits(Direction d) const { return {constant_, min_length(d), max_length(d)}; }
    std::uint32_t payload_size(HeaderWords words) const { return words.length - length_bias_; }
    // check_bare is the policy of the `header` kind (direction unknown):
    // bad_magic, then bad_header_length (a multiple of 4 within
    // min_bare_length..max_bare_length). Offsets are into the header.
    std::optional<CodecError> check_bare(HeaderWords words) const;
    // refuse_bare is check_bare for an encoder: the same flags, worded as
    // a refusal, with no offset.
    std::optional<CodecError> refuse_bare(HeaderWords words) const;

    // explain_mismatch says how an encoder's header `actual` differs from
    // the `expected` header of this profile, naming the words ("the header
    // words are swapped", "word 1 (length) counts the payload only"), and
    // which other profile's header it is, if it is one. Empty when the two
    // are equal or either is shorter than a header.
    std::string explain_mismatch(ByteView expected, ByteView actual) const;
    // reading_hint is one line on how a header of this profile reads, for a
    // decoder that rejected a valid wire: "word 1 is the total length 16
    // (header included), word 2 the program number 0x20001A64".
    std::string reading_hint(ByteView wire) const;

private:
    friend struct FramingProfiles;
    static std::uint32_t be32(const std::uint8_t* p) {
        return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
    }
    Framing id_{};
    const xdr::Specification* spec_ = nullptr;
    std::string header_type_;
    std::string constant_name_;
    std::string constant_member_;
    std::string constant_title_;
    std::string length_member_;
    std::uint32_t constant_ = 0;
    std::size_t constant_offset_ = 0;
    std::size_t length_offset_ = 0;
    std::uint32_t header_size_ = 0;
    std::uint32_t length_bias_ = 0;
};

// framing_profile gives the definition of a profile. The first call reads
// the .x files embedded at build time; a broken one aborts with a message
// (the build embedded it).
const FramingProfile& framing_profile(Framing framing);

// detect_framing tells the profile of a stream from its first header: the
// profile whose constant word holds its constant. Neither, or both (a
// header whose two words are both 0x20001A64), is a CodecError that gives
// both readings.
Outcome<Framing> detect_framing(ByteView first_header, std::size_t at = 0);

}  // namespace qemud
