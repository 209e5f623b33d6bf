// SPDX-License-Identifier: Apache-2.0
// emit.h: turning the vector files into the committed JSON text, the
// on-demand C header, and the counts the generator prints.
#pragma once

#include <string>
#include <vector>

#include "vectors.h"

namespace qemud::golden {

// file_name is the file's path in the golden directory: "<kind>_test.json",
// or "<profile>/<kind>_test.json" for a framed kind of a profile other than
// the seed's.
std::string file_name(const VectorFile& file);
// emit_json gives the file's text: stable member order, one test per line,
// no timestamps, so the same protocol.x always gives the same bytes.
std::string emit_json(const VectorFile& file);
// emit_c_header gives a self-contained C header holding every vector.
std::string emit_c_header(const std::vector<VectorFile>& files);
// generator_version is the file format's version: bump it when the format
// changes. The schema's file name carries it.
const char* generator_version();
// schema_file_name: "qemud-golden-v<version>.schema.json", in golden/schema/.
std::string schema_file_name();
// schema_envelope: the schema of the files without the protocol's types,
// for xdrc --emit json-schema --envelope (schema_envelope.cpp).
std::string schema_envelope();
// counts gives the per-file summary: total, per result, per flag.
std::string counts(const std::vector<VectorFile>& files);

}  // namespace qemud::golden
