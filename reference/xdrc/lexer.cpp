// SPDX-License-Identifier: Apache-2.0
#include "lexer.h"

#include <cctype>

namespace qemud::xdr {

std::string ParseError::to_string() const {
    return std::string(location.file) + ":" + std::to_string(location.line) + ":" +
           std::to_string(location.column) + ": " + message;
}

namespace {

class Lexer {
public:
    Lexer(std::string_view text, const std::string& file) : text_(text), file_(intern_file_name(file)) {}

    TokenizeResult run() {
        TokenizeResult result;
        // At most about one token per 3 bytes (`a;` is two): growing by doubling
        // would copy every token of a large file several times.
        result.tokens.reserve(text_.size() / 3 + 16);
        advise_huge_pages(result.tokens.data(), result.tokens.capacity() * sizeof(Token));
        while (true) {
            if (!skip_space_and_comments(result)) return result;
            if (at_end()) break;
            const SourceLocation where = here();
            const char c = peek();
            if (c == '%' && at_line_start_) {
                // rpcgen copies the rest of the line into its C output.
                advance();
                const std::size_t start = pos_;
                while (!at_end() && peek() != '\n') advance();
                result.tokens.push_back({TokenKind::pass_through, text_.substr(start, pos_ - start), where});
            } else if (c == '#') {
                result.errors.push_back(
                    {where, "preprocessor directives are not supported here; use `const` or a `%` line"});
                return result;
            } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
                const std::size_t start = pos_;
                while (!at_end() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_')) advance();
                result.tokens.push_back({TokenKind::identifier, text_.substr(start, pos_ - start), where});
            } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                       (c == '-' && std::isdigit(static_cast<unsigned char>(peek(1))))) {
                const std::size_t start = pos_;
                if (c == '-') advance();
                while (!at_end() && std::isalnum(static_cast<unsigned char>(peek()))) advance();
                result.tokens.push_back({TokenKind::number, text_.substr(start, pos_ - start), where});
            } else if (std::string_view("{}()[]<>;,=:*").find(c) != std::string_view::npos) {
                result.tokens.push_back({TokenKind::punctuation, text_.substr(pos_, 1), where});
                advance();
            } else {
                std::string shown = std::isprint(static_cast<unsigned char>(c))
                                        ? std::string("'") + c + "'"
                                        : "byte " + std::to_string(static_cast<unsigned char>(c));
                result.errors.push_back({where, "unexpected character " + shown});
                return result;
            }
            at_line_start_ = false;
        }
        result.tokens.push_back({TokenKind::end, std::string_view(), here()});
        return result;
    }

private:
    bool at_end() const { return pos_ >= text_.size(); }
    char peek(std::size_t ahead = 0) const {
        return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
    }
    char advance() {
        const char c = text_[pos_++];
        if (c == '\n') {
            ++line_;
            column_ = 1;
            at_line_start_ = true;
        } else {
            ++column_;
        }
        return c;
    }
    SourceLocation here() const { return {file_, line_, column_}; }

    // skip_space_and_comments returns false (with an error) on an
    // unterminated comment.
    bool skip_space_and_comments(TokenizeResult& result) {
        while (!at_end()) {
            const char c = peek();
            if (c == '\n') {
                advance();
            } else if (std::isspace(static_cast<unsigned char>(c))) {
                advance();  // leading blanks keep at_line_start_: "  %#include" is still a % line
            } else if (c == '/' && peek(1) == '*') {
                const SourceLocation start = here();
                advance();
                advance();
                while (!at_end() && !(peek() == '*' && peek(1) == '/')) advance();
                if (at_end()) {
                    result.errors.push_back({start, "unterminated comment"});
                    return false;
                }
                advance();
                advance();
            } else if (c == '/' && peek(1) == '/') {
                while (!at_end() && peek() != '\n') advance();
            } else {
                return true;
            }
        }
        return true;
    }

    std::string_view text_;
    std::string_view file_;  // interned
    std::size_t pos_ = 0;
    int line_ = 1;
    int column_ = 1;
    bool at_line_start_ = true;
};

}  // namespace

TokenizeResult tokenize(std::string_view text, const std::string& file_name) {
    return Lexer(text, file_name).run();
}

}  // namespace qemud::xdr
