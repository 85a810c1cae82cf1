// Classification of orders and bank records (docs/payout.md, "Classes" and "Tie-breaking").
//
// Everything that could depend on input order is decided on sorted data: orders by order number, records by
// serial number, a record's attempts by (value date, success before return, serial number). Duplicate
// numbers are settled per group, never by "whichever came first".
#include <algorithm>
#include <cstring>
#include <numeric>
#include <type_traits>
#include <utility>

#include "eligo/identity.hpp"
#include "payout/classify.hpp"

namespace eligo::payout::detail {
namespace {

// ─── Sorting text keys fast: the first 16 bytes as two big-endian words, the rest only on a tie ─────────

struct SortKey {
  std::uint64_t a = 0, b = 0;
  std::uint32_t index = 0;
  std::uint32_t size = 0;
};

std::uint64_t big_endian_word(std::string_view s, std::size_t from) {
  std::uint64_t w = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    w <<= 8;
    if (from + i < s.size()) w |= static_cast<unsigned char>(s[from + i]);
  }
  return w;
}

// The keys sorted by (text, index); a key's text is read again only when two keys share their first 16
// bytes and one is longer.
template <class TextOf>
std::vector<SortKey> sorted_by_text(std::size_t n, const TextOf& text_of) {
  std::vector<SortKey> keys(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view s = text_of(i);
    keys[i] = SortKey{big_endian_word(s, 0), big_endian_word(s, 8), static_cast<std::uint32_t>(i),
                      static_cast<std::uint32_t>(s.size())};
  }
  std::sort(keys.begin(), keys.end(), [&](const SortKey& x, const SortKey& y) {
    if (x.a != y.a) return x.a < y.a;
    if (x.b != y.b) return x.b < y.b;
    if (x.size > 16 || y.size > 16) {
      const int c = text_of(x.index).compare(text_of(y.index));
      if (c != 0) return c < 0;
    } else if (x.size != y.size) {
      return x.size < y.size;  // "A" vs "A\0": zero padding made them tie
    }
    return x.index < y.index;
  });
  return keys;
}

std::string rows_text(std::vector<std::uint64_t> rows) {
  std::sort(rows.begin(), rows.end());
  std::string out;
  for (std::size_t i = 0; i < rows.size() && i < 5; ++i) out += (i ? ", " : "") + std::to_string(rows[i]);
  if (rows.size() > 5) out += ", …";
  return out;
}

bool same_order_row(const Arena& a, const OrderRow& x, const OrderRow& y) {
  return a.get(x.policy) == a.get(y.policy) && a.get(x.period) == a.get(y.period) && x.payee == y.payee &&
         a.get(x.payee_name) == a.get(y.payee_name) && a.get(x.account) == a.get(y.account) &&
         a.get(x.community) == a.get(y.community) && x.amount == y.amount && x.amount.scale() == y.amount.scale() &&
         x.created == y.created;
}

bool same_record_row(const Arena& a, const RecordRow& x, const RecordRow& y) {
  // The same payee number is the same canonical ID text (and kNone is no ID on both).
  return a.get(x.order_no) == a.get(y.order_no) && x.payee == y.payee &&
         a.get(x.payee_id_hash) == a.get(y.payee_id_hash) && a.get(x.account) == a.get(y.account) &&
         a.get(x.name) == a.get(y.name) && a.get(x.failure_reason) == a.get(y.failure_reason) &&
         x.amount == y.amount && x.amount.scale() == y.amount.scale() && x.value_date == y.value_date &&
         x.status == y.status;
}

// Sorts `rows` by key; rows sharing a key are kept once when identical, else all rejected. The kept rows
// are gathered in key order, and `moved(row)` is called on each as it is (it copies the row's text into a
// fresh arena in the same order, so later passes over the sorted rows read their text sequentially).
template <class Rows, class KeyOf, class Same, class Ahead, class Moved, class Row = std::decay_t<decltype(std::declval<Rows&>()[0])>>
BigVector<Row> dedupe_sorted(Rows& rows, Side side, const char* field, const char* what,
                               const KeyOf& key_of, const Same& same, const Ahead& ahead, const Moved& moved,
                               std::vector<Rejection>& rejections) {
  const std::vector<SortKey> keys = sorted_by_text(rows.size(), [&](std::size_t i) { return key_of(rows[i]); });
  const auto same_key = [&](const SortKey& x, const SortKey& y) {
    return x.a == y.a && x.b == y.b && x.size == y.size && (x.size <= 16 || key_of(rows[x.index]) == key_of(rows[y.index]));
  };
  BigVector<Row> out;
  out.reserve(rows.size());
  const auto keep = [&](const Row& row) {
    out.push_back(row);
    moved(out.back());
  };
  // The rows are read in key order, i.e. at random: the row 16 ahead is fetched, and `ahead` is called on
  // the row 8 ahead (to fetch its text).
  constexpr std::size_t kAhead = 16, kText = 8;
  for (std::size_t k = 0; k < kAhead && k < keys.size(); ++k) __builtin_prefetch(&rows[keys[k].index]);
  for (std::size_t k = 0; k < kText && k < keys.size(); ++k) ahead(rows[keys[k].index]);
  for (std::size_t i = 0; i < keys.size();) {
    std::size_t j = i + 1;
    while (j < keys.size() && same_key(keys[i], keys[j])) ++j;
    for (std::size_t k = i; k < j; ++k) {
      if (k + kAhead < keys.size()) __builtin_prefetch(&rows[keys[k + kAhead].index]);
      if (k + kText < keys.size()) ahead(rows[keys[k + kText].index]);
    }
    if (j == i + 1) {
      keep(rows[keys[i].index]);
    } else {
      const std::string_view key = key_of(rows[keys[i].index]);
      bool identical = true;
      std::size_t kept = i;  // the identical row with the smallest row number is kept
      for (std::size_t k = i + 1; k < j; ++k) {
        identical = identical && same(rows[keys[i].index], rows[keys[k].index]);
        if (rows[keys[k].index].row < rows[keys[kept].index].row) kept = k;
      }
      if (identical) {
        for (std::size_t k = i; k < j; ++k)
          if (k != kept)
            rejections.push_back(Rejection{side, rows[keys[k].index].row, field,
                                           "repeats row " + std::to_string(rows[keys[kept].index].row) + " exactly"});
        keep(rows[keys[kept].index]);
      } else {
        std::vector<std::uint64_t> all;
        for (std::size_t k = i; k < j; ++k) all.push_back(rows[keys[k].index].row);
        for (std::size_t k = i; k < j; ++k)
          rejections.push_back(Rejection{side, rows[keys[k].index].row, field,
                                         std::string(what) + " " + std::string(key) + " is on " +
                                             std::to_string(j - i) + " rows with different content (rows " +
                                             rows_text(all) + ")"});
      }
    }
    i = j;
  }
  rows = Rows();  // released: the kept rows are in `out`
  return out;
}

void add_tally(Tally& t, const Decimal& amount) {
  ++t.count;
  Decimal sum;
  if (Decimal::add(t.amount, amount, &sum)) t.amount = sum;  // 37 digits: unreachable for real money
}

}  // namespace

