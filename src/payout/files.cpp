// reconcile_files: the one sequence from input files to a written report, shared by the CLI, the C API
// and Python.
#include <fstream>
#include <sstream>

#include "eligo/payout.hpp"

namespace eligo::payout {

bool reconcile_files(const FilesRequest& request, FilesResult* result, std::string* error) {
  if (request.orders.empty() || request.bank.empty() || request.out_dir.empty()) {
    *error = "orders, bank and the output folder are required";
    return false;
  }
  Reconciliation rec(request.options);
  if (!load_orders(request.orders, request.mapping.orders, rec, &result->orders, error, request.orders_progress) ||
      !load_records(request.bank, request.mapping.bank, rec, &result->bank, error, request.bank_progress) ||
      (!request.registry.empty() && !load_registry(request.registry, request.mapping, rec, &result->registry, error)) ||
      (!request.exclusions.empty() &&
       !load_exclusions(request.exclusions, request.mapping.exclusions, rec, &result->exclusions, error)))
    return false;
  {
    // The report is released before summary.json is read back, so the two never share the peak.
    const Report report = rec.run();
    if (!write_report(report, request.out_dir, request.write, error)) return false;
    if (request.on_report && !request.on_report(report, error)) return false;
    result->summary_text = summary_text(report);
  }
  std::ifstream f(request.out_dir + "/summary.json", std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  result->summary_json = ss.str();
  return true;
}

}  // namespace eligo::payout
