// The identity module's shortcut for callers that check many resident ID numbers in a hot loop (the
// blacklist's Builder::add): one pass over the common case, no IdCheck built. The rules are check_id's own
// (resident_id.cpp: the same weights, check characters and calendar), so there is one definition of a valid
// number.
#pragma once

#include <string_view>

namespace eligo::identity::detail {

// True when `s` is exactly 18 ASCII characters making a valid resident ID number as check_id finds it with
// RegionCheck::none and an as_of at or after the birth date: 17 digits, a real birth date in digits 7-14
// (years 1000-9999), the right MOD 11-2 check character (x or X), and a first digit other than 9 and first
// two other than 81-83 (those may be other kinds of number). false says nothing: ask check_id, which gives
// the kind and the reason.
bool plain_resident_id(std::string_view s);

}  // namespace eligo::identity::detail
