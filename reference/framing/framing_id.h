// SPDX-License-Identifier: Apache-2.0
// framing_id.h: the names of the framing profiles, the header layouts a
// message can be framed with (framing.h has what each one means). Kept
// apart so that the Codec interface can name a profile without depending
// on the profiles' definitions.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace qemud {

// Framing names one framing profile. `seed` is the default everywhere.
enum class Framing {
    seed,         // magic 0x20001A64, then the payload length
    libvirt_0_3,  // the total length (header included), then the program number 0x20001A64
};
inline constexpr std::array<Framing, 2> all_framings{Framing::seed, Framing::libvirt_0_3};

// to_string gives the profile's name as users write it: "seed", "libvirt-0.3".
std::string_view to_string(Framing framing);
std::optional<Framing> framing_from_string(std::string_view name);

}  // namespace qemud
