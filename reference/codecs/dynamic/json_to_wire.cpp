// SPDX-License-Identifier: Apache-2.0
// json_to_wire.cpp: the encoder walk, JSON value model -> canonical wire.
#include <bit>
#include <iterator>
#include <optional>

#include "codecs/value_model.h"
#include "path.h"
#include "policy/policy.h"
#include "walkers.h"
#include "wire_io.h"

namespace qemud::dynamic {

namespace {

class Encoder {
public:
    explicit Encoder(std::size_t expected_size) : out_(expected_size) {}

    // value writes j as type n; on failure it records error_ and returns false.
    bool value(const Node* n, const Json& j) {
        if (!n) return fail("the type does not resolve (a typedef cycle)");
        switch (n->kind) {
            case NodeKind::int32: return scalar(value_model::read_int32(j, &why_));
            case NodeKind::uint32: return scalar(value_model::read_uint32(j, &why_));
            case NodeKind::int64: {
                const auto v = value_model::read_int64(j, &why_);
                if (!v) return fail(why_);
                out_.hyper(static_cast<std::uint64_t>(*v));
                return true;
            }
            case NodeKind::uint64: {
                const auto v = value_model::read_uint64(j, &why_);
                if (!v) return fail(why_);
                out_.hyper(*v);
                return true;
            }
            case NodeKind::boolean:
                if (!j.is_boolean()) return fail("expected true or false, found " + j.dump());
                out_.word(j.get<bool>() ? 1 : 0);
                return true;
            case NodeKind::float32:
                if (!j.is_number()) return fail("expected a number, found " + j.dump());
                out_.word(std::bit_cast<std::uint32_t>(j.get<float>()));
                return true;
            case NodeKind::float64:
                if (!j.is_number()) return fail("expected a number, found " + j.dump());
                out_.hyper(std::bit_cast<std::uint64_t>(j.get<double>()));
                return true;
            case NodeKind::char_:
            case NodeKind::uchar: return byte_words(n->kind, j, 1);
            case NodeKind::enumeration: {
                const auto v = enum_value(*n, j);
                if (!v) return false;
                out_.word(static_cast<std::uint32_t>(*v));
                return true;
            }
            case NodeKind::structure: return structure(*n, j);
            case NodeKind::union_: return union_(*n, j);
            case NodeKind::fixed_array:
                if (n->is_byte_array()) return byte_words(n->element->kind, j, n->bound);
                return array(*n, j, false);
            case NodeKind::var_array: return array(*n, j, true);
            case NodeKind::fixed_opaque: return opaque(*n, j, false);
            case NodeKind::var_opaque: return opaque(*n, j, true);
            case NodeKind::string: {
                if (!j.is_string()) return fail("expected a string, found " + j.dump());
                const auto& s = j.get_ref<const std::string&>();
                if (s.size() > n->bound)
                    return fail("string of " + std::to_string(s.size()) + " bytes exceeds its maximum " +
                                std::to_string(n->bound));
                out_.word(static_cast<std::uint32_t>(s.size()));
                out_.bytes(s.data(), s.size());
                return true;
            }
            case NodeKind::optional:
                if (j.is_null()) {
                    out_.word(0);
                    return true;
                }
                out_.word(1);
                return nested(n->element, j);
        }
        return fail("unknown node kind");
    }

    Bytes take() { return out_.take(); }
    CodecError error() const { return *error_; }

private:
    bool fail(std::string message) {
        error_ = value_model::value_error(path_.str(), std::move(message));
        return false;
    }

    template <class Int>
    bool scalar(const std::optional<Int>& v) {
        if (!v) return fail(why_);
        out_.word(static_cast<std::uint32_t>(*v));
        return true;
    }

    // nested walks into a member, bounded by nesting_limit.
    bool nested(const Node* n, const Json& j) {
        if (depth_ >= nesting_limit) return fail("value nests deeper than " + std::to_string(nesting_limit));
        ++depth_;
        const bool ok = value(n, j);
        --depth_;
        return ok;
    }

    // byte_words writes a char / unsigned char hex string of `count` bytes,
    // one canonical word per byte (docs/VALUE-MODEL.md).
    bool byte_words(NodeKind kind, const Json& j, std::size_t count) {
        if (!value_model::read_hex(j, count, &bytes_, &why_)) return fail(why_);
        for (const char c : bytes_) {
            const auto b = static_cast<std::uint8_t>(c);
            out_.word(kind == NodeKind::char_ ? policy::canonical_char_word(b) : policy::canonical_uchar_word(b));
        }
        return true;
    }

    std::optional<std::int32_t> enum_value(const Node& n, const Json& j) {
        if (!j.is_string()) {
            fail("expected a name of enum " + n.type_name + ", found " + j.dump());
            return std::nullopt;
        }
        const auto it = n.value_of_name.find(j.get_ref<const std::string&>());
        if (it == n.value_of_name.end()) {
            fail("'" + j.get<std::string>() + "' is not a name of enum " + n.type_name);
            return std::nullopt;
        }
        return it->second;
    }

    bool expect_object(const Json& j) { return j.is_object() || fail("expected an object, found " + j.dump()); }

    // unknown_member fails on the first member of j that is_known rejects.
    template <class Known>
    bool unknown_member(const Json& j, Known&& is_known) {
        for (const auto& [key, _] : j.get_ref<const Json::object_t&>())
            if (!is_known(key)) {
                PathScope at(path_, key);
                return fail("unknown member");
            }
        return true;
    }

