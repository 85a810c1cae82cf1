// Entries and their fields: names for messages, masking of keys.
#include "eligo/blacklist.hpp"

#include <nlohmann/json.hpp>
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

std::string entry_json(const Entry& e) {
  nlohmann::ordered_json x;
  x["key"] = masked_key(e.key);
  x["scopes"] = e.scopes;
  x["reason_code"] = e.reason_code;
  x["reason_text"] = e.reason_text;
  x["source"] = e.source;
  x["listed_on"] = e.listed_on.to_string();
  x["from"] = e.effective_from().to_string();
  x["until"] = e.until ? nlohmann::ordered_json(e.until->to_string()) : nlohmann::ordered_json(nullptr);
  return x.dump();
}

}  // namespace eligo::blacklist
