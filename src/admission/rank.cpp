// Ranking and allocation: one priority order (spec keys, then the lottery), serial dictatorship over the
// applicants' preferences, and the reason each applicant got the place they got (or none).
#include <openssl/evp.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>

#include "eligo/admission.hpp"
#include "eligo/date.hpp"
#include "eligo/decimal.hpp"
#include "eligo/identity.hpp"

namespace eligo::admission {
namespace {

struct KeyValue {
  Decimal number;
  std::int32_t day = 0;
  std::string text;
};

struct Applicant {
  std::size_t row = 0;  // index in the table
  std::string key;
  std::string points_text;
  Decimal points;
  std::vector<KeyValue> values;  // one per order key
  std::vector<std::size_t> prefs;  // school indexes
  std::string lottery;
  std::uint64_t lottery_number = 0;
  int assigned = -1;  // index into prefs (or 0 for the pool); -1 none
};

int compare_key(const OrderKey& k, const KeyValue& a, const KeyValue& b) {
  int c = 0;
  switch (k.type) {
    case KeyType::number: c = Decimal::compare(a.number, b.number); break;
    case KeyType::date: c = a.day < b.day ? -1 : a.day > b.day ? 1 : 0; break;
    case KeyType::text: c = a.text.compare(b.text); c = c < 0 ? -1 : c > 0 ? 1 : 0; break;
  }
  return k.desc ? -c : c;
}

// The first order key on which `a` and `b` differ, or -1 (then the lottery decides).
int deciding_key(const RankSpec& spec, const Applicant& a, const Applicant& b) {
  for (std::size_t k = 0; k < spec.order.size(); ++k)
    if (compare_key(spec.order[k], a.values[k], b.values[k]) != 0) return static_cast<int>(k);
  return -1;
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

struct Reason {
  std::string zh, en;
};

// Why `a` did not get a school whose last admitted applicant is `last` (ranked above `a`).
Reason lost_to(const RankSpec& spec, const Applicant& a, const Applicant& last) {
  const int k = deciding_key(spec, a, last);
  if (k >= 0 && spec.order[k].by == spec.points)
    return {"积分低于该校录取线 " + last.points_text + " 分", "points below the school's line of " + last.points_text};
  const bool tied = Decimal::compare(a.points, last.points) == 0;
  if (k >= 0) {
    const OrderKey& key = spec.order[k];
    return {std::string(tied ? "同分，" : "") + "按" + key.label_zh + "排序在后",
            std::string(tied ? "tied on points, " : "") + "ranked after on " + key.label_en};
  }
  return {"同分且各排序项相同，摇号序号 " + std::to_string(a.lottery_number) + " 在后（末位录取者摇号序号 " +
              std::to_string(last.lottery_number) + "）",
          "tied on every key, lottery number " + std::to_string(a.lottery_number) +
              " comes after the last admitted applicant's " + std::to_string(last.lottery_number)};
}

void add(Reason* r, const Reason& part) {
  r->zh += (r->zh.empty() ? "" : "；") + part.zh;
  r->en += (r->en.empty() ? "" : "; ") + part.en;
}

}  // namespace

std::string lottery_value(std::string_view seed, std::string_view key) {
  std::string text;
  text.reserve(seed.size() + key.size() + 1);
  text.append(seed).push_back('|');
  text.append(key);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 15]);
  }
  return out;
}

RankResult rank(const RankSpec& spec, const Table& table) { return rank(spec, table, RankOptions{}); }

