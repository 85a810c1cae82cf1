// Entries and their fields: names for messages, masking of keys.
#include "eligo/blacklist.hpp"
#include "eligo/identity.hpp"
#include "blacklist/key.hpp"

namespace eligo::blacklist {

const char* to_string(KeyKind kind) {
  switch (kind) {
    case KeyKind::id_number: return "id_number";
    case KeyKind::hmac_sha256: return "hmac_sha256";
  }
  return "?";
}

const char* to_string(Field field) {
  switch (field) {
    case Field::row: return "row";
    case Field::key: return "id_number";
    case Field::scopes: return "scopes";
    case Field::reason_code: return "reason_code";
    case Field::reason_text: return "reason_text";
    case Field::source: return "source";
    case Field::listed_on: return "listed_on";
    case Field::from: return "from";
    case Field::until: return "until";
  }
  return "?";
}

std::string masked_key(std::string_view key) {
  detail::Digest digest;
  if (detail::parse_hex_key(key, &digest)) return detail::to_hex(digest.data(), 6) + "…";
  return identity::mask(identity::PiiKind::id_number, key);
}

std::string format(const RowError& error) {
  return "row " + std::to_string(error.row) + ", " + to_string(error.field) + ": " + error.why;
}

}  // namespace eligo::blacklist
