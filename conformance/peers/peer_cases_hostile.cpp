// SPDX-License-Identifier: Apache-2.0
// peer_cases_hostile.cpp: messages the policy rejects (and the acceptable
// char forms), taken from the golden client_message vectors, sent to the
// server one per connection. docs/PEERS.md rule 5: the server answers a
// message it cannot decode with a FAILURE (inReplyTo the serial, or 0) or
// closes the connection; rule 6: an acceptable form may also be answered.
// Either way it must go on serving: a new connection's GET_VERSION is
// answered afterwards.
//
// On a stream a vector's wire is not always one message: "trailing bytes
// after the message" is a whole valid call followed by the start of the
// next header. So the verdict reads the wire as the server would (the
// stream decoder, then the strict codec) and allows a normal reply to
// each complete call in it that decodes.
#include <fstream>
#include <map>
#include <set>

#include "codecs/registry.h"
#include "peer_cases.h"
#include "reply_checks.h"
#include "codecs/value_model.h"

namespace qemud::peers {
namespace {

std::uint32_t read_be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

struct Vector {
    int tc_id = 0;
    std::string flag;
    std::string comment;
    bool acceptable = false;
    Bytes wire;
};

// StreamReading is what a server may legitimately answer for a wire:
// calls it may answer normally (serial -> arm), and the inReplyTo values
// a FAILURE may carry.
struct StreamReading {
    std::multimap<std::uint32_t, const ArmInfo*> answerable;
    std::set<std::uint32_t> failure_serials{0};
    // messages: how many messages the wire starts if each header's length
    // word is believed. One reply per message at most (rule 1): a second
    // FAILURE for one bad header means the server lost its place in the
    // stream and read a payload as a header.
    std::size_t messages = 0;
};

std::size_t count_messages(const Bytes& wire, const FramingProfile& profile) {
    std::size_t count = 0;
    std::uint64_t at = 0;
    while (at < wire.size()) {
        ++count;
        if (at + profile.header_size() > wire.size()) break;
        HeaderWords words = profile.read(wire.data() + at);
        if (words.length < profile.length_bias()) break;  // libvirt-0.3: shorter than its own header
        at += profile.header_size() + std::uint64_t{profile.payload_size(words)};
    }
    return count;
}

StreamReading read_as_server(const Vector& v, Framing framing) {
    StreamReading out;
    const auto& profile = framing_profile(framing);
    out.messages = count_messages(v.wire, profile);
    const std::size_t h = profile.header_size();
    // The word after the first header is the serial a server may have read
    // even from a message it then refused.
    if (v.wire.size() >= h + 4) out.failure_serials.insert(read_be32(v.wire.data() + h));
    StreamDecoder decoder(Direction::client, framing);
    decoder.feed(v.wire, [&](const StreamDecoder::Frame& frame) {
        if (frame.bytes.size() < h + 8) return;
        const std::uint32_t serial = read_be32(frame.bytes.data() + h);
        out.failure_serials.insert(serial);
        auto decoded = find_codec("cxx")->decode(Kind::client_message, frame.bytes, framing);
        const ArmInfo* arm = ProtocolInfo::get().find_arm(
            Direction::client, static_cast<std::int32_t>(read_be32(frame.bytes.data() + h + 4)));
        // A strict decode, or a form the policy lets a lenient server accept.
        if (arm != nullptr && (decoded.ok() || v.acceptable)) out.answerable.emplace(serial, arm);
    });
    return out;
}

void run_hostile(Session& session, const Vector& v) {
    const std::string what = "hostile vector tc" + std::to_string(v.tc_id) + " (" + v.comment + ")";
    StreamReading allowed = read_as_server(v, session.options().framing);
    {
        Connection connection = session.open("connect");
        // Then end our side: a server waiting for the rest of a truncated
        // or over-long message reads end of stream instead of waiting.
        connection.send(v.wire, "write the hostile message", 0, std::chrono::milliseconds(0), true);
        connection.shutdown_write();
        const auto deadline = session.deadline();
        std::size_t replies = 0;
        for (;;) {
            const std::string step = "reply " + std::to_string(replies + 1) + " to the hostile message";
            Reply reply;
            auto how = connection.next(&reply, deadline, step);
            if (how == Connection::Next::closed) break;
            if (how == Connection::Next::timeout) {
                if (replies == 0)
                    session.fail(step, "neither a FAILURE reply nor a close within " +
                                           std::to_string(session.options().timeout_ms) + " ms");
                break;
            }
            if (++replies > allowed.messages)
                session.fail(step, std::to_string(replies) + " replies to a wire of " + std::to_string(allowed.messages) +
                                       " message(s) (by its length words): the server read part of a message as "
                                       "a new one");
            const std::uint32_t to = reply.in_reply_to();
            const std::string field = "inReplyTo (byte " + std::to_string(in_reply_to_offset(session.profile())) + ")";
            if (is_failure(reply)) {
                if (!allowed.failure_serials.count(to))
                    session.fail(step, "FAILURE with " + field + " " + std::to_string(to) +
                                           ", which is neither 0 nor a serial in the message");
                if (auto wrong = check_failure(reply, session.profile())) session.fail(step, *wrong);
                continue;
            }
            auto answered = allowed.answerable.find(to);
            if (answered == allowed.answerable.end())
                session.fail(step, "a " + reply.type() + " reply (" + field + " " + std::to_string(to) +
                                       ") to a message that must be refused; expected FAILURE or a close");
            if (auto wrong = check_answer(reply, to, *answered->second, session.profile()))
                session.fail(step, *wrong);
            allowed.answerable.erase(answered);  // a second reply to it would be a duplicate
        }
    }
    liveness_probe(session, what);
}

std::string golden_path(const PeerOptions& options) {
    std::string dir = options.golden_dir.empty() ? std::string(QEMUD_GOLDEN_DIR) : options.golden_dir;
    return dir + (options.framing == Framing::seed ? "" : "/" + std::string(to_string(options.framing))) +
           "/client_message_test.json";
}


}  // namespace

std::vector<PeerCase> hostile_cases(const PeerOptions& options) {
    const std::string path = golden_path(options);
    std::vector<Vector> vectors;
    std::string problem;
    try {
        std::ifstream in(path);
        if (!in) throw std::runtime_error("cannot open it");
        Json file = Json::parse(in);
        if (file.value("kind", "") != "client_message") throw std::runtime_error("its kind is not client_message");
        for (const auto& group : file.at("testGroups"))
            for (const auto& test : group.at("tests")) {
                const std::string result = test.at("result");
                if (result == "valid") continue;
                Vector v;
                v.tc_id = test.at("tcId");
                v.flag = test.at("flags").at(0);
                v.comment = test.value("comment", "");
                v.acceptable = result == "acceptable";
                auto wire = value_model::bytes_from_hex(test.at("wire").get<std::string>());
                if (!wire) throw std::runtime_error("tcId " + std::to_string(v.tc_id) + ": wire is not hex");
                v.wire = std::move(*wire);
                vectors.push_back(std::move(v));
            }
    } catch (const std::exception& e) {
        problem = e.what();
    }
    std::vector<PeerCase> cases;
    if (!problem.empty()) {
        cases.push_back({"hostile/unavailable", [path, problem](Session& session) {
                             session.fail("load the golden vectors", path + ": " + problem);
                         }});
        return cases;
    }
    for (auto& v : vectors) {
        std::string name = "hostile/" + v.flag + "/" + std::to_string(v.tc_id);
        cases.push_back({std::move(name), [v = std::move(v)](Session& session) { run_hostile(session, v); }});
    }
    return cases;
}

}  // namespace qemud::peers
