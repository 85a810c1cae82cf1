// Mapping: which column holds which field, read from a mapping file (JSON).
#include <nlohmann/json.hpp>

#include "eligo/blacklist.hpp"

namespace eligo::blacklist {
namespace {

std::string* column_of(Mapping& m, const std::string& field) {
  if (field == "id_number") return &m.id_number;
  if (field == "key_hash") return &m.key_hash;
  if (field == "scopes") return &m.scopes;
  if (field == "reason_code") return &m.reason_code;
  if (field == "reason_text") return &m.reason_text;
  if (field == "source") return &m.source;
  if (field == "listed_on") return &m.listed_on;
  if (field == "from") return &m.from;
  if (field == "until") return &m.until;
  return nullptr;
}

constexpr const char* kFields = "id_number, key_hash, scopes, reason_code, reason_text, source, listed_on, from, until";

bool string_list(const nlohmann::json& value, const std::string& where, bool allow_empty_items,
                 std::vector<std::string>* out, std::string* error) {
  if (!value.is_array()) {
    *error = where + ": expected an array of strings";
    return false;
  }
  out->clear();
  for (const auto& item : value) {
    if (!item.is_string() || (!allow_empty_items && item.get_ref<const std::string&>().empty())) {
      *error = where + ": expected an array of " + (allow_empty_items ? "strings" : "non-empty strings");
      return false;
    }
    out->push_back(item.get<std::string>());
  }
  return true;
}

}  // namespace

std::optional<Mapping> Mapping::from_json(std::string_view text, std::string* error) {
  const nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) {
    *error = "mapping: not valid JSON";
    return std::nullopt;
  }
  if (!j.is_object()) {
    *error = "mapping: expected a JSON object";
    return std::nullopt;
  }
  Mapping m;
  for (const auto& [key, value] : j.items()) {
    if (key == "columns" || key == "defaults") {
      if (!value.is_object()) {
        *error = "mapping: /" + key + " must be an object of field: text";
        return std::nullopt;
      }
      for (const auto& [field, v] : value.items()) {
        std::string* column = column_of(m, field);
        if (column == nullptr || (key == "defaults" && (field == "id_number" || field == "key_hash"))) {
          *error = "mapping: /" + key + "/" + field + ": unknown field (known: " +
                   (key == "defaults" ? std::string(kFields).substr(21) : std::string(kFields)) + ")";
          return std::nullopt;
        }
        if (!v.is_string()) {
          *error = "mapping: /" + key + "/" + field + ": expected a string";
          return std::nullopt;
        }
        if (key == "columns") {
          *column = v.get<std::string>();
        } else {
          m.defaults[field] = v.get<std::string>();
        }
      }
    } else if (key == "scope_separators") {
      if (!string_list(value, "mapping: /scope_separators", false, &m.scope_separators, error)) return std::nullopt;
    } else if (key == "open_ended") {
      if (!string_list(value, "mapping: /open_ended", false, &m.open_ended, error)) return std::nullopt;
    } else if (key == "format") {
      if (!value.is_string() || (value != "csv" && value != "jsonl" && value != "")) {
        *error = "mapping: /format: expected \"csv\" or \"jsonl\"";
        return std::nullopt;
      }
      m.format = value.get<std::string>();
    } else {
      *error = "mapping: /" + key + ": unknown key (known: columns, defaults, scope_separators, open_ended, format)";
      return std::nullopt;
    }
  }
  return m;
}

}  // namespace eligo::blacklist
