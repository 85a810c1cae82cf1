// One scenario per class, the failed-then-repaid sequence, tie-breaks and auto-claim.
#include <catch2/catch.hpp>

#include "eligo/identity.hpp"
#include "eligo/payout.hpp"
#include "payout/classify.hpp"
#include "payout/payout_test_util.hpp"

using namespace eligo;
using namespace eligo::payout;
using payout_test::id_number;
using payout_test::OrderSpec;
using payout_test::RecordSpec;

namespace {

Order order_of(const OrderSpec& s) {
  Order o;
  o.order_no = s.order_no;
  o.policy = s.policy;
  o.period = s.period;
  o.payee_id = s.payee_id;
  o.payee_name = s.name;
  o.account = s.account;
  o.amount = *Decimal::parse(s.amount);
  o.created = *Date::parse(s.created);
  o.community = s.community;
  return o;
}

BankRecord record_of(const RecordSpec& s) {
  BankRecord r;
  r.serial_no = s.serial_no;
  r.order_no = s.order_no;
  r.payee_id = s.payee_id;
  r.account = s.account;
  r.name = s.name;
  r.amount = *Decimal::parse(s.amount);
  r.status = s.status;
  r.value_date = *Date::parse(s.value_date);
  r.failure_reason = s.reason;
  return r;
}

const std::string kId1 = id_number(1);
const std::string kId2 = id_number(2);
const std::string kId3 = id_number(3);

OrderSpec base_order(std::string no, std::string id = kId1) {
  OrderSpec s;
  s.order_no = std::move(no);
  s.payee_id = std::move(id);
  return s;
}

RecordSpec base_record(std::string serial, std::string order_no) {
  RecordSpec s;
  s.serial_no = std::move(serial);
  s.order_no = std::move(order_no);
  return s;
}

Report run(const std::vector<OrderSpec>& orders, const std::vector<RecordSpec>& records, Options options = {}) {
  Reconciliation rec(options);
  for (const auto& o : orders) REQUIRE(rec.add_order(order_of(o)));
  for (const auto& r : records) REQUIRE(rec.add_record(record_of(r)));
  return rec.run();
}

Class order_class(const Report& r, std::string_view no) { return r.order_class(*r.find_order(no)); }
Class record_class(const Report& r, std::string_view serial) { return r.record_class(*r.find_record(serial)); }

}  // namespace

TEST_CASE("one success of the right amount to the right payee is paid", "[payout]") {
  const Report r = run({base_order("PO1")}, {base_record("B1", "PO1")});
  CHECK(order_class(r, "PO1") == Class::paid);
  CHECK(record_class(r, "B1") == Class::paid);
  CHECK(r.order(0).matched_by == MatchedBy::order_no);
  CHECK(r.order(0).paid == *Decimal::parse("5000"));
  CHECK(r.order_evidence(0) == "paid by B1 on 2024-03-05 to 621483******9180");
  CHECK(r.record_evidence(0) == "pays order PO1");
}

TEST_CASE("a success of another amount is amount_mismatch with the difference", "[payout]") {
  RecordSpec b = base_record("B1", "PO1");
  b.amount = "5000.10";
  const Report r = run({base_order("PO1")}, {b});
  CHECK(order_class(r, "PO1") == Class::amount_mismatch);
  CHECK(record_class(r, "B1") == Class::amount_mismatch);
  CHECK(r.order_evidence(0) == "paid by B1 on 2024-03-05 to 621483******9180: 5000.10 instead of 5000.00 (+0.10)");
  CHECK(r.record_evidence(0) == "pays order PO1 5000.10 instead of 5000.00");
}

TEST_CASE("two successes for one order are a duplicate payment and the second record carries the over-payment",
          "[payout]") {
  RecordSpec b2 = base_record("B2", "PO1");
  b2.value_date = "2024-03-06";
  const Report r = run({base_order("PO1")}, {base_record("B1", "PO1"), b2});
  CHECK(order_class(r, "PO1") == Class::duplicate_payment);
  CHECK(record_class(r, "B1") == Class::paid);
  CHECK(record_class(r, "B2") == Class::duplicate_payment);
  CHECK(r.order_evidence(0) == "paid 2 times: B1 on 2024-03-05, B2 on 2024-03-06 (over-payment 5000.00)");
  CHECK(r.record_evidence(1) == "pays order PO1 again (an earlier success exists)");
  CHECK(r.order(0).paid == *Decimal::parse("10000.00"));
  CHECK(r.summary().records[Class::duplicate_payment].amount == *Decimal::parse("5000"));
}

