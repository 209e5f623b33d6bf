// SPDX-License-Identifier: Apache-2.0
// parser.h: turns a .x file into a checked Specification.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "ast.h"
#include "lexer.h"

namespace qemud::xdr {

// parse_specification parses text (named file_name in messages) in
// rpcgen's dialect and checks it: every type and constant a declaration
// uses is defined (or, for constants, is a known C constant such as
// PATH_MAX), names are unique, case labels resolve and do not repeat. On
// the first problem it returns a ParseError located at the offending token.
std::variant<Specification, ParseError> parse_specification(std::string_view text,
                                                            const std::string& file_name);

}  // namespace qemud::xdr
