// Payout reconciliation from files: one call over payout::reconcile_files.
#include <nlohmann/json.hpp>

#include "core/json_dump.hpp"
#include "capi/handles.hpp"
#include "eligo/payout.hpp"

using eligo::capi::copy_out;
using eligo::capi::guard;
namespace payout = eligo::payout;

extern "C" {

ELIGO_API eligo_status eligo_reconcile(const char* request_json, char** out_result_json) {
  if (out_result_json) *out_result_json = nullptr;
  if (!request_json || !out_result_json) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    nlohmann::ordered_json result;
    auto fail = [&](const std::string& why) {
      result["error"] = why;
      *out_result_json = copy_out(eligo::json_dump(result));
      return ELIGO_ERROR_INVALID_ARGUMENT;
    };
    const nlohmann::json req = nlohmann::json::parse(request_json, nullptr, false);
    if (!req.is_object()) return fail("the request is not a JSON object");
    payout::FilesRequest r;
    try {
      r.orders = req.value("orders", "");
      r.bank = req.value("bank", "");
      r.out_dir = req.value("out", "");
      r.registry = req.value("registry", "");
      r.exclusions = req.value("exclude", "");
      if (req.contains("mapping")) {
        std::string error;
        if (!payout::parse_mapping(req["mapping"].dump(), &r.mapping, &error)) return fail("mapping: " + error);
      }
      if (req.contains("cutoff")) {
        r.options.cutoff = eligo::Date::parse(req["cutoff"].get<std::string>());
        if (!r.options.cutoff) return fail("cutoff must be YYYY-MM-DD");
      }
      r.options.fallback_window_days = req.value("window", r.options.fallback_window_days);
      r.options.fallback = req.value("fallback", true);
      r.options.clear_pii = req.value("clear_pii", false);
      r.write.workbook = req.value("workbook", true);
    } catch (const nlohmann::json::exception& e) {
      return fail(std::string("malformed request: ") + e.what());
    }
    payout::FilesResult out;
    std::string error;
    if (!payout::reconcile_files(r, &out, &error)) return fail(error);
    result["rows"] = {{"orders", out.orders.rows}, {"bank", out.bank.rows}, {"registry", out.registry.rows},
                      {"exclusions", out.exclusions.rows}};
    result["summary"] = nlohmann::ordered_json::parse(out.summary_json, nullptr, false);
    *out_result_json = copy_out(eligo::json_dump(result));
    return ELIGO_OK;
  });
}

}  // extern "C"
