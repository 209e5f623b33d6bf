// SPDX-License-Identifier: Apache-2.0
// endpoint.h: what the runner tests, behind one interface: a shim process
// (shim_endpoint.h) or an in-tree implementation called in process
// (inprocess_endpoint.h). Cases are run the same way against both.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "codecs/codec.h"

namespace qemud::conform {

// Answer is one reply to an encode or decode request.
struct Answer {
    enum class Type {
        success,      // ok:true; wire (encode, lowercase hex) or value (decode)
        error,        // ok:false with an error: the implementation refused
        unsupported,  // ok:false, "unsupported": the case is skipped
        broken,       // no usable reply: timeout, crash, garbage, wrong id...
    };
    Type type = Type::broken;
    std::string wire;
    Json value;
    std::string message;  // error text, or why the reply is broken
};

// HelloInfo is what the hello reply said.
struct HelloInfo {
    std::string name;
    std::string version;
    std::set<Kind> kinds;
    std::set<Framing> framings{Framing::seed};  // "framings" in hello; absent means seed only
};

class Endpoint {
public:
    virtual ~Endpoint() = default;
    // start makes the endpoint ready and says hello; returns an error text
    // when it cannot (the run then exits 2).
    virtual std::optional<std::string> start() = 0;
    virtual const HelloInfo& hello() const = 0;
    // encode / decode one value or wire; `framing` is the header's for the
    // framed kinds (header, *_message) and means nothing for the others.
    virtual Answer encode(Kind kind, const Json& value, Framing framing) = 0;
    virtual Answer decode(Kind kind, const std::string& wire_hex, Framing framing) = 0;
    // finish ends the endpoint (quit for a shim).
    virtual void finish() {}
};

}  // namespace qemud::conform