TEST_CASE("the same payee paid for the same policy and period under two orders is a duplicate payment",
          "[payout]") {
  RecordSpec b2 = base_record("B2", "PO2");
  b2.value_date = "2024-03-04";  // paid earlier than B1: PO2 keeps its class, PO1 is the duplicate
  const Report r = run({base_order("PO1"), base_order("PO2")}, {base_record("B1", "PO1"), b2});
  CHECK(order_class(r, "PO2") == Class::paid);
  CHECK(order_class(r, "PO1") == Class::duplicate_payment);
  CHECK(record_class(r, "B1") == Class::duplicate_payment);
  CHECK(record_class(r, "B2") == Class::paid);
  CHECK(r.order(0).duplicate_of == std::optional<std::uint32_t>(1));
  CHECK(r.order_evidence(0) ==
        "payee already paid for major-illness 2024-03 under order PO2; this order paid by B1 on 2024-03-05 to "
        "621483******9180");
  CHECK(r.record_evidence(0) ==
        "pays order PO1, but the payee was already paid for the same policy and period under order PO2");
}

TEST_CASE("different periods or policies for one payee are not duplicates", "[payout]") {
  OrderSpec o2 = base_order("PO2");
  o2.period = "2024-04";
  OrderSpec o3 = base_order("PO3");
  o3.policy = "four-seasons";
  const Report r = run({base_order("PO1"), o2, o3},
                       {base_record("B1", "PO1"), base_record("B2", "PO2"), base_record("B3", "PO3")});
  CHECK(r.summary().orders[Class::paid].count == 3);
}

TEST_CASE("only failed or returned records make an order failed", "[payout]") {
  RecordSpec b1 = base_record("B1", "PO1");
  b1.status = Status::failed;
  b1.reason = "账户已销户";
  RecordSpec b2 = base_record("B2", "PO2");
  b2.status = Status::returned;
  const Report r = run({base_order("PO1"), base_order("PO2", kId2)}, {b1, b2});
  CHECK(order_class(r, "PO1") == Class::failed);
  CHECK(order_class(r, "PO2") == Class::failed);
  CHECK(record_class(r, "B1") == Class::failed);
  CHECK(record_class(r, "B2") == Class::failed);
  CHECK(r.order_evidence(0) == "failed B1 on 2024-03-05 to 621483******9180 (账户已销户); not paid");
  CHECK(r.record_evidence(0) == "failed payment of order PO1 (账户已销户)");
}

TEST_CASE("failed then paid after the account was corrected is repaid and not a duplicate", "[payout]") {
  // The seed: 修改收款信息, 系统自动发起二次支付. The order holds the corrected account.
  RecordSpec b1 = base_record("B1", "PO1");
  b1.account = "6222020000000001";
  b1.status = Status::failed;
  b1.reason = "账户不存在";
  b1.value_date = "2024-03-02";
  RecordSpec b2 = base_record("B2", "PO1");
  b2.value_date = "2024-03-09";
  const Report r = run({base_order("PO1")}, {b2, b1});
  CHECK(order_class(r, "PO1") == Class::repaid);
  CHECK(record_class(r, "B1") == Class::failed);
  CHECK(record_class(r, "B2") == Class::repaid);
  CHECK(r.order_evidence(0) ==
        "failed B1 on 2024-03-02 to 622202******0001 (账户不存在); repaid by B2 on 2024-03-09 to 621483******9180");
  CHECK(r.record_evidence(1) == "repays order PO1 after a failure to another account");
  CHECK(r.summary().orders[Class::duplicate_payment].count == 0);
}

TEST_CASE("a failure retried to the same account and then paid is paid", "[payout]") {
  RecordSpec b1 = base_record("B1", "PO1");
  b1.status = Status::failed;
  b1.reason = "timeout";
  b1.value_date = "2024-03-02";
  const Report r = run({base_order("PO1")}, {b1, base_record("B2", "PO1")});
  CHECK(order_class(r, "PO1") == Class::paid);
  CHECK(r.order_evidence(0) ==
        "failed B1 on 2024-03-02 to 621483******9180 (timeout); retried to the same account: paid by B2 on "
        "2024-03-05 to 621483******9180");
}

TEST_CASE("a return (退票) cancels the success before it and a later payment to a new account repays", "[payout]") {
  RecordSpec b1 = base_record("B1", "PO1");
  b1.account = "6222020000000001";
  b1.value_date = "2024-03-02";
  RecordSpec b2 = base_record("B2", "PO1");
  b2.account = "6222020000000001";
  b2.status = Status::returned;
  b2.reason = "户名不符";
  b2.value_date = "2024-03-04";
  RecordSpec b3 = base_record("B3", "PO1");
  b3.value_date = "2024-03-10";
  const Report only_returned = run({base_order("PO1")}, {b1, b2});
  CHECK(order_class(only_returned, "PO1") == Class::failed);
  CHECK(record_class(only_returned, "B1") == Class::failed);
  CHECK(only_returned.record(0).cancelled);
  CHECK(only_returned.order_evidence(0) ==
        "paid then returned B1 on 2024-03-02 to 622202******0001; returned B2 on 2024-03-04 to 622202******0001 "
        "(户名不符); not paid");
  const Report r = run({base_order("PO1")}, {b1, b2, b3});
  CHECK(order_class(r, "PO1") == Class::repaid);
  CHECK(record_class(r, "B3") == Class::repaid);
  CHECK(r.order(0).paid == *Decimal::parse("5000.00"));
}

