// Reconciliation: collects orders, bank records, the registry and the exclusion list, then classifies every
// item exactly once. The rules and tie-breaks are in docs/payout.md; the comments here say why.
#include <algorithm>
#include <numeric>

#include "eligo/identity.hpp"
#include "payout/classify.hpp"
#include "payout/store.hpp"

namespace eligo::payout {

using detail::kNone;
using detail::OrderRow;
using detail::RecordRow;
using detail::Ref;

namespace {

bool too_long(std::string_view s) { return s.size() > detail::Arena::kMaxLength; }

// The canonical 18-character ID, or "" with *why filled.
std::string canonical_id(std::string_view text, std::string* why) {
  const identity::IdCheck check = identity::check_id(text);
  if (!check.valid()) {
    *why = "not a valid ID number: " + identity::describe(check);
    return {};
  }
  return std::string(check.canonical());
}

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

// The payee number for an ID column's text, checked with identity::check_id once per distinct payee: text
// that is already the canonical form of a known payee (the common case: a payee's second row, every bank
// record of a payee with an order) is that payee without a second check — check_id of a canonical number
// gives the same number back. False with *why filled when the text is not a valid ID number.
bool payee_of(Reconciliation::Data& d, std::string_view text, std::uint32_t* payee, std::string* why) {
  if (const auto known = d.payee_index.find_packed(detail::packed_id(text))) {
    *payee = *known;
    return true;
  }
  const identity::IdCheck check = identity::check_id(text);
  if (!check.valid()) {
    *why = "not a valid ID number: " + identity::describe(check);
    return false;
  }
  *payee = d.intern_payee(check.canonical());
  return true;
}

}  // namespace

Reconciliation::Reconciliation(Options options) : data_(std::make_unique<Data>()) {
  data_->options = std::move(options);
}
Reconciliation::~Reconciliation() = default;
Reconciliation::Reconciliation(Reconciliation&&) noexcept = default;
Reconciliation& Reconciliation::operator=(Reconciliation&&) noexcept = default;

void Reconciliation::reject(Side side, std::uint64_t row, std::string field, std::string reason) {
  data_->rejections.push_back(Rejection{side, row, std::move(field), std::move(reason)});
}

bool Reconciliation::add_order(const Order& o, std::uint64_t row) {
  Data& d = *data_;
  const std::pair<const char*, std::string_view> fields[] = {
      {"order_no", o.order_no}, {"policy", o.policy},   {"period", o.period},      {"payee_id", o.payee_id},
      {"payee_name", o.payee_name}, {"account", o.account}, {"community", o.community}};
  for (const auto& [name, value] : fields) {
    if (too_long(value)) {
      reject(Side::orders, row, name, "longer than 65535 bytes");
      return false;
    }
  }
  for (int i = 0; i < 4; ++i) {
    if (fields[i].second.empty()) {
      reject(Side::orders, row, fields[i].first, "missing");
      return false;
    }
  }
  if (o.amount.is_negative() || o.amount.is_zero()) {
    reject(Side::orders, row, "amount", "must be more than 0, is " + o.amount.to_string());
    return false;
  }
  std::string why;
  std::uint32_t payee = 0;
  if (!payee_of(d, o.payee_id, &payee, &why)) {
    reject(Side::orders, row, "payee_id", why);
    return false;
  }
  OrderRow r;
  r.order_no = d.arena.add(o.order_no);
  r.policy = d.arena.add(o.policy);
  r.period = d.arena.add(o.period);
  r.payee = payee;
  r.payee_id = d.payees[r.payee];
  r.payee_name = d.arena.add(o.payee_name);
  r.account = d.arena.add(o.account);
  r.community = d.arena.add(o.community);
  r.amount = o.amount;
  r.created = o.created;
  r.row = row;
  d.orders.push_back(r);
  return true;
}

bool Reconciliation::add_record(const BankRecord& b, std::uint64_t row) {
  Data& d = *data_;
  const std::pair<const char*, std::string_view> fields[] = {
      {"serial_no", b.serial_no}, {"order_no", b.order_no}, {"payee_id", b.payee_id},
      {"payee_id_hash", b.payee_id_hash}, {"account", b.account}, {"name", b.name},
      {"failure_reason", b.failure_reason}};
  for (const auto& [name, value] : fields) {
    if (too_long(value)) {
      reject(Side::bank, row, name, "longer than 65535 bytes");
      return false;
    }
  }
  if (b.serial_no.empty()) {
    reject(Side::bank, row, "serial_no", "missing");
    return false;
  }
  if (b.amount.is_negative() || b.amount.is_zero()) {
    reject(Side::bank, row, "amount", "must be more than 0, is " + b.amount.to_string());
    return false;
  }
  RecordRow r;
  if (!b.payee_id.empty()) {
    std::string why;
    std::uint32_t payee = 0;
    if (!payee_of(d, b.payee_id, &payee, &why)) {
      reject(Side::bank, row, "payee_id", why);
      return false;
    }
    r.payee = payee;
    r.payee_id = d.payees[payee];
  }
  if (!b.payee_id_hash.empty()) {
    if (!is_hex64(b.payee_id_hash)) {
      reject(Side::bank, row, "payee_id_hash", "not 64 hexadecimal characters");
      return false;
    }
    std::string lower(b.payee_id_hash);
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'F' ? c + 32 : c);
    r.payee_id_hash = d.arena.add(lower);
  }
  r.serial_no = d.arena.add(b.serial_no);
  r.order_no = d.arena.add(b.order_no);
  r.account = d.arena.add(b.account);
  r.name = d.arena.add(b.name);
  r.failure_reason = d.arena.add(b.failure_reason);
  r.amount = b.amount;
  r.value_date = b.value_date;
  r.status = b.status;
  r.row = row;
  d.records.push_back(r);
  return true;
}

