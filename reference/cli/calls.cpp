// SPDX-License-Identifier: Apache-2.0
#include "cli/calls.h"

#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <iterator>
#include <sstream>

#include "codecs/registry.h"
#include "codecs/value_model.h"
#include "protocol_info/protocol_info.h"

namespace qemud::cli {

namespace {

// The one command table. A command's arguments fill its arm's fields in
// order, each parsed by the field's type (from protocol.x, so nothing here
// restates a field): a signed or unsigned integer, a uuid (unsigned char
// array: 32 hex digits, dashes anywhere allowed, as in 8-4-4-4-12), or text
// (char array: the bytes as given, NUL-padded, with room for one NUL).
constexpr std::array<Command, 38> table{{
    {"version", "QEMUD_CLIENT_PKT_GET_VERSION", ""},
    {"nodeinfo", "QEMUD_CLIENT_PKT_GET_NODEINFO", ""},
    {"list", "QEMUD_CLIENT_PKT_LIST_DOMAINS", ""},
    {"num", "QEMUD_CLIENT_PKT_NUM_DOMAINS", ""},
    {"create", "QEMUD_CLIENT_PKT_DOMAIN_CREATE", "FILE.xml", true},
    {"lookup-id", "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_ID", "ID"},
    {"lookup-uuid", "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_UUID", "UUID"},
    {"lookup-name", "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME", "NAME"},
    {"suspend", "QEMUD_CLIENT_PKT_DOMAIN_SUSPEND", "ID"},
    {"resume", "QEMUD_CLIENT_PKT_DOMAIN_RESUME", "ID"},
    {"destroy", "QEMUD_CLIENT_PKT_DOMAIN_DESTROY", "ID"},
    {"dominfo", "QEMUD_CLIENT_PKT_DOMAIN_GET_INFO", "UUID"},
    {"save", "QEMUD_CLIENT_PKT_DOMAIN_SAVE", "ID PATH"},
    {"restore", "QEMUD_CLIENT_PKT_DOMAIN_RESTORE", "PATH"},
    {"dumpxml", "QEMUD_CLIENT_PKT_DUMP_XML", "UUID"},
    {"list-defined", "QEMUD_CLIENT_PKT_LIST_DEFINED_DOMAINS", ""},
    {"num-defined", "QEMUD_CLIENT_PKT_NUM_DEFINED_DOMAINS", ""},
    {"start", "QEMUD_CLIENT_PKT_DOMAIN_START", "UUID"},
    {"define", "QEMUD_CLIENT_PKT_DOMAIN_DEFINE", "FILE.xml", true},
    {"undefine", "QEMUD_CLIENT_PKT_DOMAIN_UNDEFINE", "UUID"},
    {"net-num", "QEMUD_CLIENT_PKT_NUM_NETWORKS", ""},
    {"net-list", "QEMUD_CLIENT_PKT_LIST_NETWORKS", ""},
    {"net-num-defined", "QEMUD_CLIENT_PKT_NUM_DEFINED_NETWORKS", ""},
    {"net-list-defined", "QEMUD_CLIENT_PKT_LIST_DEFINED_NETWORKS", ""},
    {"net-lookup-uuid", "QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_UUID", "UUID"},
    {"net-lookup-name", "QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_NAME", "NAME"},
    {"net-create", "QEMUD_CLIENT_PKT_NETWORK_CREATE", "FILE.xml", true},
    {"net-define", "QEMUD_CLIENT_PKT_NETWORK_DEFINE", "FILE.xml", true},
    {"net-undefine", "QEMUD_CLIENT_PKT_NETWORK_UNDEFINE", "UUID"},
    {"net-start", "QEMUD_CLIENT_PKT_NETWORK_START", "UUID"},
    {"net-destroy", "QEMUD_CLIENT_PKT_NETWORK_DESTROY", "UUID"},
    {"net-dumpxml", "QEMUD_CLIENT_PKT_NETWORK_DUMP_XML", "UUID"},
    {"net-bridge", "QEMUD_CLIENT_PKT_NETWORK_GET_BRIDGE_NAME", "UUID"},
    {"autostart", "QEMUD_CLIENT_PKT_DOMAIN_GET_AUTOSTART", "UUID"},
    {"set-autostart", "QEMUD_CLIENT_PKT_DOMAIN_SET_AUTOSTART", "UUID 0|1"},
    {"net-autostart", "QEMUD_CLIENT_PKT_NETWORK_GET_AUTOSTART", "UUID"},
    {"net-set-autostart", "QEMUD_CLIENT_PKT_NETWORK_SET_AUTOSTART", "UUID 0|1"},
    {"capabilities", "QEMUD_CLIENT_PKT_GET_CAPABILITIES", ""},
}};

const Codec& strict_codec() {
    static const Codec* codec = find_codec("cxx");
    return *codec;
}

// check_call encodes the call once: the codec is the judge of what fits
// the value model, and its error names the field.
std::optional<Call> check_call(const Json& data, std::string& error) {
    const Json payload = {{"serial", 1}, {"data", data}};
    const auto encoded = strict_codec().encode(Kind::client, payload);
    if (!encoded.ok()) {
        error = encoded.failed() ? encoded.error().to_string() : encoded.unsupported_reason().what;
        return std::nullopt;
    }
    const ArmInfo* arm = ProtocolInfo::get().find_arm(Direction::client, data.at("type").get<std::string>());
    if (!arm) {
        error = "data.type: not a client message type";
        return std::nullopt;
    }
    return Call{data, arm->value};
}

std::optional<std::string> read_file(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot read '" + path + "'";
        return std::nullopt;
    }
    return std::string(std::istreambuf_iterator<char>(in), {});
}

template <class T>
bool parse_integer(const std::string& text, T& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// field_value parses one argument into the value of `field`; empty Json
// and `error` when it does not parse.
Json field_value(const xdr::Declaration& field, const std::string& text, bool from_file, std::string& error) {
    const bool primitive = field.type.is_primitive();
    if (primitive && field.array == xdr::ArrayKind::none) {
        if (field.type.primitive() == xdr::PrimitiveType::int_) {
            std::int32_t v = 0;
            if (parse_integer(text, v)) return v;
            error = "'" + text + "' is not a signed 32-bit integer";
            return {};
        }
        if (field.type.primitive() == xdr::PrimitiveType::uint_) {
            std::uint32_t v = 0;
            if (parse_integer(text, v)) return v;
            error = "'" + text + "' is not an unsigned 32-bit integer";
            return {};
        }
    }
    if (primitive && field.array == xdr::ArrayKind::fixed && field.size) {
        const std::size_t n = *field.size;
        if (field.type.primitive() == xdr::PrimitiveType::uchar) {
            std::string digits;
            for (const char c : text)
                if (c != '-') digits += c;
            const auto bytes = value_model::bytes_from_hex(digits);
            if (bytes && bytes->size() == n) return value_model::to_hex(*bytes);
            error = "'" + text + "' is not a uuid of " + std::to_string(2 * n) +
                    " hex digits (dashes allowed, as in 8-4-4-4-12)";
            return {};
        }
        if (field.type.primitive() == xdr::PrimitiveType::char_) {
            std::string bytes = text;
            if (from_file) {
                const auto contents = read_file(text, error);
                if (!contents) return {};
                bytes = *contents;
            }
            if (bytes.size() >= n) {
                error = (from_file ? "file '" + text + "' has " : "'" + text + "' has ") +
                        std::to_string(bytes.size()) + " bytes; at most " + std::to_string(n - 1) + " fit";
                return {};
            }
            bytes.resize(n, '\0');
            return value_model::to_hex(bytes.data(), bytes.size());
        }
    }
    error = "field type not supported on the command line; use the JSON input";
    return {};
}

}  // namespace

std::span<const Command> command_table() { return table; }

std::vector<std::string> split_words(std::string_view line) {
    std::vector<std::string> words;
    std::istringstream in{std::string(line)};
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

std::optional<Call> call_from_words(std::span<const std::string> words, std::string& error) {
    if (words.empty()) {
        error = "empty command";
        return std::nullopt;
    }
    const Command* command = nullptr;
    for (const auto& row : table)
        if (row.name == words[0]) command = &row;
    if (!command) {
        error = "unknown command '" + words[0] + "' (`--help` lists them)";
        return std::nullopt;
    }
    const std::string usage = std::string(command->name) + (command->args.empty() ? "" : " ") +
                              std::string(command->args);
    const ProtocolInfo& info = ProtocolInfo::get();
    const ArmInfo* arm = info.find_arm(Direction::client, command->type);
    Json data = {{"type", std::string(command->type)}};
    const xdr::StructDef* request = arm && !arm->struct_name.empty() ? info.spec().find_struct(arm->struct_name) : nullptr;
    const std::size_t wanted = request ? request->fields.size() : 0;
    if (words.size() - 1 != wanted) {
        error = std::string(command->name) + ": expected " + std::to_string(wanted) + " argument(s), got " +
                std::to_string(words.size() - 1) + " (usage: " + usage + ")";
        return std::nullopt;
    }
    if (request) {
        Json fields = Json::object();
        for (std::size_t i = 0; i < wanted; ++i) {
            const auto& field = request->fields[i];
            std::string why;
            Json value = field_value(field, words[i + 1], command->from_file, why);
            if (value.is_null()) {
                error = std::string(command->name) + ": argument " + std::to_string(i + 1) + " (" + field.name +
                        "): " + why;
                return std::nullopt;
            }
            fields[field.name] = std::move(value);
        }
        data[arm->member] = std::move(fields);
    }
    std::string why;
    auto call = check_call(data, why);
    if (!call) error = std::string(command->name) + ": " + why;
    return call;
}

std::optional<Call> call_from_json(const Json& data, std::string& error) {
    if (!data.is_object() || !data.contains("type") || !data["type"].is_string()) {
        error = "type: expected an object with a \"type\" member naming a client message type";
        return std::nullopt;
    }
    if (!ProtocolInfo::get().find_arm(Direction::client, data["type"].get<std::string>())) {
        error = "type: '" + data["type"].get<std::string>() + "' is not a client message type";
        return std::nullopt;
    }
    auto call = check_call(data, error);
    // The codec names fields from the payload's root; the line is `data`.
    if (!call && error.starts_with("data.")) error.erase(0, 5);
    return call;
}

Bytes frame_call(const Call& call, std::uint32_t serial, Framing framing) {
    const Json payload = {{"serial", serial}, {"data", call.data}};
    auto encoded = strict_codec().encode(Kind::client_message, payload, framing);
    return encoded.ok() ? std::move(encoded.value()) : Bytes{};
}

}  // namespace qemud::cli
