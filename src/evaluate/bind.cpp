// Binding applicant data to a Program's declared inputs — the one way in for every surface (C++, C, Python,
// the CLI, batch, the server). JSON text is walked once with the strict cursor straight into slots (no
// DOM); rows (CSV cells, DataFrame values) go through a layout resolved once per header. Text given for a
// boolean, number or date goes through one set of documented coercions (docs/data-in.md).
//
// Strict by default: a key the inputs do not declare, a key given twice, malformed JSON or a value of the
// wrong type is a data error naming its path, and the decision is then `error` (decide.cpp), never a quiet
// wrong score. Values that are PII are never quoted in an error.
#include "evaluate/bind.hpp"
#include "evaluate/fast_plan.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/ascii.hpp"
#include "eligo/identity.hpp"
#include "load/reporter.hpp"
#include "records/json_cursor.hpp"

namespace eligo::detail {
namespace {

using records::detail::JsonCursor;

// ---- text coercions --------------------------------------------------------------------------------------

using ::eligo::detail::ascii_iequals;
inline bool iequals(std::string_view a, std::string_view b) { return ascii_iequals(a, b); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::optional<bool> text_to_bool(std::string_view s) {
  s = trim(s);
  if (iequals(s, "true") || s == "1" || s == "是" || iequals(s, "y")) return true;
  if (iequals(s, "false") || s == "0" || s == "否" || iequals(s, "n")) return false;
  return std::nullopt;
}

std::optional<Date> text_to_date(std::string_view s) {
  s = trim(s);
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') return Date::parse(s);
  if (s.size() == 8 && all_digits(s)) return Date::from_ymd(to_int(s.substr(0, 4)), to_int(s.substr(4, 2)), to_int(s.substr(6, 2)));
  // YYYY/M/D or YYYY/MM/DD (spreadsheets write both).
  const std::size_t a = s.find('/');
  const std::size_t b = a == std::string_view::npos ? a : s.find('/', a + 1);
  if (a == 4 && b != std::string_view::npos && b > a + 1 && b - a <= 3 && s.size() - b >= 2 && s.size() - b <= 3) {
    const std::string_view y = s.substr(0, 4), m = s.substr(a + 1, b - a - 1), d = s.substr(b + 1);
    if (all_digits(y) && all_digits(m) && all_digits(d)) return Date::from_ymd(to_int(y), to_int(m), to_int(d));
  }
  return std::nullopt;
}

std::optional<Decimal> text_to_number(std::string_view s) {
  s = trim(s);
  constexpr std::string_view yuan = "元";
  if (s.size() > yuan.size() && s.substr(s.size() - yuan.size()) == yuan) s = trim(s.substr(0, s.size() - yuan.size()));
  if (s.find(',') == std::string_view::npos) return Decimal::parse(s);
  // Grouping commas: every group after the first holds exactly three digits, only before the point.
  std::string plain;
  plain.reserve(s.size());
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) plain.push_back(s[i++]);
  const std::size_t int_end = std::min(s.find('.'), s.size());
  std::size_t group = 0;
  bool first = true;
  for (; i < int_end; ++i) {
    if (s[i] == ',') {
      if ((first && group == 0) || (!first && group != 3) || group > 3) return std::nullopt;
      first = false;
      group = 0;
      continue;
    }
    plain.push_back(s[i]);
    ++group;
  }
  if (!first && group != 3) return std::nullopt;
  plain.append(s.substr(int_end));
  if (plain.find(',') != std::string::npos) return std::nullopt;
  return Decimal::parse(plain);
}

namespace {

// A JSON number (text the cursor validated) of at most 18 digits and no exponent, read straight into a
// 64-bit coefficient and its scale; nullopt for anything else, which Decimal::parse then reads (the same
// value: this is only the common case without the 128-bit arithmetic).
std::optional<Decimal> short_number(std::string_view s) {
  std::size_t i = s[0] == '-';
  if (s.size() - i > 19) return std::nullopt;  // more than 18 digits and a point
  std::uint64_t c = 0;
  int scale = -1, digits = 0;  // scale -1 before the point
  for (; i < s.size(); ++i) {
    const char ch = s[i];
    if (ch >= '0' && ch <= '9') {
      if (++digits > 18) return std::nullopt;  // below 10^18: the coefficient fits in 63 bits
      c = c * 10 + static_cast<std::uint64_t>(ch - '0');
      scale += scale >= 0;
    } else if (ch == '.' && scale < 0) {
      scale = 0;
    } else {
      return std::nullopt;  // an exponent
    }
  }
  const std::int64_t v = s[0] == '-' ? -static_cast<std::int64_t>(c) : static_cast<std::int64_t>(c);
  return Decimal::from_parts(v, scale < 0 ? 0 : scale);
}

// Whether a and b hold the same bytes: eight at a time, without a call into the C library for the short
// names and enum members that keys and values are compared with.
bool same_text(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  std::size_t n = a.size();
  for (; n >= 8; n -= 8, x += 8, y += 8) {
    std::uint64_t u, v;
    std::memcpy(&u, x, 8);
    std::memcpy(&v, y, 8);
    if (u != v) return false;
  }
  for (; n > 0; --n)
    if (*x++ != *y++) return false;
  return true;
}

const char* kind_word(TKind k) {
  switch (k) {
    case TKind::string: return "a string";
    case TKind::number: return "a number";
    case TKind::boolean: return "true or false";
    case TKind::date: return "a date";
    case TKind::list: return "a list";
    case TKind::record: return "an object";
    case TKind::null: return "null";
  }
  return "a value";
}

// ---- the binder --------------------------------------------------------------------------------------------

struct Binder {
  const Program& p;
  BoundInput& in;
  UnknownFields unknown;
  std::vector<std::uint32_t> idx;  // list indexes of the value being bound, for paths
  std::string scratch, key_scratch;

