// SPDX-License-Identifier: Apache-2.0
// mutator.h: the structure-aware mutator of the fuzz targets. An input that
// decodes (its discriminant names an arm, its size is the arm's) is changed
// in one field and re-encoded; one that does not is either repaired into an
// arm or handed to libFuzzer's byte mutator (LLVMFuzzerMutate). Everything
// it knows about the protocol comes from reference/ (ProtocolInfo, the
// comparator's element sites, the sample values of every arm).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace qemud::fuzz {

// Surface is what a target's input is.
enum class Surface { header, client_payload, server_payload, client_stream, server_stream };

// surface_from_name maps a target name (header_fuzzer, ...) or a surface
// name to its surface; nullopt for anything else.
std::optional<Surface> surface_from_name(std::string_view name);

// mutate changes data[0, size) in place into at most max_size bytes and
// returns the new size, as LLVMFuzzerCustomMutator does. Deterministic in
// seed.
std::size_t mutate(Surface surface, std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed);

// cross_over writes a child of two inputs to out (at most max_out bytes) and
// returns its size, as LLVMFuzzerCustomCrossOver does: the header of one and
// payload of the other, word-aligned splices of two payloads of one arm, the
// first frames of one stream followed by the last of the other.
std::size_t cross_over(Surface surface, const std::uint8_t* data1, std::size_t size1, const std::uint8_t* data2,
                       std::size_t size2, std::uint8_t* out, std::size_t max_out, unsigned seed);

}  // namespace qemud::fuzz
