// Identity entry points: ID check, masking, name matching.
#include <nlohmann/json.hpp>

#include "core/json_dump.hpp"
#include "capi/handles.hpp"
#include "eligo/identity.hpp"

using eligo::capi::copy_out;
using eligo::capi::guard;

extern "C" {

ELIGO_API eligo_status eligo_id_check(const char* text, const char* as_of, char** out_json) {
  if (out_json) *out_json = nullptr;
  if (!text || !out_json) return ELIGO_ERROR_INVALID_ARGUMENT;
  eligo::identity::IdOptions opt;
  if (as_of) {
    opt.as_of = eligo::Date::parse(as_of);
    if (!opt.as_of) return ELIGO_ERROR_INVALID_ARGUMENT;
  }
  return guard([&] {
    const eligo::identity::IdCheck c = eligo::identity::check_id(text, opt);
    nlohmann::ordered_json j;
    j["kind"] = eligo::identity::to_string(c.kind);
    j["valid"] = c.valid();
    j["problem"] = eligo::identity::to_string(c.problem);
    j["reason"] = eligo::identity::describe(c, "en");
    j["canonical"] = c.valid() ? std::string(c.canonical()) : std::string();
    j["birth_date"] = c.birth_date ? c.birth_date->to_string() : std::string();
    j["sex"] = eligo::identity::to_string(c.sex);
    j["region"] = c.region;
    j["region_name"] = eligo::identity::region_name(c.region);
    *out_json = copy_out(eligo::json_dump(j));
    return ELIGO_OK;
  });
}

ELIGO_API eligo_status eligo_mask(const char* kind, const char* text, char** out_masked) {
  if (out_masked) *out_masked = nullptr;
  if (!kind || !text || !out_masked) return ELIGO_ERROR_INVALID_ARGUMENT;
  using eligo::identity::PiiKind;
  PiiKind k;
  if (!std::strcmp(kind, "id_number")) k = PiiKind::id_number;
  else if (!std::strcmp(kind, "bank_card")) k = PiiKind::bank_card;
  else if (!std::strcmp(kind, "mobile")) k = PiiKind::mobile;
  else if (!std::strcmp(kind, "name")) k = PiiKind::name;
  else return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    *out_masked = copy_out(eligo::identity::mask(k, text));
    return ELIGO_OK;
  });
}

ELIGO_API eligo_status eligo_names_match(const char* a, const char* b, int* out_match) {
  if (out_match) *out_match = 0;
  if (!a || !b || !out_match) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    *out_match = eligo::identity::names_match(a, b) ? 1 : 0;
    return ELIGO_OK;
  });
}

}  // extern "C"