  // Path text for an error: the field's path with list indexes filled in ("a.b[2].c").
  std::string where(std::uint32_t path) const {
    const std::string& t = p.paths[path];
    std::string s;
    std::size_t k = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '[' && i + 1 < t.size() && t[i + 1] == ']' && k < idx.size()) {
        s += "[" + std::to_string(idx[k++]) + "]";
        ++i;
      } else {
        s.push_back(t[i]);
      }
    }
    return s;
  }
  void error(const char* code, std::uint32_t path, std::string msg) {
    in.errors.push_back(DataError{code, where(path), std::move(msg)});
  }
  bool pii(std::uint32_t path) const {
    for (const auto& r : p.records)
      for (const auto& f : r.fields)
        if (f.path == path && f.pii != Pii::none) return true;
    return false;
  }
  // The value as quoted in an error: never for a field holding personal data, and never a run of digits
  // long enough to be an ID or card number.
  std::string quote(std::uint32_t path, std::string_view text) const {
    std::size_t run = 0, longest = 0;
    for (char c : text) {
      run = (c >= '0' && c <= '9') || c == 'x' || c == 'X' ? run + 1 : 0;
      longest = std::max(longest, run);
    }
    if (pii(path) || longest >= 11) return "the value";
    std::string s(text.substr(0, 64));
    if (text.size() > 64) s += "…";
    return "'" + s + "'";
  }

  // A key the inputs do not declare: an error, a warning, or nothing.
  void unknown_key(const std::string& at, std::string_view key, const std::vector<std::string>& candidates,
                   const char* what) {
    if (unknown == UnknownFields::ignore) return;
    std::string near = load::closest(key, candidates);
    std::string msg = std::string("'") + std::string(key) + "' is not " + what;
    if (!near.empty()) msg += " (did you mean '" + near + "'?)";
    DataError e{"E3004", at.empty() ? std::string(key) : at + "." + std::string(key), std::move(msg)};
    (unknown == UnknownFields::error ? in.errors : in.warnings).push_back(std::move(e));
  }

