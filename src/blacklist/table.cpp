// Builder-side records: validation on add, canonical order, duplicate merging and the content hash.
#include "blacklist/table.hpp"

#include "blacklist/index.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include "eligo/identity.hpp"

namespace eligo::blacklist::detail {
namespace {

constexpr std::size_t kMaxText = 2000;  // bytes per text field
constexpr std::size_t kMaxScope = 64;   // bytes per scope name

// "" when fine; otherwise why.
std::string text_problem(std::string_view s) {
  if (s.size() > kMaxText) return "longer than " + std::to_string(kMaxText) + " bytes";
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return "contains a tab, line break or other control character";
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n;  // continuation bytes
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
    } else {
      return "is not valid UTF-8";
    }
    if (s.size() - i <= n) return "is not valid UTF-8";
    for (std::size_t k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return "is not valid UTF-8";
    i += n + 1;
  }
  return "";
}

bool scope_char_ok(unsigned char c) {
  return c > 0x20 && c != 0x7F && c != ';' && c != '|' && c != ',';
}

void append_date(std::string& out, std::int32_t days) {
  if (days == kNoDate) return;
  int y, m, d;
  Date::from_days(days).ymd(&y, &m, &d);
  char buf[10] = {static_cast<char>('0' + y / 1000), static_cast<char>('0' + y / 100 % 10),
                  static_cast<char>('0' + y / 10 % 10), static_cast<char>('0' + y % 10), '-',
                  static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10), '-',
                  static_cast<char>('0' + d / 10), static_cast<char>('0' + d % 10)};
  out.append(buf, 10);
}

}  // namespace

std::uint32_t Table::intern_scopeset(std::vector<std::uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  const auto star = scope_ids.find("*");
  if (star != scope_ids.end() && std::binary_search(ids.begin(), ids.end(), star->second)) ids = {star->second};
  auto [it, inserted] = scopeset_ids.emplace(ids, static_cast<std::uint32_t>(scopesets.size()));
  if (inserted) scopesets.push_back(std::move(ids));
  return it->second;
}

std::optional<Problem> Table::add_scopes(const std::vector<std::string>& scopes, std::uint32_t* set) {
  for (const auto& [names, id] : recent_scopes_) {
    if (names == scopes) {
      *set = id;
      return std::nullopt;
    }
  }
  if (scopes.empty()) return Problem{Field::scopes, "no scope"};
  scratch_ids_.clear();
  for (const std::string& raw : scopes) {
    const std::string_view s = trim(raw);
    if (s.empty()) return Problem{Field::scopes, "an empty scope"};
    if (s.size() > kMaxScope) return Problem{Field::scopes, "a scope longer than " + std::to_string(kMaxScope) + " bytes"};
    for (unsigned char c : s)
      if (!scope_char_ok(c))
        return Problem{Field::scopes, "scope '" + std::string(s) + "' holds a space, control character or separator (; | ,)"};
    const std::string why = text_problem(s);
    if (!why.empty()) return Problem{Field::scopes, "scope " + why};
    scratch_.assign(s);
    auto [it, inserted] = scope_ids.emplace(scratch_, static_cast<std::uint32_t>(scope_names.size()));
    if (inserted) scope_names.push_back(scratch_);
    scratch_ids_.push_back(it->second);
  }
  *set = intern_scopeset(scratch_ids_);
  const bool grow = recent_scopes_.size() < kRecent;
  if (grow) recent_scopes_.emplace_back();
  auto& slot = grow ? recent_scopes_.back() : recent_scopes_[recent_scope_next_++ % kRecent];
  slot.first.resize(scopes.size());  // element-wise assign: reuses the strings' buffers
  for (std::size_t i = 0; i < scopes.size(); ++i) slot.first[i].assign(scopes[i]);
  slot.second = *set;
  return std::nullopt;
}

