// Credit blacklists: load, check, attach to evaluation options.
#include <nlohmann/json.hpp>

#include <fstream>

#include "core/json_dump.hpp"
#include "capi/handles.hpp"

using eligo::capi::copy_out;
using eligo::capi::guard;
namespace bl = eligo::blacklist;


extern "C" {

ELIGO_API eligo_status eligo_blacklist_load_file(const char* path, const char* mapping_json,
                                                 eligo_blacklist** out_blacklist, char** out_report_json) {
  if (out_blacklist) *out_blacklist = nullptr;
  if (out_report_json) *out_report_json = nullptr;
  if (!path || !out_blacklist) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    bl::LoadOptions options;
    nlohmann::ordered_json report;
    if (mapping_json) {
      std::string error;
      auto mapping = bl::Mapping::from_json(mapping_json, &error);
      if (!mapping) {
        report["error"] = "mapping: " + error;
        if (out_report_json) *out_report_json = copy_out(eligo::json_dump(report));
        return ELIGO_ERROR_INVALID_ARGUMENT;
      }
      options.mapping = *mapping;
    }
    bl::Builder builder;
    const bl::LoadReport r = bl::load_file(path, builder, options);
    std::shared_ptr<const bl::Snapshot> snapshot = r.ok() ? builder.build() : nullptr;
    report["rows"] = r.rows;
    report["accepted"] = r.accepted;
    report["rejected"] = r.rejected;
    report["entries"] = snapshot ? snapshot->size() : 0;  // accepted rows after duplicates are merged
    nlohmann::ordered_json errors = nlohmann::ordered_json::array();
    for (const auto& e : r.errors) errors.push_back(bl::format(e));
    report["errors"] = errors;
    report["error"] = r.error;
    if (out_report_json) *out_report_json = copy_out(eligo::json_dump(report));
    if (!snapshot) return ELIGO_ERROR_INVALID_ARGUMENT;
    *out_blacklist = new eligo_blacklist{std::move(snapshot)};
    return ELIGO_OK;
  });
}

ELIGO_API eligo_status eligo_blacklist_open_db(const char* db_path, const char* hash_key,
                                               eligo_blacklist** out_blacklist, char** out_error) {
  if (out_blacklist) *out_blacklist = nullptr;
  if (out_error) *out_error = nullptr;
  if (!db_path || !out_blacklist) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    std::string error;
    if (!std::ifstream(db_path)) {  // Store::open would create an empty store: a misspelt path lists no one
      if (out_error) *out_error = copy_out(std::string(db_path) + ": no such store");
      return ELIGO_ERROR_INVALID_ARGUMENT;
    }
    auto store = bl::Store::open(db_path, &error);
    std::shared_ptr<const bl::Snapshot> snapshot;
    if (store) snapshot = store->snapshot(hash_key ? std::optional<std::string>(hash_key) : std::nullopt, &error);
    if (!snapshot) {
      if (out_error) *out_error = copy_out(error);
      return ELIGO_ERROR_INVALID_ARGUMENT;
    }
    *out_blacklist = new eligo_blacklist{std::move(snapshot)};
    return ELIGO_OK;
  });
}

ELIGO_API eligo_status eligo_blacklist_check(const eligo_blacklist* b, const char* id_or_key, const char* scope,
                                             const char* as_of, char** out_json) {
  if (out_json) *out_json = nullptr;
  if (!b || !id_or_key || !scope || !out_json) return ELIGO_ERROR_INVALID_ARGUMENT;
  std::optional<eligo::Date> day = as_of ? eligo::Date::parse(as_of) : std::optional<eligo::Date>(eligo::today_cst());
  if (!day) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    const std::vector<bl::Entry> hits = b->snapshot->check(id_or_key, scope, *day);
    std::string j = std::string("{\"listed\":") + (hits.empty() ? "false" : "true") + ",\"entries\":[";
    for (std::size_t i = 0; i < hits.size(); ++i) j += (i ? "," : "") + bl::entry_json(hits[i]);
    j += "]}";
    *out_json = copy_out(j);
    return ELIGO_OK;
  });
}

ELIGO_API const char* eligo_blacklist_version(const eligo_blacklist* b) { return b ? b->snapshot->version().c_str() : ""; }
ELIGO_API const char* eligo_blacklist_hash(const eligo_blacklist* b) { return b ? b->snapshot->hash().c_str() : ""; }
ELIGO_API size_t eligo_blacklist_size(const eligo_blacklist* b) { return b ? b->snapshot->size() : 0; }
ELIGO_API void eligo_blacklist_destroy(eligo_blacklist* b) { delete b; }

ELIGO_API eligo_status eligo_options_set_blacklist(eligo_options* o, const eligo_blacklist* b) {
  if (!o) return ELIGO_ERROR_INVALID_ARGUMENT;
  o->options.blacklist = b ? b->snapshot.get() : nullptr;
  return ELIGO_OK;
}

}  // extern "C"