  // ---- from text (CSV cells, string columns, JSON strings given for other types) ----
  Value from_text(std::uint32_t type, std::string_view text, std::uint32_t path) {
    const TypeInfo& t = p.types[type];
    switch (t.kind) {
      case TKind::string: return string_value(t, text, path);
      case TKind::number: {
        if (auto d = text_to_number(text)) return Value::number(*d);
        error("E3001", path, quote(path, text) + " is not a number (digits, an optional '.', grouping commas and '元' allowed)");
        return Value::missing(path);
      }
      case TKind::boolean: {
        if (auto b = text_to_bool(text)) return Value::boolean(*b);
        error("E3001", path, quote(path, text) + " is not true or false (true/false, 1/0, 是/否, Y/N)");
        return Value::missing(path);
      }
      case TKind::date: {
        if (auto d = text_to_date(text)) return Value::of_date(*d);
        error("E3001", path, quote(path, text) + " is not a date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD, a real calendar day)");
        return Value::missing(path);
      }
      case TKind::list:
      case TKind::record: {
        // Lists and records in a cell are JSON text.
        JsonCursor cur(text, 64);
        Value v;
        if (!value(cur, type, path, &v)) {
          error("E3001", path, std::string("expected ") + kind_word(t.kind) + " as JSON text: " + cur.where_error());
          return Value::missing(path);
        }
        if (!cur.at_end()) {
          error("E3001", path, "text after the JSON value");
          return Value::missing(path);
        }
        return v;
      }
      case TKind::null: return Value::null();
    }
    return Value::missing(path);
  }

  Value string_value(const TypeInfo& t, std::string_view text, std::uint32_t path) {
    if (t.enum_id >= 0) {
      const auto& values = p.enums[static_cast<std::size_t>(t.enum_id)];
      const auto it = std::find_if(values.begin(), values.end(), [&](const std::string& v) { return same_text(v, text); });
      if (it == values.end()) {
        std::string list;
        for (auto& v : values) list += (list.empty() ? "" : ", ") + v;
        error("E3002", path, quote(path, text) + " is not one of: " + list);
        return Value::missing(path);
      }
      // The member's symbol, so the fast path compares it without reading its bytes (Fast::sym).
      Value v = Value::string(in.arena.copy(text), static_cast<std::uint32_t>(text.size()));
      if (p.fast_plan) v.sym = p.fast_plan->enum_syms[static_cast<std::size_t>(t.enum_id)][static_cast<std::size_t>(it - values.begin())];
      return v;
    }
    if (t.cn_id) {
      // Validated and normalised on input (full-width digits, lower-case x, 15 → 18 digits); the reason
      // never holds the number itself.
      const identity::IdCheck c = identity::check_id(text);
      if (!c.valid()) {
        error("E3003", path, "not a valid ID number: " + identity::describe(c, "en"));
        return Value::missing(path);
      }
      const std::string_view canon = c.canonical();
      return Value::string(in.arena.copy(canon), static_cast<std::uint32_t>(canon.size()));
    }
    return Value::string(in.arena.copy(text), static_cast<std::uint32_t>(text.size()));
  }

  // ---- from JSON ----
  // Binds the value at the cursor to `type`. false only when the JSON itself is malformed (the cursor then
  // holds the error); a value of the wrong type is a data error, skipped, and binding goes on.
  bool value(JsonCursor& cur, std::uint32_t type, std::uint32_t path, Value* out) {
    const TypeInfo& t = p.types[type];
    const char c = cur.peek();
    if (c == 'n') {
      if (!cur.literal("null")) return false;
      *out = t.optional ? Value::null() : Value::missing(path);
      return true;
    }
    switch (t.kind) {
      case TKind::string:
        if (c == '"') {
          std::string_view s;
          if (!cur.string(&s, &scratch)) return false;
          *out = string_value(t, s, path);
          return true;
        }
        break;
      case TKind::number:
        if (c == '"') {
          std::string_view s;
          if (!cur.string(&s, &scratch)) return false;
          *out = from_text(type, s, path);
          return true;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
          std::string_view s;
          if (!cur.number(&s)) return false;
          if (auto d = short_number(s)) {
            *out = Value::number(*d);
          } else if (auto d = Decimal::parse(s)) {
            *out = Value::number(*d);
          } else {
            error("E3001", path,
                  s.find_first_of("eE") != std::string_view::npos
                      ? std::string("a number written with an exponent: write it as a plain decimal")
                      : "a number with more digits than a decimal holds (37, 18 after the point)");
            *out = Value::missing(path);
          }
          return true;
        }
        break;
      case TKind::boolean:
        if (c == 't' || c == 'f') {
          if (!cur.literal(c == 't' ? "true" : "false")) return false;
          *out = Value::boolean(c == 't');
          return true;
        }
        if (c == '"') {
          std::string_view s;
          if (!cur.string(&s, &scratch)) return false;
          *out = from_text(type, s, path);
          return true;
        }
        break;
      case TKind::date:
        if (c == '"') {
          std::string_view s;
          if (!cur.string(&s, &scratch)) return false;
          *out = from_text(type, s, path);
          return true;
        }
        break;
      case TKind::list:
        if (c == '[') return list(cur, t, path, out);
        break;
      case TKind::record:
        if (c == '{') return record(cur, t.record, path, out);
        break;
      case TKind::null: break;
    }
    // The wrong kind of value: say what was expected and what came, then skip it.
    const char* got = c == '"' ? "a string" : c == '{' ? "an object" : c == '[' ? "a list" : c == 't' || c == 'f' ? "true/false" : "a number";
    if (c == '\0') return cur.fail("the text ends where a value was expected");
    if (!cur.skip_value(static_cast<std::uint32_t>(idx.size()) + 2)) return false;
    error("E3001", path, std::string("expected ") + kind_word(t.kind) + ", got " + got);
    *out = Value::missing(path);
    return true;
  }

