// path.h: the field path a walker is at ("data.domainCreateReply.name[17]"),
// kept as a stack of segments and rendered only when an error needs it, so
// a successful walk builds no strings.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace qemud::dynamic {

class Path {
public:
    void push(const std::string& member) { segments_.push_back({&member, 0}); }
    void push(std::size_t index) { segments_.push_back({nullptr, index}); }
    void pop() { segments_.pop_back(); }

    // str joins members with '.' and writes indexes in brackets.
    std::string str() const {
        std::string out;
        for (const auto& s : segments_) {
            if (!s.member) {
                out += '[' + std::to_string(s.index) + ']';
                continue;
            }
            if (!out.empty()) out += '.';
            out += *s.member;
        }
        return out;
    }

private:
    struct Segment {
        const std::string* member;  // nullptr: an array index
        std::size_t index;
    };
    std::vector<Segment> segments_;
};

// PathScope pushes a segment for the lifetime of a scope.
class PathScope {
public:
    template <class Segment>
    PathScope(Path& path, const Segment& segment) : path_(path) {
        path_.push(segment);
    }
    ~PathScope() { path_.pop(); }
    PathScope(const PathScope&) = delete;
    PathScope& operator=(const PathScope&) = delete;

private:
    Path& path_;
};

}  // namespace qemud::dynamic
