// SPDX-License-Identifier: Apache-2.0
// cli_calls_test.cpp: what qemud-cli sends and prints (reference/cli/
// calls.h, output.h): every command of the table makes a call of its type
// that the strict codec frames, argument and JSON-line errors name what is
// wrong, uuids in both forms, and the stdout/stderr lines.
#define BOOST_TEST_MODULE cli_calls
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <set>

#include "cli/calls.h"
#include "cli/output.h"
#include "protocol_info/protocol_info.h"

using namespace qemud;
using namespace qemud::cli;

namespace {

const std::string uuid = "0123456789abcdef0123456789ABCDEF";

// sample_words gives each argument of a command's usage a valid value.
std::vector<std::string> sample_words(const Command& c, const std::string& xml_file) {
    std::vector<std::string> words{std::string(c.name)};
    for (const auto& arg : split_words(c.args)) {
        if (arg == "UUID") words.push_back(uuid);
        else if (arg == "ID") words.push_back("-3");
        else if (arg == "0|1") words.push_back("1");
        else if (arg == "FILE.xml") words.push_back(xml_file);
        else words.push_back("vm1");
    }
    return words;
}

std::optional<Call> from(std::initializer_list<std::string> words, std::string& error) {
    const std::vector<std::string> list(words);
    return call_from_words(list, error);
}

}  // namespace

BOOST_AUTO_TEST_CASE(cli_every_client_type_has_one_command) {
    const std::string xml_file = "cli_calls_test.xml";
    std::ofstream(xml_file) << "<domain><name>vm1</name></domain>";
    std::set<std::int32_t> types;
    for (const auto& c : command_table()) {
        std::string error;
        const auto call = call_from_words(sample_words(c, xml_file), error);
        BOOST_TEST_REQUIRE(call.has_value(), c.name << ": " << error);
        BOOST_TEST(call->data.at("type") == std::string(c.type));
        BOOST_TEST(types.insert(call->type).second, c.name << " repeats a type");
        BOOST_TEST(!frame_call(*call, 7, Framing::seed).empty());
        BOOST_TEST(!frame_call(*call, 7, Framing::libvirt_0_3).empty());
    }
    BOOST_TEST(types.size() == ProtocolInfo::get().arms(Direction::client).size());
    std::remove(xml_file.c_str());
}

BOOST_AUTO_TEST_CASE(cli_arguments_fill_the_arm) {
    std::string error;
    auto call = from({"lookup-id", "3"}, error);
    BOOST_TEST_REQUIRE(call.has_value(), error);
    BOOST_TEST(call->data == Json::parse(R"({"type":"QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_ID",
                                             "domainLookupByIDRequest":{"id":3}})"));
    const auto a = from({"dominfo", "01234567-89ab-cdef-0123-456789abcdef"}, error);
    const auto b = from({"dominfo", "0123456789abcdef0123456789abcdef"}, error);
    BOOST_TEST_REQUIRE((a && b));
    BOOST_TEST(a->data == b->data);
    call = from({"set-autostart", uuid, "1"}, error);
    BOOST_TEST_REQUIRE(call.has_value(), error);
    BOOST_TEST(call->data.at("domainSetAutostartRequest").at("autostart") == 1);
    call = from({"lookup-name", "vm1"}, error);
    BOOST_TEST_REQUIRE(call.has_value(), error);
    const std::string hex = call->data.at("domainLookupByNameRequest").at("name");
    BOOST_TEST(hex.size() == 100u);  // the whole char[50], NUL-padded
    BOOST_TEST(hex.starts_with("766d3100"));
}

BOOST_AUTO_TEST_CASE(cli_bad_arguments_name_what_is_wrong) {
    const std::pair<std::vector<std::string>, std::string> cases[] = {
        {{"nope"}, "unknown command 'nope'"},
        {{"lookup-id"}, "lookup-id: expected 1 argument(s), got 0"},
        {{"version", "x"}, "version: expected 0 argument(s), got 1"},
        {{"lookup-id", "x"}, "lookup-id: argument 1 (id): 'x' is not a signed 32-bit integer"},
        {{"lookup-id", "2147483648"}, "is not a signed 32-bit integer"},
        {{"dominfo", "0123"}, "dominfo: argument 1 (uuid): '0123' is not a uuid of 32 hex digits"},
        {{"set-autostart", uuid, "-1"}, "argument 2 (autostart): '-1' is not an unsigned 32-bit integer"},
        {{"lookup-name", std::string(50, 'a')}, "has 50 bytes; at most 49 fit"},
        {{"define", "/nonexistent/x.xml"}, "cannot read '/nonexistent/x.xml'"},
    };
    for (const auto& [words, expected] : cases) {
        std::string error;
        BOOST_TEST(!call_from_words(words, error).has_value(), words[0]);
        BOOST_TEST(error.find(expected) != std::string::npos, error << " lacks " << expected);
    }
}

BOOST_AUTO_TEST_CASE(cli_json_lines_are_checked_by_field) {
    std::string error;
    auto call = call_from_json(Json::parse(R"({"type":"QEMUD_CLIENT_PKT_GET_VERSION"})"), error);
    BOOST_TEST_REQUIRE(call.has_value(), error);
    BOOST_TEST(call->type == 0);
    const std::pair<const char*, const char*> bad[] = {
        {R"([1])", "type:"},
        {R"({"type":"QEMUD_CLIENT_PKT_MAX"})", "type: 'QEMUD_CLIENT_PKT_MAX' is not a client message type"},
        {R"({"type":"QEMUD_SERVER_PKT_GET_VERSION"})", "type: 'QEMUD_SERVER_PKT_GET_VERSION' is not"},
        {R"({"type":"QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_ID","domainLookupByIDRequest":{"idx":3}})",
         "domainLookupByIDRequest."},
        {R"({"type":"QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_ID","domainLookupByIDRequest":{"id":"3"}})",
         "domainLookupByIDRequest.id"},
        {R"({"type":"QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_UUID","domainLookupByUUIDRequest":{"uuid":"00"}})",
         "domainLookupByUUIDRequest.uuid"},
    };
    for (const auto& [line, expected] : bad) {
        error.clear();
        BOOST_TEST(!call_from_json(Json::parse(line), error).has_value(), line);
        BOOST_TEST(error.find(expected) == 0u, error << " does not start with " << expected);
    }
}

BOOST_AUTO_TEST_CASE(cli_output_lines) {
    Settled value;
    value.kind = Settled::Kind::value;
    value.serial = 4;
    value.value = Json::parse(R"({"type":"QEMUD_SERVER_PKT_GET_VERSION","getVersionReply":{"versionNum":9000}})");
    BOOST_TEST(*result_line(value) ==
               R"({"serial":4,"type":"QEMUD_SERVER_PKT_GET_VERSION","value":{"getVersionReply":{"versionNum":9000},"type":"QEMUD_SERVER_PKT_GET_VERSION"}})");
    BOOST_TEST(!diagnostic_line(value));
    Settled failure;
    failure.kind = Settled::Kind::failure;
    failure.serial = 5;
    failure.failure_code = 2;
    failure.failure_message_hex = "6e6f00";
    BOOST_TEST(*result_line(failure) == R"({"serial":5,"failure":{"code":2,"message":"6e6f00"}})");
    Settled error;
    error.serial = 6;
    error.call_type = 3;
    error.error = "connection closed by the server";
    BOOST_TEST(!result_line(error));
    BOOST_TEST(*diagnostic_line(error) ==
               "qemud-cli: call serial 6 (QEMUD_CLIENT_PKT_NUM_DOMAINS): connection closed by the server");
}
