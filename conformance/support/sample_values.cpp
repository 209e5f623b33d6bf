// SPDX-License-Identifier: Apache-2.0
#include "sample_values.h"

#include <cstdint>
#include <map>
#include <string>

#include "codecs/value_model.h"
#include "xdrc/analysis.h"

namespace qemud::samples {

namespace {

using xdr::ArrayKind;
using xdr::Declaration;
using xdr::PrimitiveType;
using xdr::TypeRef;

const char* const domain_xml =
    "<domain type='qemu'><name>fedora-41</name><uuid>4b3f9a1c-2d5e-4f60-8a7b-9c0d1e2f3a4b</uuid>"
    "<memory>2097152</memory><vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os>"
    "<devices><disk type='file' device='disk'><source file='/var/lib/libvirt/images/fedora-41.img'/>"
    "<target dev='hda'/></disk><interface type='network'><source network='default'/></interface>"
    "</devices></domain>";
const char* const network_xml =
    "<network><name>default</name><uuid>9e8d7c6b-5a49-4837-a261-5f4e3d2c1b0a</uuid>"
    "<bridge name='virbr0'/><forward/><ip address='192.168.122.1' netmask='255.255.255.0'>"
    "<dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp></ip></network>";
const char* const capabilities_xml =
    "<capabilities><host><cpu><arch>x86_64</arch></cpu></host><guest><os_type>hvm</os_type>"
    "<arch name='x86_64'><wordsize>64</wordsize><emulator>/usr/bin/qemu-system-x86_64</emulator>"
    "<domain type='qemu'/><domain type='kvm'/></arch></guest></capabilities>";

// Realistic text per field name; the struct name picks domain or network.
std::string realistic_text(const std::string& struct_name, const std::string& field) {
    const bool network = struct_name.find("network") != std::string::npos;
    if (field == "xml") {
        if (struct_name.find("capabilities") != std::string::npos) return capabilities_xml;
        return network ? network_xml : domain_xml;
    }
    if (field == "name") return network ? "default" : "fedora-41";
    if (field == "file") return "/var/lib/libvirt/save/fedora-41.img";
    if (field == "message") return "Domain not found: no domain with matching uuid";
    if (field == "model") return "x86_64";
    if (field == "ifname") return "virbr0";
    if (field == "domains") return std::string("fedora-41\0debian-12\0", 20);
    if (field == "networks") return std::string("default\0isolated\0", 17);
    return field;
}

const unsigned char realistic_uuid[16] = {0x4b, 0x3f, 0x9a, 0x1c, 0x2d, 0x5e, 0x4f, 0x60,
                                          0x8a, 0x7b, 0x9c, 0x0d, 0x1e, 0x2f, 0x3a, 0x4b};

std::int64_t realistic_number(const std::string& field) {
    static const std::map<std::string, std::int64_t> numbers = {
        {"serial", 7},       {"inReplyTo", 7},  {"versionNum", 2000}, {"memory", 2097152}, {"cpus", 4},
        {"mhz", 2400},       {"nodes", 1},      {"sockets", 1},       {"cores", 2},        {"threads", 2},
        {"id", 3},           {"runstate", 1},   {"maxmem", 4194304},  {"nrVirtCpu", 2},    {"code", 1},
        {"autostart", 1},    {"numDomains", 2}, {"numNetworks", 2},
    };
    const auto it = numbers.find(field);
    return it == numbers.end() ? 1 : it->second;
}

class Filler {
public:
    explicit Filler(Plan plan) : plan_(plan), spec_(ProtocolInfo::get().spec()) {}

    Json declaration(const Declaration& d, const std::string& owner) {
        const TypeRef type = xdr::resolve_typedefs(spec_, d.type);
        const bool primitive = type.is_primitive();
        const PrimitiveType p = primitive ? type.primitive() : PrimitiveType::int_;
        switch (d.array) {
            case ArrayKind::none: return scalar(type, owner, d.name, 0);
            case ArrayKind::optional: return plan_ == Plan::zeros ? Json(nullptr) : named(type);
            case ArrayKind::fixed:
                if (primitive && (p == PrimitiveType::char_ || p == PrimitiveType::uchar || p == PrimitiveType::opaque))
                    return bytes(*d.size, p, owner, d.name);
                {
                    Json items = Json::array();
                    for (std::uint32_t i = 0; i < *d.size; ++i) items.push_back(scalar(type, owner, d.name, i));
                    return items;
                }
            case ArrayKind::variable: {
                const std::uint32_t count = plan_ == Plan::zeros ? 0 : std::min<std::uint32_t>(d.size.value_or(3), 3);
                if (primitive && p == PrimitiveType::string) return std::string(count, 'a');
                if (primitive && p == PrimitiveType::opaque) return bytes(count, p, owner, d.name);
                Json items = Json::array();
                for (std::uint32_t i = 0; i < count; ++i) items.push_back(scalar(type, owner, d.name, i));
                return items;
            }
        }
        return nullptr;
    }