  bool list(JsonCursor& cur, const TypeInfo& t, std::uint32_t path, Value* out) {
    cur.expect('[');
    // Items are bound into a small stack buffer first, then copied to the arena once the count is known.
    Value stack[16];
    std::vector<Value> heap;
    std::uint32_t n = 0;
    bool first = true, done = false;
    while (cur.item(&first, &done)) {
      if (idx.size() >= 32) return cur.fail("nested too deeply");
      idx.push_back(n);
      Value v;
      const bool ok = value(cur, t.elem, path, &v);
      idx.pop_back();
      if (!ok) return false;
      if (n < 16) {
        stack[n] = v;
      } else {
        if (n == 16) heap.assign(stack, stack + 16);
        heap.push_back(v);
      }
      ++n;
    }
    if (!cur.ok()) return false;
    Value* items = in.arena.make_array<Value>(n);
    const Value* from = n <= 16 ? stack : heap.data();
    std::copy(from, from + n, items);
    *out = Value::list(items, n);
    return true;
  }

  bool record(JsonCursor& cur, std::uint32_t record_id, std::uint32_t path, Value* out) {
    const RecordInfo& rec = p.records[record_id];
    Value* fields = in.arena.make_array<Value>(rec.fields.size());
    for (std::size_t f = 0; f < rec.fields.size(); ++f) fields[f] = Value::missing(rec.fields[f].path);
    if (!record_members(cur, rec, fields, static_cast<std::int64_t>(path), -1)) return false;
    *out = Value::record(fields);
    return true;
  }

