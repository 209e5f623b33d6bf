// SPDX-License-Identifier: Apache-2.0
// connection.h: one client connection of qemud-refd, without a socket.
// Bytes the peer sent go in through feed(); the bytes to send back come
// out. The event loop (server_loop.h), the tests and a fuzz target all drive
// it the same way, so everything the daemon decides about a conversation is
// decided here.
//
// The rules it keeps (docs/PEERS.md, "What qemud-refd chooses"):
// * each decoded call gets exactly one reply, in arrival order, with
//   inReplyTo = the call's serial; its own serials count up from 1;
// * a well-framed message whose payload does not decode (truncated, trailing
//   bytes, unknown discriminant, a char word it refuses) gets FAILURE
//   (malformed_message, inReplyTo = the serial, which every framed payload
//   holds) and the connection goes on with the next header;
// * a header the framing profile refuses (bad constant word, a length no
//   message of the direction has, a first header of no profile under
//   detection) gets FAILURE with inReplyTo 0 and then the connection
//   closes: with a broken header there is no next header to find;
// * it holds at most one message of the largest client size, whatever the
//   length word claims (StreamDecoder).
// Nothing here throws or aborts, unless the abort-on-large-length bug asks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "codecs/codec.h"
#include "framing/framing_id.h"
#include "protocol_model.gen.h"
#include "refd/bugs.h"
#include "refd/hypervisor_model.h"
#include "stream/stream_decoder.h"

namespace qemud::refd {

struct ConnectionOptions {
    // framing: the profile the peer must speak; nullopt detects it from the
    // first header (`--framing auto`). Replies use the same profile.
    std::optional<Framing> framing = Framing::seed;
    BugSet bugs;
};

class Connection {
public:
    // The model is shared by every connection of a daemon and must outlive
    // this one.
    explicit Connection(HypervisorModel& model, ConnectionOptions options = {});

    // feed consumes `bytes` (any chunking, one byte included) and appends
    // to `out` every message to send, framed. It returns false when the
    // connection is to be closed once `out` has been written (close_reason()
    // says why); from then on it consumes nothing and returns false.
    bool feed(ByteView bytes, Bytes& out);

    bool open() const { return !close_reason_; }
    // close_reason: e.g. "header at stream offset 0: magic 0x12345678 is
    // not 0x20001a64 (seed framing)"; empty while open.
    std::string close_reason() const { return close_reason_.value_or(""); }
    // framing is the profile in use; nullopt while detecting.
    std::optional<Framing> framing() const { return decoder_->framing(); }
    std::uint64_t calls_answered() const { return calls_answered_; }
    std::uint64_t bytes_consumed() const { return bytes_consumed_; }

private:
    void on_frame(ByteView frame);
    void answer(model::qemud_packet_server&& reply);
    void emit(model::qemud_packet_server& reply, Bytes& out);
    bool on_framing_error(const CodecError& error, ByteView chunk, std::size_t chunk_start, Bytes& out);
    void fresh_decoder(std::optional<Framing> framing);

    HypervisorModel& model_;
    ConnectionOptions options_;
    std::optional<StreamDecoder> decoder_;
    std::size_t decoder_base_ = 0;  // stream offset at which decoder_ began
    model::qemud_packet_client call_;  // reused: decoding into it does not allocate
    std::vector<model::qemud_packet_server> pending_;  // this feed's replies, in call order
    Bytes scratch_;
    std::uint32_t next_serial_ = 1;
    std::uint64_t calls_answered_ = 0;
    std::uint64_t bytes_consumed_ = 0;
    std::size_t resume_left_ = 0;  // desync-after-bad-magic: bytes of the chunk still to read
    unsigned one_byte_feeds_ = 0;
    bool hung_ = false;
    std::optional<std::string> close_reason_;
};

}  // namespace qemud::refd
