// SPDX-License-Identifier: Apache-2.0
#include "shim_endpoint.h"

#include "interrupt.h"
#include "shim_process.h"
#include "text_util.h"

namespace qemud::conform {

namespace {

// Reply is one parsed, id-checked reply line, or why there is none.
struct Reply {
    bool usable = false;
    Json body;
    std::string problem;
    bool resync = false;  // the stream can no longer be trusted: restart
};

class ShimEndpoint : public Endpoint {
public:
    explicit ShimEndpoint(ShimSettings settings) : settings_(std::move(settings)) {}
    ~ShimEndpoint() override { finish(); }

    std::optional<std::string> start() override {
        if (auto error = launch(settings_.first_hello_timeout_ms)) return "shim would not start: " + *error;
        return std::nullopt;
    }
    const HelloInfo& hello() const override { return info_; }

    Answer encode(Kind kind, const Json& value, Framing framing) override {
        Json request = {{"op", "encode"}, {"kind", std::string(to_string(kind))}, {"value", value}};
        add_framing(request, kind, framing);
        return call(std::move(request), true);
    }
    Answer decode(Kind kind, const std::string& wire_hex, Framing framing) override {
        Json request = {{"op", "decode"}, {"kind", std::string(to_string(kind))}, {"wire", wire_hex}};
        add_framing(request, kind, framing);
        return call(std::move(request), false);
    }
    void finish() override {
        if (process_) {
            Json quit = {{"id", next_id_++}, {"op", "quit"}};
            process_->stop(quit.dump(), 1000);
            process_.reset();
        }
    }

private:
    // add_framing: a request for a framed kind names its framing unless it
    // is the seed's, so that a version 1 shim that knows only the seed
    // framing sees exactly the requests it always did.
    static void add_framing(Json& request, Kind kind, Framing framing) {
        if (framing != Framing::seed && (kind == Kind::header || is_message(kind)))
            request["framing"] = std::string(to_string(framing));
    }

    // with_stderr adds to reason, one line each below it, indented, the
    // first and the last lines the shim wrote to standard error (a Go
    // panic's message comes first, a Python traceback's error last).
    std::string with_stderr(std::string reason) const {
        if (!process_) return reason;
        const auto lines = process_->stderr_lines();
        if (lines.empty()) return reason;
        reason += "; shim stderr:";
        for (const auto& line : lines) reason += "\n  " + line;
        return reason;
    }

    // first_line: a reason repeated for every later case (the restart
    // limit) keeps only its first line, not the shim's stderr.
    static std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

    // exchange sends one request (id added) and checks the reply's shape.
    Reply exchange(Json request, int timeout_ms) {
        const std::int64_t id = next_id_++;
        request["id"] = id;
        Reply reply;
        const auto result = process_->exchange(request.dump(-1, ' ', false, Json::error_handler_t::replace), timeout_ms);
        switch (result.status) {
            case ShimProcess::Status::timeout: reply.problem = "timeout: " + result.detail; break;
            case ShimProcess::Status::exited: reply.problem = "crash: " + result.detail + " before replying"; break;
            case ShimProcess::Status::oversized: reply.problem = "oversized reply: " + result.detail; break;
            case ShimProcess::Status::line: break;
        }
        if (result.status != ShimProcess::Status::line) {
            reply.problem = with_stderr(reply.problem);
            reply.resync = true;
            return reply;
        }
        reply.resync = true;  // until the reply proves the stream is in step
        Json body = Json::parse(result.line, nullptr, false);
        if (body.is_discarded() || !body.is_object()) {
            reply.problem = "garbage reply (not a JSON object): " + excerpt(result.line);
            return reply;
        }
        if (!body.contains("id") || !body["id"].is_number_integer() || body["id"].get<std::int64_t>() != id) {
            reply.problem = "reply to the wrong id: sent id " + std::to_string(id) + ", reply has " +
                            (body.contains("id") ? excerpt(body["id"].dump(), 40) : std::string("no id"));
            return reply;
        }
        reply.resync = false;
        if (!body.contains("ok") || !body["ok"].is_boolean()) {
            reply.problem = "malformed reply: \"ok\" must be true or false: " + excerpt(result.line);
            return reply;
        }
        reply.usable = true;
        reply.body = std::move(body);
        return reply;
    }

