// SPDX-License-Identifier: Apache-2.0
#include "arm_layout.h"

#include "xdrc/analysis.h"

namespace qemud::testing {

std::vector<FieldLayout> arm_fields(const ArmInfo& arm) {
    std::vector<FieldLayout> out;
    if (arm.struct_name.empty()) return out;
    const auto& spec = ProtocolInfo::get().spec();
    const auto* s = spec.find_struct(arm.struct_name);
    std::size_t offset = ProtocolInfo::get().payload_prefix_size(arm.direction) + 4;
    for (const auto& field : s->fields) {
        const std::size_t size = xdr::wire_size(spec, field).max;
        out.push_back({field.name, field, offset, size});
        offset += size;
    }
    return out;
}

bool is_byte_array(const xdr::Declaration& d, bool want_signed) {
    return d.array == xdr::ArrayKind::fixed && d.type.is_primitive() &&
           d.type.primitive() == (want_signed ? xdr::PrimitiveType::char_ : xdr::PrimitiveType::uchar);
}

}  // namespace qemud::testing