  // The members of an object into `fields`; with `flat_group` >= 0 a key that is no field but names
  // another group binds that group (a flat record with nested groups).
  // `at` is the record's path id (for messages), -1 for the top level.
  bool record_members(JsonCursor& cur, const RecordInfo& rec, Value* fields, std::int64_t at, int flat_group) {
    if (!cur.expect('{')) return false;
    std::uint64_t seen_small = 0;
    std::vector<bool> seen_big;
    if (rec.fields.size() > 64) seen_big.assign(rec.fields.size(), false);
    bool first = true, done = false;
    std::string_view key;
    // Documents usually list a record's fields in the order the pack declares them: the field after the
    // last one bound is compared first (one comparison a key), then every field. Either way a key binds
    // only a field of exactly its name.
    std::size_t next = 0;
    while (cur.member(&first, &key, &key_scratch, &done)) {
      const int f = next < rec.fields.size() && same_text(rec.fields[next].name, key) ? static_cast<int>(next) : rec.find(key);
      if (f >= 0) {
        next = static_cast<std::size_t>(f) + 1;
        const bool dup = rec.fields.size() > 64 ? seen_big[f] : (seen_small >> f) & 1;
        if (dup) {
          error("E3005", rec.fields[f].path, "given twice in one object");
          if (!cur.skip_value(static_cast<std::uint32_t>(idx.size()) + 2)) return false;
          continue;
        }
        if (rec.fields.size() > 64) seen_big[f] = true;
        else seen_small |= std::uint64_t{1} << f;
        const FieldInfo& fi = rec.fields[static_cast<std::size_t>(f)];
        if (!value(cur, fi.type, fi.path, &fields[f])) return false;
        continue;
      }
      if (flat_group >= 0) {
        const int g = find_group(key);
        if (g >= 0 && g != flat_group) {
          if (!group(cur, static_cast<std::size_t>(g))) return false;
          continue;
        }
      }
      std::vector<std::string> names;
      for (const auto& fi : rec.fields) names.push_back(fi.name);
      if (flat_group >= 0)
        for (const auto& gi : p.groups) names.push_back(gi.name);
      const std::string k(key);
      unknown_key(at < 0 ? std::string() : where(static_cast<std::uint32_t>(at)), k, names,
                  flat_group >= 0 ? "a field of the record or an input group" : "a field of this record");
      if (!cur.skip_value(static_cast<std::uint32_t>(idx.size()) + 2)) return false;
    }
    return cur.ok();
  }

  int find_group(std::string_view name) const {
    for (std::size_t g = 0; g < p.groups.size(); ++g)
      if (same_text(p.groups[g].name, name)) return static_cast<int>(g);
    return -1;
  }

  // One group's value at the cursor (an object, or null: no record, its source is not asked).
  bool group(JsonCursor& cur, std::size_t g) {
    const GroupInfo& gi = p.groups[g];
    if (in.given[g]) {
      error("E3005", gi.path, "the group is given twice");
      return cur.skip_value(2);
    }
    in.given[g] = 1;
    const char c = cur.peek();
    if (c == 'n') {
      if (!cur.literal("null")) return false;
      in.state[g] = BoundInput::State::absent;
      return true;
    }
    if (c != '{') {
      if (c == '\0') return cur.fail("the text ends where a value was expected");
      if (!cur.skip_value(2)) return false;
      error("E3001", gi.path, "expected an object of the group's fields");
      in.state[g] = BoundInput::State::absent;
      return true;
    }
    Value v;
    if (!record(cur, gi.record, gi.path, &v)) return false;
    in.groups[g] = v;
    in.state[g] = BoundInput::State::bound;
    return true;
  }
};

void reset(const Program& program, BoundInput* out) {
  out->program = &program;
  out->arena.reset();
  out->errors.clear();
  out->warnings.clear();
  out->source_errors.clear();
  const std::size_t n = program.groups.size();
  // The fast path's row first, on a cache-line boundary, with the group states right after it: the lines
  // an evaluation reads first. Every entry `bail` until finish() copies the bound fields in.
  out->row.place(out->arena, program.fast_plan ? program.fast_plan->row_size : 0, Fast(), 64);
  out->groups.place(out->arena, n, Value());
  out->state.place(out->arena, n, BoundInput::State::absent);
  out->given.place(out->arena, n, 0);
}

// Groups not given up front: fetched from their source on first read, else absent.
// The bound groups' fields copied into the fast path's row (BoundInput::row).
void finish(const Program& program, BoundInput* out) {
  for (std::size_t g = 0; g < program.groups.size(); ++g)
    if (!out->given[g] && !program.groups[g].source.empty()) out->state[g] = BoundInput::State::unbound;
  if (!program.fast_plan) return;
  const FastPlan& plan = *program.fast_plan;
  for (std::size_t g = 0; g < program.groups.size(); ++g) {
    if (out->state[g] != BoundInput::State::bound || out->groups[g].kind != VKind::record) continue;
    const std::size_t count = program.records[program.groups[g].record].fields.size();
    const Value* fields = out->groups[g].items;
    for (std::size_t f = 0; f < count; ++f) out->row[plan.field_base[g] + f] = to_fast(fields[f]);
  }
}

UnknownFields policy(const Program& p, const std::optional<UnknownFields>& given) {
  if (given) return *given;
  return p.unknown_fields == 1 ? UnknownFields::warn : p.unknown_fields == 2 ? UnknownFields::ignore : UnknownFields::error;
}

void malformed(BoundInput* out, const JsonCursor& cur, const Program& program) {
  // Nothing of a malformed document is used: every group is absent and the decision is `error`.
  out->errors.push_back(DataError{"E3000", "", "the input is not valid JSON: " + cur.where_error()});
  out->groups.fill(Value());  // placed by reset(), one per group
  out->state.fill(BoundInput::State::absent);
  out->given.fill(1);
}

}  // namespace

