// Helpers for the payout tests: valid ID numbers and plain-text specs of orders and records.
#pragma once

#include <cstdio>
#include <string>

#include "eligo/identity.hpp"
#include "eligo/payout.hpp"

namespace payout_test {

// A valid 18-character ID number, distinct for each n < 1,000 × 365 (born in 1960s Hangzhou).
inline std::string id_number(int n) {
  const int day = n / 1000, seq = n % 1000;
  const eligo::Date born = eligo::add_days(*eligo::Date::parse("1960-01-01"), day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "330106%04d%02d%02d%03d", born.year(), born.month(), born.day(), seq);
  std::string id(buf);
  id += eligo::identity::id_check_character(id);
  return id;
}

struct OrderSpec {
  std::string order_no;
  std::string policy = "major-illness";
  std::string period = "2024-03";
  std::string payee_id;
  std::string name = "段正淳";
  std::string account = "6214832018989180";
  std::string amount = "5000.00";
  std::string created = "2024-03-01";
  std::string community;
};

struct RecordSpec {
  std::string serial_no;
  std::string order_no;
  std::string payee_id;
  std::string payee_id_hash;
  std::string account = "6214832018989180";
  std::string name = "段正淳";
  std::string amount = "5000.00";
  eligo::payout::Status status = eligo::payout::Status::success;
  std::string value_date = "2024-03-05";
  std::string reason;
};

}  // namespace payout_test
