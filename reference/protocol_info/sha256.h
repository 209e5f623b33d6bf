// sha256.h: SHA-256 (FIPS 180-4) of a byte string, as lowercase hex. Used
// only for the protocolSha256 member of the vector files (written by the
// golden generator, checked by the runner); written here rather than adding
// a crypto library to the project's dependencies.
#pragma once

#include <string>
#include <string_view>

namespace qemud {

std::string sha256_hex(std::string_view data);

}  // namespace qemud