void bind_json(const Program& program, std::string_view json, BoundInput* out, const BindOptions& options) {
  reset(program, out);
  Binder b{program, *out, policy(program, options.unknown_fields), {}, {}, {}};
  JsonCursor cur(json, 64);
  const char c = cur.peek();
  if (c != '{') {
    if (c == '\0') {
      out->errors.push_back(DataError{"E3000", "", "the input is empty"});
    } else if (c == '[' || c == '"' || c == 't' || c == 'f' || c == 'n' || c == '-' || (c >= '0' && c <= '9')) {
      out->errors.push_back(DataError{"E3000", "", "the input must be a JSON object"});
    } else {
      cur.fail("unexpected character (expected a JSON object)");
      malformed(out, cur, program);
      return;
    }
    out->given.fill(1);
    return;
  }
  int flat = -1;
  if (!options.group.empty()) {
    flat = b.find_group(options.group);
    if (flat < 0) {
      std::vector<std::string> names;
      for (const auto& g : program.groups) names.push_back(g.name);
      const std::string near = load::closest(options.group, names);
      out->errors.push_back(DataError{"E3004", "", "'" + options.group + "' is not an input group of the pack" +
                                                       (near.empty() ? "" : " (did you mean '" + near + "'?)")});
      out->given.fill(1);
      return;
    }
  }
  bool ok;
  if (flat >= 0) {
    const GroupInfo& gi = program.groups[static_cast<std::size_t>(flat)];
    const RecordInfo& rec = program.records[gi.record];
    Value* fields = out->arena.make_array<Value>(rec.fields.size());
    for (std::size_t f = 0; f < rec.fields.size(); ++f) fields[f] = Value::missing(rec.fields[f].path);
    out->given[static_cast<std::size_t>(flat)] = 1;
    ok = b.record_members(cur, rec, fields, static_cast<std::int64_t>(gi.path), flat);
    out->groups[static_cast<std::size_t>(flat)] = Value::record(fields);
    out->state[static_cast<std::size_t>(flat)] = BoundInput::State::bound;
  } else {
    cur.expect('{');
    bool first = true, done = false;
    std::string_view key;
    std::string key_scratch;
    for (;;) {
      if (!cur.member(&first, &key, &key_scratch, &done)) break;
      const int g = b.find_group(key);
      if (g < 0) {
        std::vector<std::string> names;
        for (const auto& gi : program.groups) names.push_back(gi.name);
        b.unknown_key("", key, names, "an input group of the pack");
        if (!cur.skip_value(1)) break;
        continue;
      }
      if (!b.group(cur, static_cast<std::size_t>(g))) break;
    }
    ok = cur.ok();
  }
  if (ok && !cur.at_end()) {
    cur.fail("text after the end of the JSON object");
    ok = false;
  }
  if (!ok) {
    malformed(out, cur, program);
    return;
  }
  finish(program, out);
}

bool bind_group_json(const Program& program, std::uint32_t group, std::string_view json, BoundInput* in,
                     std::vector<DataError>* errors) {
  // What a data source returned: bound with the same rules; its errors are the source's, kept apart.
  const GroupInfo& g = program.groups[group];
  std::vector<DataError> saved;
  saved.swap(in->errors);
  Binder b{program, *in, UnknownFields::error, {}, {}, {}};
  JsonCursor cur(json, 64);
  Value v;
  bool ok = cur.peek() == '{' && b.record(cur, g.record, g.path, &v) && cur.at_end();
  std::vector<DataError> produced;
  produced.swap(in->errors);
  in->errors.swap(saved);
  errors->insert(errors->end(), produced.begin(), produced.end());
  if (!ok) {
    errors->push_back(DataError{"E3000", g.name,
                                cur.ok() && cur.peek() != '{' ? std::string("expected an object")
                                                              : "malformed JSON: " + cur.where_error()});
    in->state[group] = BoundInput::State::absent;
    return false;
  }
  in->groups[group] = v;
  in->state[group] = BoundInput::State::bound;
  return true;
}

