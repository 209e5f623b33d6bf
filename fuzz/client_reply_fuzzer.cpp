// SPDX-License-Identifier: Apache-2.0
// client_reply_fuzzer: qemud-cli's ReplyMatcher (reference/cli/
// reply_matcher.h) fed a server byte stream, in the chunks the input
// chooses, with outstanding calls the input chooses too.
//
// Input: the stream targets' format (fuzz/stream/stream_input.h: parts of
// a 2-byte big-endian length and that many bytes; the parts are the chunks,
// concatenated the stream), so the server_stream corpus, mutator and
// dictionary fit it unchanged. The framing is the one the first header
// tells (seed when none). The outstanding calls come from the stream's own
// messages, chosen by each message's server `serial` word, which a client
// never reads (so choosing costs no other byte):
//   serial % 4 == 0 or 1: a call with serial = the message's inReplyTo, of
//                         the type the message answers (for a FAILURE, a
//                         type chosen by serial / 4);
//   serial % 4 == 2:      no call: the message is an async notification;
//   serial % 4 == 3:      a call with serial = inReplyTo, of another type
//                         (serial / 4 picks it): a reply of the wrong type.
// Serials are registered once (a conforming client's are unique).
//
// Checks (a finding aborts through report_finding):
//  * every call is settled exactly once by the end (feed, then finish), and
//    nothing is settled that was not called;
//  * each call's outcome is the one an independent reading of the stream
//    gives (frame by frame, the framing profile's checks, the strict
//    decoder): a value only from the first message whose inReplyTo is the
//    call's serial, equal to its data, of the type answering the call; a
//    failure only from a FAILURE naming the call, with its code and message;
//    an error for a reply of another type, and for every call still waiting
//    at the first frame refused or cut off;
//  * the outcome is the same whatever the chunking (the input's chunks, one
//    chunk, and one byte at a time for streams up to 4 KiB).
// Memory: StreamDecoder holds one message of the largest server size;
// libFuzzer's -malloc_limit_mb catches any allocation from a length word.
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli/reply_matcher.h"
#include "codecs/registry.h"
#include "compare/differential.h"
#include "framing/framing.h"
#include "protocol_info/protocol_info.h"
#include "stream/stream_input.h"

