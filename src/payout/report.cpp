// Report: read access to a finished reconciliation, and the evidence line behind every class.
#include <algorithm>

#include "eligo/identity.hpp"
#include "payout/classify.hpp"
#include "payout/store.hpp"

namespace eligo::payout {

using detail::kNone;

const char* to_string(Status s) {
  switch (s) {
    case Status::success: return "success";
    case Status::failed: return "failed";
    case Status::returned: return "returned";
  }
  return "unknown";
}

const char* to_string(Class c) {
  switch (c) {
    case Class::paid: return "paid";
    case Class::repaid: return "repaid";
    case Class::amount_mismatch: return "amount_mismatch";
    case Class::payee_mismatch: return "payee_mismatch";
    case Class::duplicate_payment: return "duplicate_payment";
    case Class::payee_ineligible: return "payee_ineligible";
    case Class::failed: return "failed";
    case Class::missing: return "missing";
    case Class::orphan_record: return "orphan_record";
    case Class::after_cutoff: return "after_cutoff";
  }
  return "unknown";
}

const char* label_zh(Class c) {
  switch (c) {
    case Class::paid: return "正常发放";
    case Class::repaid: return "二次支付成功";
    case Class::amount_mismatch: return "金额不符";
    case Class::payee_mismatch: return "错发";
    case Class::duplicate_payment: return "重复发放(多发)";
    case Class::payee_ineligible: return "不应发放对象";
    case Class::failed: return "发放失败";
    case Class::missing: return "漏发";
    case Class::orphan_record: return "无对应兑付单";
    case Class::after_cutoff: return "截止日后";
  }
  return "";
}

std::optional<Class> class_from_name(std::string_view name) {
  for (int i = 0; i < kClassCount; ++i)
    if (name == to_string(static_cast<Class>(i))) return static_cast<Class>(i);
  return std::nullopt;
}

const char* to_string(MatchedBy m) {
  switch (m) {
    case MatchedBy::none: return "none";
    case MatchedBy::order_no: return "order_no";
    case MatchedBy::fallback: return "fallback";
  }
  return "none";
}

const char* to_string(Side s) {
  switch (s) {
    case Side::orders: return "orders";
    case Side::bank: return "bank";
    case Side::registry: return "registry";
    case Side::exclusions: return "exclusions";
  }
  return "orders";
}

const char* to_string(ClaimSource s) {
  switch (s) {
    case ClaimSource::registry: return "registry";
    case ClaimSource::order: return "order";
    case ClaimSource::unclaimed: return "unclaimed";
  }
  return "unclaimed";
}

Report::Report() = default;
Report::~Report() = default;
Report::Report(Report&&) noexcept = default;
Report& Report::operator=(Report&&) noexcept = default;

std::size_t Report::order_count() const { return data_ ? data_->orders.size() : 0; }
std::size_t Report::record_count() const { return data_ ? data_->records.size() : 0; }
Class Report::order_class(std::size_t i) const { return data_->order_class[i]; }
Class Report::record_class(std::size_t i) const { return data_->record_class[i]; }
const Summary& Report::summary() const { return data_->summary; }
const std::vector<Rejection>& Report::rejections() const { return data_->rejections; }
const Options& Report::options() const { return data_->options; }

OrderResult Report::order(std::size_t i) const {
  const Data& d = *data_;
  const detail::OrderRow& o = d.orders[i];
  OrderResult r;
  r.order.order_no = d.arena.get(o.order_no);
  r.order.policy = d.arena.get(o.policy);
  r.order.period = d.arena.get(o.period);
  r.order.payee_id = d.arena.get(o.payee_id);
  r.order.payee_name = d.arena.get(o.payee_name);
  r.order.account = d.arena.get(o.account);
  r.order.amount = o.amount;
  r.order.created = o.created;
  r.order.community = d.arena.get(o.community);
  r.payee_id = r.order.payee_id;
  r.cls = d.order_class[i];
  r.matched_by = d.order_matched_by[i];
  r.records.assign(d.order_records.begin() + d.order_records_start[i],
                   d.order_records.begin() + d.order_records_start[i + 1]);
  if (d.duplicate_of[i] != kNone) r.duplicate_of = d.duplicate_of[i];
  r.paid = d.paid[i];
  r.community = d.arena.get(d.community[i]);
  r.claim = d.claim[i];
  r.claim_note = detail::claim_note_text(static_cast<detail::ClaimNote>(d.claim_note[i]));
  if (d.exclusion[i] != kNone) r.exclusion_reason = d.arena.get(d.exclusions[d.exclusion[i]].reason);
  return r;
}

RecordResult Report::record(std::size_t i) const {
  const Data& d = *data_;
  const detail::RecordRow& b = d.records[i];
  RecordResult r;
  r.record.serial_no = d.arena.get(b.serial_no);
  r.record.order_no = d.arena.get(b.order_no);
  r.record.payee_id = d.arena.get(b.payee_id);
  r.record.payee_id_hash = d.arena.get(b.payee_id_hash);
  r.record.account = d.arena.get(b.account);
  r.record.name = d.arena.get(b.name);
  r.record.amount = b.amount;
  r.record.status = b.status;
  r.record.value_date = b.value_date;
  r.record.failure_reason = d.arena.get(b.failure_reason);
  r.cls = d.record_class[i];
  r.matched_by = d.record_matched_by[i];
  if (d.record_order[i] != kNone) r.order = d.record_order[i];
  r.cancelled = d.record_cancelled[i];
  return r;
}

std::optional<std::size_t> Report::find_order(std::string_view order_no) const {
  const Data& d = *data_;
  return d.order_index.find(order_no, [&](std::uint32_t v) { return d.arena.get(d.orders[v].order_no); });
}

std::optional<std::size_t> Report::find_record(std::string_view serial_no) const {
  const Data& d = *data_;
  return d.record_index.find(serial_no, [&](std::uint32_t v) { return d.arena.get(d.records[v].serial_no); });
}

void detail::shown_append(bool clear_pii, Shown kind, std::string_view text, std::string* out) {
  if (clear_pii) {
    out->append(text);
    return;
  }
  const identity::MaskOptions defaults;
  if (kind == Shown::name) {
    bool cjk = !text.empty() && text.size() % 3 == 0;
    for (std::size_t i = 0; cjk && i < text.size(); i += 3) {
      const auto b0 = static_cast<unsigned char>(text[i]), b1 = static_cast<unsigned char>(text[i + 1]),
                 b2 = static_cast<unsigned char>(text[i + 2]);
      cjk = b0 >= 0xE4 && b0 <= 0xE9 && (b1 & 0xC0) == 0x80 && (b2 & 0xC0) == 0x80;
    }
    if (cjk && defaults.name_head == 1) {
      const std::size_t n = text.size() / 3;
      if (n > 1) out->append(text.substr(0, 3));
      out->append(n > 1 ? n - 1 : n, '*');
      return;
    }
    out->append(identity::mask(identity::PiiKind::name, text));
    return;
  }
  bool alnum = true;
  for (const char c : text) alnum = alnum && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
  const std::size_t head = static_cast<std::size_t>(kind == Shown::id ? defaults.id_head : defaults.card_head);
  const std::size_t tail = static_cast<std::size_t>(kind == Shown::id ? defaults.id_tail : defaults.card_tail);
  if (alnum) {
    if (text.size() <= head + tail) {
      out->append(text.size(), '*');
    } else {
      out->append(text.substr(0, head));
      out->append(text.size() - head - tail, '*');
      out->append(text.substr(text.size() - tail));
    }
    return;
  }
  out->append(identity::mask(kind == Shown::id ? identity::PiiKind::id_number : identity::PiiKind::bank_card, text));
}

void detail::shown_into(bool clear_pii, Shown kind, std::string_view text, std::string* out) {
  out->clear();
  shown_append(clear_pii, kind, text, out);
}

std::string Report::show_id(std::string_view id) const {
  std::string s;
  detail::shown_into(data_->options.clear_pii, detail::Shown::id, id, &s);
  return s;
}
std::string Report::show_card(std::string_view card) const {
  std::string s;
  detail::shown_into(data_->options.clear_pii, detail::Shown::card, card, &s);
  return s;
}
std::string Report::show_name(std::string_view name) const {
  std::string s;
  detail::shown_into(data_->options.clear_pii, detail::Shown::name, name, &s);
  return s;
}

namespace {

void append_signed_difference(const Decimal& paid, const Decimal& due, std::string* out) {
  Decimal diff;
  if (!Decimal::sub(paid, due, &diff)) {
    out->push_back('?');
    return;
  }
  if (!diff.is_negative()) out->push_back('+');
  detail::money_append(diff, out);
}

// "failed B1 on 2024-03-02 to 622202******0001 (账户不存在)", appended.
void append_attempt(const Report::Data& d, std::uint32_t r, std::string_view verb, std::string* out) {
  const detail::RecordRow& b = d.records[r];
  out->append(verb);
  out->push_back(' ');
  out->append(d.arena.get(b.serial_no));
  out->append(" on ");
  detail::date_append(b.value_date, out);
  const std::string_view account = d.arena.get(b.account);
  if (!account.empty()) {
    out->append(" to ");
    detail::shown_append(d.options.clear_pii, detail::Shown::card, account, out);
  }
  const std::string_view reason = d.arena.get(b.failure_reason);
  if (!reason.empty() && b.status != Status::success) {
    out->append(" (");
    out->append(reason);
    out->push_back(')');
  }
}

const char* failure_verb(const Report::Data& d, std::uint32_t r) {
  const detail::RecordRow& b = d.records[r];
  if (b.status == Status::failed) return "failed";
  if (b.status == Status::returned) return "returned";
  return d.record_cancelled[r] ? "paid then returned" : "paid";
}

}  // namespace

// The order's records are split into successes (not cancelled by a return) and the rest, each kept in the
// order's attempt order, without copying them out: `is_success` tells them apart.
void detail::order_evidence_into(const Report::Data& d, std::size_t i, std::string* out) {
  const detail::OrderRow& o = d.orders[i];
  const std::uint32_t b = d.order_records_start[i], e = d.order_records_start[i + 1];
  const std::uint32_t* list = d.order_records.data();
  const auto is_success = [&](std::uint32_t r) {
    return d.records[r].status == Status::success && !d.record_cancelled[r];
  };
  std::uint32_t first_success = kNone, n_successes = 0;
  bool any_failure = false;
  for (std::uint32_t k = b; k < e; ++k) {
    if (is_success(list[k])) {
      if (n_successes++ == 0) first_success = list[k];
    } else {
      any_failure = true;
    }
  }
  std::string& s = *out;
  s.clear();
  const auto join_failures = [&] {
    for (std::uint32_t k = b; k < e; ++k) {
      const std::uint32_t r = list[k];
      if (is_success(r)) continue;
      if (!s.empty()) s += "; ";
      append_attempt(d, r, failure_verb(d, r), &s);
    }
  };
  const bool clear = d.options.clear_pii;
  switch (d.order_class[i]) {
    case Class::missing:
      s = "no bank record";
      if (d.options.cutoff) {
        s += " on or before ";
        detail::date_append(*d.options.cutoff, &s);
      }
      break;
    case Class::failed:
      join_failures();
      s += "; not paid";
      break;
    case Class::paid:
      if (any_failure) {
        join_failures();
        s += "; ";
        append_attempt(d, first_success, "retried to the same account: paid by", &s);
      } else {
        append_attempt(d, first_success, "paid by", &s);
      }
      break;
    case Class::repaid:
      join_failures();
      s += "; ";
      append_attempt(d, first_success, "repaid by", &s);
      break;
    case Class::amount_mismatch: {
      const detail::RecordRow& r = d.records[first_success];
      append_attempt(d, first_success, "paid by", &s);
      s += ": ";
      detail::money_append(r.amount, &s);
      s += " instead of ";
      detail::money_append(o.amount, &s);
      s += " (";
      append_signed_difference(r.amount, o.amount, &s);
      s += ')';
      break;
    }
    case Class::payee_mismatch: {
      const detail::RecordRow& r = d.records[first_success];
      const detail::PayeeCheck c = detail::check_payee(d.arena, o, r);
      append_attempt(d, first_success, "paid by", &s);
      s += ": ";
      bool first = true;
      const auto part = [&](const char* what, detail::Shown kind, std::string_view theirs, std::string_view ours) {
        if (!first) s += ", ";
        first = false;
        s += what;
        detail::shown_append(clear, kind, theirs, &s);
        s += " is not the order's ";
        detail::shown_append(clear, kind, ours, &s);
      };
      if (c.account) part("account ", detail::Shown::card, d.arena.get(r.account), d.arena.get(o.account));
      if (c.name) part("name ", detail::Shown::name, d.arena.get(r.name), d.arena.get(o.payee_name));
      if (c.id) part("ID ", detail::Shown::id, d.arena.get(r.payee_id), d.arena.get(o.payee_id));
      break;
    }
    case Class::duplicate_payment:
      if (n_successes > 1) {
        s += "paid ";
        s += std::to_string(n_successes);
        s += " times: ";
        Decimal over;
        bool first = true;
        for (std::uint32_t k = b; k < e; ++k) {
          if (!is_success(list[k])) continue;
          const detail::RecordRow& r = d.records[list[k]];
          if (!first) {
            s += ", ";
            Decimal t;
            if (Decimal::add(over, r.amount, &t)) over = t;
          }
          first = false;
          s += d.arena.get(r.serial_no);
          s += " on ";
          detail::date_append(r.value_date, &s);
        }
        s += " (over-payment ";
        detail::money_append(over, &s);
        s += ')';
      }
      if (d.duplicate_of[i] != kNone) {
        const std::uint32_t first = d.duplicate_of[i];
        if (!s.empty()) s += "; ";
        s += "payee already paid for ";
        s += d.arena.get(o.policy);
        s += ' ';
        s += d.arena.get(o.period);
        s += " under order ";
        s += d.arena.get(d.orders[first].order_no);
        s += "; this order ";
        append_attempt(d, first_success, "paid by", &s);
      }
      break;
    case Class::payee_ineligible: {
      const detail::ExclusionRow& x = d.exclusions[d.exclusion[i]];
      s = "payee on the exclusion list";
      if (x.from) {
        s += " from ";
        detail::date_append(*x.from, &s);
      }
      const std::string_view reason = d.arena.get(x.reason);
      if (!reason.empty()) {
        s += " (";
        s += reason;
        s += ')';
      }
      if (n_successes == 0) {
        s += "; not paid";
      } else {
        for (std::uint32_t k = b; k < e; ++k) {
          if (!is_success(list[k])) continue;
          s += "; ";
          append_attempt(d, list[k], "paid by", &s);
        }
      }
      break;
    }
    case Class::orphan_record:
    case Class::after_cutoff:
      break;
  }
  if (d.order_matched_by[i] == MatchedBy::fallback) s += " [records matched by payee, amount and date]";
}

void detail::record_evidence_into(const Report::Data& d, std::size_t i, std::string* out) {
  const detail::RecordRow& b = d.records[i];
  const std::uint32_t o = d.record_order[i];
  const std::string_view order_no = o == kNone ? std::string_view() : d.arena.get(d.orders[o].order_no);
  std::string& s = *out;
  s.clear();
  switch (d.record_class[i]) {
    case Class::after_cutoff:
      s += "value date ";
      detail::date_append(b.value_date, &s);
      s += " is after the cut-off ";
      if (d.options.cutoff) {
        detail::date_append(*d.options.cutoff, &s);
      } else {
        s += '?';
      }
      break;
    case Class::orphan_record:
      switch (static_cast<detail::OrphanNote>(d.record_note[i])) {
        case detail::OrphanNote::unknown_order_no:
          s += "no accepted order numbered ";
          s += d.arena.get(b.order_no);
          break;
        case detail::OrphanNote::nothing_to_match_by:
          s += "no order number and no payee ID to match by";
          break;
        case detail::OrphanNote::fallback_disabled:
          s += "no order number, and matching by payee is off";
          break;
        case detail::OrphanNote::unknown_payee:
          s += "no order number, and the payee has no order";
          break;
        case detail::OrphanNote::no_candidate:
          s += "no order number, and no order of the payee for ";
          detail::money_append(b.amount, &s);
          s += " created 0-";
          s += std::to_string(std::max(d.options.fallback_window_days, 0));
          s += " days before ";
          detail::date_append(b.value_date, &s);
          break;
        case detail::OrphanNote::none:
          break;
      }
      break;
    case Class::failed:
      if (b.status == Status::success) {
        s += "paid order ";
        s += order_no;
        s += ", then returned (退票)";
      } else {
        s += b.status == Status::failed ? "failed" : "returned";
        s += " payment of order ";
        s += order_no;
        const std::string_view reason = d.arena.get(b.failure_reason);
        if (!reason.empty()) {
          s += " (";
          s += reason;
          s += ')';
        }
      }
      break;
    case Class::paid:
      s += "pays order ";
      s += order_no;
      break;
    case Class::repaid:
      s += "repays order ";
      s += order_no;
      s += " after a failure to another account";
      break;
    case Class::amount_mismatch:
      s += "pays order ";
      s += order_no;
      s += ' ';
      detail::money_append(b.amount, &s);
      s += " instead of ";
      detail::money_append(d.orders[o].amount, &s);
      break;
    case Class::payee_mismatch: {
      const detail::PayeeCheck c = detail::check_payee(d.arena, d.orders[o], b);
      s += "pays order ";
      s += order_no;
      s += " to another";
      if (c.account) s += " account";
      if (c.name) s += c.account ? ", name" : " name";
      if (c.id) s += c.account || c.name ? ", ID" : " ID";
      break;
    }
    case Class::duplicate_payment: {
      bool first_success = true;
      for (std::uint32_t k = d.order_records_start[o]; k < d.order_records_start[o + 1]; ++k) {
        const std::uint32_t r = d.order_records[k];
        if (d.records[r].status != Status::success || d.record_cancelled[r]) continue;
        first_success = r == i;
        break;
      }
      s += "pays order ";
      s += order_no;
      if (!first_success) {
        s += " again (an earlier success exists)";
      } else {
        s += ", but the payee was already paid for the same policy and period under order ";
        s += d.arena.get(d.orders[d.duplicate_of[o]].order_no);
      }
      break;
    }
    case Class::payee_ineligible:
      s += "pays order ";
      s += order_no;
      s += " whose payee is on the exclusion list";
      break;
    case Class::missing:
      break;
  }
  if (d.record_matched_by[i] == MatchedBy::fallback) s += " [matched by payee, amount and date]";
}

std::string Report::order_evidence(std::size_t i) const {
  std::string s;
  detail::order_evidence_into(*data_, i, &s);
  return s;
}

std::string Report::record_evidence(std::size_t i) const {
  std::string s;
  detail::record_evidence_into(*data_, i, &s);
  return s;
}

}  // namespace eligo::payout
