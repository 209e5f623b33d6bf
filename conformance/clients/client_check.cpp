// SPDX-License-Identifier: Apache-2.0
// client_check.cpp: plays one client case (client_cases.h) as the server.
#include "client_check.h"

#include <algorithm>
#include <cerrno>
#include <map>
#include <optional>
#include <poll.h>
#include <set>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "client_cases.h"
#include "client_process.h"
#include "codecs/registry.h"
#include "codecs/value_model.h"
#include "framing/framing.h"
#include "peer_socket.h"
#include "sample_values.h"
#include "stream/stream_decoder.h"

namespace qemud::clients {

namespace {

using peers::PeerResult;
using peers::PeerSocket;
using peers::shell_quote;
using peers::TranscriptEntry;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::uint32_t failure_code = 6;
constexpr const char* failure_text = "invalid-state: the conformance runner refuses this call";
constexpr auto batch_gap = milliseconds(150);  // no new call for this long: answer what came

struct Stop {
    std::string step, reason;
};

// first_difference names the first path where two JSON values differ.
std::optional<std::string> first_difference(const Json& got, const Json& want, const std::string& path) {
    // Numbers compare by value: JSON does not say signed or unsigned.
    if (got.type() != want.type() && !(got.is_number() && want.is_number()))
        return path + " is " + got.dump() + ", expected " + want.dump();
    if (got.is_object()) {
        for (auto it = want.begin(); it != want.end(); ++it) {
            if (!got.contains(it.key())) return path + "." + it.key() + " is missing";
            if (auto d = first_difference(got.at(it.key()), it.value(), path + "." + it.key())) return d;
        }
        for (auto it = got.begin(); it != got.end(); ++it)
            if (!want.contains(it.key())) return path + "." + it.key() + " is not in what was sent";
        return std::nullopt;
    }
    if (got.is_array()) {
        if (got.size() != want.size()) return path + " has " + std::to_string(got.size()) + " elements, expected " +
                                              std::to_string(want.size());
        for (std::size_t i = 0; i < got.size(); ++i)
            if (auto d = first_difference(got[i], want[i], path + "[" + std::to_string(i) + "]")) return d;
        return std::nullopt;
    }
    if (got != want) {
        std::string g = got.dump(), w = want.dump();
        if (g.size() > 80) g = g.substr(0, 77) + "...";
        if (w.size() > 80) w = w.substr(0, 77) + "...";
        return path + " is " + g + ", expected " + w;
    }
    return std::nullopt;
}

const ArmInfo* server_arm(const std::string& name) {
    for (const auto& a : ProtocolInfo::get().arms(Direction::server))
        if (a.name == name) return &a;
    return nullptr;
}

// What the runner sent in answer to one call.
struct Sent {
    bool failure = false;
    Json data;        // the reply's data union (value replies)
    bool hostile = false;
};

class Play {
public:
    Play(const ClientCase& c, const ClientOptions& o, PeerResult& result)
        : case_(c), options_(o), result_(result), start_(Clock::now()), profile_(framing_profile(o.framing)),
          decoder_(Direction::client, o.framing),
          process_(o.client_command, {o.address, std::string(to_string(o.framing)), o.client_timeout_ms}) {
        for (const auto* arm : c.arms) expected_.push_back(samples::payload_value(*arm, samples::Plan::realistic).at("data"));
    }

    void run() {
        drain_backlog();
        std::string input;
        for (const auto& data : expected_) input += data.dump() + "\n";
        if (auto error = process_.start(input)) stop("start the client", *error);
        event("client started: " + options_.client_command + " (QEMUD_ADDR=" + options_.address + ")");
        accept_connection();
        std::size_t answered = 0;
        while (answered < expected_.size()) {
            const std::size_t got = read_calls(answered);
            std::vector<std::size_t> batch;
            for (std::size_t k = answered; k < got; ++k) batch.push_back(k);
            answer(batch);
            answered = got;
            if (hostile(case_.answer)) break;
        }
        finish();
    }

private:
    double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
    void record(TranscriptEntry::Direction d, ByteView bytes, Json decoded, std::string note) {
        result_.transcript.push_back({d, 0, elapsed(), value_model::to_hex(bytes), std::move(decoded), std::move(note)});
    }
    void event(std::string note) { record(TranscriptEntry::Direction::event, {}, nullptr, std::move(note)); }