// ---- rows -------------------------------------------------------------------------------------------------

bool make_layout(const Program& p, const std::vector<std::string>& columns, const BindOptions& options,
                 RowLayoutData* out, std::string* error) {
  out->program = &p;
  out->columns.clear();
  out->ignored.clear();
  out->names = columns;
  const UnknownFields unknown = policy(p, options.unknown_fields);
  int flat = p.record_group;
  if (!options.group.empty()) {
    flat = -1;
    for (std::size_t g = 0; g < p.groups.size(); ++g)
      if (p.groups[g].name == options.group) flat = static_cast<int>(g);
    if (flat < 0) {
      std::vector<std::string> names;
      for (const auto& g : p.groups) names.push_back(g.name);
      const std::string near = load::closest(options.group, names);
      *error = "'" + options.group + "' is not an input group of the pack" + (near.empty() ? "" : " (did you mean '" + near + "'?)");
      return false;
    }
  }
  out->flat_group = flat;
  std::vector<std::string> candidates;  // for "did you mean"
  if (flat >= 0)
    for (const auto& f : p.records[p.groups[static_cast<std::size_t>(flat)].record].fields) candidates.push_back(f.name);
  for (const auto& g : p.groups) {
    candidates.push_back(g.name);
    for (const auto& f : p.records[g.record].fields) candidates.push_back(g.name + "." + f.name);
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const std::string& name = columns[c];
    RowLayoutData::Column col;
    bool found = false;
    if (flat >= 0) {
      const GroupInfo& gi = p.groups[static_cast<std::size_t>(flat)];
      const int f = p.records[gi.record].find(name);
      if (f >= 0) {
        col = {RowLayoutData::Kind::field, static_cast<std::uint32_t>(flat), f};
        found = true;
      }
    }
    if (!found) {
      for (std::size_t g = 0; g < p.groups.size() && !found; ++g)
        if (p.groups[g].name == name) {
          col = {RowLayoutData::Kind::group, static_cast<std::uint32_t>(g), -1};
          found = true;
        }
    }
    const std::size_t dot = name.find('.');
    if (!found && dot != std::string::npos) {
      for (std::size_t g = 0; g < p.groups.size() && !found; ++g) {
        if (p.groups[g].name != std::string_view(name).substr(0, dot)) continue;
        const int f = p.records[p.groups[g].record].find(std::string_view(name).substr(dot + 1));
        if (f >= 0) {
          col = {RowLayoutData::Kind::field, static_cast<std::uint32_t>(g), f};
          found = true;
        }
      }
    }
    if (!found) {
      if (unknown == UnknownFields::error) {
        const std::string near = load::closest(name, candidates);
        *error = "column " + std::to_string(c + 1) + " '" + name + "' is not an input of pack " + p.pack_id +
                 (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                 (flat < 0 && dot == std::string::npos && near.empty()
                      ? "; name columns 'group.field', or give the record group (--group)"
                      : "");
        return false;
      }
      col.kind = RowLayoutData::Kind::ignored;
      if (unknown == UnknownFields::warn) out->ignored.push_back(name);
    }
    // Two columns for one field (or a group given whole and by field) is ambiguous.
    for (std::size_t k = 0; k < out->columns.size() && col.kind != RowLayoutData::Kind::ignored; ++k) {
      const auto& o = out->columns[k];
      if (o.kind == RowLayoutData::Kind::ignored || o.group != col.group) continue;
      if (o.kind == RowLayoutData::Kind::group || col.kind == RowLayoutData::Kind::group || o.field == col.field) {
        *error = "columns " + std::to_string(k + 1) + " '" + columns[k] + "' and " + std::to_string(c + 1) + " '" + name +
                 "' both give " + (o.kind == RowLayoutData::Kind::group || col.kind == RowLayoutData::Kind::group
                                       ? "group '" + p.groups[col.group].name + "'"
                                       : "'" + p.paths[p.records[p.groups[col.group].record].fields[col.field].path] + "'");
        return false;
      }
    }
    out->columns.push_back(col);
  }
  return true;
}

namespace {

// Renders a typed cell as text when the field's type wants another kind (an ID number given as a number).
std::string cell_text(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::number: return c.number.to_string();
    case Cell::Kind::boolean: return c.boolean ? "true" : "false";
    case Cell::Kind::date: return c.date.to_string();
    default: return std::string(c.text);
  }
}

}  // namespace

