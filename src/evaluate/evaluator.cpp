#include "evaluate/evaluator.hpp"
#include "evaluate/fast_plan.hpp"

#include "eligo/blacklist.hpp"
#include "eligo/identity.hpp"
#include "explain/render.hpp"

#include <algorithm>
#include <exception>

namespace eligo::detail {
namespace {

std::uint32_t utf8_length(std::string_view s) {
  std::uint32_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Value num(const Decimal& d) { return Value::number(d); }
Value num(std::int64_t i) { return Value::number(Decimal::from_int(i)); }

bool truthy(const Value& v) { return v.kind == VKind::boolean && v.b; }

}  // namespace

void BoundInput::reset_fetched() {
  if (program && program->fast_plan && !program->fast_plan->any_source) {
    source_errors.clear();
    return;
  }
  for (std::size_t g = 0; g < state.size(); ++g) {
    if (!given[g] && program && !program->groups[g].source.empty()) state[g] = State::unbound;
  }
  source_errors.clear();
}

void Evaluator::start(const Program& program, BoundInput* input, Date as_of, std::uint64_t step_budget,
                      DataSource* sources, const Input* public_input, const blacklist::Snapshot* blacklist) {
  blacklist_ = blacklist;
  blacklist_hits.clear();
  if_hits = nullptr;
  p_ = &program;
  in_ = input;
  as_of_ = as_of;
  steps_left_ = step_budget;
  sources_ = sources;
  public_input_ = public_input;
  scratch_.reset();
  locals_.assign(program.local_count, Value());
  let_values_.assign(program.lets.size(), Value());
  let_state_.assign(program.lets.size(), 0);
  let_missing_.resize(program.lets.size());
  let_reads_.resize(program.lets.size());
  missing.clear();
  reads.clear();
  calls.clear();
  tracing = false;
  failures_ = 0;
}

void Evaluator::fail(const char* code, std::string message, std::uint32_t node) {
  ++failures_;
  throw EvalFailure{code, std::move(message), node};
}

void Evaluator::note_missing(std::uint32_t path) {
  if (std::find(missing.begin(), missing.end(), path) == missing.end()) missing.push_back(path);
}

void Evaluator::note_read(std::uint32_t path, const Value& v) {
  for (auto& r : reads)
    if (r.first == path) return;
  reads.emplace_back(path, v);
}

void Evaluator::fetch(std::uint32_t g) {
  const GroupInfo& gi = p_->groups[g];
  in_->state[g] = BoundInput::State::absent;
  if (gi.source.empty()) return;
  SourceCall call;
  call.source = gi.source;
  if (!sources_) {
    call.outcome = "unavailable";
    calls.push_back(std::move(call));
    return;
  }
  SourceRequest req;
  req.source = gi.source;
  req.group = gi.name;
  req.input = public_input_;
  std::optional<std::string> json;
  try {
    json = sources_->fetch(req);
  } catch (const SourceError& e) {
    call.outcome = std::string("failed: ") + e.what();
    calls.push_back(std::move(call));
    return;
  } catch (const std::exception& e) {
    // The host's message is not repeated: it may quote the applicant's ID number or name (a lookup key).
    call.outcome = "failed: the data source raised an error";
    calls.push_back(std::move(call));
    return;
  } catch (...) {
    call.outcome = "failed";
    calls.push_back(std::move(call));
    return;
  }
  if (!json) {
    call.outcome = "no record";
    calls.push_back(std::move(call));
    return;
  }
  if (bind_group_json(*p_, g, *json, in_, &in_->source_errors)) {
    call.outcome = "ok";
  } else {
    call.outcome = "failed: the source's data is not a JSON object";
  }
  calls.push_back(std::move(call));
}

Value Evaluator::field(std::uint32_t g, std::uint32_t slot) {
  if (in_->state[g] == BoundInput::State::unbound) fetch(g);
  const FieldInfo& f = p_->records[p_->groups[g].record].fields[slot];
  if (in_->state[g] != BoundInput::State::bound) {
    note_missing(f.path);
    return Value::missing(f.path);
  }
  const Value& v = in_->groups[g].items[slot];
  if (tracing) note_read(f.path, v);
  if (v.is_missing()) note_missing(f.path);
  return v;
}

Value Evaluator::eval(std::uint32_t idx) {
  if (steps_left_ == 0) fail("E2001", "the step budget is used up: the rules do too much work for one applicant", idx);
  --steps_left_;
  const Node& n = p_->nodes[idx];
  switch (n.op) {
    case Op::Const: return p_->constants[n.a];
    case Op::Field: {
      if (in_->state[n.a] != BoundInput::State::bound) return field(n.a, n.b);
      const Value& v = in_->groups[n.a].items[n.b];
      if (tracing) note_read(n.c, v);
      if (v.kind == VKind::missing) note_missing(n.c);
      return v;
    }
    case Op::Get: {
      const Value r = eval(n.a);
      if (r.kind != VKind::record) return r.kind == VKind::null ? Value::null() : r;
      const Value& v = r.items[n.b];
      if (v.is_missing()) {
        note_missing(n.c);
        return Value::missing(n.c);
      }
      return v;
    }
    case Op::Local: return locals_[n.a];
    case Op::Let: {
      if (let_state_[n.a] == 2) {
        for (std::uint32_t path : let_missing_[n.a]) note_missing(path);
        if (tracing) {
          for (const auto& r : let_reads_[n.a]) note_read(r.first, r.second);
          note_read(p_->lets[n.a].path, let_values_[n.a]);  // --explain shows the let's value too
        }
        return let_values_[n.a];
      }
      // Computed with empty notes, so exactly what this let touches is recorded; the outer notes are
      // restored and merged afterwards.
      std::vector<std::uint32_t> outer_missing;
      std::vector<std::pair<std::uint32_t, Value>> outer_reads;
      outer_missing.swap(missing);
      outer_reads.swap(reads);
      const Value v = eval(p_->lets[n.a].node);
      let_missing_[n.a] = missing;
      let_reads_[n.a] = reads;
      missing.swap(outer_missing);
      reads.swap(outer_reads);
      for (std::uint32_t path : let_missing_[n.a]) note_missing(path);
      if (tracing) {
        for (const auto& r : let_reads_[n.a]) note_read(r.first, r.second);
        note_read(p_->lets[n.a].path, v);
      }
      let_values_[n.a] = v;
      let_state_[n.a] = 2;
      return v;
    }
    case Op::AsOf: return Value::of_date(as_of_);
    case Op::Neg: {
      const Value a = eval(n.a);
      if (a.kind != VKind::number) return a;
      return num(a.num.negated());
    }
    case Op::Not: {
      const Value a = eval(n.a);
      if (a.is_missing()) return a;
      return Value::boolean(!truthy(a));
    }
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Mod: {
      const Value a = eval(n.a);
      const Value b = eval(n.b);
      return arith(n, a, b);
    }
    case Op::Eq:
    case Op::Ne: {
      const Value a = eval(n.a);
      if (a.is_missing()) return a;
      const Value b = eval(n.b);
      if (b.is_missing()) return b;
      const bool eq = values_equal(a, b);
      return Value::boolean(n.op == Op::Eq ? eq : !eq);
    }
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: {
      const Value a = eval(n.a);
      if (a.is_missing()) return a;
      const Value b = eval(n.b);
      if (b.is_missing()) return b;
      if (a.kind == VKind::null || b.kind == VKind::null) return Value::boolean(false);
      const int c = values_compare(a, b);
      const bool r = n.op == Op::Lt ? c < 0 : n.op == Op::Le ? c <= 0 : n.op == Op::Gt ? c > 0 : c >= 0;
      return Value::boolean(r);
    }
    case Op::And: {
      const Value a = eval(n.a);
      if (!a.is_missing() && !truthy(a)) return Value::boolean(false);
      const Value b = eval(n.b);
      if (!b.is_missing() && !truthy(b)) return Value::boolean(false);
      if (a.is_missing()) return a;
      if (b.is_missing()) return b;
      return Value::boolean(true);
    }
    case Op::Or: {
      const Value a = eval(n.a);
      if (truthy(a)) return a;
      const Value b = eval(n.b);
      if (truthy(b)) return b;
      if (a.is_missing()) return a;
      if (b.is_missing()) return b;
      return Value::boolean(false);
    }
    case Op::If: {
      const Value c = eval(n.a);
      if (c.is_missing()) return c;
      const bool yes = truthy(c);
      if (if_hits) ++if_hits[2 * idx + (yes ? 0 : 1)];
      return eval(yes ? n.b : n.c);
    }
    case Op::Coalesce: {
      const std::size_t mark = missing.size();
      const Value a = eval(n.a);
      if (!a.absent()) return a;
      missing.resize(mark);  // handled: the default stands in
      return eval(n.b);
    }
    case Op::Present: {
      const std::size_t mark = missing.size();
      const Value a = eval(n.a);
      missing.resize(mark);
      return Value::boolean(!a.absent());
    }
    case Op::InSet: {
      const Value a = eval(n.a);
      if (a.is_missing()) return a;
      bool found = false;
      if (a.kind != VKind::null) {
        const auto& set = p_->value_lists[n.b];
        auto it = std::lower_bound(set.begin(), set.end(), a,
                                   [](const Value& x, const Value& y) { return values_compare(x, y) < 0; });
        found = it != set.end() && values_compare(*it, a) == 0;
      }
      return Value::boolean(n.c ? !found : found);
    }
    case Op::InRange: {
      const Value a = eval(n.a);
      if (a.is_missing()) return a;
      const Value lo = eval(n.b);
      if (lo.is_missing()) return lo;
      const Value hi = eval(n.c);
      if (hi.is_missing()) return hi;
      if (a.kind == VKind::null || lo.kind == VKind::null || hi.kind == VKind::null) return Value::boolean(false);
      return Value::boolean(values_compare(lo, a) <= 0 && values_compare(a, hi) <= 0);
    }
    case Op::InList: {
      const Value a = eval(n.a);
      if (a.is_missing()) return a;
      const Value l = eval(n.b);
      if (l.is_missing()) return l;
      bool found = false;
      if (l.kind == VKind::list)
        for (std::uint32_t i = 0; i < l.n && !found; ++i) found = values_equal(l.items[i], a);
      return Value::boolean(n.c ? !found : found);
    }
    case Op::Call: return call(n);
    case Op::Quant: return quant(n);
  }
  return Value::missing(0);
}

Value Evaluator::arith(const Node& n, const Value& a, const Value& b) {
  if (a.is_missing()) return a;
  if (b.is_missing()) return b;
  if (a.kind == VKind::null || b.kind == VKind::null) return Value::null();
  Decimal r;
  bool ok = false;
  const char* what = "overflow";
  switch (n.op) {
    case Op::Add: ok = Decimal::add(a.num, b.num, &r); break;
    case Op::Sub: ok = Decimal::sub(a.num, b.num, &r); break;
    case Op::Mul: ok = Decimal::mul(a.num, b.num, &r); break;
    case Op::Div:
      if (b.num.is_zero()) what = "division by zero";
      ok = Decimal::div(a.num, b.num, static_cast<Rounding>(n.c), &r);
      break;
    case Op::Mod:
      if (b.num.is_zero()) what = "division by zero";
      ok = Decimal::mod(a.num, b.num, &r);
      break;
    default: break;
  }
  if (!ok) {
    if (std::string(what) == "division by zero") fail("E2004", "division by zero", static_cast<std::uint32_t>(&n - p_->nodes.data()));
    fail("E2003", "decimal overflow: a result does not fit in 37 digits", static_cast<std::uint32_t>(&n - p_->nodes.data()));
  }
  return num(r);
}

Value Evaluator::call(const Node& n) {
  const std::uint32_t* args = p_->args.data() + n.b;
  const std::uint32_t argc = n.c;
  Value v[4];
  const auto b = static_cast<Builtin>(n.sub);
  if (b == Builtin::min || b == Builtin::max) {
    Value best;
    bool have = false;
    for (std::uint32_t i = 0; i < argc; ++i) {
      const Value x = eval(args[i]);
      if (x.is_missing()) return x;
      if (x.kind == VKind::null) continue;
      if (!have || (b == Builtin::min ? values_compare(x, best) < 0 : values_compare(x, best) > 0)) best = x;
      have = true;
    }
    return have ? best : Value::null();
  }
  for (std::uint32_t i = 0; i < argc && i < 4; ++i) {
    v[i] = eval(args[i]);
    if (v[i].is_missing()) return v[i];
  }
  // overlaps() reads null ends as open; every other function gives null for a null argument.
  if (b != Builtin::overlaps)
    for (std::uint32_t i = 0; i < argc && i < 4; ++i)
      if (v[i].kind == VKind::null) return Value::null();
  const std::uint32_t self = static_cast<std::uint32_t>(&n - p_->nodes.data());
  auto to_int = [&](const Decimal& d) -> int {
    auto i = d.to_int64();
    if (!i || *i > 100000 || *i < -100000 || !d.is_integer())
      fail("E2006", "a whole number of months or days between -100000 and 100000 is needed, got " + d.to_string(), self);
    return static_cast<int>(*i);
  };
  switch (b) {
    case Builtin::round: {
      Decimal r;
      if (!v[0].num.round(static_cast<int>(*v[1].num.to_int64()), static_cast<Rounding>(n.d), &r))
        fail("E2003", "decimal overflow in round()", self);
      return num(r);
    }
    case Builtin::floor:
    case Builtin::ceil: {
      Decimal r;
      if (!v[0].num.round(0, b == Builtin::floor ? Rounding::floor : Rounding::ceiling, &r))
        fail("E2003", "decimal overflow", self);
      return num(r);
    }
    case Builtin::abs: return num(v[0].num.abs());
    case Builtin::cn_id_valid:
    case Builtin::cn_id_birth_date:
    case Builtin::cn_id_sex:
    case Builtin::cn_id_region:
    case Builtin::cn_id_age: {
      identity::IdOptions io;
      io.as_of = as_of_;
      const identity::IdCheck c = identity::check_id(v[0].sv(), io);
      if (b == Builtin::cn_id_valid) return Value::boolean(c.valid());
      if (!c.valid()) return Value::null();
      if (b == Builtin::cn_id_birth_date) return c.birth_date ? Value::of_date(*c.birth_date) : Value::null();
      if (b == Builtin::cn_id_age) return c.birth_date ? num(years_between(*c.birth_date, as_of_)) : Value::null();
      if (b == Builtin::cn_id_sex) {
        if (c.sex == identity::Sex::unknown) return Value::null();
        const char* sex = identity::to_string(c.sex);
        return Value::string(sex, static_cast<std::uint32_t>(std::char_traits<char>::length(sex)));
      }
      const std::string name = identity::region_name(c.region);
      if (name.empty()) return Value::null();
      return Value::string(scratch_.copy(name), static_cast<std::uint32_t>(name.size()));
    }
    case Builtin::uscc_valid: return Value::boolean(identity::credit_code_valid(v[0].sv()));
    case Builtin::names_match: return Value::boolean(identity::names_match(v[0].sv(), v[1].sv()));
    case Builtin::normalize_name:
    case Builtin::mask: {
      static const identity::PiiKind kKinds[] = {identity::PiiKind::id_number, identity::PiiKind::bank_card,
                                                 identity::PiiKind::mobile, identity::PiiKind::name};
      const std::string s = b == Builtin::normalize_name ? identity::normalize_name(v[0].sv())
                                                        : identity::mask(kKinds[n.d], v[0].sv());
      return Value::string(scratch_.copy(s), static_cast<std::uint32_t>(s.size()));
    }
    case Builtin::blacklisted:
    case Builtin::blacklist_reasons: {
      if (!blacklist_) fail("E2009", "the rules check a blacklist, but no blacklist snapshot is attached", self);
      const std::string_view id = v[0].sv(), scope = v[1].sv();
      // The common answer (not listed) takes the allocation-free path; a hit gathers its evidence.
      if (!blacklist_->listed(id, scope, as_of_)) {
        if (b == Builtin::blacklisted) return Value::boolean(false);
        return Value::string("", 0);
      }
      std::string reasons;
      for (const auto& e : blacklist_->check(id, scope, as_of_)) {
        BlacklistHit h;
        h.key = blacklist::masked_key(e.key);
        h.scope = std::string(scope);
        h.reason_code = e.reason_code;
        h.reason_text = e.reason_text;
        h.source = e.source;
        h.listed_on = e.listed_on.to_string();
        h.from = e.effective_from().to_string();
        h.until = e.until ? e.until->to_string() : std::string();
        const std::string why = e.reason_text.empty() ? e.reason_code : e.reason_text;
        reasons += (reasons.empty() ? "" : "；") + why + "（" + e.source + "，" +
                   (reason_dates_chinese ? explain::reason_date(e.listed_on, "zh-CN", true) : h.listed_on) + "）";
        bool seen = false;
        for (const auto& x : blacklist_hits) seen |= x.key == h.key && x.scope == h.scope && x.reason_code == h.reason_code &&
                                                     x.source == h.source && x.listed_on == h.listed_on;
        if (!seen) blacklist_hits.push_back(std::move(h));
      }
      if (b == Builtin::blacklisted) return Value::boolean(true);
      return Value::string(scratch_.copy(reasons), static_cast<std::uint32_t>(reasons.size()));
    }
    case Builtin::floor_div: {
      Decimal r;
      if (v[1].num.is_zero()) fail("E2004", "division by zero", self);
      if (!Decimal::floor_div(v[0].num, v[1].num, &r)) fail("E2003", "decimal overflow", self);
      return num(r);
    }
    case Builtin::years_between: return num(years_between(v[0].as_date(), v[1].as_date()));
    case Builtin::months_between: return num(months_between(v[0].as_date(), v[1].as_date()));
    case Builtin::days_between: return num(days_between(v[0].as_date(), v[1].as_date()));
    case Builtin::add_months: {
      const Date d = add_months(v[0].as_date(), to_int(v[1].num));
      if (d.year() < 1000 || d.year() > 9999) fail("E2006", "add_months() leaves the years 1000..9999", self);
      return Value::of_date(d);
    }
    case Builtin::add_days: {
      const Date d = add_days(v[0].as_date(), to_int(v[1].num));
      if (d.year() < 1000 || d.year() > 9999) fail("E2006", "add_days() leaves the years 1000..9999", self);
      return Value::of_date(d);
    }
    case Builtin::param:
    case Builtin::scale: {
      const ParameterInfo& param = p_->parameters[n.d];
      const Date on = v[b == Builtin::param ? 0 : 1].as_date();
      const ParameterInfo::Period* period = param.at(on);
      if (!period)
        fail("E2010", "parameter '" + param.name + "' has no value on " + on.to_string() + " (its first value is from " +
                          param.periods.front().from.to_string() + ")", self);
      if (b == Builtin::param) return num(period->value);
      Decimal amount;
      for (const auto& [threshold, bracket_amount] : period->brackets) {
        if (Decimal::compare(v[0].num, threshold) < 0) break;
        amount = bracket_amount;
      }
      return num(amount);
    }
    case Builtin::lookup:
    case Builtin::has_row: {
      const LookupTable& t = p_->tables[n.d];
      const Value* row = t.find(v, argc);
      if (b == Builtin::has_row) return Value::boolean(row != nullptr);
      if (!row) {
        std::string key;
        for (std::uint32_t i = 0; i < argc; ++i) {
          key += i ? ", " : "";
          if (v[i].kind == VKind::string) key += "'" + std::string(v[i].sv()) + "'";
          else if (v[i].kind == VKind::number) key += v[i].num.to_string();
          else if (v[i].kind == VKind::date) key += v[i].as_date().to_string();
        }
        fail("E2011", "table '" + t.name + "' has no row for the key (" + key + ")", self);
      }
      return *row;
    }
    case Builtin::date_text: {
      // date(text): a text that is not a date is the applicant's data error, and the date is missing.
      if (auto d = Date::parse(v[0].sv())) return Value::of_date(*d);
      const std::string& path = p_->paths[n.d];
      if (!public_input_) fail("E3006", "'" + path + "' is not a date (YYYY-MM-DD)", self);  // constant folding
      bool seen = false;
      for (const auto& e : in_->source_errors) seen |= e.code == "E3006" && e.path == path;
      if (!seen)
        in_->source_errors.push_back(
            DataError{"E3006", path, "date(): the text is not a date (YYYY-MM-DD with a real calendar day)"});
      note_missing(n.d);
      return Value::missing(n.d);
    }
    case Builtin::concat: {
      // Plain text of each part: exact numbers, YYYY-MM-DD dates, true/false. The first four arguments are
      // already evaluated (and not missing or null); the rest are evaluated here.
      std::string s;
      for (std::uint32_t i = 0; i < argc; ++i) {
        const Value x = i < 4 ? v[i] : eval(args[i]);
        if (x.is_missing()) return x;
        switch (x.kind) {
          case VKind::null: return Value::null();
          case VKind::string: s.append(x.sv()); break;
          case VKind::number: s += x.num.to_string(); break;
          case VKind::date: s += x.as_date().to_string(); break;
          case VKind::boolean: s += x.b ? "true" : "false"; break;
          default: break;
        }
      }
      return Value::string(scratch_.copy(s), static_cast<std::uint32_t>(s.size()));
    }
    case Builtin::year: return num(v[0].as_date().year());
    case Builtin::month: return num(v[0].as_date().month());
    case Builtin::day: return num(v[0].as_date().day());
    case Builtin::len: return num(static_cast<std::int64_t>(utf8_length(v[0].sv())));
    case Builtin::starts_with: return Value::boolean(v[0].sv().substr(0, v[1].n) == v[1].sv());
    case Builtin::ends_with:
      return Value::boolean(v[0].n >= v[1].n && v[0].sv().substr(v[0].n - v[1].n) == v[1].sv());
    case Builtin::contains: return Value::boolean(v[0].sv().find(v[1].sv()) != std::string_view::npos);
    case Builtin::overlaps: {
      // Closed intervals [a0, a1] and [b0, b1]; a null end is open. A null start is treated as open too.
      const bool a_open_hi = v[1].kind == VKind::null, b_open_hi = v[3].kind == VKind::null;
      const bool a_open_lo = v[0].kind == VKind::null, b_open_lo = v[2].kind == VKind::null;
      const bool a_before_b_end = b_open_hi || a_open_lo || v[0].date <= v[3].date;
      const bool b_before_a_end = a_open_hi || b_open_lo || v[2].date <= v[1].date;
      return Value::boolean(a_before_b_end && b_before_a_end);
    }
    default: break;
  }
  return Value::missing(0);
}

Value Evaluator::quant(const Node& n) {
  const Value list = eval(n.a);
  if (list.is_missing()) return list;
  const std::uint32_t count = list.kind == VKind::list ? list.n : 0;
  const Value* items = list.kind == VKind::list ? list.items : nullptr;
  const auto q = static_cast<Quantifier>(n.sub);
  const bool lambda = n.d != 0 || q == Quantifier::covered_months;
  auto body = [&](std::uint32_t i) {
    if (!lambda) return items[i];
    locals_[n.b] = items[i];
    return eval(n.c);
  };
  switch (q) {
    case Quantifier::any:
    case Quantifier::all: {
      const bool want = q == Quantifier::any;
      Value missing_seen;
      bool saw_missing = false;
      for (std::uint32_t i = 0; i < count; ++i) {
        const Value r = body(i);
        if (r.is_missing()) {
          if (!saw_missing) missing_seen = r;
          saw_missing = true;
          continue;
        }
        if (truthy(r) == want) {
          // --explain names the item that decided it (which stay matched which certificate).
          if (tracing) deciders.push_back({static_cast<std::uint32_t>(&n - p_->nodes.data()), i, items[i]});
          return Value::boolean(want);
        }
      }
      if (saw_missing) return missing_seen;
      return Value::boolean(!want);
    }
    case Quantifier::count: {
      if (!lambda) return num(static_cast<std::int64_t>(count));
      std::int64_t c = 0;
      for (std::uint32_t i = 0; i < count; ++i) {
        const Value r = body(i);
        if (r.is_missing()) return r;
        c += truthy(r);
      }
      return num(c);
    }
    case Quantifier::sum: {
      Decimal total;
      for (std::uint32_t i = 0; i < count; ++i) {
        const Value r = body(i);
        if (r.is_missing()) return r;
        if (r.kind != VKind::number) continue;
        if (!Decimal::add(total, r.num, &total)) fail("E2003", "decimal overflow in sum()", static_cast<std::uint32_t>(&n - p_->nodes.data()));
      }
      return num(total);
    }
    case Quantifier::min:
    case Quantifier::max: {
      Value best = Value::null();
      for (std::uint32_t i = 0; i < count; ++i) {
        const Value r = body(i);
        if (r.is_missing()) return r;
        if (r.kind == VKind::null) continue;
        if (best.kind == VKind::null || (q == Quantifier::min ? values_compare(r, best) < 0 : values_compare(r, best) > 0))
          best = r;
      }
      return best;
    }
    case Quantifier::filter:
    case Quantifier::map: {
      Value* out = scratch_.make_array<Value>(count);
      std::uint32_t k = 0;
      for (std::uint32_t i = 0; i < count; ++i) {
        const Value r = body(i);
        if (r.is_missing()) return r;
        if (q == Quantifier::filter) {
          if (truthy(r)) out[k++] = items[i];
        } else {
          out[k++] = r;
        }
      }
      return Value::list(out, k);
    }
    case Quantifier::covered_months: {
      // Merge [from, to] periods (a null `to` runs to as_of), then count each merged period's full months.
      struct Period {
        std::int32_t from, to;
      };
      Period* ps = scratch_.make_array<Period>(count);
      std::uint32_t k = 0;
      const std::uint32_t to_slot = p_->args[n.d], to_body = p_->args[n.d + 1];
      for (std::uint32_t i = 0; i < count; ++i) {
        locals_[n.b] = items[i];
        const Value f = eval(n.c);
        if (f.is_missing()) return f;
        locals_[to_slot] = items[i];
        const Value t = eval(to_body);
        if (t.is_missing()) return t;
        if (f.kind == VKind::null) continue;
        std::int32_t to = t.kind == VKind::null ? as_of_.days() : t.date;
        if (to > as_of_.days()) to = as_of_.days();  // months after the evaluation date have not happened
        if (to < f.date) continue;
        ps[k++] = Period{f.date, to};
      }
      std::sort(ps, ps + k, [](const Period& a, const Period& b) { return a.from < b.from; });
      std::int64_t months = 0;
      std::uint32_t i = 0;
      while (i < k) {
        std::int32_t from = ps[i].from, to = ps[i].to;
        std::uint32_t j = i + 1;
        while (j < k && ps[j].from <= to + 1) {
          to = std::max(to, ps[j].to);
          ++j;
        }
        months += months_between(Date::from_days(from), Date::from_days(to + 1));
        i = j;
      }
      return num(months);
    }
  }
  return Value::missing(0);
}

bool fold_constant(const Program& program, std::uint32_t node, Value* out, std::string* error) {
  // A folded node has only constant operands: no input, no locals, no lets are read.
  static thread_local Evaluator ev;
  BoundInput empty;
  empty.program = &program;
  ev.start(program, &empty, Date::from_days(0), 100000, nullptr, nullptr);
  try {
    *out = ev.eval(node);
    return true;
  } catch (const EvalFailure& f) {
    *error = f.message;
    return false;
  }
}

}  // namespace eligo::detail
