// The dashboard's payout view (src/dashboard/payout_view.cpp) on a small reconciliation built in memory:
// exact figures, the community ranking and its ties, masking, and the anomaly limit that is said, not silent.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "dashboard/page.hpp"
#include "dashboard/payout_view.hpp"
#include "payout/payout_test_util.hpp"

using eligo::Date;
using eligo::Decimal;
namespace payout = eligo::payout;
namespace dashboard = eligo::dashboard;

namespace {

struct Fixture {
  std::vector<std::string> ids;
  payout::Report report;

  Fixture(std::string policy = "major-illness") {
    payout::Reconciliation rec;
    // order, community, amount, paid?
    const std::vector<std::tuple<std::string, std::string, std::string, bool>> orders = {
        {"PO1", "C0", "5000.00", true},   // paid
        {"PO2", "C1", "3000.00", false},  // missing
        {"PO3", "C2", "4000.00", false},  // missing: C2 has the most anomalous money
        {"PO4", "C3", "3000.00", false},  // missing: ties C1 on count and money → by code
    };
    for (std::size_t i = 0; i < orders.size(); ++i) ids.push_back(payout_test::id_number(static_cast<int>(i) + 1));
    for (std::size_t i = 0; i < orders.size(); ++i) {
      payout::Order o;
      o.order_no = std::get<0>(orders[i]);
      o.policy = policy;
      o.period = "2024-03";
      o.payee_id = ids[i];
      o.payee_name = "段正淳";
      o.account = "6214832018989180";
      o.amount = *Decimal::parse(std::get<2>(orders[i]));
      o.created = *Date::parse("2024-03-01");
      o.community = std::get<1>(orders[i]);
      REQUIRE(rec.add_order(o));
      if (!std::get<3>(orders[i])) continue;
      payout::BankRecord r;
      r.serial_no = "B1";
      r.order_no = o.order_no;
      r.account = o.account;
      r.name = "段正淳";
      r.amount = o.amount;
      r.value_date = *Date::parse("2024-03-05");
      REQUIRE(rec.add_record(r));
    }
    payout::BankRecord orphan;
    orphan.serial_no = "B9";
    orphan.order_no = "PO-UNKNOWN";
    orphan.amount = *Decimal::parse("100.50");
    orphan.value_date = *Date::parse("2024-03-06");
    REQUIRE(rec.add_record(orphan));
    report = rec.run();
  }
};

nlohmann::ordered_json view_of(const payout::Report& report, std::size_t limit = 20000) {
  nlohmann::ordered_json view;
  std::string error;
  dashboard::PayoutViewOptions options;
  options.source = "test";
  options.anomaly_limit = limit;
  REQUIRE(dashboard::payout_view(report, options, &view, &error));
  return view;
}

}  // namespace

TEST_CASE("the payout view gives exact figures per class and per policy and period", "[dashboard]") {
  Fixture f;
  const auto v = view_of(f.report);
  CHECK(v["format"] == "eligo.dashboard.payouts/1");
  CHECK(v["pii"] == "masked");
  const auto& o = v["totals"]["orders"];
  CHECK(o["count"] == 4);
  CHECK(o["amount"] == "15000.00");
  CHECK(o["paid"] == "5000.00");
  CHECK(o["anomalies"] == 3);
  CHECK(o["anomaly_amount"] == "10000.00");
  CHECK(o["by_class"]["paid"] == nlohmann::ordered_json{{"count", 1}, {"amount", "5000.00"}});
  CHECK(o["by_class"]["missing"] == nlohmann::ordered_json{{"count", 3}, {"amount", "10000.00"}});
  CHECK(o["by_class"]["failed"] == nlohmann::ordered_json{{"count", 0}, {"amount", "0"}});
  CHECK(v["totals"]["records"]["by_class"]["orphan_record"] == nlohmann::ordered_json{{"count", 1}, {"amount", "100.50"}});
  REQUIRE(v["by_policy_period"].size() == 1);
  CHECK(v["by_policy_period"][0]["policy"] == "major-illness");
  CHECK(v["by_policy_period"][0]["period"] == "2024-03");
  CHECK(v["by_policy_period"][0]["count"] == 4);
}

TEST_CASE("communities rank by anomalies then their money then their code", "[dashboard]") {
  Fixture f;
  const auto v = view_of(f.report);
  std::vector<std::string> order;
  for (const auto& c : v["by_community"]) order.push_back(c["community"]);
  CHECK(order == std::vector<std::string>{"C2", "C1", "C3", "C0"});
  CHECK(v["by_community"][0]["anomaly_amount"] == "4000.00");
  CHECK(v["by_community"][3]["anomalies"] == 0);
}

TEST_CASE("anomaly rows carry masked payees and the limit says how many were left out", "[dashboard]") {
  Fixture f;
  const auto v = view_of(f.report);
  CHECK(v["anomalies"]["total"] == 4);
  CHECK(v["anomalies"]["shown"] == 4);
  const auto& first = v["anomalies"]["rows"][0];
  CHECK(first["no"] == "PO2");
  CHECK(first["class"] == "missing");
  CHECK(first["payee"] == f.ids[1].substr(0, 6) + "********" + f.ids[1].substr(14));
  CHECK(first["name"] == "段**");
  CHECK(v["anomalies"]["rows"][3]["side"] == "bank");
  CHECK(v["anomalies"]["rows"][3]["no"] == "B9");
  const std::string text = v.dump();
  for (const auto& id : f.ids) CHECK(text.find(id) == std::string::npos);
  CHECK(text.find("段正淳") == std::string::npos);

  const auto cut = view_of(f.report, 2);
  CHECK(cut["anomalies"]["total"] == 4);
  CHECK(cut["anomalies"]["shown"] == 2);
  CHECK(cut["anomalies"]["rows"].size() == 2);
}

TEST_CASE("the offline page inlines the data so that no text can close its script element", "[dashboard]") {
  Fixture f("a</script><script>alert(1)</script>");
  const auto v = view_of(f.report);
  dashboard::Echarts echarts;
  echarts.js = "window.echarts = {version: 'stand-in'};";
  const std::string page = dashboard::offline_page(v, echarts);
  CHECK(page.find("alert(1)</script>") == std::string::npos);
  const std::string open = "<script type=\"application/json\" id=\"eligo-payouts\">";
  const std::size_t from = page.find(open) + open.size();
  const std::size_t to = page.find("</script>", from);
  REQUIRE(to != std::string::npos);
  CHECK(nlohmann::ordered_json::parse(page.substr(from, to - from)) == v);
  CHECK(page.find("<!--ELIGO:SCRIPTS-->") == std::string::npos);
}
