// SPDX-License-Identifier: Apache-2.0
// gen_dict: writes <target>.dict and <target>.options for one fuzz target,
// from protocol.x as ProtocolInfo reads it (so a new arm adds its
// discriminant and size with no edit here).
//
//   qemud-fuzz-dict <target> <out-dir>
//
// Dictionary: the magic; every discriminant of the target's direction(s) as
// a big-endian word; every payload size as a length word; and, for the
// message and stream surfaces, every arm's complete 8-byte header (magic,
// length) and its header + serial(s) + discriminant prefix; a few char
// element words the policy tells apart; for server_dispatch_fuzzer, the
// XML markup qemud-refd reads. Options: max_len (the largest message the
// surface can hold, plus room to go past it) and the dict; for
// server_dispatch_fuzzer, also its rss and malloc limits.
// Exit status 0, or 2 on bad arguments or an unwritable file.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "framing/framing.h"
#include "io/output_file.h"
#include "protocol_info/protocol_info.h"

namespace {

using qemud::Direction;

std::string escaped(const std::vector<std::uint8_t>& bytes) {
    std::ostringstream os;
    os << '"';
    for (const auto b : bytes) {
        char buf[5];
        std::snprintf(buf, sizeof buf, "\\x%02X", b);
        os << buf;
    }
    os << '"';
    return os.str();
}

void word(std::vector<std::uint8_t>& out, std::uint32_t w) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(w >> s));
}

std::vector<std::uint8_t> be(std::uint32_t w) {
    std::vector<std::uint8_t> out;
    word(out, w);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <target> <out-dir>\n", argv[0]);
        return 2;
    }
    const std::string target = argv[1];
    const std::string dir = argv[2];
    const auto& info = qemud::ProtocolInfo::get();

    std::vector<Direction> directions;
    bool framed = true;
    bool dispatch = false;
    std::size_t max_len = 0;
    if (target == "client_reply_fuzzer") {
        // qemud-cli's ReplyMatcher reads a server stream, as server_stream_fuzzer.
        directions = {Direction::server};
        max_len = 65536;
    } else if (target == "header_fuzzer") {
        directions = {Direction::client, Direction::server};
        max_len = info.header_size() + info.max_any_payload() + 8;
    } else if (target == "client_payload_fuzzer" || target == "server_payload_fuzzer" ||
               target == "client_dynamic_fuzzer" || target == "server_dynamic_fuzzer") {
        directions = {target[0] == 'c' ? Direction::client : Direction::server};
        framed = false;
        max_len = info.max_payload(directions[0]) + 8;
    } else if (target == "client_stream_fuzzer" || target == "server_stream_fuzzer") {
        directions = {target[0] == 'c' ? Direction::client : Direction::server};
        max_len = 65536;  // a few messages and their part lengths
    } else if (target == "server_dispatch_fuzzer") {
        // A client stream, as client_stream_fuzzer reads it, to qemud-refd.
        directions = {Direction::client};
        max_len = 65536;
        dispatch = true;
    } else {
        std::fprintf(stderr, "gen_dict: unknown target %s\n", target.c_str());
        return 2;
    }

    // (comment, bytes); a set keeps each token once and the file stable.
    std::set<std::pair<std::string, std::string>> entries;
    auto add = [&](const std::string& name, const std::vector<std::uint8_t>& bytes) {
        entries.emplace(escaped(bytes), name);
    };
    for (const qemud::Framing f : qemud::all_framings) {
        const auto& p = qemud::framing_profile(f);
        add(std::string(p.name()) + " " + std::string(p.constant_title()), be(p.constant()));
    }
    for (const std::uint32_t w : {0x000000FFu, 0x00000080u, 0xFFFFFF80u, 0xFFFFFFFFu, 0x00000141u, 0x7FFFFFFFu})
        add("char element or boundary word", be(w));
    for (const Direction d : directions) {
        std::int32_t max_value = 0;
        for (const auto& arm : info.arms(d)) {
            max_value = std::max(max_value, arm.value + 1);
            add(arm.name, be(static_cast<std::uint32_t>(arm.value)));
            add(arm.name + " payload size", be(arm.payload_size));
            if (framed) {
                // Both framing profiles' headers: the stream targets detect
                // the profile from the first header, the header target reads both.
                for (const qemud::Framing f : qemud::all_framings) {
                    const auto& p = qemud::framing_profile(f);
                    const auto h = p.header_for(arm.payload_size);
                    std::vector<std::uint8_t> header(h.begin(), h.end());
                    const std::string name = arm.name + " " + std::string(p.name()) + " header";
                    add(name, header);
                    for (std::uint32_t i = 0; i < info.payload_prefix_size(d); i += 4) word(header, 0);
                    word(header, static_cast<std::uint32_t>(arm.value));
                    add(name + " through discriminant", header);
                }
            }
        }
        add(std::string(qemud::to_string(d)) + " _PKT_MAX", be(static_cast<std::uint32_t>(max_value)));
        add(std::string(qemud::to_string(d)) + " largest payload + 4", be(info.max_payload(d) + 4));
        if (framed)
            for (const qemud::Framing f : qemud::all_framings) {
                const auto& p = qemud::framing_profile(f);
                add(std::string(qemud::to_string(d)) + " " + std::string(p.name()) + " largest length + 4",
                    be(p.max_length(d) + 4));
            }
    }

    if (dispatch) {
        // The XML markup qemud-refd reads (docs/PEERS.md, "What the daemon
        // models"), as the char element words a client sends it in: each
        // character its own big-endian word.
        for (const std::string markup : {"<name>", "</name>", "<memory>", "</memory>", "<vcpu>", "</vcpu>",
                                         "<bridge name='", "'/>"}) {
            std::vector<std::uint8_t> chars;
            for (const char ch : markup) word(chars, static_cast<unsigned char>(ch));
            add("XML " + markup + " as char words", chars);
        }
    }

    const std::string dict_path = dir + "/" + target + ".dict";
    const std::string options_path = dir + "/" + target + ".options";
    std::ostringstream dict;
    dict << "# Generated by qemud-fuzz-dict from reference/protocol.x. Do not edit.\n";
    std::size_t n = 0;
    for (const auto& [bytes, name] : entries) dict << "# " << name << "\nkw" << ++n << "=" << bytes << "\n";
    std::string options = "[libfuzzer]\nmax_len = " + std::to_string(max_len) + "\ndict = " + target + ".dict\n";
    if (dispatch) {
        // The daemon target's allocation bound under libFuzzer: one read may
        // complete a call per smallest client message, each answered with up
        // to the largest server message (a 16-byte call can ask for a 20 KB
        // reply; the daemon's event loop feeds 256-byte slices for that
        // reason), and the output vector may grow to twice that. Anything
        // larger, e.g. an allocation from a trusted length word, is a crash.
        const std::size_t min_call = info.header_size() + info.min_payload(Direction::client);
        const std::size_t max_reply = info.header_size() + info.max_payload(Direction::server);
        const std::size_t output = max_len / min_call * max_reply;
        options += "rss_limit_mb = 2560\nmalloc_limit_mb = " + std::to_string((2 * output >> 20) + 1) + "\n";
    }
    // Written whole or not at all, like every generated file (reference/io).
    for (const auto& [path, text] : {std::pair{dict_path, dict.str()}, std::pair{options_path, options}})
        if (auto error = qemud::io::write_file(path, text)) {
            std::fprintf(stderr, "gen_dict: cannot write %s\n", error->c_str());
            return 2;
        }
    return 0;
}