TEST_CASE("no record by the cut-off is missing (漏发) and later records are after_cutoff", "[payout]") {
  RecordSpec late = base_record("B9", "PO2");
  late.value_date = "2024-04-02";
  Options options;
  options.cutoff = Date::parse("2024-03-31");
  const Report r = run({base_order("PO1"), base_order("PO2", kId2)}, {late}, options);
  CHECK(order_class(r, "PO1") == Class::missing);
  CHECK(order_class(r, "PO2") == Class::missing);
  CHECK(record_class(r, "B9") == Class::after_cutoff);
  CHECK(r.order_evidence(0) == "no bank record on or before 2024-03-31");
  CHECK(r.record_evidence(0) == "value date 2024-04-02 is after the cut-off 2024-03-31");
}

TEST_CASE("a success to another account name or ID is payee_mismatch", "[payout]") {
  RecordSpec b1 = base_record("B1", "PO1");
  b1.account = "6222020000000001";
  RecordSpec b2 = base_record("B2", "PO2");
  b2.name = "李四";
  RecordSpec b3 = base_record("B3", "PO3");
  b3.payee_id = kId2;
  RecordSpec b4 = base_record("B4", "PO4");
  b4.name = "段 正淳";  // the same name after normalisation
  b4.account = "6214 8320-1898 9180";
  const Report r = run({base_order("PO1"), base_order("PO2", kId2), base_order("PO3", kId3), base_order("PO4", id_number(4))},
                       {b1, b2, b3, b4});
  CHECK(order_class(r, "PO1") == Class::payee_mismatch);
  CHECK(order_class(r, "PO2") == Class::payee_mismatch);
  CHECK(order_class(r, "PO3") == Class::payee_mismatch);
  CHECK(order_class(r, "PO4") == Class::paid);
  CHECK(r.order_evidence(0) ==
        "paid by B1 on 2024-03-05 to 622202******0001: account 622202******0001 is not the order's 621483******9180");
  CHECK(r.order_evidence(1) == "paid by B2 on 2024-03-05 to 621483******9180: name 李* is not the order's 段**");
  CHECK(r.order_evidence(2) == "paid by B3 on 2024-03-05 to 621483******9180: ID " +
                                   identity::mask(identity::PiiKind::id_number, kId2) + " is not the order's " +
                                   identity::mask(identity::PiiKind::id_number, kId3));
  CHECK(r.record_evidence(0) == "pays order PO1 to another account");
}

TEST_CASE("a record whose order is unknown is an orphan", "[payout]") {
  RecordSpec b1 = base_record("B1", "PO9");
  RecordSpec b2 = base_record("B2", "");
  const Report r = run({base_order("PO1")}, {b1, b2, base_record("B3", "PO1")});
  CHECK(record_class(r, "B1") == Class::orphan_record);
  CHECK(record_class(r, "B2") == Class::orphan_record);
  CHECK(r.record_evidence(0) == "no accepted order numbered PO9");
  CHECK(r.record_evidence(1) == "no order number and no payee ID to match by");
}

TEST_CASE("the exclusion list makes the payee ineligible paid or not", "[payout]") {
  Reconciliation rec;
  REQUIRE(rec.add_order(order_of(base_order("PO1"))));
  OrderSpec o2 = base_order("PO2", kId2);
  REQUIRE(rec.add_order(order_of(o2)));
  OrderSpec o3 = base_order("PO3", kId3);
  REQUIRE(rec.add_order(order_of(o3)));
  REQUIRE(rec.add_record(record_of(base_record("B1", "PO1"))));
  REQUIRE(rec.add_record(record_of(base_record("B3", "PO3"))));
  Exclusion x;
  x.payee_id = kId1;
  x.from = Date::parse("2024-01-10");
  x.reason = "deceased";
  REQUIRE(rec.add_exclusion(x));
  x.payee_id = kId2;
  REQUIRE(rec.add_exclusion(x));
  x.payee_id = kId3;  // died during the period: the period's payment was still due
  x.from = Date::parse("2024-03-15");
  REQUIRE(rec.add_exclusion(x));
  const Report r = rec.run();
  CHECK(order_class(r, "PO1") == Class::payee_ineligible);
  CHECK(record_class(r, "B1") == Class::payee_ineligible);
  CHECK(order_class(r, "PO2") == Class::payee_ineligible);
  CHECK(order_class(r, "PO3") == Class::paid);
  CHECK(r.order_evidence(0) ==
        "payee on the exclusion list from 2024-01-10 (deceased); paid by B1 on 2024-03-05 to 621483******9180");
  CHECK(r.order_evidence(1) == "payee on the exclusion list from 2024-01-10 (deceased); not paid");
  CHECK(r.order(0).exclusion_reason == "deceased");
}

