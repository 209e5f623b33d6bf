// SPDX-License-Identifier: Apache-2.0
// tirpc_decode.h: the libtirpc-only decode the baseline targets time
// (QEMUD_FUZZ_BASELINES=ON): rpcgen's xdr_ procedure over an xdrmem stream
// on rpcgen's C struct, nothing else. The differential targets are measured
// against these (docs/PERFORMANCE.md, "Fuzz targets: differential vs
// libtirpc-only"); they check nothing and find nothing but sanitizer reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

// rpcgen's header, last: it #defines the protocol's constants.
#include "protocol.h"

namespace qemud::fuzz::baseline {

// decode runs one xdr_ procedure over `size` bytes into a reused C struct
// (no member of this protocol is allocated by the decoder, so there is
// nothing to xdr_free) and returns whether libtirpc accepted all of it.
template <class C>
inline bool decode(bool_t (*proc)(XDR*, C*), const std::uint8_t* data, std::size_t size) {
    static C value;
    XDR xdrs;
    xdrmem_create(&xdrs, reinterpret_cast<char*>(const_cast<std::uint8_t*>(data)), static_cast<u_int>(size),
                  XDR_DECODE);
    const bool ok = proc(&xdrs, &value) && xdr_getpos(&xdrs) == size;
    xdr_destroy(&xdrs);
    return ok;
}

inline bool decode_header(const std::uint8_t* data, std::size_t size) {
    return size >= 8 && decode(xdr_qemud_packet_header, data, 8);
}

// decode_message: the 8-byte header struct, then the payload after it as
// the direction's packet (what any codec's *_message decode reads).
template <class C>
inline bool decode_message(bool_t (*proc)(XDR*, C*), const std::uint8_t* data, std::size_t size) {
    if (!decode_header(data, size)) return false;
    return decode(proc, data + 8, size - 8);
}

}  // namespace qemud::fuzz::baseline
