// SPDX-License-Identifier: Apache-2.0
// schema_envelope.cpp: the golden files' JSON Schema minus the protocol's
// types. xdrc --emit json-schema --envelope adds the types (one $def per
// type of protocol.x and the framing headers' .x files, one per union arm)
// and writes golden/schema/qemud-golden-v<N>.schema.json. The generator owns
// the file format, so the parts that must agree with it come from the same
// tables it writes the files from: the flags (policy table and generator
// flags), each note's rule, the kinds, the framing profiles and which type
// each kind's value is.
#include "emit.h"

namespace qemud::golden {

namespace {

using OJson = nlohmann::ordered_json;

// The fixed part: the file and its tests, as they are written by emit_json.
constexpr const char* fixed_part = R"json({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["schema", "generatorVersion", "kind", "protocolSha256", "numberOfTests", "header", "notes", "testGroups"],
  "additionalProperties": false,
  "properties": {
    "kind": {"$ref": "#/$defs/kind"},
    "framing": {"$ref": "#/$defs/framing"},
    "protocolSha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    "numberOfTests": {"type": "integer", "minimum": 1},
    "header": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "testGroups": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/testGroup"}}
  },
  "allOf": [
    {
      "if": {"properties": {"kind": {"enum": ["header", "client_message", "server_message"]}}},
      "then": {"required": ["framing"]},
      "else": {"not": {"required": ["framing"]}}
    },
    {
      "if": {"properties": {"kind": {"const": "header"}}},
      "then": {"properties": {"testGroups": {"items": {"not": {"required": ["arm"]}, "properties": {"tests": {"items": {"not": {"required": ["arm"]}}}}}}}},
      "else": {"properties": {"testGroups": {"items": {"required": ["direction"]}}}}
    }
  ],
  "$defs": {
    "hex": {"type": "string", "pattern": "^([0-9a-f]{2})*$"},
    "rule": {"enum": ["must_accept", "acceptable", "must_reject"]},
    "note": {
      "type": "object",
      "required": ["description", "rule", "source"],
      "additionalProperties": false,
      "properties": {
        "description": {"type": "string", "minLength": 1},
        "rule": {"$ref": "#/$defs/rule"},
        "encoder": {"enum": ["must_produce", "never_produce", "refuse", "may_produce", "not_applicable"]},
        "source": {"enum": ["policy", "generator"]}
      }
    },
    "testGroup": {
      "type": "object",
      "required": ["tests"],
      "additionalProperties": false,
      "properties": {
        "arm": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$"},
        "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        "direction": {"enum": ["client", "server"]},
        "payloadSize": {"type": "integer", "minimum": 0},
        "tests": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/test"}}
      },
      "oneOf": [{"required": ["arm"]}, {"required": ["name"]}],
      "if": {"required": ["arm"]},
      "then": {"properties": {"tests": {"items": {"not": {"required": ["arm"]}}}}}
    },
    "layoutEntry": {
      "type": "array",
      "prefixItems": [
        {"type": "integer", "minimum": 0},
        {"type": "integer", "minimum": 1},
        {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$"}
      ],
      "minItems": 3,
      "maxItems": 3
    },
    "test": {
      "type": "object",
      "required": ["tcId", "comment", "flags", "result"],
      "additionalProperties": false,
      "properties": {
        "tcId": {"type": "integer", "minimum": 1},
        "comment": {"type": "string"},
        "arm": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$", "description": "In a themed group (one with a name): the arm the vector was built from. Absent when it belongs to no one arm, and in an arm's group, whose arm says it once."},
        "flags": {"type": "array", "items": {"$ref": "#/$defs/flag"}, "minItems": 1, "uniqueItems": true},
        "result": {"enum": ["valid", "invalid", "acceptable"]},
        "wire": {"$ref": "#/$defs/hex"},
        "canonicalWire": {"$ref": "#/$defs/hex"},
        "value": {"type": "object"},
        "layout": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/layoutEntry"}},
        "errorOffset": {"type": "integer", "minimum": 0},
        "errorPath": {"type": "string", "minLength": 1}
      },
      "anyOf": [{"required": ["wire"]}, {"required": ["value"]}],
      "allOf": [
        {
          "if": {"not": {"required": ["wire"]}},
          "then": {
            "required": ["value", "errorPath"],
            "properties": {"result": {"const": "invalid"}, "flags": {"contains": {"const": "unencodable_value"}}}
          },
          "else": {"not": {"required": ["errorPath"]}}
        },
        {"if": {"properties": {"result": {"const": "valid"}}}, "then": {"required": ["value", "layout"]}},
        {"if": {"properties": {"result": {"const": "acceptable"}}}, "then": {"required": ["value"]}},
        {
          "if": {"required": ["canonicalWire"]},
          "then": {"properties": {"result": {"const": "valid"}, "flags": {"contains": {"const": "decode_only"}}}}
        }
      ]
    }
  }
})json";

OJson strings(const std::vector<std::string>& items) { return OJson(items); }

// tests_of_kind: the part of the file schema that reaches every test.
OJson tests_of_kind(const OJson& test_schema) {
    OJson tests = {{"items", test_schema}};
    OJson group = {{"properties", {{"tests", tests}}}};
    OJson groups = {{"items", group}};
    return {{"properties", {{"testGroups", groups}}}};
}

}  // namespace

std::string schema_file_name() { return "qemud-golden-v" + std::string(generator_version()) + ".schema.json"; }