bool same_account(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  for (;;) {
    while (i < a.size() && (a[i] == ' ' || a[i] == '-')) ++i;
    while (j < b.size() && (b[j] == ' ' || b[j] == '-')) ++j;
    if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
    if (a[i] != b[j]) return false;
    ++i;
    ++j;
  }
}

PayeeCheck check_payee(const Arena& arena, const OrderRow& order, const RecordRow& record) {
  PayeeCheck c;
  c.id = record.payee != kNone && record.payee != order.payee;  // interned: same number, same canonical ID
  const std::string_view ra = arena.get(record.account), oa = arena.get(order.account);
  c.account = !ra.empty() && !oa.empty() && !same_account(ra, oa);
  const std::string_view rn = arena.get(record.name), on = arena.get(order.payee_name);
  c.name = !rn.empty() && !on.empty() && rn != on && !identity::names_match(rn, on);
  return c;
}

std::optional<Date> period_start(std::string_view p) {
  auto digits = [&](std::size_t from, std::size_t n, int* out) {
    if (from + n > p.size()) return false;
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (p[i] < '0' || p[i] > '9') return false;
      v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
  };
  int year = 0, month = 0, day = 0;
  if (!digits(0, 4, &year)) return std::nullopt;
  if (p.size() == 4) return Date::from_ymd(year, 1, 1);
  if (p.size() == 6 && digits(4, 2, &month)) return Date::from_ymd(year, month, 1);
  std::size_t at = 4;
  if (p[at] == '-' || p[at] == '/') ++at;
  if (at < p.size() && (p[at] == 'Q' || p[at] == 'q' || p[at] == 'H' || p[at] == 'h') && p.size() == at + 2) {
    const int n = p[at + 1] - '0';
    const bool quarter = p[at] == 'Q' || p[at] == 'q';
    if (quarter && n >= 1 && n <= 4) return Date::from_ymd(year, 3 * (n - 1) + 1, 1);
    if (!quarter && n >= 1 && n <= 2) return Date::from_ymd(year, 6 * (n - 1) + 1, 1);
    return std::nullopt;
  }
  if (at == 5 && p.size() == 7 && digits(5, 2, &month)) return Date::from_ymd(year, month, 1);
  if (at == 5 && p.size() == 10 && p[7] == p[4] && digits(5, 2, &month) && digits(8, 2, &day))
    return Date::from_ymd(year, month, day);
  return std::nullopt;
}

