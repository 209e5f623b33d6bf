// SPDX-License-Identifier: Apache-2.0
#include "inprocess_endpoint.h"

#include "codecs/value_model.h"
#include "text_util.h"

namespace qemud::conform {

namespace {

class InProcessEndpoint : public Endpoint {
public:
    explicit InProcessEndpoint(const Codec& codec) : codec_(codec) {
        info_.name = std::string(codec.name());
        info_.version = "in-tree";
        for (Kind kind : all_kinds) info_.kinds.insert(kind);
        info_.framings.insert(all_framings.begin(), all_framings.end());
    }
    std::optional<std::string> start() override { return std::nullopt; }
    const HelloInfo& hello() const override { return info_; }

    Answer encode(Kind kind, const Json& value, Framing framing) override {
        return answer_from(codec_.encode(kind, value, framing),
                           [](Answer& a, Bytes& wire) { a.wire = value_model::to_hex(wire); });
    }

    Answer decode(Kind kind, const std::string& wire_hex, Framing framing) override {
        const auto bytes = value_model::bytes_from_hex(wire_hex);
        Answer answer;
        if (!bytes) {
            answer.message = "internal: the runner sent a wire that is not hex";
            return answer;
        }
        return answer_from(codec_.decode(kind, *bytes, framing),
                           [](Answer& a, Json& value) { a.value = std::move(value); });
    }

private:
    // answer_from turns a codec's outcome into the answer a shim would give;
    // fill copies a success's result into it.
    template <class T, class Fill>
    static Answer answer_from(Outcome<T> out, Fill&& fill) {
        Answer answer;
        if (out.ok()) {
            answer.type = Answer::Type::success;
            fill(answer, out.value());
        } else if (out.unsupported()) {
            answer.type = Answer::Type::unsupported;
            answer.message = out.unsupported_reason().what;
        } else {
            answer.type = Answer::Type::error;
            answer.message = out.error().to_string();
        }
        return answer;
    }

    const Codec& codec_;
    HelloInfo info_;
};

}  // namespace

std::unique_ptr<Endpoint> make_inprocess_endpoint(const Codec& codec) {
    return std::make_unique<InProcessEndpoint>(codec);
}

}  // namespace qemud::conform
