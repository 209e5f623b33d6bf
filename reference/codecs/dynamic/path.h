// SPDX-License-Identifier: Apache-2.0
// path.h: the field path a walker is at ("data.domainCreateReply.name[17]"),
// kept as a chain of PathScope objects on the walker's own call stack and
// rendered only when an error needs it, so a successful walk builds no
// strings and allocates nothing.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace qemud::dynamic {

class PathScope;

class Path {
public:
    // str joins members with '.' and writes indexes in brackets.
    std::string str() const;

private:
    friend class PathScope;
    const PathScope* innermost_ = nullptr;
};

// PathScope pushes a segment (a member name or an array index) for the
// lifetime of a scope. Scopes nest strictly, so each one only needs to
// remember the scope it hides.
class PathScope {
public:
    PathScope(Path& path, const std::string& member) : path_(path), outer_(path.innermost_), member_(&member) {
        path_.innermost_ = this;
    }
    PathScope(Path& path, std::size_t index) : path_(path), outer_(path.innermost_), index_(index) {
        path_.innermost_ = this;
    }
    ~PathScope() { path_.innermost_ = outer_; }
    PathScope(const PathScope&) = delete;
    PathScope& operator=(const PathScope&) = delete;

private:
    friend class Path;
    Path& path_;
    const PathScope* outer_;
    const std::string* member_ = nullptr;  // nullptr: an array index
    std::size_t index_ = 0;
};

inline std::string Path::str() const {
    std::vector<const PathScope*> segments;  // outermost first
    for (const PathScope* s = innermost_; s; s = s->outer_) segments.insert(segments.begin(), s);
    std::string out;
    for (const PathScope* s : segments) {
        if (!s->member_) {
            out += '[' + std::to_string(s->index_) + ']';
            continue;
        }
        if (!out.empty()) out += '.';
        out += *s->member_;
    }
    return out;
}

}  // namespace qemud::dynamic
