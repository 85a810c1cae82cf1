// Mapping: the column-mapping JSON (docs/payout.md, "Column mapping").
#include <unicode/ucnv.h>

#include <nlohmann/json.hpp>

#include "eligo/payout.hpp"

namespace eligo::payout {
namespace {

const std::vector<std::string>& fields_of(std::string_view side) {
  static const std::vector<std::string> kOrders = {"order_no", "policy",  "period", "payee_id", "payee_name",
                                                   "account",  "amount",  "created", "community"};
  static const std::vector<std::string> kBank = {"serial_no", "order_no", "payee_id", "payee_id_hash", "account",
                                                 "name",      "amount",   "status",   "value_date",    "failure_reason"};
  static const std::vector<std::string> kRegistry = {"payee_id", "community"};
  static const std::vector<std::string> kExclusions = {"payee_id", "from", "policy", "reason"};
  if (side == "orders") return kOrders;
  if (side == "bank") return kBank;
  if (side == "registry") return kRegistry;
  return kExclusions;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool parse_side(const nlohmann::json& j, const std::string& side, SourceMapping* m, std::string* table,
                std::string* error) {
  if (!j.is_object()) {
    *error = side + ": must be an object";
    return false;
  }
  for (const auto& [key, value] : j.items()) {
    const std::string where = side + "." + key;
    if (key == "format") {
      if (!value.is_string() || (value != "auto" && value != "csv" && value != "jsonl")) {
        *error = where + ": must be \"auto\", \"csv\" or \"jsonl\"";
        return false;
      }
      m->format = value.get<std::string>();
    } else if (key == "encoding") {
      if (!value.is_string()) {
        *error = where + ": must be a string such as \"utf-8\" or \"gb18030\"";
        return false;
      }
      UErrorCode status = U_ZERO_ERROR;
      UConverter* c = ucnv_open(value.get<std::string>().c_str(), &status);
      if (U_FAILURE(status)) {
        *error = where + ": unknown encoding \"" + value.get<std::string>() + "\"";
        return false;
      }
      ucnv_close(c);
      m->encoding = value.get<std::string>();
    } else if (key == "delimiter") {
      if (!value.is_string() || value.get<std::string>().size() != 1 || value == "\"" || value == "\n" ||
          value == "\r") {
        *error = where + ": must be one character (\",\", \";\", \"|\", \"\\t\")";
        return false;
      }
      m->delimiter = value.get<std::string>()[0];
    } else if (key == "columns") {
      if (!value.is_object()) {
        *error = where + ": must be an object {\"field\": \"column name\"}";
        return false;
      }
      const std::vector<std::string>& fields = fields_of(side);
      for (const auto& [field, column] : value.items()) {
        if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
          *error = where + "." + field + ": unknown field; " + side + " has " + join(fields);
          return false;
        }
        if (!column.is_string() || column.get<std::string>().empty()) {
          *error = where + "." + field + ": must be a non-empty column name";
          return false;
        }
        m->columns.emplace_back(field, column.get<std::string>());
      }
    } else if (key == "status_values" && side == "bank") {
      if (!value.is_object()) {
        *error = where + ": must be an object {\"bank text\": \"success|failed|returned\"}";
        return false;
      }
      for (const auto& [text, status] : value.items()) {
        Status s;
        if (status == "success") {
          s = Status::success;
        } else if (status == "failed") {
          s = Status::failed;
        } else if (status == "returned") {
          s = Status::returned;
        } else {
          *error = where + "." + text + ": must be \"success\", \"failed\" or \"returned\"";
          return false;
        }
        m->status_values.emplace_back(text, s);
      }
    } else if (key == "table" && side == "registry") {
      if (!value.is_string() || value.get<std::string>().empty()) {
        *error = where + ": must be a table name";
        return false;
      }
      *table = value.get<std::string>();
    } else {
      *error = where + ": unknown key";
      return false;
    }
  }
  return true;
}

}  // namespace

std::string SourceMapping::column(std::string_view field) const {
  for (const auto& [f, c] : columns)
    if (f == field) return c;
  return std::string(field);
}

Mapping default_mapping() {
  Mapping m;
  for (SourceMapping* s : {&m.orders, &m.bank, &m.registry, &m.exclusions}) {
    s->format = "auto";
    s->encoding = "utf-8";
  }
  return m;
}

bool parse_mapping(std::string_view json, Mapping* out, std::string* error) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded()) {
    *error = "the mapping is not valid JSON";
    return false;
  }
  if (!j.is_object()) {
    *error = "the mapping must be a JSON object with \"orders\", \"bank\", \"registry\", \"exclusions\"";
    return false;
  }
  Mapping m = *out;
  for (const auto& [key, value] : j.items()) {
    SourceMapping* side = key == "orders"       ? &m.orders
                          : key == "bank"       ? &m.bank
                          : key == "registry"   ? &m.registry
                          : key == "exclusions" ? &m.exclusions
                                                : nullptr;
    if (key == "$comment" || key == "comment") continue;
    if (!side) {
      *error = key + ": unknown key (expected orders, bank, registry, exclusions)";
      return false;
    }
    if (!parse_side(value, key, side, &m.registry_table, error)) return false;
  }
  *out = std::move(m);
  return true;
}

}  // namespace eligo::payout
