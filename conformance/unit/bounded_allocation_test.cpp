// SPDX-License-Identifier: Apache-2.0
// bounded_allocation_test.cpp: a header claiming a 4 GiB payload is
// rejected by every implementation without a large allocation. It links
// largest_allocation.cpp to record the largest request.
#define BOOST_TEST_MODULE bounded_allocation
#include <boost/test/unit_test.hpp>

#include "codecs/registry.h"
#include "framing/framing.h"
#include "stream/stream_decoder.h"
#include "largest_allocation.h"
#include "wire_edit.h"

using namespace qemud;

BOOST_AUTO_TEST_CASE(four_gib_length_fails_cleanly_without_allocating_it) {
    for (const Framing f : all_framings) {
        const FramingProfile& p = framing_profile(f);
        Bytes header(p.header_size());
        p.write({p.constant(), 0xFFFFFFFF}, header.data());
        for (const Codec* codec : all_codecs()) {
            for (const Direction d : all_directions) {
                largest_allocation = 0;
                const auto out = codec->decode(message_kind(d), header, f);
                const std::size_t largest = largest_allocation.load();
                BOOST_TEST_CONTEXT(codec->name() << " " << to_string(f) << " " << to_string(d)) {
                    BOOST_TEST_REQUIRE(out.failed());
                    BOOST_TEST(out.error().flag == "length_too_large");
                    // Nothing near the claimed size; error text and the like only.
                    BOOST_TEST(largest < std::size_t{64 * 1024}, "largest allocation " << largest);
                }
            }
        }
        largest_allocation = 0;
        StreamDecoder decoder(Direction::server, f);  // allocates its one-message buffer here
        const std::size_t buffer = largest_allocation.load();
        BOOST_TEST(buffer <= std::size_t{8 + 20016});
        largest_allocation = 0;
        BOOST_TEST(decoder.feed(header, [](const StreamDecoder::Frame&) {}).has_value());
        BOOST_TEST(largest_allocation.load() < std::size_t{64 * 1024});
    }
}
