// SPDX-License-Identifier: Apache-2.0
#include "golden_loader.h"

#include <filesystem>
#include <set>

#include "codecs/registry.h"
#include "io/json_input.h"
#include "protocol_info/protocol_info.h"
#include "text_util.h"

namespace qemud::conform {

std::string_view to_string(Expectation expect) {
    switch (expect) {
        case Expectation::valid: return "valid";
        case Expectation::invalid: return "invalid";
        case Expectation::acceptable: return "acceptable";
    }
    return "?";
}

namespace {

struct Malformed {
    std::string why;
};

const Json& member(const Json& j, const char* name, const std::string& where) {
    if (!j.is_object() || !j.contains(name)) throw Malformed{where + ": missing \"" + name + "\""};
    return j.at(name);
}

std::string hex_member(const Json& j, const char* name, const std::string& where) {
    const Json& h = member(j, name, where);
    if (!h.is_string() || !is_hex(h.get<std::string>()))
        throw Malformed{where + ": \"" + name + "\" is not an even-length hex string"};
    return lower_hex(h.get<std::string>());
}

bool is_framed(Kind kind) { return kind == Kind::header || is_message(kind); }

// message_type is what a vector is reported under: the arm its group says,
// or, in a themed group, the arm the vector carries; "header" for the
// header kind; otherwise (an unknown discriminant, a header alone, a vector
// of an older file) the theme, the group's lowercase name, which no arm
// name can be.
std::string message_type(const Json& t, Kind kind, const std::string& group_arm, const std::string& group_name,
                         const std::string& where) {
    if (kind == Kind::header) return "header";
    if (!group_arm.empty()) return group_arm;
    if (t.contains("arm")) {
        if (!t["arm"].is_string() || t["arm"].get<std::string>().empty())
            throw Malformed{where + ": arm is not an arm's name"};
        return t["arm"].get<std::string>();
    }
    return group_name.empty() ? "ungrouped" : group_name;
}

Case read_test(const Json& t, Kind kind, Framing framing, const std::string& arm, const std::string& group_name,
               const std::string& file) {
    if (!t.is_object()) throw Malformed{file + ": a test is not an object"};
    const Json& id = member(t, "tcId", file);
    if (!id.is_number_integer()) throw Malformed{file + ": tcId is not an integer"};
    const std::string where = file + " tcId " + std::to_string(id.get<std::int64_t>());
    Case c;
    c.kind = kind;
    c.framing = framing;
    const std::string profile = is_framed(kind) && framing != Framing::seed ? std::string(to_string(framing)) + "/" : "";
    c.name = "golden/" + profile + std::string(to_string(kind)) + "/tc" + std::to_string(id.get<std::int64_t>());
    c.message_type = message_type(t, kind, arm, group_name, where);
    const Json& result = member(t, "result", where);
    if (result == "valid")
        c.expect = Expectation::valid;
    else if (result == "invalid")
        c.expect = Expectation::invalid;
    else if (result == "acceptable")
        c.expect = Expectation::acceptable;
    else
        throw Malformed{where + ": result must be valid, invalid or acceptable"};
    if (t.contains("wire")) {
        c.wire = hex_member(t, "wire", where);
    } else {
        // A value to refuse: only encode is asked, and it must fail.
        if (c.expect != Expectation::invalid || !t.contains("value"))
            throw Malformed{where + ": a vector without \"wire\" must be invalid and carry a value"};
        c.has_wire = false;
        if (t.contains("errorPath") && t["errorPath"].is_string()) c.error_path = t["errorPath"].get<std::string>();
    }
    if (t.contains("comment") && t["comment"].is_string()) c.comment = t["comment"].get<std::string>();
    if (t.contains("flags")) {
        if (!t["flags"].is_array()) throw Malformed{where + ": flags is not an array"};
        for (const auto& f : t["flags"]) {
            if (!f.is_string()) throw Malformed{where + ": a flag is not a string"};
            c.flags.push_back(f.get<std::string>());
        }
    }
    if (t.contains("value")) c.value = t["value"];
    if (c.expect != Expectation::invalid && !c.value) throw Malformed{where + ": a " +
                                                                      std::string(to_string(c.expect)) +
                                                                      " vector needs a value"};
    // A value of the wrong shape (a string for an integer, a missing
    // member) is the file's fault: the reference must be able to encode
    // every valid or acceptable value, or the case would blame the
    // implementation under test.
    if (c.value && c.expect != Expectation::invalid) {
        const auto encoded = reference_codec().encode(kind, *c.value, framing);
        if (encoded.failed() && encoded.error().flag == "value")
            throw Malformed{where + ": member value" +
                            (encoded.error().path.empty() ? "" : "." + encoded.error().path) +
                            " does not fit protocol.x: " + excerpt(encoded.error().message, 200)};
    }
    if (t.contains("canonicalWire")) c.canonical_wire = hex_member(t, "canonicalWire", where);
    if (t.contains("layout")) {
        if (!t["layout"].is_array()) throw Malformed{where + ": layout is not an array"};
        for (const auto& l : t["layout"]) {
            if (!l.is_array() || l.size() != 3 || !l[0].is_number_unsigned() || !l[1].is_number_unsigned() ||
                !l[2].is_string())
                throw Malformed{where + ": a layout entry is not [offset, length, path]"};
            c.layout.push_back({l[0].get<std::size_t>(), l[1].get<std::size_t>(), l[2].get<std::string>()});
        }
    }
    return c;
}

void load_file(const std::filesystem::path& path, Kind kind, Framing framing, bool any_protocol, GoldenSet& out) {
    const std::string file = path.string();
    auto read = io::read_json(file);
    if (auto* error = std::get_if<std::string>(&read)) throw Malformed{"golden vectors: " + *error};
    const Json doc = std::move(std::get<Json>(read));
    const Json& k = member(doc, "kind", file);
    if (k != std::string(to_string(kind)))
        throw Malformed{file + ": kind is " + excerpt(k.dump(), 40) + ", expected \"" + std::string(to_string(kind)) +
                        "\""};
    if (is_framed(kind)) {
        // The seed's files may omit it (files from before the profiles did).
        const std::string want(to_string(framing));
        if (doc.contains("framing") ? doc["framing"] != want : framing != Framing::seed)
            throw Malformed{file + ": framing is " +
                            (doc.contains("framing") ? excerpt(doc["framing"].dump(), 40) : std::string("missing")) +
                            ", expected \"" + want + "\""};
    }
    // Vectors made from another protocol.x test another protocol.
    static const std::string build_sha = std::string(ProtocolInfo::get().source_sha256());
    const Json& sha = member(doc, "protocolSha256", file);
    const std::string file_sha = sha.is_string() ? sha.get<std::string>() : excerpt(sha.dump(), 80);
    if (out.protocol_sha256 && *out.protocol_sha256 != file_sha)
        throw Malformed{file + ": protocolSha256 is " + file_sha + " but the files before it have " +
                        *out.protocol_sha256 + " (vectors of different protocols in one directory)"};
    out.protocol_sha256 = file_sha;
    if (file_sha != build_sha) {
        if (!any_protocol)
            throw Malformed{file + ": protocolSha256 is " + file_sha + " but this build's protocol.x is " + build_sha +
                            " (vectors of another protocol; regenerate them, or run them anyway with --any-protocol)"};
        out.notes.push_back("--any-protocol: " + file + " has protocolSha256 " + file_sha + ", not this build's " +
                            build_sha);
    }
    const Json& groups = member(doc, "testGroups", file);
    if (!groups.is_array()) throw Malformed{file + ": testGroups is not an array"};
    std::size_t count = 0;
    std::set<std::string> names;
    for (const auto& g : groups) {
        std::string arm, name;
        if (g.is_object() && g.contains("arm")) {
            if (!g["arm"].is_string()) throw Malformed{file + ": a group's arm is not a string"};
            arm = g["arm"].get<std::string>();
        }
        if (g.is_object() && g.contains("name") && g["name"].is_string()) name = g["name"].get<std::string>();
        const Json& tests = member(g, "tests", file);
        if (!tests.is_array()) throw Malformed{file + ": a group's tests is not an array"};
        for (const auto& t : tests) {
            Case c = read_test(t, kind, framing, arm, name, file);
            if (!names.insert(c.name).second)
                throw Malformed{file + ": tcId " + c.name.substr(c.name.rfind("tc") + 2) +
                                " appears twice (tcIds must be unique within a file)"};
            out.cases.push_back(std::move(c));
            ++count;
        }
    }
    if (doc.contains("numberOfTests") && doc["numberOfTests"].is_number_integer() &&
        doc["numberOfTests"].get<std::size_t>() != count)
        throw Malformed{file + ": numberOfTests says " + doc["numberOfTests"].dump() + " but the file holds " +
                        std::to_string(count)};
    if (count == 0) throw Malformed{file + ": holds no tests"};
}

}  // namespace

std::string golden_file(Kind kind, Framing framing) {
    const std::string name = std::string(to_string(kind)) + "_test.json";
    return is_framed(kind) && framing != Framing::seed ? std::string(to_string(framing)) + "/" + name : name;
}

std::variant<GoldenSet, std::string> load_golden(const std::string& dir, Framing framing, bool any_protocol) {
    GoldenSet set;
    try {
        if (!std::filesystem::is_directory(dir)) return "golden vectors missing: " + dir + " is not a directory";
        for (Kind kind : all_kinds)
            load_file(std::filesystem::path(dir) / golden_file(kind, framing), kind, framing, any_protocol, set);
    } catch (const Malformed& m) {
        return m.why;
    } catch (const std::exception& e) {
        return "golden vectors in " + dir + " malformed: " + e.what();
    }
    return set;
}

}  // namespace qemud::conform
