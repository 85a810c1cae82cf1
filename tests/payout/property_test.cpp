// Reconciliation invariants (TARGETS R6) on generated data with known faults, inputs shuffled.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "eligo/payout.hpp"
#include "payout/synthetic.hpp"

using namespace eligo;
using namespace eligo::payout;
using namespace payout_test;

namespace {

// Everything a report says, as one text: each item's class, evidence and links, and the summary.
std::string render(const Report& r) {
  std::string s = summary_text(r);
  for (std::size_t i = 0; i < r.order_count(); ++i) {
    const OrderResult o = r.order(i);
    s += std::string(o.order.order_no) + " " + to_string(o.cls) + " " + o.paid.to_string() + " " +
         std::string(o.community) + " " + r.order_evidence(i) + " |";
    for (std::uint32_t k : o.records) s += " " + std::string(r.record(k).record.serial_no);
    s += "\n";
  }
  for (std::size_t i = 0; i < r.record_count(); ++i) {
    const RecordResult b = r.record(i);
    s += std::string(b.record.serial_no) + " " + to_string(b.cls) + " " +
         (b.order ? std::string(r.order(*b.order).order.order_no) : "-") + " " + r.record_evidence(i) + "\n";
  }
  return s;
}

Options cutoff_options(const SynData& d) {
  Options o;
  o.cutoff = d.cutoff;
  return o;
}

Decimal total(const std::vector<Decimal>& v) {
  Decimal sum;
  for (const Decimal& x : v) REQUIRE(Decimal::add(sum, x, &sum));
  return sum;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("every order and every record lands in exactly the class the generator injected", "[payout][property]") {
  const SynData d = synthesize(20000, 42);
  const Report r = load(d, identity_perm(d.orders.size()), identity_perm(d.records.size()), cutoff_options(d)).run();
  REQUIRE(r.order_count() == d.orders.size());
  REQUIRE(r.record_count() == d.records.size());
  CHECK(r.rejections().empty());
  std::size_t wrong = 0;
  for (const SynOrder& o : d.orders) {
    const auto i = r.find_order(o.order_no);
    REQUIRE(i);
    if (r.order_class(*i) != o.expected && ++wrong < 5)
      FAIL_CHECK(o.order_no << ": " << to_string(r.order_class(*i)) << ", expected " << to_string(o.expected));
  }
  for (const SynRecord& b : d.records) {
    const auto i = r.find_record(b.serial_no);
    REQUIRE(i);
    if (r.record_class(*i) != b.expected && ++wrong < 5)
      FAIL_CHECK(b.serial_no << ": " << to_string(r.record_class(*i)) << ", expected " << to_string(b.expected));
  }
  CHECK(wrong == 0);
  // Every class of each side is used by this data.
  for (Class c : {Class::paid, Class::repaid, Class::amount_mismatch, Class::payee_mismatch, Class::duplicate_payment,
                  Class::failed, Class::missing})
    CHECK(r.summary().orders[c].count > 0);
  for (Class c : {Class::orphan_record, Class::after_cutoff}) CHECK(r.summary().records[c].count > 0);
}

TEST_CASE("counts and money of each side are preserved across the classes", "[payout][property]") {
  const SynData d = synthesize(10000, 7);
  const Report r = load(d, shuffled_perm(d.orders.size(), 1), shuffled_perm(d.records.size(), 2), cutoff_options(d)).run();
  const Summary& s = r.summary();
  std::vector<Decimal> order_amounts, record_amounts;
  for (const SynOrder& o : d.orders) order_amounts.push_back(o.amount);
  for (const SynRecord& b : d.records) record_amounts.push_back(b.amount);
  for (const ClassTally* side : {&s.orders, &s.records}) {
    std::uint64_t count = 0;
    Decimal money;
    for (int c = 0; c < kClassCount; ++c) {
      count += side->by_class[c].count;
      REQUIRE(Decimal::add(money, side->by_class[c].amount, &money));
    }
    CHECK(count == side->total.count);
    CHECK(money == side->total.amount);
  }
  CHECK(s.orders.total.count == d.orders.size());
  CHECK(s.orders.total.amount == total(order_amounts));
  CHECK(s.records.total.count == d.records.size());
  CHECK(s.records.total.amount == total(record_amounts));
  // Item by item: each order once, each record once, classes from the right side.
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < r.order_count(); ++i) {
    const Class c = r.order_class(i);
    CHECK(c != Class::orphan_record);
    CHECK(c != Class::after_cutoff);
    ++seen;
  }
  for (std::size_t i = 0; i < r.record_count(); ++i) {
    CHECK(r.record_class(i) != Class::missing);
    ++seen;
  }
  CHECK(seen == d.orders.size() + d.records.size());
  // The per-policy and per-community tallies add up to the whole as well.
  for (const auto* groups : {&s.orders_by_policy, &s.orders_by_community}) {
    std::uint64_t count = 0;
    Decimal money;
    for (const auto& g : *groups) {
      count += g.second.total.count;
      REQUIRE(Decimal::add(money, g.second.total.amount, &money));
    }
    CHECK(count == s.orders.total.count);
    CHECK(money == s.orders.total.amount);
  }
}

TEST_CASE("the report does not depend on the order of the input rows", "[payout][property]") {
  const SynData d = synthesize(8000, 99);
  const std::string reference =
      render(load(d, identity_perm(d.orders.size()), identity_perm(d.records.size()), cutoff_options(d)).run());
  for (std::uint64_t seed : {3, 5, 8}) {
    const std::string shuffled = render(
        load(d, shuffled_perm(d.orders.size(), seed), shuffled_perm(d.records.size(), seed * 31), cutoff_options(d)).run());
    CHECK(shuffled == reference);
  }
  // Reversed too: the tie-breaks must not lean on "first come".
  std::vector<std::size_t> ro = identity_perm(d.orders.size()), rr = identity_perm(d.records.size());
  std::reverse(ro.begin(), ro.end());
  std::reverse(rr.begin(), rr.end());
  CHECK(render(load(d, ro, rr, cutoff_options(d)).run()) == reference);
}

TEST_CASE("writing the same reconciliation twice gives byte-identical files", "[payout][property]") {
  const SynData d = synthesize(3000, 5);
  const auto dir = std::filesystem::temp_directory_path() / ("eligo_payout_twice_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string error;
  REQUIRE(write_report(load(d, identity_perm(d.orders.size()), identity_perm(d.records.size()), cutoff_options(d)).run(),
                       (dir / "a").string(), {}, &error));
  REQUIRE(write_report(load(d, shuffled_perm(d.orders.size(), 4), shuffled_perm(d.records.size(), 9), cutoff_options(d)).run(),
                       (dir / "b").string(), {}, &error));
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "a")) {
    ++files;
    const auto name = entry.path().filename();
    CHECK(name.string().front() != '.');  // no temporary file left behind
    INFO(name.string());
    CHECK(slurp(entry.path()) == slurp(dir / "b" / name));
  }
  CHECK(files == 9);
  std::filesystem::remove_all(dir);
}