bool Reconciliation::add_registry_entry(std::string_view payee_id, std::string_view community, std::uint64_t row) {
  Data& d = *data_;
  d.has_registry = true;
  if (too_long(community)) {
    reject(Side::registry, row, "community", "longer than 65535 bytes");
    return false;
  }
  if (community.empty()) {
    reject(Side::registry, row, "community", "missing");
    return false;
  }
  std::string why;
  const std::string id = canonical_id(payee_id, &why);
  if (id.empty()) {
    reject(Side::registry, row, "payee_id", payee_id.empty() ? "missing" : why);
    return false;
  }
  const auto key_of = [&d](std::uint32_t v) { return d.arena.get(d.registry[v].first); };
  if (auto found = d.registry_index.find(id, key_of)) {
    if (d.arena.get(d.registry[*found].second) != community) d.registry_ambiguous[*found] = true;
    return true;
  }
  d.registry.emplace_back(d.arena.add(id), d.arena.add(community));
  d.registry_ambiguous.push_back(false);
  d.registry_index.insert(id, static_cast<std::uint32_t>(d.registry.size() - 1), key_of);
  return true;
}

bool Reconciliation::add_exclusion(const Exclusion& e, std::uint64_t row) {
  Data& d = *data_;
  if (too_long(e.policy) || too_long(e.reason)) {
    reject(Side::exclusions, row, too_long(e.policy) ? "policy" : "reason", "longer than 65535 bytes");
    return false;
  }
  std::string why;
  const std::string id = canonical_id(e.payee_id, &why);
  if (id.empty()) {
    reject(Side::exclusions, row, "payee_id", e.payee_id.empty() ? "missing" : why);
    return false;
  }
  detail::ExclusionRow x;
  x.payee_id = d.arena.add(id);
  x.policy = d.arena.add(e.policy);
  x.reason = d.arena.add(e.reason);
  x.from = e.from;
  d.exclusions.push_back(x);
  return true;
}

bool Reconciliation::has_registry() const { return data_->has_registry; }
const std::vector<Rejection>& Reconciliation::rejections() const { return data_->rejections; }
const Options& Reconciliation::options() const { return data_->options; }

Report Reconciliation::run() {
  Report report;
  report.data_ = std::make_unique<Report::Data>();
  detail::classify(*data_, *report.data_);
  data_ = std::make_unique<Data>();
  data_->options = report.data_->options;
  return report;
}

}  // namespace eligo::payout
