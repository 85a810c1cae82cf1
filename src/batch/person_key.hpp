// The person a row is about, as one 64-bit number, for finding the same person twice in a run without
// keeping the IDs: a valid 18-character ID (after 15→18, full-width and lower-case x are normalised) is its
// first 17 digits, exactly (the 18th is their check character); anything else is a 63-bit FNV-1a hash of
// its normalised text with the top bit set. 0 means "no key".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace eligo::batch::detail {

inline constexpr std::uint64_t kHashedKey = 1ull << 63;

std::uint64_t person_key(std::string_view id_text);
// The canonical 18-character ID behind an exact key (top bit clear); "" for a hashed key.
std::string person_id(std::uint64_t key);
// The canonical ID of a text: the 18-character form when valid, else the normalised text.
std::string canonical_id(std::string_view id_text);

}  // namespace eligo::batch::detail
