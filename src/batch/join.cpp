// JoinIndex: a related table read once through the record reader, grouped by its normalised key into one
// JSON array per key (src/batch/join.hpp).
#include "batch/join.hpp"

#include <algorithm>

#include "eligo/date.hpp"
#include "eligo/identity.hpp"
#include "records/json_cursor.hpp"

namespace eligo::batch {
namespace {

constexpr std::size_t kListed = 20;  // located problems and unmatched lines kept for the report

void append_json_string(std::string* out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  *out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      *out += '\\';
      *out += ch;
    } else if (c < 0x20) {
      switch (c) {
        case '\n': *out += "\\n"; break;
        case '\r': *out += "\\r"; break;
        case '\t': *out += "\\t"; break;
        default:
          *out += "\\u00";
          *out += kHex[c >> 4];
          *out += kHex[c & 15];
      }
    } else {
      *out += ch;
    }
  }
  *out += '"';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An 18-character ID already in its canonical ASCII form (lower-case x aside): no normalisation needed.
bool plain_id(std::string_view s, char* out) {
  if (s.size() != 18) return false;
  for (std::size_t i = 0; i < 18; ++i) {
    char c = s[i];
    if (i == 17 && c == 'x') c = 'X';
    if (!((c >= '0' && c <= '9') || (i == 17 && c == 'X'))) return false;
    out[i] = c;
  }
  return true;
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

bool JoinSpec::parse(std::string_view text, JoinSpec* out, std::string* error) {
  const std::size_t eq = text.find('=');
  const std::size_t colon = text.rfind(':');
  if (eq == std::string_view::npos || eq == 0 || colon == std::string_view::npos || colon < eq + 2 ||
      colon + 1 == text.size()) {
    *error = "--join " + identity::mask_pii_runs(text) +
             ": expected NAME=FILE:KEY_COLUMN (e.g. civil_affairs.certificates=civil.sqlite:certificates:id_number)";
    return false;
  }
  out->name = std::string(trim(text.substr(0, eq)));
  out->path = std::string(text.substr(eq + 1, colon - eq - 1));
  out->key = std::string(trim(text.substr(colon + 1)));
  if (out->name.empty() || out->key.empty() || out->path.empty()) {
    *error = "--join " + identity::mask_pii_runs(text) + ": expected NAME=FILE:KEY_COLUMN, each part non-empty";
    return false;
  }
  return true;
}

std::string normalize_key(std::string_view text) {
  // As identity::keyed_id_hash reads an ID: only the 15 → 18 conversion (it depends on the digits alone),
  // then trim, NFKC and upper-case, so the key never depends on the evaluation date or region tables.
  identity::IdOptions options;
  options.as_of = Date::from_ymd(9999, 12, 31);
  options.region_check = identity::RegionCheck::none;
  const identity::IdCheck check = identity::check_id(text, options);
  if (check.kind == identity::IdKind::resident_legacy && check.canonical().size() == 18)
    return std::string(check.canonical());
  return identity::normalize_id(text);
}

JoinIndex::JoinIndex() = default;
JoinIndex::~JoinIndex() = default;

const JoinSpec& JoinIndex::spec() const { return spec_; }

bool JoinIndex::load(const JoinSpec& spec, const records::ReadOptions& read, std::string* error) {
  spec_ = spec;
  index_.clear();
  loaded_ = JoinReport{};
  loaded_.spec = spec;
  records::RecordReader reader;
  if (!reader.open(spec.path, read, error)) return false;
  loaded_.file = reader.name();
  const auto note = [&](std::uint64_t line, const std::string& what) {
    if (loaded_.problems.size() < kListed)
      loaded_.problems.push_back(reader.name() + ": line " + std::to_string(line) + ": " + what);
  };

  int key_column = -1;
  if (reader.tabular()) {
    key_column = reader.column(spec.key);
    if (key_column < 0) {
      std::string names;
      for (const auto& h : reader.header()) names += (names.empty() ? "'" : ", '") + h + "'";
      *error = reader.name() + ": no key column '" + spec.key + "' for --join " + spec.name + "; the columns are " + names;
      return false;
    }
  }
  const std::vector<std::string> wanted{spec.key};
  records::JsonCells cells;
  std::string element, why, scratch;
  for (;;) {
    const records::Next n = reader.next();
    if (n == records::Next::end) break;
    if (n == records::Next::error) {
      *error = reader.error();
      return false;
    }
    ++loaded_.rows;
    const std::uint64_t line = reader.line();
    if (n == records::Next::bad_row) {
      ++loaded_.bad_rows;
      const int c = reader.problem_column();
      note(line, (c >= 0 ? "column '" + reader.header()[static_cast<std::size_t>(c)] + "': " : std::string()) +
                     reader.problem());
      continue;
    }
    std::string_view key_text;
    element.clear();
    if (reader.tabular()) {
      const auto& row = reader.cells();
      const auto& header = reader.header();
      key_text = row[static_cast<std::size_t>(key_column)];
      element += '{';
      bool first = true;
      for (std::size_t c = 0; c < row.size(); ++c) {
        if (static_cast<int>(c) == key_column) continue;
        if (!first) element += ',';
        first = false;
        append_json_string(&element, header[c]);
        element += ':';
        if (row[c].empty()) element += "null";
        else append_json_string(&element, row[c]);
      }
      element += '}';
    } else {
      // A JSON row: its key member's text, and the object rebuilt without it (the other members as written).
      if (!records::json_object_cells(reader.json(), wanted, &cells, &why)) {
        ++loaded_.bad_rows;
        note(line, why);
        continue;
      }
      if (cells.kind[0] == records::CellKind::nested) {
        ++loaded_.bad_rows;
        note(line, "the key '" + spec.key + "' is an array or object, not a value");
        continue;
      }
      key_text = cells.text[0];
      records::detail::JsonCursor cur(reader.json());
      cur.expect('{');
      bool first_member = true, done = false, first = true;
      std::string_view member;
      element += '{';
      while (cur.member(&first_member, &member, &scratch, &done)) {
        const std::string name(member);
        const std::size_t at = cur.offset();
        cur.skip_value(1);
        if (name == spec.key) continue;
        if (!first) element += ',';
        first = false;
        append_json_string(&element, name);
        element += ':';
        element += trim(std::string_view(reader.json()).substr(at, cur.offset() - at));
      }
      element += '}';
    }
    const std::string key = normalize_key(key_text);
    if (key.empty()) {
      ++loaded_.missing_key;
      note(line, "no key (" + std::string(reader.tabular() ? "column '" : "member '") + spec.key + "' is empty)");
      continue;
    }
    ++loaded_.indexed;
    auto it = index_.find(key);
    if (it == index_.end()) {
      auto entry = std::make_unique<Entry>();
      entry->key = key;
      entry->first_line = line;
      entry->json = "[";
      const std::string_view view = entry->key;
      it = index_.emplace(view, std::move(entry)).first;
    } else {
      it->second->json += ',';
    }
    Entry& e = *it->second;
    e.json += element;
    ++e.rows;
  }
  for (auto& [k, e] : index_) {
    e->json += ']';
    e->json.shrink_to_fit();
  }
  loaded_.keys = index_.size();
  loaded_.blank_lines = reader.blank_lines();
  return true;
}

JoinIndex::Match JoinIndex::find_normalized(std::string_view key) const {
  Match m;
  m.json = "[]";
  if (key.empty()) return m;
  const auto it = index_.find(key);
  if (it == index_.end()) return m;
  const Entry& e = *it->second;
  m.json = e.json;
  m.rows = e.rows;
  m.first = e.lookups.fetch_add(1, std::memory_order_relaxed) == 0;
  return m;
}

JoinIndex::Match JoinIndex::find(std::string_view record_key) const {
  char plain[18];
  if (plain_id(trim(record_key), plain)) return find_normalized(std::string_view(plain, 18));
  return find_normalized(normalize_key(record_key));
}

JoinReport JoinIndex::report() const {
  JoinReport r = loaded_;
  std::vector<std::uint64_t> lines;
  for (const auto& [k, e] : index_) {
    const std::uint32_t n = e->lookups.load(std::memory_order_relaxed);
    if (n == 0) {
      ++r.unmatched_keys;
      r.unmatched_rows += e->rows;
      lines.push_back(e->first_line);
    } else {
      ++r.matched_keys;
      r.repeated_lookups += n - 1;
    }
  }
  std::sort(lines.begin(), lines.end());
  if (lines.size() > kListed) lines.resize(kListed);
  r.unmatched_lines = std::move(lines);
  return r;
}

std::string JoinReport::to_text() const {
  std::string s = spec.name + " (" + (file.empty() ? spec.path : file) + " by " + spec.key + "): " +
                  plural(rows, "row", "rows") + ", " + plural(keys, "key", "keys");
  if (missing_key) s += "; " + plural(missing_key, "row", "rows") + " without a key";
  if (bad_rows) s += "; " + plural(bad_rows, "bad row", "bad rows");
  if (unmatched_rows)
    s += "; " + plural(unmatched_rows, "row", "rows") + " (" + plural(unmatched_keys, "key", "keys") + ") without a record";
  return s;
}

}  // namespace eligo::batch