TEST_CASE("records without an order number match by payee amount and value-date window", "[payout]") {
  RecordSpec b1 = base_record("B1", "");
  b1.payee_id = kId1;
  RecordSpec late = base_record("B2", "");
  late.payee_id = kId2;
  late.value_date = "2024-03-20";  // 19 days after creation: outside the 7-day window
  RecordSpec other_amount = base_record("B3", "");
  other_amount.payee_id = kId3;
  other_amount.amount = "4000.00";
  const Report r = run({base_order("PO1"), base_order("PO2", kId2), base_order("PO3", kId3)}, {b1, late, other_amount});
  CHECK(order_class(r, "PO1") == Class::paid);
  CHECK(r.order(0).matched_by == MatchedBy::fallback);
  CHECK(r.record(0).matched_by == MatchedBy::fallback);
  CHECK(r.record_evidence(0) == "pays order PO1 [matched by payee, amount and date]");
  CHECK(record_class(r, "B2") == Class::orphan_record);
  CHECK(r.record_evidence(1) ==
        "no order number, and no order of the payee for 5000.00 created 0-7 days before 2024-03-20");
  CHECK(order_class(r, "PO2") == Class::missing);
  CHECK(record_class(r, "B3") == Class::orphan_record);

  Options wide;
  wide.fallback_window_days = 30;
  const Report w = run({base_order("PO1"), base_order("PO2", kId2)}, {b1, late}, wide);
  CHECK(order_class(w, "PO2") == Class::paid);
  Options off;
  off.fallback = false;
  const Report f = run({base_order("PO1")}, {b1}, off);
  CHECK(record_class(f, "B1") == Class::orphan_record);
  CHECK(f.record_evidence(0) == "no order number, and matching by payee is off");
}

TEST_CASE("fallback ties: open orders first then the latest created then the smallest order number",
          "[payout]") {
  // Two monthly orders of equal amount; two payments. Each payment takes a different order.
  OrderSpec a = base_order("PO-A");
  a.created = "2024-03-01";
  OrderSpec b = base_order("PO-B");
  b.created = "2024-03-03";
  b.period = "2024-04";
  RecordSpec r1 = base_record("B1", "");
  r1.payee_id = kId1;
  r1.value_date = "2024-03-05";
  RecordSpec r2 = base_record("B2", "");
  r2.payee_id = kId1;
  r2.value_date = "2024-03-06";
  const Report r = run({a, b}, {r2, r1});
  CHECK(r.record(*r.find_record("B1")).order == r.find_order("PO-B"));  // latest created first
  CHECK(r.record(*r.find_record("B2")).order == r.find_order("PO-A"));  // PO-B is no longer open
  CHECK(r.summary().orders[Class::paid].count == 2);
  // Equal created dates: the smaller order number wins.
  OrderSpec c = base_order("PO-C");
  c.created = "2024-03-01";
  c.period = "2024-05";
  const Report t = run({c, a}, {r1});
  CHECK(t.record(0).order == t.find_order("PO-A"));
}

TEST_CASE("bank records may carry a keyed ID hash instead of the ID", "[payout]") {
  Options options;
  options.id_hash_key = "portal-key";
  RecordSpec b1 = base_record("B1", "");
  b1.payee_id_hash = identity::keyed_id_hash("portal-key", kId1);
  Reconciliation rec(options);
  REQUIRE(rec.add_order(order_of(base_order("PO1"))));
  BankRecord br = record_of(b1);
  br.payee_id_hash = b1.payee_id_hash;
  REQUIRE(rec.add_record(br));
  const Report r = rec.run();
  CHECK(order_class(r, "PO1") == Class::paid);
}

TEST_CASE("rows with missing or invalid fields are rejected with the field and why masked", "[payout]") {
  Reconciliation rec;
  OrderSpec bad_id = base_order("PO1", "110105194912310021");
  CHECK_FALSE(rec.add_order(order_of(bad_id), 2));
  OrderSpec no_policy = base_order("PO2");
  no_policy.policy = "";
  CHECK_FALSE(rec.add_order(order_of(no_policy), 3));
  OrderSpec zero = base_order("PO3");
  zero.amount = "0.00";
  CHECK_FALSE(rec.add_order(order_of(zero), 4));
  RecordSpec no_serial = base_record("", "PO1");
  CHECK_FALSE(rec.add_record(record_of(no_serial), 2));
  RecordSpec bad_hash = base_record("B1", "");
  bad_hash.payee_id_hash = "abc";
  BankRecord br = record_of(bad_hash);
  br.payee_id_hash = bad_hash.payee_id_hash;
  CHECK_FALSE(rec.add_record(br, 3));
  const Report r = rec.run();
  REQUIRE(r.rejections().size() == 5);
  CHECK(r.rejections()[0].field == "payee_id");
  CHECK(r.rejections()[0].reason == "not a valid ID number: check character is 1, expected X");
  CHECK(r.rejections()[1].field == "policy");
  CHECK(r.rejections()[1].reason == "missing");
  CHECK(r.rejections()[2].reason == "must be more than 0, is 0.00");
  CHECK(r.rejections()[3].side == Side::bank);
  CHECK(r.rejections()[3].field == "serial_no");
  CHECK(r.rejections()[4].field == "payee_id_hash");
  CHECK(r.summary().rejected[0] == 3);
  CHECK(r.summary().rejected[1] == 2);
}