    // same_members gathers j's members in iteration order into slots if
    // they are exactly those of shape (json_shape.h): both are sorted maps,
    // so one pass of key equality replaces a lookup per member. Otherwise
    // (a member missing or unknown, or more than 16) the caller takes the
    // general path, which finds and reports the first difference.
    static bool same_members(const Json& shape, const Json& j, const Json* (&slots)[16]) {
        const auto& expected = shape.get_ref<const Json::object_t&>();
        const auto& members = j.get_ref<const Json::object_t&>();
        if (members.size() != expected.size() || members.size() > std::size(slots)) return false;
        auto e = expected.begin();
        std::size_t i = 0;
        for (const auto& [key, member] : members) {
            if (key != e->first) return false;
            slots[i++] = &member;
            ++e;
        }
        return true;
    }

    bool structure(const Node& n, const Json& j) {
        if (!expect_object(j)) return false;
        const Json* slots[16];
        if (same_members(n.shape, j, slots)) {
            for (std::size_t i = 0; i < n.fields.size(); ++i) {
                PathScope at(path_, n.fields[i].name);
                if (!nested(n.fields[i].type, *slots[n.member_rank[i]])) return false;
            }
            return true;
        }
        for (const auto& field : n.fields) {
            PathScope at(path_, field.name);
            const auto it = j.find(field.name);
            if (it == j.end()) return fail("missing member");
            if (!nested(field.type, *it)) return false;
        }
        if (j.size() == n.fields.size()) return true;
        return unknown_member(j, [&](const std::string& key) {
            for (const auto& field : n.fields)
                if (field.name == key) return true;
            return false;
        });
    }

    // discriminant reads a union's discriminant value; enum names resolve
    // through the enum, other discriminant types are their integer value.
    std::optional<std::int64_t> discriminant(const Node* d, const Json& j) {
        if (!d) {
            fail("the discriminant type does not resolve (a typedef cycle)");
            return std::nullopt;
        }
        switch (d->kind) {
            case NodeKind::enumeration: return enum_value(*d, j);
            case NodeKind::int32: {
                const auto v = value_model::read_int32(j, &why_);
                if (!v) fail(why_);
                return v;
            }
            case NodeKind::uint32: {
                const auto v = value_model::read_uint32(j, &why_);
                if (!v) fail(why_);
                return v ? std::optional<std::int64_t>(*v) : std::nullopt;
            }
            case NodeKind::boolean:
                if (!j.is_boolean()) {
                    fail("expected true or false, found " + j.dump());
                    return std::nullopt;
                }
                return j.get<bool>() ? 1 : 0;
            default: fail("a union discriminant must be an int, unsigned int, bool or enum"); return std::nullopt;
        }
    }

    bool union_(const Node& n, const Json& j) {
        if (!expect_object(j)) return false;
        const std::string& disc_name = n.discriminant.name;
        const Field* arm = nullptr;
        std::size_t arm_index = 0;
        {
            PathScope at(path_, disc_name);
            const auto it = j.find(disc_name);
            if (it == j.end()) return fail("missing member");
            const auto value = discriminant(n.discriminant.type, *it);
            if (!value) return false;
            if (const auto a = n.arm_of_value.find(*value); a != n.arm_of_value.end())
                arm_index = a->second;
            else if (n.has_default)
                arm_index = n.arms.size() - 1;
            else
                return fail(it->dump() + " has no arm in union " + n.type_name);
            arm = &n.arms[arm_index];
            out_.word(static_cast<std::uint32_t>(*value));
        }
        const Node::ArmShape& shape = n.arm_shapes[arm_index];
        const Json* slots[16];
        if (same_members(shape.object, j, slots)) {
            if (!arm->type) return true;
            PathScope at(path_, arm->name);
            return nested(arm->type, *slots[shape.arm_rank]);
        }
        const bool void_arm = arm->type == nullptr;
        if (!unknown_member(
                j, [&](const std::string& key) { return key == disc_name || (!void_arm && key == arm->name); }))
            return false;
        if (void_arm) return true;
        PathScope at(path_, arm->name);
        const auto it = j.find(arm->name);
        if (it == j.end()) return fail("missing member");
        return nested(arm->type, *it);
    }

    bool array(const Node& n, const Json& j, bool variable) {
        if (!j.is_array()) return fail("expected an array, found " + j.dump());
        if (variable ? j.size() > n.bound : j.size() != n.bound)
            return fail("expected an array of " + std::string(variable ? "at most " : "") + std::to_string(n.bound) +
                        " items, found " + std::to_string(j.size()));
        if (variable) out_.word(static_cast<std::uint32_t>(j.size()));
        for (std::size_t i = 0; i < j.size(); ++i) {
            PathScope at(path_, i);
            if (!nested(n.element, j[i])) return false;
        }
        return true;
    }

    bool opaque(const Node& n, const Json& j, bool variable) {
        std::size_t count = n.bound;
        if (variable) {
            if (!j.is_string()) return fail("expected a hex string, found " + j.dump());
            const std::size_t digits = j.get_ref<const std::string&>().size();
            if (digits % 2 != 0) return fail("odd number of hex digits (" + std::to_string(digits) + ")");
            count = digits / 2;
            if (count > n.bound)
                return fail(std::to_string(count) + " bytes exceed the maximum " + std::to_string(n.bound));
        }
        if (!value_model::read_hex(j, count, &bytes_, &why_)) return fail(why_);
        if (variable) out_.word(static_cast<std::uint32_t>(count));
        out_.bytes(bytes_.data(), bytes_.size());
        return true;
    }

    WireWriter out_;
    Path path_;
    int depth_ = 0;
    std::optional<CodecError> error_;
    std::string why_;    // value_model's reason, reused across reads
    std::string bytes_;  // read_hex's output, reused across reads
};

}  // namespace

Outcome<Bytes> encode_value(const Node& root, const Json& value, std::size_t expected_size) {
    Encoder encoder(expected_size);
    if (!encoder.value(&root, value)) return encoder.error();
    return encoder.take();
}

}  // namespace qemud::dynamic