RankResult rank(const RankSpec& spec, const Table& table, const RankOptions& options) {
  RankResult result;
  auto column = [&](const std::string& name) -> int {
    for (std::size_t i = 0; i < table.header.size(); ++i)
      if (table.header[i] == name) return static_cast<int>(i);
    return -1;
  };
  auto missing = [&](const std::string& name, const char* role) {
    std::string list;
    for (const auto& h : table.header) list += (list.empty() ? "" : ", ") + h;
    result.error = "column '" + name + "' (" + role + ") is not in the input (its columns: " + list + ")";
  };
  const int key_col = column(spec.key);
  if (key_col < 0) return missing(spec.key, "the spec's key"), result;
  const int points_col = column(spec.points);
  if (points_col < 0) return missing(spec.points, "the spec's points"), result;
  std::vector<int> order_cols;
  for (const OrderKey& k : spec.order) {
    order_cols.push_back(column(k.by));
    if (order_cols.back() < 0) return missing(k.by, "in the spec's order"), result;
  }
  const bool pooled = spec.preferences.empty();
  const int pref_col = pooled ? -1 : column(spec.preferences);
  if (!pooled && pref_col < 0) return missing(spec.preferences, "the spec's preferences"), result;
  std::map<std::string, std::size_t> school_index;
  for (std::size_t s = 0; s < spec.schools.size(); ++s) school_index[spec.schools[s].id] = s;

  // Read the rows: every row either becomes an applicant or a rejection.
  std::vector<Applicant> people;
  std::map<std::string, std::uint64_t> first_row_of_key;
  std::vector<std::uint64_t> id_key_rows;  // rows whose key is an ID number (see RankOptions)
  std::string first_id_key;
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const auto& cells = table.rows[i];
    const std::uint64_t row_no = i < table.row_numbers.size() ? table.row_numbers[i] : i + 1;
    auto cell = [&](int c) { return c >= 0 && static_cast<std::size_t>(c) < cells.size() ? trim(cells[c]) : std::string(); };
    auto reject = [&](const std::string& col, const std::string& why) { result.rejections.push_back({row_no, col, why}); };
    Applicant a;
    a.row = i;
    a.key = cell(key_col);
    if (a.key.empty()) { reject(spec.key, "no key"); continue; }
    if (!options.allow_id_number_keys && identity::id_valid(a.key)) {
      if (id_key_rows.empty()) first_id_key = a.key;
      id_key_rows.push_back(row_no);
    }
    const auto [seen, fresh] = first_row_of_key.emplace(a.key, row_no);
    if (!fresh) { reject(spec.key, "the same key as row " + std::to_string(seen->second)); continue; }
    a.points_text = cell(points_col);
    const auto pts = Decimal::parse(a.points_text);
    if (!pts) { reject(spec.points, a.points_text.empty() ? "no points" : "'" + a.points_text + "' is not a number"); first_row_of_key.erase(a.key); continue; }
    a.points = *pts;
    bool bad = false;
    for (std::size_t k = 0; k < spec.order.size() && !bad; ++k) {
      const std::string text = cell(order_cols[k]);
      KeyValue v;
      if (text.empty()) {
        reject(spec.order[k].by, "no value (needed to rank)");
        bad = true;
      } else if (spec.order[k].type == KeyType::number) {
        const auto d = Decimal::parse(text);
        if (!d) reject(spec.order[k].by, "'" + text + "' is not a number"), bad = true;
        else v.number = *d;
      } else if (spec.order[k].type == KeyType::date) {
        const auto d = Date::parse(text);
        if (!d) reject(spec.order[k].by, "'" + text + "' is not a date (YYYY-MM-DD)"), bad = true;
        else v.day = d->days();
      } else {
        v.text = text;
      }
      a.values.push_back(std::move(v));
    }
    if (!bad && !pooled) {
      const std::string list = cell(pref_col);
      std::vector<bool> listed(spec.schools.size(), false);
      std::size_t start = 0;
      int n = 0;
      while (!list.empty() && !bad) {
        const std::size_t sep = list.find(spec.separator, start);
        const std::string id = trim(list.substr(start, sep == std::string::npos ? std::string::npos : sep - start));
        ++n;
        const auto it = school_index.find(id);
        if (id.empty()) reject(spec.preferences, "preference " + std::to_string(n) + " is empty"), bad = true;
        else if (it == school_index.end()) reject(spec.preferences, "preference " + std::to_string(n) + ": no school '" + id + "' in the spec"), bad = true;
        else if (listed[it->second]) reject(spec.preferences, "school '" + id + "' is listed twice"), bad = true;
        else listed[it->second] = true, a.prefs.push_back(it->second);
        if (sep == std::string::npos) break;
        start = sep + spec.separator.size();
      }
    }
    if (bad) { first_row_of_key.erase(a.key); continue; }
    a.lottery = lottery_value(spec.seed, a.key);
    people.push_back(std::move(a));
  }
  if (!id_key_rows.empty()) {
    std::string rows;
    for (std::size_t i = 0; i < id_key_rows.size() && i < 5; ++i) rows += (i ? ", " : "") + std::to_string(id_key_rows[i]);
    if (id_key_rows.size() > 5) rows += " and " + std::to_string(id_key_rows.size() - 5) + " more";
    result.error = "column '" + spec.key + "' holds ID numbers (" + std::to_string(id_key_rows.size()) + " row" +
                   (id_key_rows.size() == 1 ? "" : "s") + ": " + rows + "; row " + std::to_string(id_key_rows[0]) +
                   ": " + identity::mask(identity::PiiKind::id_number, first_id_key) +
                   "): placements are published with each key and its lottery value, from which the number can be "
                   "recovered; key applicants by an application number or a keyed hash (eligo id --hash), or ask "
                   "for ID numbers in clear (eligo rank --clear-pii)";
    return result;
  }

  // The priority order, then the lottery numbers (position by lottery value).
  std::sort(people.begin(), people.end(), [&](const Applicant& a, const Applicant& b) {
    for (std::size_t k = 0; k < spec.order.size(); ++k) {
      const int c = compare_key(spec.order[k], a.values[k], b.values[k]);
      if (c != 0) return c < 0;
    }
    if (a.lottery != b.lottery) return a.lottery < b.lottery;
    return a.key < b.key;
  });
  std::vector<std::size_t> by_lottery(people.size());
  std::iota(by_lottery.begin(), by_lottery.end(), 0);
  std::sort(by_lottery.begin(), by_lottery.end(), [&](std::size_t x, std::size_t y) {
    return people[x].lottery != people[y].lottery ? people[x].lottery < people[y].lottery : people[x].key < people[y].key;
  });
  for (std::size_t i = 0; i < by_lottery.size(); ++i) people[by_lottery[i]].lottery_number = i + 1;

  // Serial dictatorship.
  const std::size_t n_schools = pooled ? 1 : spec.schools.size();
  std::vector<std::int64_t> left(n_schools);
  for (std::size_t s = 0; s < n_schools; ++s) left[s] = pooled ? spec.places : spec.schools[s].places;
  std::vector<long> last(n_schools, -1);  // index in `people` of the last applicant admitted
  for (std::size_t i = 0; i < people.size(); ++i) {
    Applicant& a = people[i];
    if (pooled) {
      if (left[0] > 0) --left[0], a.assigned = 0, last[0] = static_cast<long>(i);
      continue;
    }
    for (std::size_t p = 0; p < a.prefs.size(); ++p) {
      if (left[a.prefs[p]] > 0) {
        --left[a.prefs[p]];
        a.assigned = static_cast<int>(p);
        last[a.prefs[p]] = static_cast<long>(i);
        break;
      }
    }
  }

  // Reasons and placements.
  for (std::size_t i = 0; i < people.size(); ++i) {
    const Applicant& a = people[i];
    Placement pl;
    pl.rank = i + 1;
    pl.key = a.key;
    pl.points = a.points_text;
    pl.lottery = a.lottery;
    pl.lottery_number = a.lottery_number;
    Reason r;
    if (pooled) {
      if (a.assigned == 0) {
        pl.school = "pool";
        r = {"积分排名第 " + std::to_string(i + 1) + "，在 " + std::to_string(spec.places) + " 个学位之内",
             "rank " + std::to_string(i + 1) + " within the " + std::to_string(spec.places) + " places"};
      } else if (last[0] < 0) {
        r = {"未录取：无学位", "no place: there are no places"};
      } else {
        const Reason why = lost_to(spec, a, people[static_cast<std::size_t>(last[0])]);
        r = {"未录取：" + why.zh, "no place: " + why.en};
      }
    } else {
      if (a.assigned >= 0) {
        const std::string& id = spec.schools[a.prefs[static_cast<std::size_t>(a.assigned)]].id;
        pl.school = id;
        pl.preference = a.assigned + 1;
        add(&r, {"第 " + std::to_string(a.assigned + 1) + " 志愿录取（" + id + "）",
                 "admitted at preference " + std::to_string(a.assigned + 1) + " (" + id + ")"});
      } else {
        add(&r, a.prefs.empty() ? Reason{"未录取：未填报志愿", "no place: no preferences given"}
                                : Reason{"未录取", "no place"});
      }
      const std::size_t missed = a.assigned >= 0 ? static_cast<std::size_t>(a.assigned) : a.prefs.size();
      for (std::size_t p = 0; p < missed; ++p) {
        const std::size_t s = a.prefs[p];
        const std::string head_zh = "第 " + std::to_string(p + 1) + " 志愿 " + spec.schools[s].id + " 未录取：";
        const std::string head_en = "preference " + std::to_string(p + 1) + " " + spec.schools[s].id + " not admitted: ";
        if (last[s] < 0) {
          add(&r, {head_zh + "该校无学位", head_en + "the school has no places"});
        } else {
          const Reason why = lost_to(spec, a, people[static_cast<std::size_t>(last[s])]);
          add(&r, {head_zh + why.zh, head_en + why.en});
        }
      }
    }
    pl.reason_zh = std::move(r.zh);
    pl.reason_en = std::move(r.en);
    if (!pl.school.empty()) ++result.placed;
    result.placements.push_back(std::move(pl));
  }

  // Per school: the line, who tied at it, and what settled the tie.
  for (std::size_t s = 0; s < n_schools; ++s) {
    SchoolResult sr;
    sr.id = pooled ? "pool" : spec.schools[s].id;
    sr.name = pooled ? "" : spec.schools[s].name;
    sr.places = pooled ? spec.places : spec.schools[s].places;
    sr.full = left[s] == 0;
    sr.settled_zh = "线上无同分未录取者";
    sr.settled_en = "no tie at the line";
    if (last[s] >= 0) {
      const Applicant& l = people[static_cast<std::size_t>(last[s])];
      sr.cutoff = l.points_text;
      const Applicant* first_refused = nullptr;
      for (const Applicant& a : people) {
        const bool here = pooled ? a.assigned == 0 : a.assigned >= 0 && a.prefs[static_cast<std::size_t>(a.assigned)] == s;
        if (here) {
          ++sr.admitted;
          if (Decimal::compare(a.points, l.points) == 0) ++sr.tied_admitted;
          continue;
        }
        bool refused = pooled;
        if (!pooled) {
          const std::size_t missed = a.assigned >= 0 ? static_cast<std::size_t>(a.assigned) : a.prefs.size();
          for (std::size_t p = 0; p < missed; ++p) refused = refused || a.prefs[p] == s;
        }
        if (refused && Decimal::compare(a.points, l.points) == 0) {
          ++sr.tied_refused;
          if (!first_refused) first_refused = &a;
        }
      }
      if (first_refused) {
        const int k = deciding_key(spec, *first_refused, l);
        if (k >= 0) {
          sr.settled_by = spec.order[k].by;
          sr.settled_zh = "按" + spec.order[k].label_zh + "排序";
          sr.settled_en = "by " + spec.order[k].label_en;
        } else {
          sr.settled_by = "lottery";
          sr.settled_zh = "按摇号（种子 " + spec.seed + "）";
          sr.settled_en = "by the lottery (seed " + spec.seed + ")";
        }
      }
    }
    result.schools.push_back(std::move(sr));
  }
  std::sort(result.rejections.begin(), result.rejections.end(),
            [](const Rejection& x, const Rejection& y) { return x.row < y.row; });
  result.ok = true;
  return result;
}

}  // namespace eligo::admission