TEST_CASE("duplicate numbers: identical rows are kept once differing rows are all rejected", "[payout]") {
  Reconciliation rec;
  REQUIRE(rec.add_order(order_of(base_order("PO1")), 2));
  REQUIRE(rec.add_order(order_of(base_order("PO1")), 3));
  OrderSpec other = base_order("PO2");
  REQUIRE(rec.add_order(order_of(other), 4));
  other.amount = "6000.00";
  REQUIRE(rec.add_order(order_of(other), 5));
  REQUIRE(rec.add_record(record_of(base_record("B1", "PO1")), 2));
  REQUIRE(rec.add_record(record_of(base_record("B1", "PO1")), 3));
  const Report r = rec.run();
  CHECK(r.order_count() == 1);
  CHECK(r.record_count() == 1);
  REQUIRE(r.rejections().size() == 4);
  CHECK(r.rejections()[0].row == 3);
  CHECK(r.rejections()[0].reason == "repeats row 2 exactly");
  CHECK(r.rejections()[1].row == 4);
  CHECK(r.rejections()[1].reason == "order number PO2 is on 2 rows with different content (rows 4, 5)");
  CHECK(r.rejections()[3].side == Side::bank);
  CHECK(r.summary().orders[Class::paid].count == 1);
}

TEST_CASE("auto-claim assigns each order to the registry's community and the rest are unclaimed with a reason",
          "[payout]") {
  Reconciliation rec;
  OrderSpec o1 = base_order("PO1");
  o1.community = "C-OLD";
  REQUIRE(rec.add_order(order_of(o1)));
  REQUIRE(rec.add_order(order_of(base_order("PO2", kId2))));
  REQUIRE(rec.add_order(order_of(base_order("PO3", kId3))));
  REQUIRE(rec.add_registry_entry(kId1, "330106001"));
  REQUIRE(rec.add_registry_entry(kId3, "330106002"));
  REQUIRE(rec.add_registry_entry(kId3, "330106003"));
  CHECK_FALSE(rec.add_registry_entry("123", "330106004", 7));
  const Report r = rec.run();
  const OrderResult a = r.order(0), b = r.order(1), c = r.order(2);
  CHECK(a.community == "330106001");
  CHECK(a.claim == ClaimSource::registry);
  CHECK(a.claim_note == "the order names another community; the registry's is used");
  CHECK(b.claim == ClaimSource::unclaimed);
  CHECK(b.claim_note == "payee not in the registry");
  CHECK(c.claim == ClaimSource::unclaimed);
  CHECK(c.claim_note == "the registry lists the payee under more than one community");
  CHECK(r.summary().unclaimed == 2);
  REQUIRE(r.summary().orders_by_community.size() == 2);
  CHECK(r.summary().orders_by_community[0].first == "");
  CHECK(r.summary().orders_by_community[0].second.total.count == 2);
  CHECK(r.summary().rejected[static_cast<int>(Side::registry)] == 1);
}

TEST_CASE("without a registry the order's own community is used", "[payout]") {
  OrderSpec o1 = base_order("PO1");
  o1.community = "330106001";
  const Report r = run({o1, base_order("PO2", kId2)}, {});
  CHECK(r.order(0).claim == ClaimSource::order);
  CHECK(r.order(0).community == "330106001");
  CHECK(r.order(1).claim_note == "no registry given and the order names no community");
}

TEST_CASE("clear_pii shows IDs and cards in clear", "[payout]") {
  RecordSpec b1 = base_record("B1", "PO1");
  b1.account = "6222020000000001";
  Options options;
  options.clear_pii = true;
  const Report r = run({base_order("PO1")}, {b1}, options);
  CHECK(r.order_evidence(0) ==
        "paid by B1 on 2024-03-05 to 6222020000000001: account 6222020000000001 is not the order's 6214832018989180");
}

TEST_CASE("periods give their first day for the exclusion list", "[payout]") {
  using payout::detail::period_start;
  CHECK(period_start("2024") == Date::parse("2024-01-01"));
  CHECK(period_start("2024-03") == Date::parse("2024-03-01"));
  CHECK(period_start("202403") == Date::parse("2024-03-01"));
  CHECK(period_start("2024/03") == Date::parse("2024-03-01"));
  CHECK(period_start("2024-Q1") == Date::parse("2024-01-01"));  // the first and the last quarter: the ends
  CHECK(period_start("2024-Q3") == Date::parse("2024-07-01"));
  CHECK(period_start("2024-Q4") == Date::parse("2024-10-01"));
  CHECK(period_start("2026Q4") == Date::parse("2026-10-01"));
  CHECK(period_start("2024-H1") == Date::parse("2024-01-01"));
  CHECK(period_start("2024q2") == Date::parse("2024-04-01"));
  CHECK(period_start("2024-H2") == Date::parse("2024-07-01"));
  CHECK(period_start("2024-03-15") == Date::parse("2024-03-15"));
  CHECK_FALSE(period_start("2024-13"));
  CHECK_FALSE(period_start("spring 2024"));
  CHECK_FALSE(period_start("2024-Q5"));
  CHECK_FALSE(period_start("2024-Q0"));
  CHECK_FALSE(period_start("2024-H3"));
}

