// Synthetic payout data with known faults, generated in memory (property tests and bench/bench_payout.cpp).
// Deterministic for a seed; each order and record carries the class it must get.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "eligo/date.hpp"
#include "eligo/decimal.hpp"
#include "eligo/payout.hpp"
#include "payout_test_util.hpp"

namespace payout_test {

struct SynOrder {
  std::string order_no, policy, period, payee_id, name, account, community;
  eligo::Decimal amount;
  eligo::Date created;
  eligo::payout::Class expected;
};

struct SynRecord {
  std::string serial_no, order_no, payee_id, account, name, reason;
  eligo::Decimal amount;
  eligo::Date value_date;
  eligo::payout::Status status;
  eligo::payout::Class expected;
};

struct SynData {
  std::vector<SynOrder> orders;
  std::vector<SynRecord> records;
  eligo::Date cutoff;
};

class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }

 private:
  std::uint64_t s_;
};

inline std::string numbered(const char* prefix, std::uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%010llu", prefix, static_cast<unsigned long long>(n));
  return buf;
}

// `n` orders; about `fault_rate` of them get one of the faults. Records follow their orders.
inline SynData synthesize(std::size_t n, std::uint64_t seed, double fault_rate = 0.3) {
  using eligo::Date;
  using eligo::Decimal;
  using eligo::payout::Class;
  using eligo::payout::Status;
  SplitMix rng(seed);
  SynData d;
  d.cutoff = *Date::parse("2024-03-31");
  d.orders.reserve(n + n / 50);
  d.records.reserve(n + n / 5);
  const Date start = *Date::parse("2024-03-01");
  static const char* kAmounts[] = {"5000.00", "3000.00", "300.00", "500.00", "800.00"};
  static const char* kNames[] = {"段正淳", "王伟", "李娜", "张敏", "刘洋", "陈静", "阿依古丽·买买提"};
  static const char* kCommunities[] = {"330106001", "330106002", "330106003", "330106004", "330106005"};
  std::uint64_t serial = 0, account = 0;
  const auto new_account = [&] { return "6214" + numbered("", 100000000000000ull + account++); };
  const auto add_record = [&](const SynOrder& o, Status status, Date date, Class expected) -> SynRecord& {
    SynRecord r;
    r.serial_no = numbered("B", ++serial);
    r.order_no = o.order_no;
    r.account = o.account;
    r.name = o.name;
    r.amount = o.amount;
    r.value_date = date;
    r.status = status;
    r.expected = expected;
    if (status != Status::success) r.reason = "账户不存在";
    d.records.push_back(std::move(r));
    return d.records.back();
  };
  for (std::size_t i = 0; i < n; ++i) {
    SynOrder o;
    o.order_no = numbered("PO", i + 1);
    const int kind = static_cast<int>(rng.below(5));
    o.policy = kind < 2 ? "major-illness" : "four-seasons";
    o.period = kind < 2 ? "2024-03" : "2024-Q1";
    o.payee_id = id_number(static_cast<int>(i));
    o.name = kNames[rng.below(7)];
    o.account = new_account();
    o.amount = *Decimal::parse(kAmounts[kind]);
    o.created = eligo::add_days(start, static_cast<int>(rng.below(15)));
    o.community = kCommunities[rng.below(5)];
    const Date paid_on = eligo::add_days(o.created, static_cast<int>(rng.below(4)));
    const int fault = rng.below(1000) < fault_rate * 1000 ? static_cast<int>(rng.below(10)) : -1;
    o.expected = Class::paid;
    d.orders.push_back(o);
    SynOrder& ord = d.orders.back();
    switch (fault) {
      case -1:
        add_record(ord, Status::success, paid_on, Class::paid);
        break;
      case 0:  // amount mismatch
        ord.expected = Class::amount_mismatch;
        add_record(ord, Status::success, paid_on, Class::amount_mismatch).amount = *Decimal::parse("1.00");
        break;
      case 1:  // two successes
        ord.expected = Class::duplicate_payment;
        add_record(ord, Status::success, paid_on, Class::paid);
        add_record(ord, Status::success, eligo::add_days(paid_on, 1), Class::duplicate_payment);
        break;
      case 2: {  // the same payee paid under a second order for the same policy and period
        add_record(ord, Status::success, paid_on, Class::paid);
        SynOrder dup = ord;
        dup.order_no = numbered("PD", i + 1);
        dup.expected = Class::duplicate_payment;
        d.orders.push_back(dup);
        add_record(d.orders.back(), Status::success, eligo::add_days(paid_on, 2), Class::duplicate_payment);
        break;
      }
      case 3:  // failed
        ord.expected = Class::failed;
        add_record(ord, rng.below(2) ? Status::failed : Status::returned, paid_on, Class::failed);
        break;
      case 4: {  // failed to an old account, repaid to the corrected one
        ord.expected = Class::repaid;
        add_record(ord, Status::failed, paid_on, Class::failed).account = new_account();
        add_record(ord, Status::success, eligo::add_days(paid_on, 5), Class::repaid);
        break;
      }
      case 5:  // missing (漏发)
        ord.expected = Class::missing;
        break;
      case 6:  // paid after the cut-off
        ord.expected = Class::missing;
        add_record(ord, Status::success, eligo::add_days(d.cutoff, 2), Class::after_cutoff);
        break;
      case 7:  // paid to another account
        ord.expected = Class::payee_mismatch;
        add_record(ord, Status::success, paid_on, Class::payee_mismatch).account = new_account();
        break;
      case 8: {  // orphan: a record for an order that does not exist
        add_record(ord, Status::success, paid_on, Class::paid);
        SynRecord& orphan = add_record(ord, Status::success, paid_on, Class::orphan_record);
        orphan.order_no = numbered("PX", i + 1);
        break;
      }
      case 9: {  // the bank does not echo the order number: matched by payee, amount and date
        SynRecord& r = add_record(ord, Status::success, paid_on, Class::paid);
        r.order_no.clear();
        r.payee_id = ord.payee_id;
        break;
      }
    }
  }
  return d;
}

inline eligo::payout::Reconciliation load(const SynData& d, const std::vector<std::size_t>& order_perm,
                                          const std::vector<std::size_t>& record_perm,
                                          eligo::payout::Options options) {
  eligo::payout::Reconciliation rec(std::move(options));
  for (std::size_t k : order_perm) {
    const SynOrder& s = d.orders[k];
    eligo::payout::Order o;
    o.order_no = s.order_no;
    o.policy = s.policy;
    o.period = s.period;
    o.payee_id = s.payee_id;
    o.payee_name = s.name;
    o.account = s.account;
    o.amount = s.amount;
    o.created = s.created;
    o.community = s.community;
    rec.add_order(o, k + 2);
  }
  for (std::size_t k : record_perm) {
    const SynRecord& s = d.records[k];
    eligo::payout::BankRecord r;
    r.serial_no = s.serial_no;
    r.order_no = s.order_no;
    r.payee_id = s.payee_id;
    r.account = s.account;
    r.name = s.name;
    r.amount = s.amount;
    r.status = s.status;
    r.value_date = s.value_date;
    r.failure_reason = s.reason;
    rec.add_record(r, k + 2);
  }
  return rec;
}

inline std::vector<std::size_t> identity_perm(std::size_t n) {
  std::vector<std::size_t> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = i;
  return p;
}

inline std::vector<std::size_t> shuffled_perm(std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> p = identity_perm(n);
  SplitMix rng(seed);
  for (std::size_t i = n; i > 1; --i) std::swap(p[i - 1], p[rng.below(i)]);
  return p;
}

}  // namespace payout_test