namespace {

using namespace qemud;
using qemud::cli::FeedResult;
using qemud::cli::ReplyMatcher;
using qemud::cli::Settled;

std::uint32_t word_at(ByteView bytes, std::size_t at) {
    return std::uint32_t{bytes[at]} << 24 | std::uint32_t{bytes[at + 1]} << 16 | std::uint32_t{bytes[at + 2]} << 8 |
           bytes[at + 3];
}

// Message is what the stream says, read independently of the matcher.
struct Message {
    std::uint32_t in_reply_to = 0;
    std::optional<Json> data;  // when the strict decoder accepts the payload
};

// Observed keeps the ignored messages and the settled calls apart, each in
// order: how one feed's result interleaves the two depends on the chunking.
// Expected is the outcome the stream gives one call: its kind and, for a
// value or failure, the data of the message that settles it.
struct Expected {
    Settled::Kind kind = Settled::Kind::error;
    const Json* data = nullptr;
};

struct Observed {
    std::vector<std::string> ignored;
    std::vector<std::string> lines;  // one per settled call, in order
    std::vector<Settled> settled;
    bool operator==(const Observed& o) const { return ignored == o.ignored && lines == o.lines; }
};

void record(const FeedResult& r, Observed& out) {
    for (const auto& i : r.ignored)
        out.ignored.push_back("ignored " + std::to_string(i.in_reply_to) + " " + i.type + " @" +
                            std::to_string(i.stream_offset));
    for (const auto& s : r.settled) {
        out.lines.push_back("settled " + std::to_string(s.serial) + " " + std::to_string(static_cast<int>(s.kind)) +
                            " " + s.value.dump() + " " + std::to_string(s.failure_code) + " " +
                            s.failure_message_hex + " " + s.error);
        out.settled.push_back(s);
    }
}

Observed run(Framing framing, const std::map<std::uint32_t, std::int32_t>& calls, ByteView stream,
            const std::vector<std::size_t>& chunks) {
    ReplyMatcher matcher(framing);
    for (const auto& [serial, type] : calls) matcher.expect(serial, type);
    Observed out;
    std::size_t at = 0;
    for (std::size_t i = 0; at < stream.size(); ++i) {
        const std::size_t n = std::min(chunks.empty() ? stream.size() : chunks[i % chunks.size()], stream.size() - at);
        record(matcher.feed(stream.subspan(at, std::max<std::size_t>(n, 1))), out);
        at += std::max<std::size_t>(n, 1);
    }
    record(matcher.finish("end of input"), out);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const fuzz::StreamInput in = fuzz::to_parts(ByteView(data, size));
    const ByteView stream(in.stream);
    const Framing framing = fuzz::stream_framing(stream);
    const std::size_t header = framing_profile(framing).header_size();
    const auto& info = ProtocolInfo::get();
    const auto client_arms = static_cast<std::int32_t>(info.arms(Direction::client).size());

    // The calls, and every message's inReplyTo and decoded data.
    std::map<std::uint32_t, std::int32_t> calls;
    std::vector<Message> messages;
    for (const ByteView frame : fuzz::split_frames(stream)) {
        if (frame.size() < header + 12) {  // no message of the direction is this short
            messages.push_back(Message{});
            continue;
        }
        const ByteView payload = frame.subspan(header);
        const std::uint32_t serial = word_at(payload, 0);
        const std::uint32_t in_reply_to = word_at(payload, 4);
        const std::uint32_t type = word_at(payload, 8);
        const std::int32_t other = static_cast<std::int32_t>((serial / 4) % static_cast<std::uint32_t>(client_arms));
        switch (serial % 4) {
            case 0:
            case 1:
                calls.emplace(in_reply_to, type >= 1 && type <= static_cast<std::uint32_t>(client_arms)
                                               ? static_cast<std::int32_t>(type - 1)
                                               : other);
                break;
            case 2: break;
            default: calls.emplace(in_reply_to, other); break;
        }
        Message m{in_reply_to, std::nullopt};
        const auto decoded = find_codec("cxx")->decode(Kind::server, payload);
        if (decoded.ok()) m.data = decoded.value().at("data");
        messages.push_back(std::move(m));
    }

    // What a conforming client must conclude, read frame by frame with the
    // framing profile and the strict decoder: until the first frame that is
    // refused or cut off, a message naming an outstanding call settles it
    // (value if of the answering type, failure if FAILURE, else an error);
    // any other message is ignored; after it, every call left is an error.
    std::map<std::uint32_t, Expected> expected;
    {
        std::set<std::uint32_t> open;
        for (const auto& [serial, type] : calls) open.insert(serial);
        const FramingProfile& profile = framing_profile(framing);
        std::size_t at = 0, index = 0;
        for (const ByteView frame : fuzz::split_frames(stream)) {
            const std::size_t frame_at = at;
            at += frame.size();
            if (frame.size() < header) break;
            const HeaderWords words = profile.read(frame.data());
            if (profile.check_framed(Direction::server, words, frame_at)) break;
            if (frame.size() < header + profile.payload_size(words)) break;
            const Message& m = messages.at(index++);
            if (!m.data) break;
            if (!open.erase(m.in_reply_to)) continue;
            const std::int32_t call_type = calls.at(m.in_reply_to);
            const ArmInfo* answer = info.find_arm(Direction::server, call_type + 1);
            const std::string type = m.data->at("type");
            Expected e;
            if (answer && type == answer->name) e = {Settled::Kind::value, &*m.data};
            else if (type == info.find_arm(Direction::server, 0)->name) e = {Settled::Kind::failure, &*m.data};
            expected[m.in_reply_to] = e;
        }
        for (const std::uint32_t serial : open) expected[serial] = Expected{};
    }

    // Each call settled exactly once, as the reading above says; nothing
    // settled that was not called.
    const Observed chunked = run(framing, calls, stream, in.chunk_sizes);
    std::set<std::uint32_t> seen;
    for (const Settled& s : chunked.settled) {
        const std::string who = "serial " + std::to_string(s.serial);
        const auto want = expected.find(s.serial);
        if (want == expected.end()) fuzz::report_finding("client_reply settled-uncalled", who);
        if (!seen.insert(s.serial).second) fuzz::report_finding("client_reply settled-twice", who);
        const Expected& e = want->second;
        if (s.kind != e.kind)
            fuzz::report_finding("client_reply wrong-outcome",
                                 who + ": settled as kind " + std::to_string(static_cast<int>(s.kind)) +
                                     ", the reply it names makes it kind " + std::to_string(static_cast<int>(e.kind)) +
                                     (s.kind == Settled::Kind::error ? " (" + s.error + ")" : ""));
        if (s.kind == Settled::Kind::value && s.value != *e.data)
            fuzz::report_finding("client_reply value-from-elsewhere", who + ": " + s.value.dump());
        if (s.kind == Settled::Kind::failure &&
            (e.data->at("failureReply").at("code") != s.failure_code ||
             e.data->at("failureReply").at("message") != s.failure_message_hex))
            fuzz::report_finding("client_reply failure-from-elsewhere", who);
    }
    if (seen.size() != calls.size())
        fuzz::report_finding("client_reply call-not-settled",
                             std::to_string(calls.size() - seen.size()) + " call(s) never settled");

    // The same outcome whatever the chunking.
    const Observed whole = run(framing, calls, stream, {});
    if (!(whole == chunked))
        fuzz::report_finding("client_reply chunking-changes-outcome", "one chunk vs the input's chunks");
    if (stream.size() <= 4096) {
        const Observed bytes = run(framing, calls, stream, {1});
        if (!(bytes == chunked))
            fuzz::report_finding("client_reply chunking-changes-outcome", "one byte at a time vs the input's chunks");
    }
    return 0;
}