// ─── Boundaries stated in docs/payout.md, each tested on the day or amount itself and its neighbour ───────

TEST_CASE("a record dated on the cut-off day itself counts and the day after is after_cutoff", "[payout][boundary]") {
  RecordSpec on_day = base_record("B1", "PO1");
  on_day.value_date = "2024-03-31";
  RecordSpec day_after = base_record("B2", "PO2");
  day_after.value_date = "2024-04-01";
  Options options;
  options.cutoff = Date::parse("2024-03-31");
  const Report r = run({base_order("PO1"), base_order("PO2", kId2)}, {on_day, day_after}, options);
  CHECK(order_class(r, "PO1") == Class::paid);
  CHECK(record_class(r, "B1") == Class::paid);
  CHECK(order_class(r, "PO2") == Class::missing);
  CHECK(record_class(r, "B2") == Class::after_cutoff);
}

TEST_CASE("the fallback window includes its first and last day and excludes the days outside", "[payout][boundary]") {
  // Order created 2024-03-01, window 7 days: value dates 2024-03-01 .. 2024-03-08 match.
  const auto fallback_record = [](std::string serial, std::string id, std::string date) {
    RecordSpec s = base_record(std::move(serial), "");
    s.payee_id = std::move(id);
    s.value_date = std::move(date);
    return s;
  };
  const Report r = run({base_order("PO1"), base_order("PO2", kId2), base_order("PO3", kId3), base_order("PO4", id_number(4))},
                       {fallback_record("B1", kId1, "2024-03-01"), fallback_record("B2", kId2, "2024-03-08"),
                        fallback_record("B3", kId3, "2024-03-09"), fallback_record("B4", id_number(4), "2024-02-29")});
  CHECK(order_class(r, "PO1") == Class::paid);  // the created day itself
  CHECK(order_class(r, "PO2") == Class::paid);  // the window's last day
  CHECK(r.record(*r.find_record("B2")).matched_by == MatchedBy::fallback);
  CHECK(record_class(r, "B3") == Class::orphan_record);  // one day past the window
  CHECK(r.record_evidence(*r.find_record("B3")) ==
        "no order number, and no order of the payee for 5000.00 created 0-7 days before 2024-03-09");
  CHECK(record_class(r, "B4") == Class::orphan_record);  // the day before the order was created
  CHECK(order_class(r, "PO3") == Class::missing);
  CHECK(order_class(r, "PO4") == Class::missing);
  Options zero;
  zero.fallback_window_days = 0;
  const Report z = run({base_order("PO1"), base_order("PO2", kId2)},
                       {fallback_record("B1", kId1, "2024-03-01"), fallback_record("B2", kId2, "2024-03-02")}, zero);
  CHECK(order_class(z, "PO1") == Class::paid);
  CHECK(record_class(z, "B2") == Class::orphan_record);
}

TEST_CASE("an exclusion from the period's first day makes the payee ineligible and from the next day not",
          "[payout][boundary]") {
  Reconciliation rec;
  REQUIRE(rec.add_order(order_of(base_order("PO1"))));  // period 2024-03: reference date 2024-03-01
  REQUIRE(rec.add_order(order_of(base_order("PO2", kId2))));
  OrderSpec free_text = base_order("PO3", kId3);  // no period date: the created date is the reference
  free_text.period = "spring payout";
  free_text.created = "2024-03-04";
  REQUIRE(rec.add_order(order_of(free_text)));
  OrderSpec other_policy = base_order("PO4", id_number(4));
  REQUIRE(rec.add_order(order_of(other_policy)));
  for (const char* b : {"B1", "B2", "B3", "B4"}) {
    RecordSpec s = base_record(b, std::string("PO") + b[1]);
    if (b[1] == '2') s.payee_id = kId2;
    REQUIRE(rec.add_record(record_of(s)));
  }
  Exclusion x;
  x.reason = "deceased";
  x.payee_id = kId1;
  x.from = Date::parse("2024-03-01");
  REQUIRE(rec.add_exclusion(x));
  x.payee_id = kId2;
  x.from = Date::parse("2024-03-02");
  REQUIRE(rec.add_exclusion(x));
  x.payee_id = kId3;
  x.from = Date::parse("2024-03-04");
  REQUIRE(rec.add_exclusion(x));
  const std::string id4 = id_number(4);
  x.payee_id = id4;
  x.from = std::nullopt;  // always, but only for another policy
  x.policy = "four-seasons";
  REQUIRE(rec.add_exclusion(x));
  const Report r = rec.run();
  CHECK(order_class(r, "PO1") == Class::payee_ineligible);
  CHECK(record_class(r, "B1") == Class::payee_ineligible);
  CHECK(order_class(r, "PO2") == Class::paid);
  CHECK(order_class(r, "PO3") == Class::payee_ineligible);
  CHECK(order_class(r, "PO4") == Class::paid);
}

