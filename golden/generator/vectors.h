// SPDX-License-Identifier: Apache-2.0
// vectors.h: the golden vector model the generator builds and writes, and
// the helpers the per-kind builders share.
//
// A Vector's result is never chosen by hand: result_of() derives it from
// the vector's policy flags through policy::row() (docs/POLICY.md as
// data), so the policy table stays the only place that decides it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/codec.h"
#include "framing/framing.h"
#include "policy/policy.h"
#include "wire_words.h"

namespace qemud::golden {

// GenerationError stops the generator before anything is written: an
// implementation disagreed, or a derived vector did not come out as built.
struct GenerationError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// LayoutEntry maps a byte range of a valid wire to a value-model field path.
struct LayoutEntry {
    std::size_t offset = 0;
    std::size_t length = 0;
    std::string path;
};

struct Vector {
    Vector(std::string c, std::vector<std::string> f, Bytes w)
        : comment(std::move(c)), flags(std::move(f)), wire(std::move(w)) {}
    std::string comment;
    std::vector<std::string> flags;  // policy flag names first, then generator flags
    Bytes wire;
    std::optional<Json> value;
    std::optional<Bytes> canonical_wire;  // decode-only vectors
    std::vector<LayoutEntry> layout;
    std::optional<std::size_t> error_offset;
    // A value an encoder must refuse has no wire (has_wire false); the
    // member its error names is error_path.
    bool has_wire = true;
    std::optional<std::string> error_path;
    // The arm a vector of a themed group (a Group with a name, not an arm)
    // was built from: its wire is an edit of that arm's encoding, or its
    // value is that arm's value. Empty when it belongs to no one arm (an
    // unknown discriminant, a header alone, a type that names no arm), and
    // in an arm's group, which says it once. number_tests checks it
    // against the comment, which starts with the arm's name.
    std::string arm;
    std::uint32_t tc_id = 0;  // assigned by number_tests()
    std::string result() const;
};

struct Group {
    std::string arm;   // empty for groups that are not one arm's
    std::string name;  // set when arm is empty
    std::optional<Direction> direction;
    std::optional<std::uint32_t> payload_size;
    std::vector<Vector> tests;
};

struct VectorFile {
    Kind kind = Kind::header;
    std::vector<Group> groups;
    // The framing profile of a framed kind's file (header, *_message); the
    // payload kinds' files hold no header and serve every profile.
    std::optional<Framing> framing;
};

// GeneratorFlag is a flag the generator adds to say how a vector was made;
// its rule is the decoder rule of every vector that carries it.
struct GeneratorFlag {
    std::string_view name;
    policy::DecoderRule rule;
    std::string_view description;
};
std::span<const GeneratorFlag> generator_flags();

// rule_of gives the decoder rule of a policy or generator flag; throws
// GenerationError for an unknown name.
policy::DecoderRule rule_of(std::string_view flag);
// result_of derives valid / invalid / acceptable from the policy flags:
// any must_reject row makes it invalid, else any acceptable row acceptable.
std::string result_of(const std::vector<std::string>& flags);

// --- building vectors
const char* flag(policy::Flag f);
using wire_words::append_be32;
using wire_words::get_be32;
using wire_words::put_be32;
// frame: profile p's header holding p's constant and the length word as
// given (not necessarily the payload's), then payload.
Bytes frame(const FramingProfile& p, ByteView payload, std::uint32_t length_word);
// header_layout: the layout of profile p's header words, paths prefixed.
std::vector<LayoutEntry> header_layout(const FramingProfile& p, const std::string& prefix);
std::string hex(ByteView bytes);
std::string hex32(std::uint32_t word);

// encode_agreed encodes value with every in-tree implementation and returns
// the bytes when all agree; otherwise throws naming the vector (what), the
// implementation and the first differing byte offset.
// Framed kinds are framed with `framing`.
Bytes encode_agreed(Kind kind, const Json& value, const std::string& what, Framing framing = Framing::seed);
// refuse_agreed throws unless every implementation refuses to encode value;
// when paths is not empty, each error must name one of them.
void refuse_agreed(Kind kind, const Json& value, const std::string& what, Framing framing = Framing::seed,
                   const std::vector<std::string>& paths = {});
// reference_decode is what the lenient reference (rpcgen over libtirpc)
// decodes; throws when it fails.
Json reference_decode(Kind kind, ByteView wire, const std::string& what, Framing framing = Framing::seed);

// payload_layout gives the compact layout of one arm's payload, shifted by
// base bytes (8 for a framed message).
std::vector<LayoutEntry> payload_layout(const ArmInfo& arm, std::size_t base);

// unknown_discriminants: the ..._PKT_MAX count, one past it, the extremes
// of the word; throws if one of them is an arm. unknown_discriminant_payloads
// gives (comment, payload) pairs built on them from the reference encoding.
std::vector<std::uint32_t> unknown_discriminants(Direction d);
std::vector<std::pair<std::string, Bytes>> unknown_discriminant_payloads(Direction d);

// Large arms (payload above large_payload bytes) cost 32-40 KB of hex per
// vector. Whole-wire edits of them (element words, trailing and truncated
// copies, framed length edits) are made once per field layout: for the
// first arm in protocol order with that layout. Smaller arms all get them.
inline constexpr std::uint32_t large_payload = 1024;
bool gets_large_edits(const ArmInfo& arm);
bool is_large(const ArmInfo& arm);

// --- the builders, one per file
VectorFile build_header_file(Framing framing);
VectorFile build_payload_file(Direction direction);
// The values encoders must refuse (refusal_vectors.cpp): add_refusals adds
// an arm's to its group; refusal_group holds a direction's whole-payload
// ones (type, serial, top-level members).
void add_refusals(Group& group, const ArmInfo& arm, Kind kind);
Group refusal_group(Direction direction);
VectorFile build_message_file(Direction direction, Framing framing);
std::vector<VectorFile> build_all();

// number_tests assigns tcIds 1..N in file order and checks every vector
// (a policy flag, an allowed result/member combination, flags known).
void number_tests(VectorFile& file);

}  // namespace qemud::golden
