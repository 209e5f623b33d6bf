// SPDX-License-Identifier: Apache-2.0
// wire_io.h: the dynamic codec's own byte reader and writer: big-endian
// 4-byte words, 8-byte hypers, and byte runs padded to a multiple of 4.
//
// Deliberately separate from reference/runtime/ (the cxx codec's), so the
// two implementations share no wire code and a bug in one shows up as a
// disagreement with the other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "codecs/codec.h"

namespace qemud::dynamic {

// padded rounds a byte count up to the next multiple of 4 (XDR's unit).
constexpr std::uint64_t padded(std::uint64_t n) { return (n + 3) / 4 * 4; }

class WireWriter {
public:
    explicit WireWriter(std::size_t expected_size) { out_.reserve(expected_size); }

    void word(std::uint32_t v) {
        const std::uint8_t b[4] = {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                                   static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
        out_.insert(out_.end(), b, b + 4);
    }
    void hyper(std::uint64_t v) {
        word(static_cast<std::uint32_t>(v >> 32));  // high word first
        word(static_cast<std::uint32_t>(v));
    }
    // bytes writes n bytes and zero padding up to a multiple of 4.
    void bytes(const void* data, std::size_t n) {
        const auto* p = static_cast<const std::uint8_t*>(data);
        out_.insert(out_.end(), p, p + n);
        out_.insert(out_.end(), padded(n) - n, std::uint8_t{0});
    }
    Bytes take() { return std::move(out_); }

private:
    Bytes out_;
};

// WireReader never reads past its input: every read says whether the
// bytes were there, and the caller reports truncation.
class WireReader {
public:
    explicit WireReader(ByteView in) : in_(in) {}

    std::size_t offset() const { return pos_; }
    std::size_t size() const { return in_.size(); }
    std::size_t remaining() const { return in_.size() - pos_; }

    bool word(std::uint32_t* v) {
        if (remaining() < 4) return false;
        const std::uint8_t* p = in_.data() + pos_;
        *v = static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
             static_cast<std::uint32_t>(p[2]) << 8 | static_cast<std::uint32_t>(p[3]);
        pos_ += 4;
        return true;
    }
    // peek_word reads the word at offset `at` without moving, if it is there.
    bool peek_word(std::size_t at, std::uint32_t* v) const {
        if (at > in_.size() || in_.size() - at < 4) return false;
        const std::uint8_t* p = in_.data() + at;
        *v = static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
             static_cast<std::uint32_t>(p[2]) << 8 | static_cast<std::uint32_t>(p[3]);
        return true;
    }
    // take returns the next n bytes and moves past them, or nullptr (and
    // does not move) if fewer remain.
    const std::uint8_t* take(std::size_t n) {
        if (remaining() < n) return nullptr;
        const std::uint8_t* p = in_.data() + pos_;
        pos_ += n;
        return p;
    }

private:
    ByteView in_;
    std::size_t pos_ = 0;
};

}  // namespace qemud::dynamic
