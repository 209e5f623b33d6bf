// SPDX-License-Identifier: Apache-2.0
// lexer.h: splits a .x file into tokens, skipping comments and keeping `%`
// pass-through lines as tokens of their own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ast.h"

namespace qemud::xdr {

enum class TokenKind { identifier, number, punctuation, pass_through, end };

struct Token {
    TokenKind kind = TokenKind::end;
    // text is a view into the text given to tokenize (identifier or
    // punctuation; a number as written; a `%` line without the `%`): valid
    // while that text is. Views keep a token small and allocation-free.
    std::string_view text;
    SourceLocation location;
    std::string str() const { return std::string(text); }
};

// ParseError is what the lexer and parser report: where, and what is wrong.
struct ParseError {
    SourceLocation location;
    std::string message;
    // to_string gives "file:line:col: message", the form compilers use.
    std::string to_string() const;
};

// tokenize splits text into tokens ending with one TokenKind::end token;
// the tokens' text views into text, which must outlive them.
// On a character that cannot start a token, or an unterminated comment, it
// returns the error instead.
struct TokenizeResult {
    std::vector<Token> tokens;
    std::vector<ParseError> errors;  // empty on success; at most one entry
};
TokenizeResult tokenize(std::string_view text, const std::string& file_name);

}  // namespace qemud::xdr
