// SPDX-License-Identifier: Apache-2.0
#include "dispatch/dispatch_check.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "codecs/cxx/cxx_codec.h"
#include "compare/differential.h"
#include "framing/framing.h"
#include "protocol_info/protocol_info.h"
#include "refd/connection.h"
#include "refd/failure.h"
#include "refd/hypervisor_model.h"
#include "stream/stream_decoder.h"
#include "stream/stream_input.h"

#ifdef QEMUD_FUZZ_COUNT_ALLOCATIONS
#include "largest_allocation.h"  // conformance/unit: a counting operator new, linked in the GCC replay build
#endif

namespace qemud::fuzz {

namespace {

using Type = model::qemud_packet_server_data_type;

// The model's uuid seed. Fixed, so a seed conversation can name the uuids
// the daemon will generate (fuzz/seeds/make_seeds.py computes them).
constexpr std::uint64_t model_seed = 1;

std::uint32_t word_at(ByteView bytes, std::size_t at) {
    return static_cast<std::uint32_t>(bytes[at]) << 24 | static_cast<std::uint32_t>(bytes[at + 1]) << 16 |
           static_cast<std::uint32_t>(bytes[at + 2]) << 8 | bytes[at + 3];
}

[[noreturn]] void finding(const std::string& what, const std::string& detail) {
    report_finding("qemud-harness: refd dispatch " + what, detail);
}

// Call is one client message the stream holds: where it ends in the
// stream, its serial and type words, and whether the strict decoder (the
// one qemud-refd decodes with) accepts its payload.
struct Call {
    std::size_t end = 0;
    std::uint32_t serial = 0;
    std::uint32_t type = 0;
    bool decodes = false;
};

// Expected is the stream framed independently of the connection, in one
// piece: the calls it holds, the framing error that ends it (if any) and
// the profile it is read in. The connection may answer nothing else.
struct Expected {
    std::vector<Call> calls;
    std::optional<CodecError> framing_error;
    std::optional<Framing> framing;
};

Expected frame_stream(ByteView stream, std::optional<Framing> framing) {
    StreamDecoder decoder =
        framing ? StreamDecoder(Direction::client, *framing) : StreamDecoder::detecting(Direction::client);
    const std::size_t header = ProtocolInfo::get().header_size();
    Expected e;
    model::qemud_packet_client call{};
    // Every framed client payload holds at least serial and type: the
    // decoder refuses a shorter length.
    e.framing_error = decoder.feed(stream, [&](const StreamDecoder::Frame& f) {
        e.calls.push_back({f.stream_offset + f.bytes.size(), word_at(f.bytes, header), word_at(f.bytes, header + 4),
                           !cxx::decode(f.bytes.subspan(header), call)});
    });
    e.framing = decoder.framing();
    return e;
}

// Conversation follows the replies across reads: how many calls have been
// answered and the serial the next reply must carry.
struct Conversation {
    const Expected& expected;
    const FramingProfile& profile;  // the replies' framing
    std::size_t answered = 0;
    std::uint32_t next_serial = 1;
    std::size_t replies = 0;
    bool close_failure = false;  // the FAILURE to a refused header was written
};

std::string where(const Conversation& c, std::size_t read, std::size_t stream_pos) {
    return "read " + std::to_string(read) + " (stream bytes up to " + std::to_string(stream_pos) + "), reply " +
           std::to_string(c.replies) + ", " + std::to_string(c.expected.calls.size()) + " calls in the stream";
}

// check_replies checks what one read wrote: a reply per call completed by
// stream byte `stream_pos`, then, if the connection closed, its FAILURE.
void check_replies(Conversation& c, ByteView out, std::size_t read, std::size_t stream_pos, bool closed) {
    const std::size_t header = c.profile.header_size();
    std::size_t due = c.answered;
    while (due < c.expected.calls.size() && c.expected.calls[due].end <= stream_pos) ++due;
    std::size_t at = 0;
    model::qemud_packet_server reply{};
    while (at < out.size()) {
        const std::string here = where(c, read, stream_pos);
        if (out.size() - at < header)
            finding("reply-cut", here + ": " + std::to_string(out.size() - at) + " bytes left, less than a header");
        const HeaderWords words = c.profile.read(out.data() + at);
        if (auto error = c.profile.check_framed(Direction::server, words, at))
            finding("reply-bad-header", here + ": " + std::string(c.profile.name()) + " header: " + error->to_string());
        const std::size_t size = c.profile.payload_size(words);
        if (out.size() - at - header < size)
            finding("reply-cut", here + ": the header announces " + std::to_string(size) + " payload bytes, " +
                                     std::to_string(out.size() - at - header) + " written");
        const ByteView payload = out.subspan(at + header, size);
        if (auto error = cxx::decode(payload, reply))
            finding("reply-not-strict", here + ": the strict decoder refuses the reply: " + error->to_string());
        if (reply.serial != c.next_serial)
            finding("serial-not-counting", here + ": serial " + std::to_string(reply.serial) + ", expected " +
                                               std::to_string(c.next_serial) + " (they count up by one from 1)");
        ++c.next_serial;
        const bool failure = reply.data.type == Type::QEMUD_SERVER_PKT_FAILURE;
        if (c.answered < due) {
            const Call& call = c.expected.calls[c.answered];
            if (reply.inReplyTo != call.serial)
                finding("wrong-in-reply-to", here + ": inReplyTo " + std::to_string(reply.inReplyTo) +
                                                 ", the call (ending at stream byte " + std::to_string(call.end) +
                                                 ") has serial " + std::to_string(call.serial));
            if (!failure && static_cast<std::uint32_t>(reply.data.type) != call.type + 1)
                finding("wrong-reply-type", here + ": reply type " +
                                                std::to_string(static_cast<std::uint32_t>(reply.data.type)) +
                                                " to a call of type " + std::to_string(call.type));
            // A payload the strict decoder refuses gets FAILURE
            // malformed_message, and only such a payload does: a decoded
            // call always has the arm its type selects.
            const bool malformed = failure && std::get<model::qemud_packet_failure_reply>(reply.data.arm).code ==
                                                  static_cast<std::uint32_t>(refd::FailureCode::malformed_message);
            if (malformed == call.decodes)
                finding(
                    call.decodes ? "refuses-valid-call" : "answers-malformed-call",
                    here + ": the strict decoder " + (call.decodes ? "accepts" : "refuses") +
                        " the call's payload (serial " + std::to_string(call.serial) + ", type " +
                        std::to_string(call.type) + "), the reply is " +
                        (failure ? "FAILURE code " +
                                       std::to_string(std::get<model::qemud_packet_failure_reply>(reply.data.arm).code)
                                 : "type " + std::to_string(static_cast<std::uint32_t>(reply.data.type))));
            ++c.answered;
        } else if (closed && c.expected.framing_error && failure && reply.inReplyTo == 0 &&
                   at + header + size == out.size()) {
            // The FAILURE to the header the profile refused (connection.h): the last thing written.
            c.close_failure = true;
        } else {
            finding("reply-to-nothing", here + ": inReplyTo " + std::to_string(reply.inReplyTo) + ", type " +
                                            std::to_string(static_cast<std::uint32_t>(reply.data.type)) + ", but " +
                                            std::to_string(due) + " calls are complete and all answered" +
                                            (c.expected.framing_error ? "" : "; the stream has no broken header"));
        }
        ++c.replies;
        at += header + size;
    }
    if (c.answered != due)
        finding("call-unanswered", where(c, read, stream_pos) + ": " + std::to_string(due) + " calls complete, " +
                                       std::to_string(c.answered) + " answered");
    if (closed && !c.close_failure)
        finding("close-without-failure",
                where(c, read, stream_pos) + ": the connection closed without a FAILURE (inReplyTo 0) last");
    if (closed && !c.expected.framing_error)
        finding("closes-on-good-stream",
                where(c, read, stream_pos) + ": the connection closed; the stream has no header the profile refuses");
}

// Allocation bound, counted in the GCC replay build only (under libFuzzer
// the .options' malloc_limit_mb bounds every allocation instead).
#ifdef QEMUD_FUZZ_COUNT_ALLOCATIONS
void start_counting() { largest_allocation = 0; }
void check_allocation(std::size_t out_size, std::size_t read) {
    const auto& info = ProtocolInfo::get();
    // One client message (the decoder's buffer), one server message (the
    // encoder's scratch and the reply being built), or the output vector's
    // growth (at most twice what it holds).
    const std::size_t bound = std::max({std::size_t{info.header_size()} + info.max_payload(Direction::client),
                                        std::size_t{info.header_size()} + info.max_payload(Direction::server),
                                        sizeof(model::qemud_packet_server), 2 * out_size});
    if (largest_allocation.load() > bound)
        finding("allocates-too-much", "read " + std::to_string(read) + ": an allocation of " +
                                          std::to_string(largest_allocation.load()) + " bytes, above the bound " +
                                          std::to_string(bound) + " (one largest message, or twice the output)");
}
#else
void start_counting() {}
void check_allocation(std::size_t, std::size_t) {}
#endif

}  // namespace

void check_dispatch(ByteView input) {
    const StreamInput in = to_parts(input);
    const ByteView stream(in.stream);
    const std::optional<Framing> framing =
        in.chunk_sizes.size() % 2 == 0 ? std::nullopt : std::optional<Framing>(stream_framing(stream));
    const Expected expected = frame_stream(stream, framing);
    // The replies are in the connection's profile: the fixed one, or the
    // detected one (seed before detection, for the FAILURE of a first
    // header no profile reads).
    Conversation c{expected, framing_profile(expected.framing.value_or(Framing::seed))};

    refd::HypervisorModel model(model_seed);
    refd::Connection connection(model, refd::ConnectionOptions{framing, {}});
    std::size_t pos = 0;
    bool open = true;
    Bytes out;
    for (std::size_t read = 0; read < in.chunk_sizes.size() && open; ++read) {
        const std::size_t n = in.chunk_sizes[read];
        out.clear();
        out.shrink_to_fit();  // so the output's growth is this read's alone
        start_counting();
        open = connection.feed(stream.subspan(pos, n), out);
        check_allocation(out.size(), read);
        pos += n;
        check_replies(c, out, read, pos, !open);
    }
    if (open && expected.framing_error)
        finding("stays-open-on-broken-header",
                "the whole stream is read and the connection is open; the stream breaks: " +
                    expected.framing_error->to_string());
    if (!open) {
        out.clear();
        if (connection.feed(stream.first(std::min<std::size_t>(stream.size(), 1)), out) || !out.empty())
            finding("reads-after-close",
                    "a read after the close returned open or wrote " + std::to_string(out.size()) + " bytes");
    }
    if (connection.calls_answered() != c.replies)
        finding("count-disagrees", "calls_answered() is " + std::to_string(connection.calls_answered()) + ", " +
                                       std::to_string(c.replies) + " replies were written");
    if (expected.framing && connection.framing() != expected.framing)
        finding("framing-disagrees",
                std::string("the connection speaks ") +
                    (connection.framing() ? std::string(to_string(*connection.framing())) : "nothing yet") +
                    ", the stream's headers are " + std::string(to_string(*expected.framing)));
}

}  // namespace qemud::fuzz
