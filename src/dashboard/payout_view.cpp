// payout_view: a finished reconciliation as the dashboard's JSON (format eligo.dashboard.payouts/1).
#include "core/json_dump.hpp"
#include "dashboard/payout_view.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "dashboard/page.hpp"
#include "eligo/identity.hpp"

namespace eligo::dashboard {
namespace {

using payout::Class;
using Json = nlohmann::ordered_json;

constexpr Class kOrderClasses[] = {Class::paid,           Class::repaid,          Class::amount_mismatch,
                                   Class::payee_mismatch, Class::duplicate_payment, Class::payee_ineligible,
                                   Class::failed,         Class::missing};
constexpr Class kRecordClasses[] = {Class::paid,           Class::repaid,          Class::amount_mismatch,
                                    Class::payee_mismatch, Class::duplicate_payment, Class::payee_ineligible,
                                    Class::failed,         Class::orphan_record,   Class::after_cutoff};

// Orders and money of one group of orders, by class, plus the money that reached accounts.
struct Group {
  payout::ClassTally orders;
  Decimal paid;
  std::uint64_t anomalies = 0;
  Decimal anomaly_amount;
};

bool add_to(Decimal& sum, const Decimal& v, std::string* error) {
  Decimal t;
  if (!Decimal::add(sum, v, &t)) {
    *error = "a money sum exceeds 37 digits";
    return false;
  }
  sum = t;
  return true;
}

bool count_order(Group& g, Class c, const Decimal& amount, const Decimal& paid, std::string* error) {
  payout::Tally& t = g.orders[c];
  ++t.count;
  ++g.orders.total.count;
  if (!add_to(t.amount, amount, error) || !add_to(g.orders.total.amount, amount, error) ||
      !add_to(g.paid, paid, error))
    return false;
  if (is_anomaly(c)) {
    ++g.anomalies;
    if (!add_to(g.anomaly_amount, amount, error)) return false;
  }
  return true;
}

Json tally_json(const payout::Tally& t) { return Json{{"count", t.count}, {"amount", t.amount.to_string()}}; }

Json by_class_json(const payout::ClassTally& t, bool orders) {
  Json j = Json::object();
  if (orders) {
    for (Class c : kOrderClasses) j[payout::to_string(c)] = tally_json(t[c]);
  } else {
    for (Class c : kRecordClasses) j[payout::to_string(c)] = tally_json(t[c]);
  }
  return j;
}

Json group_json(const Group& g) {
  return Json{{"count", g.orders.total.count},
              {"amount", g.orders.total.amount.to_string()},
              {"paid", g.paid.to_string()},
              {"anomalies", g.anomalies},
              {"anomaly_amount", g.anomaly_amount.to_string()},
              {"by_class", by_class_json(g.orders, true)}};
}

}  // namespace

bool is_anomaly(Class c) {
  switch (c) {
    case Class::paid:
    case Class::repaid:
    case Class::after_cutoff:
      return false;
    default:
      return true;
  }
}

const char* label_en(Class c) {
  switch (c) {
    case Class::paid: return "Paid";
    case Class::repaid: return "Repaid after correction";
    case Class::amount_mismatch: return "Amount mismatch";
    case Class::payee_mismatch: return "Paid to the wrong payee";
    case Class::duplicate_payment: return "Duplicate payment";
    case Class::payee_ineligible: return "Ineligible payee";
    case Class::failed: return "Failed";
    case Class::missing: return "Missed payment";
    case Class::orphan_record: return "No matching order";
    case Class::after_cutoff: return "After the cut-off";
  }
  return "";
}

bool payout_view(const payout::Report& report, const PayoutViewOptions& options, Json* out, std::string* error) {
  using identity::PiiKind;
  const payout::Summary& summary = report.summary();
  Group all;
  // (policy, period) and community: found by the views the report holds (no string built per order), in
  // the same order as a map keyed by the pair would iterate.
  std::map<std::string, std::map<std::string, Group, std::less<>>, std::less<>> by_period;
  std::map<std::string, Group, std::less<>> by_community;
  const auto group_of = [](auto& map, std::string_view key) -> auto& {
    auto it = map.find(key);
    if (it == map.end()) it = map.emplace(std::string(key), typename std::decay_t<decltype(map)>::mapped_type{}).first;
    return it->second;
  };
  Json rows = Json::array();
  std::uint64_t anomalies = 0;
  // Only the rows shown are built (their evidence text too); the others are counted.
  const auto add_row = [&](const auto& make_row) {
    ++anomalies;
    if (rows.size() < options.anomaly_limit) rows.push_back(make_row());
  };

  for (std::size_t i = 0; i < report.order_count(); ++i) {
    const payout::OrderResult o = report.order(i);
    const Decimal& amount = o.order.amount;
    if (!count_order(all, o.cls, amount, o.paid, error) ||
        !count_order(group_of(group_of(by_period, o.order.policy), o.order.period), o.cls, amount, o.paid, error) ||
        !count_order(group_of(by_community, o.community), o.cls, amount, o.paid, error))
      return false;
    if (!is_anomaly(o.cls)) continue;
    add_row([&] {
      return Json{{"side", "orders"},
                  {"no", o.order.order_no},
                  {"class", payout::to_string(o.cls)},
                  {"policy", o.order.policy},
                  {"period", o.order.period},
                  {"community", o.community},
                  {"payee", identity::mask(PiiKind::id_number, o.payee_id)},
                  {"name", identity::mask(PiiKind::name, o.order.payee_name)},
                  {"amount", amount.to_string()},
                  {"paid", o.paid.to_string()},
                  {"evidence", report.order_evidence(i)}};
    });
  }
  for (std::size_t i = 0; i < report.record_count(); ++i) {
    if (report.record_class(i) != Class::orphan_record) continue;
    const payout::RecordResult r = report.record(i);
    add_row([&] {
      return Json{{"side", "bank"},
                  {"no", r.record.serial_no},
                  {"class", payout::to_string(r.cls)},
                  {"policy", ""},
                  {"period", ""},
                  {"community", ""},
                  {"payee", identity::mask(PiiKind::id_number, r.record.payee_id)},
                  {"name", identity::mask(PiiKind::name, r.record.name)},
                  {"amount", r.record.amount.to_string()},
                  {"paid", r.record.status == payout::Status::success ? r.record.amount.to_string() : "0"},
                  {"evidence", report.record_evidence(i)}};
    });
  }

  // The report's own totals and this view's must agree: one pass over the same orders.
  if (all.orders.total.count != summary.orders.total.count || all.orders.total.amount != summary.orders.total.amount) {
    *error = "the dashboard's order totals disagree with the report's summary";
    return false;
  }

  Json j;
  j["format"] = "eligo.dashboard.payouts/1";
  j["source"] = options.source;
  j["cutoff"] = report.options().cutoff ? Json(report.options().cutoff->to_string()) : Json();
  j["pii"] = report.options().clear_pii ? "clear" : "masked";
  Json classes = Json::array();
  for (int k = 0; k < payout::kClassCount; ++k) {
    const Class c = static_cast<Class>(k);
    const bool order_side = c != Class::orphan_record && c != Class::after_cutoff;
    classes.push_back(Json{{"id", payout::to_string(c)},
                           {"zh", payout::label_zh(c)},
                           {"en", label_en(c)},
                           {"side", order_side ? "orders" : "bank"},
                           {"anomaly", is_anomaly(c)}});
  }
  j["classes"] = std::move(classes);
  Json records{{"count", summary.records.total.count},
               {"amount", summary.records.total.amount.to_string()},
               {"by_class", by_class_json(summary.records, false)}};
  j["totals"] = Json{{"orders", group_json(all)}, {"records", std::move(records)}};
  Json periods = Json::array();
  for (const auto& [policy, periods_of] : by_period)
    for (const auto& [period, g] : periods_of) {
      Json p{{"policy", policy}, {"period", period}};
      p.update(group_json(g));
      periods.push_back(std::move(p));
    }
  j["by_policy_period"] = std::move(periods);
  // Ranked: most anomalies first, then the most money in them, then the community code.
  std::vector<std::pair<std::string, const Group*>> ranked;
  for (const auto& [community, g] : by_community) ranked.emplace_back(community, &g);
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.second->anomalies != b.second->anomalies) return a.second->anomalies > b.second->anomalies;
    const int money = Decimal::compare(a.second->anomaly_amount, b.second->anomaly_amount);
    if (money != 0) return money > 0;
    return a.first < b.first;
  });
  Json communities = Json::array();
  for (const auto& [community, g] : ranked) {
    Json c{{"community", community}};
    c.update(group_json(*g));
    communities.push_back(std::move(c));
  }
  j["by_community"] = std::move(communities);
  j["unclaimed"] = summary.unclaimed;
  Json rejected = Json::object();
  for (int s = 0; s < 4; ++s) rejected[payout::to_string(static_cast<payout::Side>(s))] = summary.rejected[s];
  j["rejected"] = std::move(rejected);
  const std::uint64_t shown = rows.size();
  j["anomalies"] = Json{{"total", anomalies}, {"shown", shown}, {"rows", std::move(rows)}};
  *out = std::move(j);
  return true;
}

bool write_dashboard_json(const payout::Report& report, const std::string& dir, const PayoutViewOptions& options,
                          Json* view, std::string* error) {
  Json local;
  Json& v = view ? *view : local;
  if (!payout_view(report, options, &v, error)) return false;
  return write_file_atomically(dir + "/dashboard.json",
                               eligo::json_dump(v, 1) + "\n", error);
}

}  // namespace eligo::dashboard