std::optional<Problem> Table::add(const Entry& e) {
  Record r;
  // Key.
  const std::string_view key_text = trim(e.key);
  Digest digest;
  const bool is_hex = parse_hex_key(key_text, &digest);
  if (kind == KeyKind::id_number) {
    if (is_hex) return Problem{Field::key, "a 64-hex hashed key in a list of ID numbers"};
    if (auto p = canonical_id(key_text, &r.k0)) return p;
  } else {
    if (!is_hex) {
      if (!hash_key) {
        if (key_text.empty()) return Problem{Field::key, "empty"};
        return Problem{Field::key, "not a 64-hex hashed key, and this hashed list has no key to hash ID numbers (" +
                                       identity::mask(identity::PiiKind::id_number, key_text) + ")"};
      }
      std::uint64_t code;
      if (auto p = canonical_id(key_text, &code)) return p;
      const std::string hex = hasher->hash(key_text);  // == identity::keyed_id_hash(*hash_key, key_text)
      if (!parse_hex_key(hex, &digest)) return Problem{Field::key, "the keyed hash could not be computed"};
    }
    r.k0 = digest_prefix(digest);
    r.digest = static_cast<std::uint32_t>(digests.size());
  }

  // Text fields (checked once per distinct source / reason: most entries share them).
  const std::string_view source = trim(e.source), code = trim(e.reason_code), text = trim(e.reason_text);
  if (source.empty()) return Problem{Field::source, "empty"};
  if (code.empty() && text.empty()) return Problem{Field::reason_code, "no reason code and no reason text"};
  // Lists repeat a few sources and reasons: the details of the last few entries are compared first, which
  // spares building the map key and hashing it.
  std::uint32_t detail_id = UINT32_MAX;
  for (std::uint32_t id : recent_details_) {
    const Detail& d = details[id];
    if (d.source == source && d.reason_code == code && d.reason_text == text) {
      detail_id = id;
      break;
    }
  }
  auto known_detail = detail_ids.end();
  if (detail_id == UINT32_MAX) {
    detail_key_.assign(source);
    detail_key_ += '\t';
    detail_key_ += code;
    detail_key_ += '\t';
    detail_key_ += text;
    known_detail = detail_ids.find(detail_key_);
    if (known_detail == detail_ids.end()) {
      for (auto [field, value] : {std::pair{Field::source, source}, {Field::reason_code, code}, {Field::reason_text, text}}) {
        const std::string why = text_problem(value);
        if (!why.empty()) return Problem{field, why};
      }
    } else {
      detail_id = known_detail->second;
    }
  }

  // Scopes.
  std::uint32_t scopeset = 0;
  if (auto p = add_scopes(e.scopes, &scopeset)) return p;

  // Dates.
  r.listed = e.listed_on.days();
  r.from = e.from ? e.from->days() : kNoDate;
  r.until = e.until ? e.until->days() : kNoDate;
  if (e.until && *e.until < e.effective_from()) {
    return Problem{Field::until, e.until->to_string() + " is before the first day in effect, " +
                                     e.effective_from().to_string()};
  }

  // Everything is valid: intern and keep.
  r.scopeset = scopeset;
  if (detail_id == UINT32_MAX) {
    detail_id = static_cast<std::uint32_t>(details.size());
    detail_ids.emplace(detail_key_, detail_id);
    details.push_back(Detail{std::string(source), std::string(code), std::string(text)});
  }
  if (std::find(recent_details_.begin(), recent_details_.end(), detail_id) == recent_details_.end()) {
    if (recent_details_.size() < kRecent) {
      recent_details_.push_back(detail_id);
    } else {
      recent_details_[recent_next_++ % kRecent] = detail_id;
    }
  }
  r.detail = detail_id;
  if (kind == KeyKind::hmac_sha256) digests.push_back(digest);
  records.push_back(r);
  return std::nullopt;
}

std::string Table::scopes_text(std::uint32_t set) const {
  std::string out;
  for (std::uint32_t id : scopesets[set]) {
    if (!out.empty()) out += ';';
    out += scope_names[id];
  }
  return out;
}

void Table::finish() {
  if (finished) return;
  sort_and_merge();
  hash = content_hash();
}

