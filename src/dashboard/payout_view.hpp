// The dashboard's view of a reconciliation: one writer of the payout JSON that both the offline report
// (`eligo reconcile --html`) and eligo-server's /v1/dashboard/payouts read (docs/dashboard.md, format
// "eligo.dashboard.payouts/1").
//
//   payout::Report report = rec.run();
//   nlohmann::ordered_json view;
//   std::string error;
//   dashboard::payout_view(report, {"2024-03 major-illness"}, &view, &error);
//   view["totals"]["orders"]["by_class"]["missing"]["amount"] == "15000.00"   // exact decimal text
//
// Payees are always masked here (identity::mask), whatever the report's clear_pii: the dashboard is for
// looking, the workbook is for working cases. Evidence texts are the report's own (masked unless the report
// was made with clear_pii, which the view records as "pii": "clear").
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "eligo/payout.hpp"

namespace eligo::dashboard {

struct PayoutViewOptions {
  std::string source;                  // what the report is called on the page (its folder or file name)
  std::size_t anomaly_limit = 20000;   // rows in the anomaly table; past it, the rest are counted (never
                                       // silently dropped: "anomalies.total" vs "anomalies.shown")
};

// Classes that need attention (异常): shown in the anomaly table and counted in the community ranking.
bool is_anomaly(payout::Class c);
// English label of a class for the page's English view ("Paid", "Missed payment", …).
const char* label_en(payout::Class c);

// Builds the view. false and *error only when a money sum overflows (37 digits).
bool payout_view(const payout::Report& report, const PayoutViewOptions& options, nlohmann::ordered_json* out,
                 std::string* error);
// Builds the view and writes it as `dir`/dashboard.json (atomically): what `eligo reconcile` and eligo-server's
// POST /v1/reconcile leave in a report folder. *view (may be null) receives it.
bool write_dashboard_json(const payout::Report& report, const std::string& dir, const PayoutViewOptions& options,
                          nlohmann::ordered_json* view, std::string* error);

}  // namespace eligo::dashboard