TEST_CASE("a payee_mismatch order is not the first payment of the cross-order duplicate rule", "[payout][boundary]") {
  // PO2 was paid first but to another account (错发); PO1, paid correctly later, stays paid.
  RecordSpec wrong = base_record("B2", "PO2");
  wrong.account = "6222020000000001";
  wrong.value_date = "2024-03-04";
  const Report r = run({base_order("PO1"), base_order("PO2")}, {base_record("B1", "PO1"), wrong});
  CHECK(order_class(r, "PO1") == Class::paid);
  CHECK(record_class(r, "B1") == Class::paid);
  CHECK(order_class(r, "PO2") == Class::payee_mismatch);
  CHECK(record_class(r, "B2") == Class::payee_mismatch);
  CHECK(r.order(0).duplicate_of == std::nullopt);
  CHECK(r.summary().orders[Class::duplicate_payment].count == 0);
}

TEST_CASE("the cross-order duplicate rule counts amount_mismatch and duplicate orders as paid", "[payout][boundary]") {
  // PO2 was paid the wrong amount first: the payee received money, so PO1 paid later is the duplicate.
  RecordSpec first = base_record("B2", "PO2");
  first.amount = "4000.00";
  first.value_date = "2024-03-04";
  const Report r = run({base_order("PO1"), base_order("PO2")}, {base_record("B1", "PO1"), first});
  CHECK(order_class(r, "PO2") == Class::amount_mismatch);
  CHECK(order_class(r, "PO1") == Class::duplicate_payment);
  CHECK(r.order(0).duplicate_of == std::optional<std::uint32_t>(1));
  // Same value date: the smaller serial number is first.
  RecordSpec same_day = base_record("B0", "PO2");
  const Report t = run({base_order("PO1"), base_order("PO2")}, {base_record("B1", "PO1"), same_day});
  CHECK(order_class(t, "PO2") == Class::paid);
  CHECK(order_class(t, "PO1") == Class::duplicate_payment);
}

TEST_CASE("a return without an order number goes to the payee's order that has a success", "[payout][boundary]") {
  // Two orders of equal amount; PO-A (created earlier) was paid by B1. A return without an order number
  // must cancel that payment, not land on the open PO-B that the latest-created rule would pick.
  OrderSpec a = base_order("PO-A");
  a.created = "2024-03-01";
  OrderSpec b = base_order("PO-B");
  b.created = "2024-03-03";
  b.period = "2024-04";
  RecordSpec paid = base_record("B1", "PO-A");
  paid.value_date = "2024-03-02";
  RecordSpec ret = base_record("B2", "");
  ret.payee_id = kId1;
  ret.status = Status::returned;
  ret.value_date = "2024-03-04";
  const Report r = run({a, b}, {paid, ret});
  CHECK(r.record(*r.find_record("B2")).order == r.find_order("PO-A"));
  CHECK(order_class(r, "PO-A") == Class::failed);
  CHECK(r.record(*r.find_record("B1")).cancelled);
  CHECK(order_class(r, "PO-B") == Class::missing);
  // A payment without an order number prefers the open order even when it was created earlier.
  RecordSpec pay = base_record("B3", "");
  pay.payee_id = kId1;
  pay.value_date = "2024-03-05";
  RecordSpec paid_b = base_record("B1", "PO-B");
  paid_b.value_date = "2024-03-04";
  const Report p = run({a, b}, {paid_b, pay});
  CHECK(p.record(*p.find_record("B3")).order == p.find_order("PO-A"));
  CHECK(order_class(p, "PO-A") == Class::paid);
  CHECK(order_class(p, "PO-B") == Class::paid);
}

TEST_CASE("a return of another amount does not cancel the payment", "[payout][boundary]") {
  RecordSpec paid = base_record("B1", "PO1");
  paid.value_date = "2024-03-02";
  RecordSpec ret = base_record("B2", "PO1");
  ret.status = Status::returned;
  ret.amount = "4999.99";
  ret.value_date = "2024-03-04";
  const Report r = run({base_order("PO1")}, {paid, ret});
  CHECK(order_class(r, "PO1") == Class::paid);
  CHECK(record_class(r, "B1") == Class::paid);
  CHECK_FALSE(r.record(*r.find_record("B1")).cancelled);
  CHECK(record_class(r, "B2") == Class::failed);
  CHECK(r.order(0).paid == *Decimal::parse("5000.00"));
  // The same amount to another account does not cancel it either; to the same account it does.
  ret.amount = "5000.00";
  ret.account = "6222020000000001";
  const Report other_account = run({base_order("PO1")}, {paid, ret});
  CHECK(order_class(other_account, "PO1") == Class::paid);
  ret.account = "6214 8320 1898 9180";
  const Report same = run({base_order("PO1")}, {paid, ret});
  CHECK(order_class(same, "PO1") == Class::failed);
}