void Table::sort_and_merge(bool keep_scratch) {
  if (finished) return;
  finished = true;
  recent_details_.clear();  // detail ids are renumbered below
  recent_scopes_.clear();

  // Renumber scopes and details in byte order of their text, so that id order is text order.
  {
    std::vector<std::uint32_t> order(scope_names.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return scope_names[a] < scope_names[b]; });
    std::vector<std::uint32_t> new_id(order.size());
    std::vector<std::string> names(order.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) {
      new_id[order[i]] = i;
      names[i] = std::move(scope_names[order[i]]);
    }
    scope_names = std::move(names);
    scope_ids.clear();
    for (std::uint32_t i = 0; i < scope_names.size(); ++i) scope_ids.emplace(scope_names[i], i);
    scopeset_ids.clear();
    for (std::uint32_t s = 0; s < scopesets.size(); ++s) {
      for (auto& id : scopesets[s]) id = new_id[id];
      std::sort(scopesets[s].begin(), scopesets[s].end());
      scopeset_ids.emplace(scopesets[s], s);
    }
  }
  {
    std::vector<std::uint32_t> order(details.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    auto line = [&](std::uint32_t i) {
      const Detail& d = details[i];
      return std::tie(d.source, d.reason_code, d.reason_text);
    };
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return line(a) < line(b); });
    std::vector<std::uint32_t> new_id(order.size());
    std::vector<Detail> sorted(order.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) {
      new_id[order[i]] = i;
      sorted[i] = std::move(details[order[i]]);
    }
    details = std::move(sorted);
    detail_ids.clear();
    for (Record& r : records) r.detail = new_id[r.detail];
  }

  // Canonical order: key, then source / reason code / reason text (detail), from, until.
  const bool keyed = kind == KeyKind::hmac_sha256;
  auto key_less = [&](const Record& a, const Record& b) {
    if (a.k0 != b.k0) return a.k0 < b.k0;
    if (keyed) return digests[a.digest] < digests[b.digest];
    return false;
  };
  auto same_key = [&](const Record& a, const Record& b) {
    return a.k0 == b.k0 && (!keyed || digests[a.digest] == digests[b.digest]);
  };
  auto canonical_less = [&](const Record& a, const Record& b) {
    if (key_less(a, b)) return true;
    if (key_less(b, a)) return false;
    if (a.detail != b.detail) return a.detail < b.detail;
    if (a.from != b.from) return a.from < b.from;
    if (a.until != b.until) return a.until < b.until;
    if (a.listed != b.listed) return a.listed < b.listed;
    return a.scopeset < b.scopeset;
  };
  // By key first, with a radix sort of (k0, position) pairs, then the records gathered in that order; the
  // rare runs of one k0 (several entries for one key) are ordered by the whole canonical comparison.
  {
    const std::size_t n = records.size();
    // Keys and the sort's buffer in one allocation, which the index can take over for its slots.
    PodArray<KeyAt> both(2 * n);
    KeyAt* const keys = both.data() + n;
    for (std::size_t i = 0; i < n; ++i) keys[i] = KeyAt{records[i].k0, i};
    radix_sort(keys, both.data(), n);
    std::vector<Record> sorted;
    sorted.reserve(n);
    constexpr std::size_t kAhead = 16;
    for (std::size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) __builtin_prefetch(&records[keys[i + kAhead].at]);
      sorted.push_back(records[keys[i].at]);
    }
    if (keep_scratch) scratch = std::move(both);
    records.swap(sorted);
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i + 1;
      while (j < n && records[j].k0 == records[i].k0) ++j;
      if (j - i > 1) std::sort(records.begin() + static_cast<std::ptrdiff_t>(i), records.begin() + static_cast<std::ptrdiff_t>(j), canonical_less);
      i = j;
    }
  }

  // Merge duplicates: the same listing (key, detail, from, until) → one entry, scopes united, earliest
  // listed_on. The sort put the earliest listed_on first.
  std::size_t out = 0;
  for (std::size_t i = 0; i < records.size();) {
    std::size_t j = i + 1;
    Record r = records[i];
    std::vector<std::uint32_t> united;
    while (j < records.size() && same_key(records[j], r) && records[j].detail == r.detail &&
           records[j].from == r.from && records[j].until == r.until) {
      if (records[j].scopeset != r.scopeset) {
        if (united.empty()) united = scopesets[r.scopeset];
        united.insert(united.end(), scopesets[records[j].scopeset].begin(), scopesets[records[j].scopeset].end());
      }
      ++j;
    }
    if (!united.empty()) r.scopeset = intern_scopeset(std::move(united));
    merged += j - i - 1;
    if (out == 0 || !same_key(records[out - 1], r)) ++distinct_keys;
    records[out++] = r;
    i = j;
  }
  records.resize(out);
  records.shrink_to_fit();
}