    // launch starts the shim and says hello.
    std::optional<std::string> launch(int hello_timeout_ms) {
        process_ = std::make_unique<ShimProcess>(settings_.command, settings_.max_line);
        if (auto error = process_->start()) return error;
        Reply reply = exchange({{"op", "hello"}}, hello_timeout_ms);
        if (!reply.usable) return "hello: " + reply.problem;
        const Json& body = reply.body;
        if (!body["ok"].get<bool>())
            return with_stderr("hello answered ok:false: " + excerpt(body.value("error", Json("")).dump()));
        if (!body.contains("kinds") || !body["kinds"].is_array())
            return "hello reply has no \"kinds\" array: " + excerpt(body.dump());
        HelloInfo info;
        info.name = body.contains("name") && body["name"].is_string() ? body["name"].get<std::string>() : "(unnamed)";
        info.version =
            body.contains("version") && body["version"].is_string() ? body["version"].get<std::string>() : "";
        for (const auto& k : body["kinds"]) {
            if (!k.is_string()) continue;
            if (auto kind = kind_from_string(k.get<std::string>())) info.kinds.insert(*kind);
        }
        if (body.contains("framings")) {
            // Optional; absent means the seed framing only. Names this
            // runner does not know are ignored, as unknown kinds are.
            if (!body["framings"].is_array())
                return "hello reply's \"framings\" is not an array of profile names: " + excerpt(body.dump());
            info.framings.clear();
            for (const auto& f : body["framings"])
                if (f.is_string())
                    if (auto framing = framing_from_string(f.get<std::string>())) info.framings.insert(*framing);
        }
        info_ = std::move(info);
        return std::nullopt;
    }

    // ensure_running restarts a dead shim, within the restart limit.
    bool ensure_running(std::string* why) {
        // An interrupted run starts no shim: the case is dropped anyway.
        if (interrupted_by()) {
            *why = "interrupted";
            return false;
        }
        while (!process_ || !process_->running()) {
            if (gave_up_) break;
            if (restarts_in_a_row_ >= settings_.max_restarts) {
                gave_up_ = true;
                gave_up_reason_ = "gave up restarting the shim after " + std::to_string(settings_.max_restarts) +
                                  " restarts in a row with no successful reply (last: " + last_problem_ + ")";
                break;
            }
            ++restarts_in_a_row_;
            if (auto error = launch(settings_.timeout_ms)) {
                last_problem_ = "restart: " + first_line(*error);
                if (process_) process_->kill();
            }
        }
        if (gave_up_) *why = gave_up_reason_;
        return !gave_up_;
    }

    Answer call(Json request, bool encoding) {
        Answer answer;
        if (!ensure_running(&answer.message)) return answer;
        Reply reply = exchange(std::move(request), settings_.timeout_ms);
        if (reply.resync) {
            process_->kill();
            last_problem_ = first_line(reply.problem);
        } else {
            restarts_in_a_row_ = 0;
        }
        if (!reply.usable) {
            answer.message = reply.problem;
            return answer;
        }
        const Json& body = reply.body;
        if (!body["ok"].get<bool>()) {
            const Json error = body.value("error", Json());
            if (error == "unsupported") {
                answer.type = Answer::Type::unsupported;
                answer.message = "unsupported";
            } else {
                answer.type = Answer::Type::error;
                answer.message = error.is_string() ? error.get<std::string>() : "(no error text)";
            }
            return answer;
        }
        if (encoding) {
            if (!body.contains("wire") || !body["wire"].is_string() || !is_hex(body["wire"].get<std::string>())) {
                answer.message = "malformed reply: encode needs \"wire\", an even-length hex string: " +
                                 excerpt(body.dump(-1, ' ', false, Json::error_handler_t::replace));
                return answer;
            }
            answer.type = Answer::Type::success;
            answer.wire = lower_hex(body["wire"].get<std::string>());
        } else {
            if (!body.contains("value")) {
                answer.message = "malformed reply: decode needs \"value\"";
                return answer;
            }
            answer.type = Answer::Type::success;
            answer.value = body["value"];
        }
        return answer;
    }

    ShimSettings settings_;
    std::unique_ptr<ShimProcess> process_;
    HelloInfo info_;
    std::int64_t next_id_ = 1;
    int restarts_in_a_row_ = 0;
    bool gave_up_ = false;
    std::string gave_up_reason_;
    std::string last_problem_;
};

}  // namespace

std::unique_ptr<Endpoint> make_shim_endpoint(const ShimSettings& settings) {
    return std::make_unique<ShimEndpoint>(settings);
}

}  // namespace qemud::conform