std::string schema_envelope() {
    OJson s = OJson::parse(fixed_part);
    OJson out = OJson::object();
    out["$schema"] = s["$schema"];
    // Relative: it resolves against wherever the file is read from, and
    // each vector file's "schema" member is the path to it from that file.
    out["$id"] = schema_file_name();
    out["$comment"] =
        "The file format around the types comes from qemud-golden --schema-envelope (golden/generator/"
        "schema_envelope.cpp). See golden/README.md.";
    out["title"] = "qemud-harness golden vector file, format version " + std::string(generator_version());
    out["description"] =
        "One file per kind (golden/<kind>_test.json) and, for the framed kinds of a framing profile other than the "
        "seed's, per profile (golden/<profile>/<kind>_test.json), in Wycheproof's shape. A test's value is typed by "
        "its kind's $def (value.<kind>, value.header.<framing>) when the test has a wire; a test without one is a "
        "value encoders must refuse, which breaks that type on purpose.";
    for (const auto& [key, value] : s.items())
        if (key != "$schema" && key != "$defs") out[key] = value;

    // The file members whose values come from the generator's tables.
    std::vector<std::string> framings, kinds, flags, reject, acceptable;
    for (const Framing f : all_framings) framings.emplace_back(to_string(f));
    for (const Kind k : all_kinds) kinds.emplace_back(to_string(k));
    OJson notes = OJson::object();
    for (const auto& row : policy::table()) {
        flags.emplace_back(row.name);
        if (row.decoder == policy::DecoderRule::must_reject) reject.emplace_back(row.name);
        if (row.decoder == policy::DecoderRule::acceptable) acceptable.emplace_back(row.name);
        notes[std::string(row.name)] = {{"$ref", "#/$defs/note"},
                                        {"properties",
                                         {{"rule", {{"const", std::string(policy::to_string(row.decoder))}}},
                                          {"encoder", {{"const", std::string(policy::to_string(row.encoder))}}},
                                          {"source", {{"const", "policy"}}}}},
                                        {"required", OJson::array({"encoder"})}};
    }
    for (const auto& g : generator_flags()) {
        flags.emplace_back(g.name);
        notes[std::string(g.name)] = {
            {"$ref", "#/$defs/note"},
            {"properties", {{"rule", {{"const", std::string(policy::to_string(g.rule))}}}, {"source", {{"const", "generator"}}}}},
            {"not", {{"required", OJson::array({"encoder"})}}}};
    }
    auto& properties = out["properties"];
    OJson ordered = OJson::object();
    ordered["schema"] = {{"enum", strings({"schema/" + schema_file_name(), "../schema/" + schema_file_name()})}};
    ordered["generatorVersion"] = {{"const", generator_version()}};
    for (const auto& [key, value] : properties.items()) {
        ordered[key] = value;
        if (key == "header")
            ordered["notes"] = {{"type", "object"},
                                {"propertyNames", {{"$ref", "#/$defs/flag"}}},
                                {"properties", notes}};
    }
    properties = ordered;

    // Each kind's value, when the test has a wire (a value to refuse has
    // none: it is typed only as an object, since it breaks the type).
    OJson defs = OJson::object();
    defs["kind"] = {{"enum", strings(kinds)}};
    defs["framing"] = {{"enum", strings(framings)}};
    defs["flag"] = {{"description", "The policy rows (reference/policy/policy_table.cpp), then the generator's flags."},
                    {"enum", strings(flags)}};
    for (const auto& [key, value] : s["$defs"].items()) defs[key] = value;
    // result follows from the policy flags alone (docs/POLICY.md).
    defs["test"]["allOf"].push_back(
        {{"if", {{"properties", {{"flags", {{"contains", {{"enum", strings(reject)}}}}}}}}},
         {"then", {{"properties", {{"result", {{"const", "invalid"}}}}}}},
         {"else",
          {{"if", {{"properties", {{"flags", {{"contains", {{"enum", strings(acceptable)}}}}}}}}},
           {"then", {{"properties", {{"result", {{"const", "acceptable"}}}}}}},
           {"else", {{"properties", {{"result", {{"const", "valid"}}}}}}}}}});

    const auto& info = ProtocolInfo::get();
    auto typed = [](const std::string& def) {
        return OJson{{"if", {{"required", OJson::array({"wire"})}}},
                     {"then", {{"properties", {{"value", {{"$ref", "#/$defs/" + def}}}}}}}};
    };
    for (const Kind k : all_kinds) {
        if (k == Kind::header) continue;
        const Direction d = (k == Kind::client || k == Kind::client_message) ? Direction::client : Direction::server;
        const std::string def = "value." + std::string(to_string(k));
        defs[def] = {{"description", "The value of a " + std::string(to_string(k)) + " vector: a " +
                                         info.payload_type(d) + "."},
                     {"$ref", "#/$defs/" + info.payload_type(d)}};
        out["allOf"].push_back(
            {{"if", {{"properties", {{"kind", {{"const", std::string(to_string(k))}}}}}}}, {"then", tests_of_kind(typed(def))}});
    }
    for (const Framing f : all_framings) {
        const auto& profile = framing_profile(f);
        const std::string def = "value.header." + std::string(to_string(f));
        defs[def] = {{"description", "The value of a header vector in the " + std::string(to_string(f)) +
                                         " framing: a " + profile.header_type() + "."},
                     {"$ref", "#/$defs/" + profile.header_type()}};
        out["allOf"].push_back(
            {{"if", {{"properties", {{"kind", {{"const", "header"}}}, {"framing", {{"const", std::string(to_string(f))}}}}}}},
             {"then", tests_of_kind(typed(def))}});
    }
    out["$defs"] = defs;
    return out.dump(2) + "\n";
}

}  // namespace qemud::golden