    Json named(const TypeRef& type) {
        const std::string& name = type.name();
        if (const auto* e = spec_.find_enum(name)) return e->items.front().name;
        if (const auto* s = spec_.find_struct(name)) {
            Json out = Json::object();
            for (const auto& field : s->fields) out[field.name] = declaration(field, s->name);
            return out;
        }
        if (const auto* u = spec_.find_union(name)) {
            const auto& first = u->cases.front();
            Json out = Json::object();
            out[u->discriminant.name] = first.labels.front();
            if (!first.arm.is_void) out[first.arm.name] = declaration(first.arm, u->name);
            return out;
        }
        if (const auto* t = spec_.find_typedef(name)) return declaration(t->declaration, name);
        return nullptr;
    }

private:
    Json scalar(const TypeRef& type, const std::string& owner, const std::string& field, std::uint32_t index) {
        if (!type.is_primitive()) return named(type);
        const bool low = (counter_++ % 2) == 0;  // boundary plans alternate min and max
        switch (type.primitive()) {
            case PrimitiveType::int_:
                if (plan_ == Plan::zeros) return 0;
                if (plan_ == Plan::boundary) return low ? INT32_MIN : INT32_MAX;
                return field == "domains" ? Json(index < 2 ? static_cast<int>(index + 1) : 0)
                                          : Json(realistic_number(field));
            case PrimitiveType::uint_:
                if (plan_ == Plan::zeros) return 0;
                if (plan_ == Plan::boundary) return UINT32_MAX;
                return realistic_number(field);
            case PrimitiveType::hyper:
                if (plan_ == Plan::zeros) return "0";
                if (plan_ == Plan::boundary) return value_model::int64_json(low ? INT64_MIN : INT64_MAX);
                return "123456789000";
            case PrimitiveType::uhyper:
                if (plan_ == Plan::zeros) return "0";
                if (plan_ == Plan::boundary) return value_model::uint64_json(UINT64_MAX);
                return "123456789000";
            case PrimitiveType::bool_: return plan_ != Plan::zeros;
            case PrimitiveType::float_:
            case PrimitiveType::double_: return plan_ == Plan::zeros ? 0.0 : 1.5;
            case PrimitiveType::char_:
            case PrimitiveType::uchar: return plan_ == Plan::boundary ? "ff" : (plan_ == Plan::zeros ? "00" : "41");
            default: return nullptr;
        }
        (void)owner;
    }

    Json bytes(std::uint32_t n, PrimitiveType p, const std::string& owner, const std::string& field) {
        std::string b(n, '\0');
        if (plan_ == Plan::boundary) {
            // Full, no NUL, and every byte value >= 0x80 where the array is long
            // enough: the sign-extension cases are what this plan is for.
            for (std::uint32_t i = 0; i < n; ++i) {
                const std::uint32_t k = i % 255;
                b[i] = static_cast<char>(k < 128 ? 0x80 + k : k - 127);
            }
        } else if (plan_ == Plan::realistic) {
            if (p == PrimitiveType::uchar) {
                for (std::uint32_t i = 0; i < n; ++i) b[i] = static_cast<char>(realistic_uuid[i % 16]);
            } else {
                const std::string text = realistic_text(owner, field);
                b.replace(0, std::min<std::size_t>(text.size(), n), text.substr(0, n));
            }
        }
        return value_model::to_hex(b.data(), b.size());
    }

    Plan plan_;
    const xdr::Specification& spec_;
    std::uint32_t counter_ = 0;
};

}  // namespace

std::string_view to_string(Plan plan) {
    switch (plan) {
        case Plan::zeros: return "zeros";
        case Plan::realistic: return "realistic";
        case Plan::boundary: return "boundary";
    }
    return "?";
}

Json value_of_type(std::string_view type_name, Plan plan) {
    return Filler(plan).named(TypeRef{std::string(type_name)});
}

Json payload_value(const ArmInfo& arm, Plan plan) {
    const auto& info = ProtocolInfo::get();
    const auto* root = info.spec().find_struct(info.payload_type(arm.direction));
    Filler filler(plan);
    Json out = Json::object();
    for (const auto& field : root->fields) {
        if (&field == &root->fields.back()) {
            const auto& u = info.payload_union(arm.direction);
            Json data = Json::object();
            data[u.discriminant.name] = arm.name;
            if (!arm.member.empty()) {
                for (const auto& c : u.cases)
                    if (!c.arm.is_void && c.arm.name == arm.member) data[arm.member] = filler.declaration(c.arm, u.name);
            }
            out[field.name] = data;
        } else {
            out[field.name] = filler.declaration(field, root->name);
        }
    }
    return out;
}

}  // namespace qemud::samples