    [[noreturn]] void stop(const std::string& step, const std::string& reason) {
        std::string why = reason;
        process_.pump();
        if (!process_.stderr_tail().empty()) event("client stderr (tail): " + process_.stderr_tail());
        throw Stop{step, why};
    }

    void drain_backlog() {
        // A connection a killed client of an earlier case left queued
        // would be taken for this case's.
        while (true) {
            const int fd = ::accept4(options_.listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (fd < 0) return;
            ::close(fd);
        }
    }

    void accept_connection() {
        const auto deadline = Clock::now() + milliseconds(std::max(options_.timeout_ms, 5000));
        while (true) {
            pollfd p{options_.listen_fd, POLLIN, 0};
            if (::poll(&p, 1, 20) > 0) {
                const int fd = ::accept4(options_.listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
                if (fd >= 0) {
                    socket_.emplace(PeerSocket::adopt(fd));
                    event("the client connected");
                    return;
                }
            }
            process_.pump();
            if (auto ended = process_.wait(Clock::now()))
                stop("connect", "the client " + *ended + " before connecting to " + options_.address);
            if (Clock::now() >= deadline)
                stop("connect", "the client did not connect to " + options_.address + " within " +
                                    std::to_string(std::max(options_.timeout_ms, 5000)) + " ms");
        }
    }

    // read_calls reads until every call of the case has come, or at least
    // one past `answered` has and no other follows for batch_gap (a client
    // that waits for each reply before the next call). Returns the count.
    std::size_t read_calls(std::size_t answered) {
        const std::size_t want = expected_.size();
        auto deadline = Clock::now() + milliseconds(options_.timeout_ms);
        while (calls_.size() < want) {
            const bool have_some = calls_.size() > answered;
            const auto until = have_some ? std::min(deadline, Clock::now() + batch_gap) : deadline;
            const std::string step = "call " + std::to_string(calls_.size() + 1) + " of " + std::to_string(want);
            auto chunk = socket_->read_some(until);
            process_.pump();
            if (chunk.status == PeerSocket::IoStatus::timeout) {
                if (have_some) break;
                if (Clock::now() >= deadline)
                    stop(step, "no call within " + std::to_string(options_.timeout_ms) + " ms");
                continue;
            }
            if (chunk.status == PeerSocket::IoStatus::error) stop(step, "read: " + chunk.error);
            if (chunk.status == PeerSocket::IoStatus::closed) {
                auto cut = decoder_.finish();
                stop(step, "the client closed the connection" + (cut ? "; " + cut->to_string() : std::string()));
            }
            const std::size_t before = calls_.size();
            auto error = decoder_.feed(chunk.bytes, [&](const StreamDecoder::Frame& f) { take_call(f, step); });
            if (error) stop(step, "the call's framing: " + error->to_string());
            if (calls_.size() > before) deadline = Clock::now() + milliseconds(options_.timeout_ms);
        }
        return calls_.size();
    }

    void take_call(const StreamDecoder::Frame& frame, const std::string& step) {
        auto value = find_codec("cxx")->decode(Kind::client_message, frame.bytes, options_.framing);
        record(TranscriptEntry::Direction::received, frame.bytes, value.ok() ? value.value() : Json(nullptr),
               value.ok() ? "" : (value.failed() ? value.error().to_string() : "unsupported"));
        const std::string where = "the call at stream byte " + std::to_string(frame.stream_offset);
        if (value.failed()) stop(step, where + " does not decode: " + value.error().to_string());
        if (!value.ok()) stop(step, where + ": cxx cannot decode it");
        const Json& call = value.value();
        const std::size_t k = calls_.size();
        if (k >= expected_.size()) stop(step, where + " is one more than the " + std::to_string(expected_.size()) +
                                                  " call(s) the case asked for");
        const auto serial = call.at("serial").get<std::uint32_t>();
        if (!serials_.insert(serial).second)
            stop(step, where + ": serial (byte " + std::to_string(profile_.header_size()) + ") " +
                           std::to_string(serial) + " was used already on this connection");
        if (auto d = first_difference(call.at("data"), expected_[k], "data"))
            stop(step, where + " is not the call the case asked for (calls come in the order given): " + *d);
        calls_.push_back({serial, k});
    }

    Bytes frame_reply(Json payload) {
        auto wire = find_codec("cxx")->encode(Kind::server_message, payload, options_.framing);
        if (!wire.ok()) throw std::logic_error("cxx cannot encode the reply " + payload.dump());
        record(TranscriptEntry::Direction::sent, wire.value(), payload, "");
        return wire.value();
    }

    Json reply_to(std::size_t k, const std::string& server_type) {
        const ArmInfo* arm = server_arm(server_type);
        Json payload = samples::payload_value(*arm, samples::Plan::realistic);
        payload["serial"] = ++server_serial_;
        payload["inReplyTo"] = calls_[k].serial;
        return payload;
    }

    std::string server_type_of(std::size_t k) const {
        std::string name = case_.arms[k]->name;
        return "QEMUD_SERVER_PKT_" + name.substr(std::string("QEMUD_CLIENT_PKT_").size());
    }

    Bytes notification() {
        // inReplyTo names no call of this connection: an asynchronous
        // message, which the client must not take for a reply.
        std::uint32_t unused = calls_.front().serial ^ 0x5a5a5a5au;
        while (serials_.count(unused)) ++unused;
        Json payload = samples::payload_value(*server_arm("QEMUD_SERVER_PKT_GET_VERSION"), samples::Plan::realistic);
        payload["serial"] = ++server_serial_;
        payload["inReplyTo"] = unused;
        notified_ = unused;
        event("an asynchronous notification follows: inReplyTo " + std::to_string(unused) + " names no call");
        return frame_reply(payload);
    }

    void write(ByteView bytes, const std::string& step, std::size_t chunk = 0) {
        const auto deadline = Clock::now() + milliseconds(options_.timeout_ms);
        std::size_t done = 0;
        while (done < bytes.size()) {
            std::size_t n = 0;
            std::string error;
            const std::size_t want = chunk ? std::min(chunk, bytes.size() - done) : bytes.size() - done;
            auto status = socket_->write_some(bytes.subspan(done, want), deadline, &n, &error);
            process_.pump();
            if (status == PeerSocket::IoStatus::timeout) stop(step, "the client took nothing for " +
                                                                        std::to_string(options_.timeout_ms) + " ms");
            if (status != PeerSocket::IoStatus::ok) {
                event("write: the client closed the connection" + (error.empty() ? "" : ": " + error));
                return;  // the client left; its exit status and output say the rest
            }
            done += n;
            if (chunk) std::this_thread::sleep_for(milliseconds(1));
        }
    }

    void answer(const std::vector<std::size_t>& batch) {
        if (batch.empty()) return;
        const std::string step = "answer call " + std::to_string(batch.front() + 1);
        if (hostile(case_.answer)) return answer_hostile(batch.front(), step);
        std::vector<std::size_t> order = batch;
        if (case_.answer == Answer::reversed) std::reverse(order.begin(), order.end());
        Bytes together;
        for (std::size_t k : order) {
            if (case_.answer == Answer::async_first && k == 0) write(notification(), step + ": notification");
            Json payload;
            if (case_.answer == Answer::failure) {
                payload = reply_to(k, "QEMUD_SERVER_PKT_FAILURE");
                std::string text = failure_text;
                payload["data"]["failureReply"] = {{"code", failure_code},
                                                   {"message", value_model::to_hex(text.data(), text.size()) +
                                                                   std::string(2 * (1024 - text.size()), '0')}};
            } else {
                payload = reply_to(k, server_type_of(k));
            }
            sent_[calls_[k].serial] = {case_.answer == Answer::failure, payload.at("data"), false};
            Bytes wire = frame_reply(payload);
            if (case_.answer == Answer::two_in_one) {
                together.insert(together.end(), wire.begin(), wire.end());
            } else {
                write(wire, step, case_.answer == Answer::one_byte ? 1 : 0);
            }
            if (case_.answer == Answer::async_between && k == 0) write(notification(), step + ": notification");
        }
        if (!together.empty()) write(together, step + ": all replies in one write");
    }

    void answer_hostile(std::size_t k, const std::string& step) {
        sent_[calls_[k].serial] = {false, nullptr, true};
        switch (case_.answer) {
            case Answer::bad_constant: {
                Bytes wire = frame_reply(reply_to(k, server_type_of(k)));
                wire[profile_.constant_offset()] ^= 0xff;
                event("the constant word (byte " + std::to_string(profile_.constant_offset()) + ") corrupted");
                write(wire, step);
                break;
            }
            case Answer::length_too_large: {
                Bytes wire = frame_reply(reply_to(k, server_type_of(k)));
                const std::size_t at = profile_.length_offset();
                wire[at] = 0x7f, wire[at + 1] = 0xff, wire[at + 2] = 0xff, wire[at + 3] = 0xf0;
                event("the length word (byte " + std::to_string(at) + ") set to 0x7ffffff0");
                write(wire, step);
                break;
            }
            case Answer::truncated: {
                Bytes wire = frame_reply(reply_to(k, server_type_of(k)));
                wire.resize(wire.size() / 2);
                event("only the first " + std::to_string(wire.size()) + " bytes are sent, then the connection closes");
                write(wire, step);
                socket_.reset();
                break;
            }
            case Answer::wrong_type: {
                const std::string other = server_type_of(k) == "QEMUD_SERVER_PKT_GET_NODEINFO"
                                              ? "QEMUD_SERVER_PKT_GET_VERSION"
                                              : "QEMUD_SERVER_PKT_GET_NODEINFO";
                event("a well-formed " + other + " reply to a " + case_.arms[k]->name + " call");
                write(frame_reply(reply_to(k, other)), step);
                break;
            }
            case Answer::hang:
                event("no reply: the connection is kept open");
                break;
            default:
                break;
        }
    }

    void finish() {
        const int wait_ms = options_.client_timeout_ms + options_.timeout_ms;
        auto ended = process_.wait(Clock::now() + milliseconds(wait_ms));
        if (!ended) {
            process_.kill();
            stop("client exit", "the client was still running " + std::to_string(wait_ms) +
                                    " ms after the last answer (its own timeout, QEMUD_TIMEOUT_MS, is " +
                                    std::to_string(options_.client_timeout_ms) + " ms): it hangs");
        }
        event("the client " + *ended);
        for (const auto& line : process_.lines()) event("client output: " + line);
        if (socket_) drain_extra_calls();
        if (process_.killed_by_signal()) stop("client exit", "the client crashed: " + *ended);
        check_lines();
        const bool refused = hostile(case_.answer);
        const int want = case_.answer == Answer::failure ? 1 : 0;
        if (refused && process_.exit_code() == 0)
            stop("client exit", "the client exited 0 after a reply it must refuse; expected a non-zero status");
        if (!refused && process_.exit_code() != want)
            stop("client exit", "the client " + *ended + ", expected status " + std::to_string(want) +
                                    (want == 1 ? " (a call got FAILURE)" : " (every call got its reply)"));
    }

    void drain_extra_calls() {
        auto chunk = socket_->read_some(Clock::now());
        if (chunk.status != PeerSocket::IoStatus::ok) return;
        decoder_.feed(chunk.bytes, [&](const StreamDecoder::Frame& f) {
            record(TranscriptEntry::Direction::received, f.bytes, nullptr, "");
            stop("after the last answer", "the client sent another call (at stream byte " +
                                              std::to_string(f.stream_offset) + ") that the case did not ask for");
        });
    }

    // last_stderr_line: what the client last said about itself, as a hint
    // after a missing result ("; the client's stderr ends: ...").
    std::string last_stderr_line() const {
        std::string tail = process_.stderr_tail();
        while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
        if (tail.empty()) return "";
        std::string line = tail.substr(tail.rfind('\n') == std::string::npos ? 0 : tail.rfind('\n') + 1);
        if (line.size() > 200) line = line.substr(0, 197) + "...";
        return "; the client's stderr ends: " + line;
    }

    void check_lines() {
        std::set<std::uint32_t> reported;
        const auto& lines = process_.lines();
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const std::string step = "client output line " + std::to_string(i + 1);
            Json line = Json::parse(lines[i], nullptr, false);
            if (line.is_discarded() || !line.is_object() || !line.contains("serial") ||
                !line.at("serial").is_number_unsigned())
                stop(step, "not a JSON object with a serial: " + lines[i].substr(0, 200));
            const auto serial = line.at("serial").get<std::uint32_t>();
            auto it = sent_.find(serial);
            if (notified_ && serial == *notified_)
                stop(step, "the client reported the asynchronous notification (inReplyTo " + std::to_string(serial) +
                               ") as a reply; it names no call and must be ignored");
            if (it == sent_.end())
                stop(step, "serial " + std::to_string(serial) + " names no call that was answered");
            if (!reported.insert(serial).second) stop(step, "serial " + std::to_string(serial) + " reported twice");
            const Sent& sent = it->second;
            if (sent.hostile)
                stop(step, "the client reported a result for serial " + std::to_string(serial) +
                               ", whose reply it must refuse: " + lines[i].substr(0, 200));
            if (sent.failure) {
                if (!line.contains("failure"))
                    stop(step, "serial " + std::to_string(serial) + " was answered with FAILURE; the client reported " +
                                   lines[i].substr(0, 200));
                const Json want = sent.data.at("failureReply");
                if (auto d = first_difference(line.at("failure"), want, "failure"))
                    stop(step, "serial " + std::to_string(serial) + ": " + *d);
                continue;
            }
            if (!line.contains("value"))
                stop(step, "serial " + std::to_string(serial) + ": no \"value\" for a reply: " + lines[i].substr(0, 200));
            if (auto d = first_difference(line.at("value"), sent.data, "value"))
                stop(step, "serial " + std::to_string(serial) + " (" + sent.data.at("type").get<std::string>() +
                               "): the value the client reports is not the reply sent for that serial: " + *d);
            if (line.value("type", "") != sent.data.at("type").get<std::string>())
                stop(step, "serial " + std::to_string(serial) + ": \"type\" is " + line.value("type", "(missing)") +
                               ", expected " + sent.data.at("type").get<std::string>());
        }
        for (const auto& [serial, sent] : sent_)
            if (!sent.hostile && !reported.count(serial))
                stop("client output", "no line for serial " + std::to_string(serial) + ", which was answered (" +
                                          sent.data.at("type").get<std::string>() + ")" + last_stderr_line());
    }

    struct Call {
        std::uint32_t serial;
        std::size_t index;
    };
    const ClientCase& case_;
    const ClientOptions& options_;
    PeerResult& result_;
    Clock::time_point start_;
    const FramingProfile& profile_;
    StreamDecoder decoder_;
    ClientProcess process_;
    std::optional<PeerSocket> socket_;
    std::vector<Json> expected_;
    std::vector<Call> calls_;
    std::set<std::uint32_t> serials_;
    std::map<std::uint32_t, Sent> sent_;
    std::optional<std::uint32_t> notified_;
    std::uint32_t server_serial_ = 0;
};

}  // namespace

std::vector<std::string> list_client_cases() {
    std::vector<std::string> names;
    for (const auto& c : client_cases()) names.push_back(c.name);
    return names;
}

PeerResult run_client_case(const std::string& name, const ClientOptions& options) {
    PeerResult result;
    result.name = name;
    result.repro = options.repro_command + " --listen " + shell_quote(options.address) + " --client-cmd " +
                   shell_quote(options.client_command) +
                   (options.framing == Framing::seed ? "" : " --framing " + std::string(to_string(options.framing))) +
                   " --only " + shell_quote(name);
    const auto start = Clock::now();
    try {
        const ClientCase* found = nullptr;
        for (const auto& c : client_cases())
            if (c.name == name) found = &c;
        if (found == nullptr) throw Stop{"setup", "no such case"};
        Play(*found, options, result).run();
    } catch (const Stop& stop) {
        result.status = PeerResult::Status::failed;
        result.step = stop.step;
        result.reason = stop.reason;
    } catch (const std::exception& e) {
        result.status = PeerResult::Status::failed;
        result.step = "internal";
        result.reason = std::string("internal error: ") + e.what();
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

}  // namespace qemud::clients