std::string Table::content_hash() const {
  // SHA-256 over one line per entry, in canonical order (= byte order of the lines):
  // key TAB source TAB reason_code TAB reason_text TAB from TAB until TAB listed_on TAB scopes LF
  const bool keyed = kind == KeyKind::hmac_sha256;
  std::vector<std::string> detail_text(details.size()), set_text(scopesets.size());
  for (std::size_t i = 0; i < details.size(); ++i)
    detail_text[i] = details[i].source + '\t' + details[i].reason_code + '\t' + details[i].reason_text + '\t';
  for (std::uint32_t s = 0; s < scopesets.size(); ++s) set_text[s] = scopes_text(s) + '\n';
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  // Dates as text, from a table over the days the list uses (computing y/m/d each time costs more than the
  // hashing itself).
  std::int32_t lo = INT32_MAX, hi = INT32_MIN;
  for (const Record& r : records)
    for (std::int32_t d : {r.listed, r.from, r.until})
      if (d != kNoDate) {
        lo = std::min(lo, d);
        hi = std::max(hi, d);
      }
  std::vector<std::array<char, 10>> date_text;
  if (lo <= hi && static_cast<std::int64_t>(hi) - lo < 400000) {
    date_text.resize(static_cast<std::size_t>(hi - lo + 1));
    std::string t;
    for (std::int32_t d = lo; d <= hi; ++d) {
      t.clear();
      append_date(t, d);
      std::copy(t.begin(), t.end(), date_text[static_cast<std::size_t>(d - lo)].begin());
    }
  }

  // Lines are written into a fixed buffer with plain copies (each line is at most the key, the longest
  // detail and scope texts, and three dates), hashed a megabyte at a time.
  std::size_t longest = 0;
  for (const auto& d : detail_text) longest = std::max(longest, d.size());
  std::size_t longest_set = 0;
  for (const auto& t : set_text) longest_set = std::max(longest_set, t.size());
  const std::size_t line_max = 64 + 3 + longest + 3 * 11 + longest_set;
  std::vector<char> buffer(std::max<std::size_t>(std::size_t{1} << 20, 2 * line_max));
  char* const begin = buffer.data();
  char* const limit = begin + buffer.size() - line_max;
  char* at = begin;
  auto put = [&](const std::string& text) {
    std::memcpy(at, text.data(), text.size());
    at += text.size();
  };
  auto put_day = [&](std::int32_t d) {
    if (d == kNoDate) return;
    if (date_text.empty()) {
      std::string t;
      append_date(t, d);
      std::memcpy(at, t.data(), t.size());
      at += t.size();
      return;
    }
    std::memcpy(at, date_text[static_cast<std::size_t>(d - lo)].data(), 10);
    at += 10;
  };
  for (const Record& r : records) {
    if (keyed) {
      static constexpr char kHex[] = "0123456789abcdef";
      for (std::uint8_t byte : digests[r.digest]) {
        *at++ = kHex[byte >> 4];
        *at++ = kHex[byte & 15];
      }
    } else {
      at += decode_id(r.k0, at);
    }
    *at++ = '\t';
    put(detail_text[r.detail]);
    put_day(r.from);
    *at++ = '\t';
    put_day(r.until);
    *at++ = '\t';
    put_day(r.listed);
    *at++ = '\t';
    put(set_text[r.scopeset]);
    if (at > limit) {
      EVP_DigestUpdate(ctx.get(), begin, static_cast<std::size_t>(at - begin));
      at = begin;
    }
  }
  EVP_DigestUpdate(ctx.get(), begin, static_cast<std::size_t>(at - begin));
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_size = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &md_size);
  return to_hex(md, md_size);
}

void Table::for_each(const std::function<void(const Entry&)>& f) const {
  Entry e;
  for (const Record& r : records) {
    e.key = kind == KeyKind::hmac_sha256 ? to_hex(digests[r.digest].data(), 32) : decode_id(r.k0);
    const Detail& d = details[r.detail];
    e.source = d.source;
    e.reason_code = d.reason_code;
    e.reason_text = d.reason_text;
    e.scopes.clear();
    for (std::uint32_t id : scopesets[r.scopeset]) e.scopes.push_back(scope_names[id]);
    e.listed_on = Date::from_days(r.listed);
    e.from = r.from == kNoDate ? std::nullopt : std::optional<Date>(Date::from_days(r.from));
    e.until = r.until == kNoDate ? std::nullopt : std::optional<Date>(Date::from_days(r.until));
    f(e);
  }
}

}  // namespace eligo::blacklist::detail