TEST_CASE("a return cancels only a success before it and on the same day the success comes first",
          "[payout][boundary]") {
  RecordSpec ret = base_record("B1", "PO1");  // B1 sorts before B2 but the success is taken first
  ret.status = Status::returned;
  ret.value_date = "2024-03-05";
  RecordSpec paid = base_record("B2", "PO1");
  paid.value_date = "2024-03-05";
  const Report same_day = run({base_order("PO1")}, {ret, paid});
  CHECK(order_class(same_day, "PO1") == Class::failed);
  CHECK(same_day.record(*same_day.find_record("B2")).cancelled);
  paid.value_date = "2024-03-06";  // a success after the return is not cancelled by it
  const Report later = run({base_order("PO1")}, {ret, paid});
  CHECK(order_class(later, "PO1") == Class::paid);
  CHECK_FALSE(later.record(*later.find_record("B2")).cancelled);
}

TEST_CASE("one return cancels only the latest earlier success of the order", "[payout][boundary]") {
  RecordSpec s1 = base_record("B1", "PO1");
  s1.value_date = "2024-03-02";
  RecordSpec s2 = base_record("B2", "PO1");
  s2.value_date = "2024-03-03";
  RecordSpec ret = base_record("B3", "PO1");
  ret.status = Status::returned;
  ret.value_date = "2024-03-04";
  const Report r = run({base_order("PO1")}, {s1, s2, ret});
  CHECK(order_class(r, "PO1") == Class::paid);
  CHECK_FALSE(r.record(*r.find_record("B1")).cancelled);
  CHECK(r.record(*r.find_record("B2")).cancelled);
  CHECK(record_class(r, "B1") == Class::paid);
}

TEST_CASE("an echoed order number that is wrong is an orphan even when the payee matches", "[payout][boundary]") {
  RecordSpec wrong_echo = base_record("B1", "PO9");
  wrong_echo.payee_id = kId1;
  const Report r = run({base_order("PO1")}, {wrong_echo});
  CHECK(record_class(r, "B1") == Class::orphan_record);
  CHECK(order_class(r, "PO1") == Class::missing);
}

TEST_CASE("a payee is one payee whatever form the ID number is written in", "[payout]") {
  // Payees are interned by canonical ID (packed into 64 bits, or as text for the foreign legacy form), and
  // a text that is already a known payee's canonical number is not checked again: every form must still
  // land on the same payee, and another person's number must not.
  const std::string legacy15 = "610104620927690", legacy18 = "610104196209276908";
  OrderSpec a = base_order("PO1", legacy15);
  OrderSpec b = base_order("PO2", "KAZ110090123105");
  OrderSpec c = base_order("PO3", "11010519491231002X");
  OrderSpec d = base_order("PO4", kId1);
  OrderSpec e = base_order("PO5", legacy18);
  OrderSpec f = base_order("PO6", legacy15);
  e.period = f.period = "2024-04";
  e.created = f.created = "2024-04-01";
  RecordSpec ra = base_record("B1", "");
  ra.payee_id = legacy18;  // matched by payee, amount and date: the 18-character form of PO1's payee
  RecordSpec rb = base_record("B2", "");
  rb.payee_id = "kaz110090123105";
  RecordSpec rc = base_record("B3", "PO3");
  rc.payee_id = "11010519491231002x";
  RecordSpec rd = base_record("B4", "PO4");
  rd.payee_id = kId2;
  RecordSpec re = base_record("B5", "PO5");
  re.value_date = "2024-04-05";
  RecordSpec rf = base_record("B6", "PO6");
  rf.value_date = "2024-04-06";
  const Report r = run({a, b, c, d, e, f}, {ra, rb, rc, rd, re, rf});
  CHECK(order_class(r, "PO1") == Class::paid);
  CHECK(r.order(*r.find_order("PO1")).matched_by == MatchedBy::fallback);
  CHECK(order_class(r, "PO2") == Class::paid);
  CHECK(r.order(*r.find_order("PO2")).matched_by == MatchedBy::fallback);
  CHECK(order_class(r, "PO3") == Class::paid);
  CHECK(order_class(r, "PO4") == Class::payee_mismatch);
  CHECK(r.record_evidence(*r.find_record("B4")) == "pays order PO4 to another ID");
  // PO5 and PO6 name one payee in two forms: the later payment is the cross-order duplicate.
  CHECK(order_class(r, "PO5") == Class::paid);
  CHECK(order_class(r, "PO6") == Class::duplicate_payment);
  CHECK(r.order(*r.find_order("PO6")).duplicate_of == *r.find_order("PO5"));
  CHECK(r.order(*r.find_order("PO6")).payee_id == legacy18);
}