void bind_row(const RowLayoutData& layout, const Cell* cells, std::size_t count, BoundInput* out) {
  const Program& p = *layout.program;
  reset(p, out);
  Binder b{p, *out, UnknownFields::error, {}, {}, {}};
  if (count != layout.columns.size()) {
    out->errors.push_back(DataError{"E3000", "", "the row has " + std::to_string(count) + " cells, the layout " +
                                                     std::to_string(layout.columns.size())});
    out->given.fill(1);
    return;
  }
  std::string text;
  for (std::size_t c = 0; c < count; ++c) {
    const RowLayoutData::Column& col = layout.columns[c];
    const Cell& cell = cells[c];
    if (col.kind == RowLayoutData::Kind::ignored) continue;
    if (cell.kind == Cell::Kind::missing || (cell.kind == Cell::Kind::text && trim(cell.text).empty())) continue;
    const std::size_t g = col.group;
    const GroupInfo& gi = p.groups[g];
    if (col.kind == RowLayoutData::Kind::group) {
      const std::string_view t = cell.kind == Cell::Kind::text ? cell.text : std::string_view();
      if (cell.kind != Cell::Kind::text) {
        b.error("E3001", gi.path, "expected the group as JSON text");
        out->given[g] = 1;
        continue;
      }
      JsonCursor cur(t, 64);
      if (!b.group(cur, g) || !cur.at_end()) {
        if (cur.ok()) cur.fail("text after the JSON value");
        b.error("E3001", gi.path, "expected an object of the group's fields as JSON text: " + cur.where_error());
        out->state[g] = BoundInput::State::absent;
      }
      continue;
    }
    // A field: the group's record is made on its first present cell.
    const RecordInfo& rec = p.records[gi.record];
    if (out->state[g] != BoundInput::State::bound) {
      Value* fields = out->arena.make_array<Value>(rec.fields.size());
      for (std::size_t f = 0; f < rec.fields.size(); ++f) fields[f] = Value::missing(rec.fields[f].path);
      out->groups[g] = Value::record(fields);
      out->state[g] = BoundInput::State::bound;
      out->given[g] = 1;
    }
    const FieldInfo& fi = rec.fields[static_cast<std::size_t>(col.field)];
    Value& slot = const_cast<Value*>(out->groups[g].items)[col.field];
    const TypeInfo& t = p.types[fi.type];
    if (cell.kind == Cell::Kind::text) {
      slot = b.from_text(fi.type, trim(cell.text), fi.path);
    } else if (cell.kind == Cell::Kind::number && t.kind == TKind::number) {
      slot = Value::number(cell.number);
    } else if (cell.kind == Cell::Kind::boolean && t.kind == TKind::boolean) {
      slot = Value::boolean(cell.boolean);
    } else if (cell.kind == Cell::Kind::date && t.kind == TKind::date) {
      slot = Value::of_date(cell.date);
    } else if (t.kind == TKind::string && cell.kind == Cell::Kind::number) {
      text = cell_text(cell);  // an ID number or code read as a number by the host
      slot = b.from_text(fi.type, text, fi.path);
    } else {
      b.error("E3001", fi.path, std::string("expected ") + kind_word(t.kind) + ", got " +
                                    (cell.kind == Cell::Kind::number ? "a number" : cell.kind == Cell::Kind::boolean ? "true/false" : "a date"));
      slot = Value::missing(fi.path);
    }
  }
  finish(p, out);
}

}  // namespace eligo::detail
