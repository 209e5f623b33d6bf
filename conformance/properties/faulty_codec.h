// SPDX-License-Identifier: Apache-2.0
// faulty_codec.h: deliberately broken implementations, for proving that the
// properties catch real faults (faulty_codec_test.cpp). Test code only:
// they are never in the registry (STYLE.md: faults live in test code).
//
// Each wraps a correct codec and breaks one thing:
//  * zero_extend_chars: encodes char elements >= 0x80 zero-extended
//    (00 00 00 E9), as an unsigned-char platform would;
//  * swap_hyper_words: writes and reads the two words of every uint64_t /
//    int64_t low word first;
//  * strict_but_lenient: claims strict() but decodes like libtirpc,
//    accepting non-canonical char / unsigned char words.
#pragma once

#include <memory>

#include "codecs/codec.h"

namespace qemud::properties {

std::unique_ptr<Codec> make_zero_extend_chars_codec(const Codec& inner);
std::unique_ptr<Codec> make_swap_hyper_words_codec(const Codec& inner);
std::unique_ptr<Codec> make_strict_but_lenient_codec(const Codec& lenient_inner);

}  // namespace qemud::properties
