// Keys of a blacklist: how an ID number becomes a 64-bit code (lossless), how codes are spread over the
// index (a bijective mix), and 64-hex HMAC keys as bytes.
//
// Every ID a list can hold (check_id valid, normalised) has one of two shapes, and both fit in 63 bits:
//   A: 18 characters, 17 digits and a check character 0-9/X   → d17 × 11 + c            (< 1.1e18)
//   B: 15 characters, 3 letters A-Z and 12 digits (old foreign permanent-residence form)
//                                                              → 1.1e18 + L × 10^12 + d12
// The code order equals the byte order of the key text, so sorting codes sorts keys.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "eligo/blacklist.hpp"

namespace eligo::blacklist::detail {

using Digest = std::array<std::uint8_t, 32>;

// Code of a normalised key of shape A or B; false for any other text.
bool encode_id(std::string_view normalized, std::uint64_t* code);
// The key text of a code made by encode_id.
std::string decode_id(std::uint64_t code);
// The same into out[18]; returns the length (18 or 15).
std::size_t decode_id(std::uint64_t code, char* out);

// The code a query names, normalised as on import (15 digits → 18, full-width, lower-case x, spaces).
// Allocation-free. false when the text is not of shape A or B after normalisation.
bool query_code(std::string_view text, std::uint64_t* code);

// For adding to a list: the input must be a valid ID (check_id with region check none and no date limit).
// On success *code is the code of the normalised key (encode_id); otherwise the problem (describe() and the
// masked input).
std::optional<Problem> canonical_id(std::string_view text, std::uint64_t* code);

// A bijection of 64-bit integers (the splitmix64 finaliser) and its inverse: spreads codes uniformly.
std::uint64_t mix(std::uint64_t x);
std::uint64_t unmix(std::uint64_t x);

// 64 hex characters (either case, surrounding ASCII spaces allowed) → 32 bytes.
bool parse_hex_key(std::string_view text, Digest* out);
std::string to_hex(const std::uint8_t* bytes, std::size_t size);
// The first 8 bytes, big-endian (so integer order is byte order).
std::uint64_t digest_prefix(const Digest& d);
std::uint32_t digest_confirm(const Digest& d);  // bytes 8..11, big-endian

std::string_view trim(std::string_view s);  // ASCII whitespace

}  // namespace eligo::blacklist::detail
