// Admission from C: eligo_rank over eligo::admission::rank_json.
#include <nlohmann/json.hpp>

#include "core/json_dump.hpp"
#include "capi/handles.hpp"
#include "eligo/admission.hpp"

using eligo::capi::copy_out;
using eligo::capi::guard;

extern "C" {

ELIGO_API eligo_status eligo_rank(const char* spec_json, const char* rows_json, char** out_result_json) {
  if (out_result_json) *out_result_json = nullptr;
  if (!spec_json || !rows_json || !out_result_json) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    std::string result, error;
    if (!eligo::admission::rank_json(spec_json, rows_json, &result, &error)) {
      *out_result_json = copy_out(eligo::json_dump(nlohmann::json{{"error", error}}));
      return ELIGO_ERROR_INVALID_ARGUMENT;
    }
    *out_result_json = copy_out(result);
    return ELIGO_OK;
  });
}

}  // extern "C"