std::string_view claim_note_text(ClaimNote note) {
  switch (note) {
    case ClaimNote::none: return "";
    case ClaimNote::not_in_registry: return "payee not in the registry";
    case ClaimNote::registry_ambiguous: return "the registry lists the payee under more than one community";
    case ClaimNote::no_registry_no_community: return "no registry given and the order names no community";
    case ClaimNote::registry_overrides_order: return "the order names another community; the registry's is used";
  }
  return "";
}

void classify(Reconciliation::Data& in, Report::Data& out) {
  out.options = in.options;
  out.rejections = std::move(in.rejections);
  const Arena& arena = in.arena;

  // ── 1. Orders by order number, records by serial number; duplicate numbers settled per group. ──
  // The text of the kept rows is copied into a fresh arena in that order (a payee's ID where its first order
  // is), so every later pass — the indexes, the classes, the report files — reads it front to back instead
  // of at random. The input-order arena goes in two steps: once orders and payees are copied, the blocks
  // below the first text still needed (records', exclusions', the registry's) are freed; the rest when the
  // records are gathered.
  Arena fresh;
  std::vector<Ref> payee_moved(in.payees.size());
  const auto move_ref = [&](Ref& r) { r = fresh.add(arena.get(r)); };
  const auto move_payee = [&](std::uint32_t p) {
    if (payee_moved[p].bits == 0) payee_moved[p] = fresh.add(arena.get(in.payees[p]));
    return payee_moved[p];
  };
  out.orders = dedupe_sorted(
      in.orders, Side::orders, "order_no", "order number", [&](const OrderRow& r) { return arena.get(r.order_no); },
      [&](const OrderRow& x, const OrderRow& y) { return same_order_row(arena, x, y); },
      [&](const OrderRow& r) {
        arena.prefetch(r.order_no);
        arena.prefetch(r.payee_id);
      },
      [&](OrderRow& r) {
        move_ref(r.order_no);
        move_ref(r.policy);
        move_ref(r.period);
        r.payee_id = move_payee(r.payee);
        move_ref(r.payee_name);
        move_ref(r.account);
        move_ref(r.community);
      },
      out.rejections);
  for (std::size_t p = 0; p < in.payees.size(); ++p) in.payees[p] = move_payee(static_cast<std::uint32_t>(p));
  {
    std::size_t live = SIZE_MAX;
    const auto note = [&live](Ref r) {
      if ((r.bits & 0xFFFFFF) != 0) live = std::min(live, Arena::block_of(r));
    };
    for (const RecordRow& r : in.records) {  // payee_id is re-pointed through `payee`, not read
      note(r.serial_no);
      note(r.order_no);
      note(r.payee_id_hash);
      note(r.account);
      note(r.name);
      note(r.failure_reason);
    }
    for (const ExclusionRow& x : in.exclusions) {
      note(x.payee_id);
      note(x.policy);
      note(x.reason);
    }
    for (const auto& [id, community] : in.registry) {
      note(id);
      note(community);
    }
    in.arena.release_blocks_before(live);
  }
  out.records = dedupe_sorted(
      in.records, Side::bank, "serial_no", "serial number", [&](const RecordRow& r) { return arena.get(r.serial_no); },
      [&](const RecordRow& x, const RecordRow& y) { return same_record_row(arena, x, y); },
      [&](const RecordRow& r) { arena.prefetch(r.serial_no); },
      [&](RecordRow& r) {
        move_ref(r.serial_no);
        move_ref(r.order_no);
        r.payee_id = r.payee != kNone ? in.payees[r.payee] : Ref{};
        move_ref(r.payee_id_hash);
        move_ref(r.account);
        move_ref(r.name);
        move_ref(r.failure_reason);
      },
      out.rejections);
  for (ExclusionRow& x : in.exclusions) {
    move_ref(x.payee_id);
    move_ref(x.policy);
    move_ref(x.reason);
  }
  for (auto& [id, community] : in.registry) {
    move_ref(id);
    move_ref(community);
  }
  in.arena = std::move(fresh);  // `arena` refers to in.arena: from here on, the fresh text
  const std::size_t n_orders = out.orders.size(), n_records = out.records.size();
  const auto order_key = [&](std::uint32_t v) { return arena.get(out.orders[v].order_no); };
  const auto record_key = [&](std::uint32_t v) { return arena.get(out.records[v].serial_no); };
  out.order_index.reserve(n_orders, order_key);
  for (std::size_t i = 0; i < n_orders; ++i)
    out.order_index.insert(order_key(static_cast<std::uint32_t>(i)), static_cast<std::uint32_t>(i), order_key);
  out.record_index.reserve(n_records, record_key);
  for (std::size_t i = 0; i < n_records; ++i)
    out.record_index.insert(record_key(static_cast<std::uint32_t>(i)), static_cast<std::uint32_t>(i), record_key);

  out.order_class.assign(n_orders, Class::missing);
  out.order_matched_by.assign(n_orders, MatchedBy::none);
  out.duplicate_of.assign(n_orders, kNone);
  out.paid.assign(n_orders, Decimal());
  out.community.assign(n_orders, Ref{});
  out.claim.assign(n_orders, ClaimSource::unclaimed);
  out.claim_note.assign(n_orders, 0);
  out.exclusion.assign(n_orders, kNone);
  out.record_class.assign(n_records, Class::orphan_record);
  out.record_matched_by.assign(n_records, MatchedBy::none);
  out.record_order.assign(n_records, kNone);
  out.record_cancelled.assign(n_records, false);
  out.record_note.assign(n_records, 0);

  // ── 2. Match records: the echoed order number first; the fallback key for the rest. ──
  std::vector<std::uint8_t> successes(n_orders, 0);  // successful records attached so far (saturating)
  std::vector<std::uint32_t> fallback;
  for (std::size_t r = 0; r < n_records; ++r) {
    const RecordRow& rec = out.records[r];
    if (in.options.cutoff && rec.value_date > *in.options.cutoff) {
      out.record_class[r] = Class::after_cutoff;
      continue;
    }
    const std::string_view no = arena.get(rec.order_no);
    if (!no.empty()) {
      if (auto o = out.order_index.find(no, order_key)) {
        out.record_order[r] = *o;
        out.record_matched_by[r] = MatchedBy::order_no;
        if (rec.status == Status::success && successes[*o] < 255) ++successes[*o];
      } else {
        out.record_note[r] = static_cast<std::uint8_t>(OrphanNote::unknown_order_no);
      }
      continue;
    }
    if (arena.get(rec.payee_id).empty() && arena.get(rec.payee_id_hash).empty()) {
      out.record_note[r] = static_cast<std::uint8_t>(OrphanNote::nothing_to_match_by);
    } else if (!in.options.fallback) {
      out.record_note[r] = static_cast<std::uint8_t>(OrphanNote::fallback_disabled);
    } else {
      fallback.push_back(static_cast<std::uint32_t>(r));
    }
  }
  if (!fallback.empty()) {
    // Orders of each payee, by created date then order number (CSR over the interned payee numbers).
    const std::size_t n_payees = in.payees.size();
    std::vector<std::uint32_t> start(n_payees + 1, 0);
    for (const OrderRow& o : out.orders) ++start[o.payee + 1];
    std::partial_sum(start.begin(), start.end(), start.begin());
    std::vector<std::uint32_t> by_payee(n_orders), fill(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n_orders; ++i) by_payee[fill[out.orders[i].payee]++] = static_cast<std::uint32_t>(i);
    // Keyed hashes of the order payees, only when some record carries a hash.
    TextIndex hash_index;
    std::vector<std::string> hashes;
    const bool any_hash = std::any_of(fallback.begin(), fallback.end(), [&](std::uint32_t r) {
      return !arena.get(out.records[r].payee_id_hash).empty() && arena.get(out.records[r].payee_id).empty();
    });
    const auto hash_key = [&](std::uint32_t v) { return std::string_view(hashes[v]); };
    if (any_hash) {
      hashes.resize(n_payees);
      for (std::size_t p = 0; p < n_payees; ++p) {
        if (start[p] == start[p + 1]) continue;
        hashes[p] = identity::keyed_id_hash(in.options.id_hash_key, arena.get(in.payees[p]));
        hash_index.insert(hashes[p], static_cast<std::uint32_t>(p), hash_key);
      }
    }
    // Records in (value date, serial number) order, so earlier payments claim orders first.
    std::stable_sort(fallback.begin(), fallback.end(), [&](std::uint32_t x, std::uint32_t y) {
      return out.records[x].value_date < out.records[y].value_date;
    });
    const int window = std::max(in.options.fallback_window_days, 0);
    for (std::uint32_t r : fallback) {
      const RecordRow& rec = out.records[r];
      std::optional<std::uint32_t> payee;
      if (rec.payee != kNone)
        payee = rec.payee;
      else
        payee = hash_index.find(arena.get(rec.payee_id_hash), hash_key);
      if (!payee || start[*payee] == start[*payee + 1]) {
        out.record_note[r] = static_cast<std::uint8_t>(OrphanNote::unknown_payee);
        continue;
      }
      // Best candidate: right kind of order first (open for a payment or failure; one with a success to
      // the same account for a return), then the latest created date, then the smallest order number.
      std::uint32_t best = kNone;
      int best_rank = -1;
      for (std::uint32_t k = start[*payee]; k < start[*payee + 1]; ++k) {
        const std::uint32_t o = by_payee[k];
        const OrderRow& ord = out.orders[o];
        if (ord.amount != rec.amount) continue;
        const int lag = days_between(ord.created, rec.value_date);
        if (lag < 0 || lag > window) continue;
        const int preferred = rec.status == Status::returned ? successes[o] > 0 : successes[o] == 0;
        const int rank = preferred;
        const bool better = best == kNone || rank > best_rank ||
                            (rank == best_rank && (ord.created > out.orders[best].created ||
                                                   (ord.created == out.orders[best].created && o < best)));
        if (better) {
          best = o;
          best_rank = rank;
        }
      }
      if (best == kNone) {
        out.record_note[r] = static_cast<std::uint8_t>(OrphanNote::no_candidate);
        continue;
      }
      out.record_order[r] = best;
      out.record_matched_by[r] = MatchedBy::fallback;
      if (rec.status == Status::success && successes[best] < 255) ++successes[best];
    }
  }

  // ── 3. Records of each order, by (value date, success before return on one day, serial number). ──
  out.order_records_start.assign(n_orders + 1, 0);
  for (std::size_t r = 0; r < n_records; ++r)
    if (out.record_order[r] != kNone) ++out.order_records_start[out.record_order[r] + 1];
  std::partial_sum(out.order_records_start.begin(), out.order_records_start.end(), out.order_records_start.begin());
  out.order_records.assign(out.order_records_start.back(), 0);
  {
    std::vector<std::uint32_t> fill(out.order_records_start.begin(), out.order_records_start.end() - 1);
    for (std::size_t r = 0; r < n_records; ++r)
      if (out.record_order[r] != kNone) out.order_records[fill[out.record_order[r]]++] = static_cast<std::uint32_t>(r);
  }
  const auto attempt_less = [&](std::uint32_t x, std::uint32_t y) {
    const RecordRow& a = out.records[x];
    const RecordRow& b = out.records[y];
    if (a.value_date != b.value_date) return a.value_date < b.value_date;
    const bool ra = a.status == Status::returned, rb = b.status == Status::returned;
    if (ra != rb) return rb;
    return x < y;
  };

  // ── 4. Exclusions and claims (both by payee). ──
  out.exclusions = std::move(in.exclusions);
  std::vector<std::vector<std::uint32_t>> exclusions_of;  // by payee
  if (!out.exclusions.empty()) {
    exclusions_of.resize(in.payees.size());
    for (std::size_t e = 0; e < out.exclusions.size(); ++e)
      if (auto p = in.find_payee(arena.get(out.exclusions[e].payee_id)))
        exclusions_of[*p].push_back(static_cast<std::uint32_t>(e));
  }
  const auto registry_key = [&](std::uint32_t v) { return arena.get(in.registry[v].first); };
  for (std::size_t i = 0; i < n_orders; ++i) {
    const OrderRow& o = out.orders[i];
    if (!exclusions_of.empty()) {
      const std::optional<Date> start = period_start(arena.get(o.period));
      const Date reference = start ? *start : o.created;
      // The earliest-listed applicable exclusion (by its own sort: from date, then reason) is shown.
      for (std::uint32_t e : exclusions_of[o.payee]) {
        const ExclusionRow& x = out.exclusions[e];
        if (!arena.get(x.policy).empty() && arena.get(x.policy) != arena.get(o.policy)) continue;
        if (x.from && *x.from > reference) continue;
        if (out.exclusion[i] == kNone) {
          out.exclusion[i] = e;
          continue;
        }
        const ExclusionRow& cur = out.exclusions[out.exclusion[i]];
        const Date xf = x.from ? *x.from : Date::from_days(INT32_MIN);
        const Date cf = cur.from ? *cur.from : Date::from_days(INT32_MIN);
        if (xf < cf || (xf == cf && arena.get(x.reason) < arena.get(cur.reason))) out.exclusion[i] = e;
      }
    }
    const std::string_view own = arena.get(o.community);
    if (in.has_registry) {
      const auto hit = in.registry_index.find(arena.get(o.payee_id), registry_key);
      if (!hit) {
        out.claim_note[i] = static_cast<std::uint8_t>(ClaimNote::not_in_registry);
      } else if (in.registry_ambiguous[*hit]) {
        out.claim_note[i] = static_cast<std::uint8_t>(ClaimNote::registry_ambiguous);
      } else {
        out.claim[i] = ClaimSource::registry;
        out.community[i] = in.registry[*hit].second;
        if (!own.empty() && own != arena.get(out.community[i]))
          out.claim_note[i] = static_cast<std::uint8_t>(ClaimNote::registry_overrides_order);
      }
    } else if (!own.empty()) {
      out.claim[i] = ClaimSource::order;
      out.community[i] = o.community;
    } else {
      out.claim_note[i] = static_cast<std::uint8_t>(ClaimNote::no_registry_no_community);
    }
  }

  // ── 5. Each order on its own records. ──
  std::vector<std::uint32_t> first_success(n_orders, kNone);
  for (std::size_t i = 0; i < n_orders; ++i) {
    const std::uint32_t b = out.order_records_start[i], e = out.order_records_start[i + 1];
    std::uint32_t* list = out.order_records.data();
    if (e - b > 1) std::sort(list + b, list + e, attempt_less);
    const OrderRow& o = out.orders[i];
    if (b == e) {
      out.order_class[i] = out.exclusion[i] != kNone ? Class::payee_ineligible : Class::missing;
      continue;
    }
    out.order_matched_by[i] = out.record_matched_by[list[b]];
    for (std::uint32_t k = b; k < e; ++k)
      if (out.record_matched_by[list[k]] == MatchedBy::order_no) out.order_matched_by[i] = MatchedBy::order_no;
    // A return (退票) cancels the latest earlier success of the same amount to the same account.
    for (std::uint32_t k = b; k < e; ++k) {
      const RecordRow& ret = out.records[list[k]];
      if (ret.status != Status::returned) continue;
      for (std::uint32_t m = k; m-- > b;) {
        const RecordRow& s = out.records[list[m]];
        if (s.status == Status::success && !out.record_cancelled[list[m]] && s.amount == ret.amount &&
            same_account(arena.get(s.account), arena.get(ret.account))) {
          out.record_cancelled[list[m]] = true;
          break;
        }
      }
    }
    std::uint32_t n_success = 0, success = kNone;
    Decimal paid;
    for (std::uint32_t k = b; k < e; ++k) {
      const std::uint32_t r = list[k];
      const RecordRow& rec = out.records[r];
      if (rec.status != Status::success || out.record_cancelled[r]) {
        out.record_class[r] = Class::failed;
        continue;
      }
      Decimal sum;
      if (Decimal::add(paid, rec.amount, &sum)) paid = sum;
      if (n_success++ == 0) {
        success = r;
      } else {
        out.record_class[r] = Class::duplicate_payment;
      }
    }
    out.paid[i] = paid;
    first_success[i] = success;
    if (success == kNone) {
      out.order_class[i] = out.exclusion[i] != kNone ? Class::payee_ineligible : Class::failed;
      continue;
    }
    const RecordRow& s = out.records[success];
    Class c;
    if (check_payee(arena, o, s).any()) {
      c = Class::payee_mismatch;
    } else if (s.amount != o.amount) {
      c = Class::amount_mismatch;
    } else {
      c = Class::paid;
      for (std::uint32_t k = b; k < e && list[k] != success; ++k) {
        const RecordRow& f = out.records[list[k]];
        const std::string_view fa = arena.get(f.account), sa = arena.get(s.account);
        if (!fa.empty() && !sa.empty() && !same_account(fa, sa)) c = Class::repaid;
      }
    }
    out.record_class[success] = c;
    if (out.exclusion[i] != kNone) {
      out.order_class[i] = Class::payee_ineligible;
      for (std::uint32_t k = b; k < e; ++k)
        if (out.record_class[list[k]] != Class::failed) out.record_class[list[k]] = Class::payee_ineligible;
    } else {
      out.order_class[i] = n_success > 1 ? Class::duplicate_payment : c;
    }
  }

  // ── 6. The same payee paid for the same policy and period under different orders. ──
  {
    // Intern policy and period texts so the grouping sort compares integers.
    std::vector<std::uint32_t> policy_id(n_orders), period_id(n_orders);
    std::vector<std::string_view> texts;
    TextIndex text_index;
    const auto text_key = [&](std::uint32_t v) { return texts[v]; };
    const auto intern = [&](std::string_view s) {
      const auto v = static_cast<std::uint32_t>(texts.size());
      texts.push_back(s);
      const std::uint32_t got = text_index.insert(s, v, text_key);
      if (got != v) texts.pop_back();
      return got;
    };
    struct Paid {
      std::uint32_t payee, policy, period;
      Date date;
      std::uint32_t record, order;
    };
    std::vector<Paid> paid;
    for (std::size_t i = 0; i < n_orders; ++i) {
      if (first_success[i] == kNone || out.order_class[i] == Class::payee_ineligible ||
          out.order_class[i] == Class::payee_mismatch)
        continue;
      const OrderRow& o = out.orders[i];
      paid.push_back(Paid{o.payee, intern(arena.get(o.policy)), intern(arena.get(o.period)),
                          out.records[first_success[i]].value_date, first_success[i], static_cast<std::uint32_t>(i)});
    }
    // The first payment (by value date, then serial number) keeps its class; later ones are duplicates.
    // Interned numbers depend only on the sorted order of orders, so the grouping is input-order free.
    std::sort(paid.begin(), paid.end(), [](const Paid& x, const Paid& y) {
      if (x.payee != y.payee) return x.payee < y.payee;
      if (x.policy != y.policy) return x.policy < y.policy;
      if (x.period != y.period) return x.period < y.period;
      if (x.date != y.date) return x.date < y.date;
      return x.record < y.record;
    });
    for (std::size_t k = 1; k < paid.size(); ++k) {
      const Paid& first = paid[k - 1];
      const Paid& p = paid[k];
      if (p.payee != first.payee || p.policy != first.policy || p.period != first.period) continue;
      std::size_t head = k - 1;
      while (head > 0 && paid[head - 1].payee == p.payee && paid[head - 1].policy == p.policy &&
             paid[head - 1].period == p.period)
        --head;
      out.order_class[p.order] = Class::duplicate_payment;
      out.duplicate_of[p.order] = paid[head].order;
      out.record_class[p.record] = Class::duplicate_payment;
    }
  }

  // ── 7. Tallies. ──
  Summary& sum = out.summary;
  {
    // Intern each order's policy and community (hash lookups, not a sort of a million texts), then order
    // the few distinct keys.
    struct Keys {
      std::vector<std::string_view> texts;
      TextIndex index;
      std::vector<std::uint32_t> of_order;
      void build(const std::vector<std::string_view>& per_order) {
        const auto key = [this](std::uint32_t v) { return texts[v]; };
        of_order.resize(per_order.size());
        for (std::size_t i = 0; i < per_order.size(); ++i) {
          const auto v = static_cast<std::uint32_t>(texts.size());
          texts.push_back(per_order[i]);
          const std::uint32_t got = index.insert(per_order[i], v, key);
          if (got != v) texts.pop_back();
          of_order[i] = got;
        }
        std::vector<std::uint32_t> order(texts.size()), rank(texts.size());
        std::iota(order.begin(), order.end(), 0u);
        std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) { return texts[x] < texts[y]; });
        for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = static_cast<std::uint32_t>(k);
        for (std::uint32_t& v : of_order) v = rank[v];
        std::vector<std::string_view> sorted(texts.size());
        for (std::size_t k = 0; k < order.size(); ++k) sorted[k] = texts[order[k]];
        texts = std::move(sorted);
      }
    };
    std::vector<std::string_view> per_order(n_orders);
    Keys policies, communities;
    for (std::size_t i = 0; i < n_orders; ++i) per_order[i] = arena.get(out.orders[i].policy);
    policies.build(per_order);
    for (std::size_t i = 0; i < n_orders; ++i) per_order[i] = arena.get(out.community[i]);
    communities.build(per_order);
    sum.orders_by_policy.resize(policies.texts.size());
    for (std::size_t k = 0; k < policies.texts.size(); ++k) sum.orders_by_policy[k].first = std::string(policies.texts[k]);
    sum.orders_by_community.resize(communities.texts.size());
    for (std::size_t k = 0; k < communities.texts.size(); ++k)
      sum.orders_by_community[k].first = std::string(communities.texts[k]);
    for (std::size_t i = 0; i < n_orders; ++i) {
      const Class c = out.order_class[i];
      const Decimal& amount = out.orders[i].amount;
      add_tally(sum.orders[c], amount);
      add_tally(sum.orders.total, amount);
      ClassTally& p = sum.orders_by_policy[policies.of_order[i]].second;
      add_tally(p[c], amount);
      add_tally(p.total, amount);
      ClassTally& m = sum.orders_by_community[communities.of_order[i]].second;
      add_tally(m[c], amount);
      add_tally(m.total, amount);
      if (out.claim[i] == ClaimSource::unclaimed) ++sum.unclaimed;
    }
  }
  for (std::size_t r = 0; r < n_records; ++r) {
    add_tally(sum.records[out.record_class[r]], out.records[r].amount);
    add_tally(sum.records.total, out.records[r].amount);
  }
  std::sort(out.rejections.begin(), out.rejections.end(), [](const Rejection& x, const Rejection& y) {
    if (x.side != y.side) return x.side < y.side;
    if (x.row != y.row) return x.row < y.row;
    if (x.field != y.field) return x.field < y.field;
    return x.reason < y.reason;
  });
  for (Rejection& r : out.rejections) {
    ++sum.rejected[static_cast<int>(r.side)];
    // A rejection quotes the value it refuses, whatever the column: PII by shape is masked (R8).
    if (!out.options.clear_pii) r.reason = identity::mask_pii_runs(r.reason);
  }

  out.arena = std::move(in.arena);
  out.payees = std::move(in.payees);
}

}  // namespace eligo::payout::detail
