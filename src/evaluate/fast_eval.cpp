#include "evaluate/fast_eval.hpp"

#include "evaluate/fast_plan.hpp"

#include "eligo/identity.hpp"

#include <algorithm>
#include <atomic>
#include <string_view>

namespace eligo::detail {
namespace {

std::atomic<bool> g_fast_path{true};
thread_local std::uint64_t t_completions = 0;

// A wide result back to 64 bits, or bail.
Fast from_decimal(const Decimal& d) {
  const __int128 c = d.coefficient();
  if (c > INT64_MAX || c < INT64_MIN) return Fast::bail();
  return Fast::number(static_cast<std::int64_t>(c), d.scale());
}

std::string_view sv(const Fast& f) { return std::string_view(f.s, f.n); }

// a <op> b for Eq … Ge over two present (not failed) values, as the tree walk compares them.
Fast compare_op(Op op, const Fast& a, const Fast& b) {
  if (op == Op::Eq || op == Op::Ne) {
    const bool eq = fast_equal(a, b);
    return Fast::boolean(op == Op::Eq ? eq : !eq);
  }
  if (a.kind == FKind::null || b.kind == FKind::null) return Fast::boolean(false);
  const int c = fast_compare(a, b);
  return Fast::boolean(op == Op::Lt ? c < 0 : op == Op::Le ? c <= 0 : op == Op::Gt ? c > 0 : c >= 0);
}

// floor(a / c) in the wide Decimal (a fraction), out of line so the walk's frame stays small.
[[gnu::noinline]] Fast floor_div_wide(const Fast& a, const Fast& c) {
  Decimal w;
  if (!Decimal::floor_div(a.decimal(), c.decimal(), &w)) return Fast::bail();
  return from_decimal(w);
}

// a in the sorted constant list `set` (lower_bound, as the full path); false (bail) when a member is a
// number beyond 64 bits.
bool in_sorted(const std::vector<Value>& set, const Fast& a, bool* found) {
  *found = false;
  if (a.kind == FKind::null) return true;
  std::size_t lo = 0, hi = set.size();
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    const Fast x = to_fast(set[mid]);
    if (x.failed()) return false;
    if (fast_compare(x, a) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo < set.size()) {
    const Fast x = to_fast(set[lo]);
    if (x.failed()) return false;
    *found = fast_compare(x, a) == 0;
  }
  return true;
}

}  // namespace

bool fast_path_enabled() { return g_fast_path.load(std::memory_order_relaxed); }
void set_fast_path_enabled(bool on) { g_fast_path.store(on, std::memory_order_relaxed); }
std::uint64_t fast_path_completions() { return t_completions; }
void count_fast_path_completion() { ++t_completions; }

Value to_value(const Fast& f) {
  switch (f.kind) {
    case FKind::bail: return Value::missing(0);
    case FKind::null: return Value::null();
    case FKind::boolean: return Value::boolean(f.i != 0);
    case FKind::number: return Value::number(f.decimal());
    case FKind::string: return Value::string(f.s, f.n);
    case FKind::date: return Value::of_date(Date::from_days(static_cast<std::int32_t>(f.i)));
    case FKind::list: return Value::list(f.items, f.n);
    case FKind::record: return Value::record(f.items);
  }
  return Value::missing(0);
}

bool fast_equal(const Fast& a, const Fast& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case FKind::bail:
    case FKind::null: return true;
    case FKind::boolean:
    case FKind::date: return a.i == b.i;
    case FKind::number:
      if (a.scale == b.scale) return a.i == b.i;
      return Decimal::compare(a.decimal(), b.decimal()) == 0;
    case FKind::string:
      if (a.sym && b.sym) return a.sym == b.sym;  // both enum members: one symbol per text
      return a.n == b.n && sv(a) == sv(b);
    case FKind::list:
      if (a.n != b.n) return false;
      for (std::uint32_t k = 0; k < a.n; ++k)
        if (!values_equal(a.items[k], b.items[k])) return false;
      return true;
    case FKind::record: return a.items == b.items;
  }
  return false;
}

int fast_compare_any(const Fast& a, const Fast& b) {
  switch (a.kind) {
    case FKind::number:
      if (a.scale == b.scale) return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
      return Decimal::compare(a.decimal(), b.decimal());
    case FKind::date: return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
    case FKind::string: {
      const int c = sv(a).compare(sv(b));
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case FKind::boolean: return static_cast<int>(a.i) - static_cast<int>(b.i);
    default: return 0;
  }
}

Fast fast_add_wide(const Fast& a, const Fast& b) {
  std::int64_t r;
  if (a.scale == b.scale && !__builtin_add_overflow(a.i, b.i, &r)) return Fast::number(r, a.scale);
  Decimal w;
  if (!Decimal::add(a.decimal(), b.decimal(), &w)) return Fast::bail();
  return from_decimal(w);
}

Fast fast_mul_wide(const Fast& a, const Fast& b) {
  std::int64_t r;
  if (a.scale + b.scale <= Decimal::max_scale && !__builtin_mul_overflow(a.i, b.i, &r))
    return Fast::number(r, a.scale + b.scale);
  Decimal w;
  if (!Decimal::mul(a.decimal(), b.decimal(), &w)) return Fast::bail();
  return from_decimal(w);
}

void FastEvaluator::start(const Program& program, const BoundInput* input, Date as_of, std::uint64_t step_budget) {
  p_ = &program;
  plan_ = program.fast_plan.get();
  in_ = input;
  nodes_ = plan_->nodes.data();
  consts_ = plan_->consts.data();
  row_ = input->row.begin();
  if (as_of.days() != as_of_ || !as_of_ymd_) {
    as_of_ = as_of.days();
    as_of.ymd(&as_of_y_, &as_of_m_, &as_of_d_);
    as_of_ymd_ = true;
  }
  steps_left_ = step_budget;
  scratch_.reset();
  if (locals_.size() < program.local_count) locals_.resize(program.local_count);
  let_values_.resize(program.lets.size());
  let_done_.assign(program.lets.size(), 0);
}

Fast FastEvaluator::field(std::uint32_t group, std::uint32_t slot) const {
  return in_->row[plan_->field_base[group] + slot];  // bail there unless the group was bound up front
}

void FastEvaluator::ymd(std::int32_t days, int* y, int* m, int* d) const {
  if (days == as_of_) {
    *y = as_of_y_;
    *m = as_of_m_;
    *d = as_of_d_;
    return;
  }
  fast_ymd(days, y, m, d);
}

Fast FastEvaluator::between(Builtin b, std::int32_t from, std::int32_t to) const {
  // eligo::years_between / months_between, with as_of's year, month and day worked out once per
  // evaluation (start) rather than in every call: the same arithmetic on the same numbers.
  const bool negate = to < from;
  if (negate) std::swap(from, to);
  int y1, m1, d1, y2, m2, d2;
  ymd(from, &y1, &m1, &d1);
  ymd(to, &y2, &m2, &d2);
  int r;
  if (b == Builtin::years_between) {
    r = y2 - y1;
    if (m2 < m1 || (m2 == m1 && d2 < d1)) --r;
  } else {
    r = (y2 - y1) * 12 + (m2 - m1);
    if (d2 < d1) --r;
  }
  return Fast::number(negate ? -r : r, 0);
}

template <bool kCount>
Fast FastEvaluator::walk(std::uint32_t idx) {
  // Counted, the same count as Evaluator::eval: running out is the full path's to report (E2001). A fused
  // node counts each node it stands for, in the tree walk's order.
  if (!step<kCount>()) return Fast::bail();
  const FNode& f = nodes_[idx];
  auto operand = [&]() -> Fast {
    if (f.arg == FArg::node) return child<kCount>(f.a);
    if (!step<kCount>()) return Fast::bail();
    return f.arg == FArg::field ? row_[f.a] : locals_[f.a];
  };
  auto constant = [&](std::uint32_t k) -> Fast {
    if (!step<kCount>()) return Fast::bail();
    return consts_[k];
  };
  switch (f.op) {
    case FOp::generic: break;
    case FOp::constant: return consts_[f.k];
    case FOp::field: return row_[f.a];
    case FOp::local: return locals_[f.a];
    case FOp::get_local: {
      if (!step<kCount>()) return Fast::bail();
      const Fast& r = locals_[f.a];
      if (r.kind != FKind::record) return r.kind == FKind::null ? Fast::null() : r;
      return to_fast(r.items[f.b]);
    }
    case FOp::cmp_const: {
      const Fast a = operand();
      if (a.failed()) return a;
      const Fast b = constant(f.k);
      if (b.failed()) return b;
      return compare_op(f.cmp, a, b);
    }
    case FOp::in_set: {
      const Fast a = operand();
      if (a.failed()) return a;
      bool found = false;
      if (a.kind == FKind::string) {
        const StringSet& set = plan_->sets[f.k];
        found = a.sym ? set.by_sym[a.sym] != 0 : set.contains(a.s, a.n);
      } else if (!in_sorted(p_->value_lists[f.k], a, &found)) {
        return Fast::bail();
      }
      return Fast::boolean(f.negate ? !found : found);
    }
    case FOp::in_range: {
      const Fast a = operand();
      if (a.failed()) return a;
      const Fast lo = constant(f.k);
      if (lo.failed()) return lo;
      const Fast hi = constant(f.k2);
      if (hi.failed()) return hi;
      if (a.kind == FKind::null || lo.kind == FKind::null || hi.kind == FKind::null) return Fast::boolean(false);
      return Fast::boolean(fast_compare(lo, a) <= 0 && fast_compare(a, hi) <= 0);
    }
    case FOp::ymd_diff: {
      const Fast a = operand();
      if (a.failed()) return a;
      if (!step<kCount>()) return Fast::bail();  // the as_of node
      if (a.kind == FKind::null) return Fast::null();
      return between(static_cast<Builtin>(f.sub), static_cast<std::int32_t>(a.i), as_of_);
    }
    case FOp::floor_div_const: {
      const Fast a = operand();
      if (a.failed()) return a;
      const Fast c = constant(f.k);
      if (c.failed()) return c;
      if (a.kind == FKind::null) return Fast::null();
      if (a.scale == 0) {  // as call(): c is whole, nonzero and not -1, so the quotient fits
        std::int64_t q = a.i / c.i;
        if ((a.i % c.i != 0) && ((a.i < 0) != (c.i < 0))) --q;
        return Fast::number(q, 0);
      }
      return floor_div_wide(a, c);
    }
  }
  return walk_node<kCount>(p_->nodes[idx]);
}

// Explicit instantiations: eval() (fast_plan.hpp, inline) calls them from other files.
template Fast FastEvaluator::walk<false>(std::uint32_t);
template Fast FastEvaluator::walk<true>(std::uint32_t);

template <bool kCount>
Fast FastEvaluator::walk_node(const Node& n) {
  switch (n.op) {
    case Op::Const: return to_fast(p_->constants[n.a]);
    case Op::Field: return field(n.a, n.b);
    case Op::Get: {
      const Fast r = child<kCount>(n.a);
      if (r.kind != FKind::record) return r.kind == FKind::null ? Fast::null() : r;
      return to_fast(r.items[n.b]);
    }
    case Op::Local: return locals_[n.a];
    case Op::Let: {
      if (let_done_[n.a]) return let_values_[n.a];
      const Fast v = child<kCount>(p_->lets[n.a].node);
      if (v.failed()) return v;
      let_values_[n.a] = v;
      let_done_[n.a] = 1;
      return v;
    }
    case Op::AsOf: return Fast::date(as_of_);
    case Op::Neg: {
      const Fast a = child<kCount>(n.a);
      if (a.kind != FKind::number) return a;
      if (a.i == INT64_MIN) return Fast::bail();
      return Fast::number(-a.i, a.scale);
    }
    case Op::Not: {
      const Fast a = child<kCount>(n.a);
      if (a.failed()) return a;
      return Fast::boolean(!a.truthy());
    }
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Mod: {
      const Fast a = child<kCount>(n.a);
      if (a.failed()) return a;
      const Fast b = child<kCount>(n.b);
      if (b.failed()) return b;
      return arith(n, a, b);
    }
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: {
      const Fast a = child<kCount>(n.a);
      if (a.failed()) return a;
      const Fast b = child<kCount>(n.b);
      if (b.failed()) return b;
      return compare_op(n.op, a, b);
    }
    case Op::And: {
      // The full path evaluates b after a missing a; the fast path has bailed by then.
      const Fast a = child<kCount>(n.a);
      if (a.failed()) return a;
      if (!a.truthy()) return Fast::boolean(false);
      const Fast b = child<kCount>(n.b);
      if (b.failed()) return b;
      return Fast::boolean(b.truthy());
    }
    case Op::Or: {
      const Fast a = child<kCount>(n.a);
      if (a.failed() || a.truthy()) return a;
      const Fast b = child<kCount>(n.b);
      if (b.failed() || b.truthy()) return b;
      return Fast::boolean(false);
    }
    case Op::If: {
      const Fast c = child<kCount>(n.a);
      if (c.failed()) return c;
      return child<kCount>(c.truthy() ? n.b : n.c);
    }
    case Op::Coalesce: {
      const Fast a = child<kCount>(n.a);
      if (a.failed()) return a;  // the full path forgets a's missing facts: let it
      if (a.kind != FKind::null) return a;
      return child<kCount>(n.b);
    }
    case Op::Present: {
      const Fast a = child<kCount>(n.a);
      if (a.failed()) return a;
      return Fast::boolean(a.kind != FKind::null);
    }
    case Op::InSet: {
      const Fast a = child<kCount>(n.a);
      if (a.failed()) return a;
      bool found = false;
      if (!in_sorted(p_->value_lists[n.b], a, &found)) return Fast::bail();
      return Fast::boolean(n.c ? !found : found);
    }
    case Op::InRange: {
      const Fast a = child<kCount>(n.a);
      if (a.failed()) return a;
      const Fast lo = child<kCount>(n.b);
      if (lo.failed()) return lo;
      const Fast hi = child<kCount>(n.c);
      if (hi.failed()) return hi;
      if (a.kind == FKind::null || lo.kind == FKind::null || hi.kind == FKind::null) return Fast::boolean(false);
      return Fast::boolean(fast_compare(lo, a) <= 0 && fast_compare(a, hi) <= 0);
    }
    case Op::InList: {
      const Fast a = child<kCount>(n.a);
      if (a.failed()) return a;
      const Fast l = child<kCount>(n.b);
      if (l.failed()) return l;
      bool found = false;
      if (l.kind == FKind::list)
        for (std::uint32_t k = 0; k < l.n && !found; ++k) {
          if (l.items[k].kind == VKind::missing) continue;  // unequal to anything present, as on the full path
          const Fast x = to_fast(l.items[k]);
          if (x.failed()) return x;  // a number beyond 64 bits: the full path compares it
          found = fast_equal(x, a);
        }
      return Fast::boolean(n.c ? !found : found);
    }
    case Op::Call: return call<kCount>(n);
    case Op::Quant: return quant(n);
  }
  return Fast::bail();
}

Fast FastEvaluator::arith(const Node& n, const Fast& a, const Fast& b) {
  if (a.kind == FKind::null || b.kind == FKind::null) return Fast::null();
  std::int64_t r;
  Decimal w;
  switch (n.op) {
    case Op::Add:
      return fast_add(a, b);
    case Op::Sub:
      if (a.scale == b.scale && !__builtin_sub_overflow(a.i, b.i, &r)) return Fast::number(r, a.scale);
      if (!Decimal::sub(a.decimal(), b.decimal(), &w)) return Fast::bail();
      return from_decimal(w);
    case Op::Mul:
      return fast_mul(a, b);
    case Op::Div:
      if (b.i == 0 || !Decimal::div(a.decimal(), b.decimal(), static_cast<Rounding>(n.c), &w)) return Fast::bail();
      return from_decimal(w);
    case Op::Mod:
      if (b.i == 0 || !Decimal::mod(a.decimal(), b.decimal(), &w)) return Fast::bail();
      return from_decimal(w);
    default: break;
  }
  return Fast::bail();
}

template <bool kCount>
Fast FastEvaluator::call(const Node& n) {
  const std::uint32_t* args = p_->args.data() + n.b;
  const std::uint32_t argc = n.c;
  const auto b = static_cast<Builtin>(n.sub);
  switch (b) {
    case Builtin::min:
    case Builtin::max: {
      Fast best;
      bool have = false;
      for (std::uint32_t k = 0; k < argc; ++k) {
        const Fast x = child<kCount>(args[k]);
        if (x.failed()) return x;
        if (x.kind == FKind::null) continue;
        if (!have || (b == Builtin::min ? fast_compare(x, best) < 0 : fast_compare(x, best) > 0)) best = x;
        have = true;
      }
      return have ? best : Fast::null();
    }
    case Builtin::round: case Builtin::floor: case Builtin::ceil: case Builtin::abs:
    case Builtin::years_between: case Builtin::months_between: case Builtin::days_between:
    case Builtin::floor_div: case Builtin::overlaps: case Builtin::year: case Builtin::month: case Builtin::day:
    case Builtin::add_months: case Builtin::add_days: case Builtin::len: case Builtin::starts_with:
    case Builtin::ends_with: case Builtin::contains: case Builtin::cn_id_valid: case Builtin::uscc_valid:
    case Builtin::names_match:
      break;
    default: return Fast::bail();  // the rest (identity, text, blacklist, parameters…) stay on the full path
  }
  Fast v[4];
  for (std::uint32_t k = 0; k < argc && k < 4; ++k) {
    v[k] = child<kCount>(args[k]);
    if (v[k].failed()) return v[k];
  }
  if (b != Builtin::overlaps)
    for (std::uint32_t k = 0; k < argc && k < 4; ++k)
      if (v[k].kind == FKind::null) return Fast::null();
  Decimal w;
  switch (b) {
    case Builtin::round: {
      const auto places = v[1].decimal().to_int64();
      if (!places || !v[0].decimal().round(static_cast<int>(*places), static_cast<Rounding>(n.d), &w)) return Fast::bail();
      return from_decimal(w);
    }
    case Builtin::floor:
    case Builtin::ceil:
      if (v[0].scale == 0) return v[0];  // Decimal::round to 0 places keeps a whole number as it is
      if (!v[0].decimal().round(0, b == Builtin::floor ? Rounding::floor : Rounding::ceiling, &w)) return Fast::bail();
      return from_decimal(w);
    case Builtin::abs:
      if (v[0].i == INT64_MIN) return Fast::bail();
      return Fast::number(v[0].i < 0 ? -v[0].i : v[0].i, v[0].scale);
    case Builtin::floor_div: {
      if (v[1].i == 0) return Fast::bail();
      if (v[0].scale == 0 && v[1].scale == 0 && v[1].i != -1) {
        std::int64_t q = v[0].i / v[1].i;
        if ((v[0].i % v[1].i != 0) && ((v[0].i < 0) != (v[1].i < 0))) --q;
        return Fast::number(q, 0);
      }
      if (!Decimal::floor_div(v[0].decimal(), v[1].decimal(), &w)) return Fast::bail();
      return from_decimal(w);
    }
    case Builtin::years_between:
    case Builtin::months_between:
      return between(b, static_cast<std::int32_t>(v[0].i), static_cast<std::int32_t>(v[1].i));
    case Builtin::days_between:
      return Fast::number(days_between(Date::from_days(static_cast<std::int32_t>(v[0].i)), Date::from_days(static_cast<std::int32_t>(v[1].i))), 0);
    case Builtin::year:
    case Builtin::month:
    case Builtin::day: {
      int y, m, d;
      fast_ymd(static_cast<std::int32_t>(v[0].i), &y, &m, &d);
      return Fast::number(b == Builtin::year ? y : b == Builtin::month ? m : d, 0);
    }
    case Builtin::add_months:
    case Builtin::add_days: {
      // Whole numbers of months or days within ±100000, and a result within the years 1000..9999; the
      // full path reports anything else (E2006).
      if (v[1].scale != 0 || v[1].i > 100000 || v[1].i < -100000) return Fast::bail();
      const Date from = Date::from_days(static_cast<std::int32_t>(v[0].i));
      const int k = static_cast<int>(v[1].i);
      const Date d = b == Builtin::add_months ? add_months(from, k) : add_days(from, k);
      if (d.year() < 1000 || d.year() > 9999) return Fast::bail();
      return Fast::date(d.days());
    }
    case Builtin::len: {
      std::int64_t count = 0;
      for (unsigned char c : sv(v[0])) count += (c & 0xC0) != 0x80;
      return Fast::number(count, 0);
    }
    case Builtin::starts_with: return Fast::boolean(sv(v[0]).substr(0, v[1].n) == sv(v[1]));
    case Builtin::ends_with: return Fast::boolean(v[0].n >= v[1].n && sv(v[0]).substr(v[0].n - v[1].n) == sv(v[1]));
    case Builtin::contains: return Fast::boolean(sv(v[0]).find(sv(v[1])) != std::string_view::npos);
    case Builtin::cn_id_valid: {
      identity::IdOptions io;
      io.as_of = Date::from_days(as_of_);
      return Fast::boolean(identity::check_id(sv(v[0]), io).valid());
    }
    case Builtin::uscc_valid: return Fast::boolean(identity::credit_code_valid(sv(v[0])));
    case Builtin::names_match: return Fast::boolean(identity::names_match(sv(v[0]), sv(v[1])));
    case Builtin::overlaps: {
      const bool a_open_hi = v[1].kind == FKind::null, b_open_hi = v[3].kind == FKind::null;
      const bool a_open_lo = v[0].kind == FKind::null, b_open_lo = v[2].kind == FKind::null;
      const bool a_before_b_end = b_open_hi || a_open_lo || v[0].i <= v[3].i;
      const bool b_before_a_end = a_open_hi || b_open_lo || v[2].i <= v[1].i;
      return Fast::boolean(a_before_b_end && b_before_a_end);
    }
    default: break;
  }
  return Fast::bail();
}

Fast FastEvaluator::quant(const Node& n) {
  const auto q = static_cast<Quantifier>(n.sub);
  const Fast list = eval(n.a);
  if (list.failed()) return list;
  const std::uint32_t count = list.kind == FKind::list ? list.n : 0;
  const Value* items = list.kind == FKind::list ? list.items : nullptr;
  const bool lambda = n.d != 0 || q == Quantifier::covered_months;
  auto body = [&](std::uint32_t k) {
    if (!lambda) return to_fast(items[k]);
    const Fast item = to_fast(items[k]);
    if (item.failed()) return item;
    locals_[n.b] = item;
    return eval(n.c);
  };
  switch (q) {
    case Quantifier::any:
    case Quantifier::all: {
      const bool want = q == Quantifier::any;
      for (std::uint32_t k = 0; k < count; ++k) {
        const Fast r = body(k);
        if (r.failed()) return r;
        if (r.truthy() == want) return Fast::boolean(want);
      }
      return Fast::boolean(!want);
    }
    case Quantifier::count: {
      if (!lambda) return Fast::number(count, 0);
      std::int64_t c = 0;
      for (std::uint32_t k = 0; k < count; ++k) {
        const Fast r = body(k);
        if (r.failed()) return r;
        c += r.truthy();
      }
      return Fast::number(c, 0);
    }
    case Quantifier::sum: {
      Fast total = Fast::number(0, 0);
      for (std::uint32_t k = 0; k < count; ++k) {
        const Fast r = body(k);
        if (r.failed()) return r;
        if (r.kind != FKind::number) continue;
        total = fast_add(total, r);
        if (total.failed()) return total;
      }
      return total;
    }
    case Quantifier::min:
    case Quantifier::max: {
      Fast best = Fast::null();
      for (std::uint32_t k = 0; k < count; ++k) {
        const Fast r = body(k);
        if (r.failed()) return r;
        if (r.kind == FKind::null) continue;
        if (best.kind == FKind::null || (q == Quantifier::min ? fast_compare(r, best) < 0 : fast_compare(r, best) > 0))
          best = r;
      }
      return best;
    }
    case Quantifier::filter:
    case Quantifier::map: {
      Value* out = scratch_.make_array<Value>(count);
      std::uint32_t k = 0;
      for (std::uint32_t j = 0; j < count; ++j) {
        const Fast r = body(j);
        if (r.failed()) return r;
        if (q == Quantifier::filter) {
          if (r.truthy()) out[k++] = items[j];
        } else {
          out[k++] = to_value(r);
        }
      }
      Fast l;
      l.kind = FKind::list;
      l.items = out;
      l.n = k;
      return l;
    }
    case Quantifier::covered_months: {
      // As Evaluator::quant: merge [from, to] periods (a null `to` runs to as_of), count full months.
      struct Period {
        std::int32_t from, to;
      };
      Period* ps = scratch_.make_array<Period>(count);
      std::uint32_t k = 0;
      const std::uint32_t to_slot = p_->args[n.d], to_body = p_->args[n.d + 1];
      for (std::uint32_t j = 0; j < count; ++j) {
        const Fast item = to_fast(items[j]);
        if (item.failed()) return item;
        locals_[n.b] = item;
        const Fast f = eval(n.c);
        if (f.failed()) return f;
        locals_[to_slot] = item;
        const Fast t = eval(to_body);
        if (t.failed()) return t;
        if (f.kind == FKind::null) continue;
        std::int32_t to = t.kind == FKind::null ? as_of_ : static_cast<std::int32_t>(t.i);
        if (to > as_of_) to = as_of_;
        if (to < f.i) continue;
        ps[k++] = Period{static_cast<std::int32_t>(f.i), to};
      }
      std::sort(ps, ps + k, [](const Period& a, const Period& b) { return a.from < b.from; });
      std::int64_t months = 0;
      std::uint32_t j = 0;
      while (j < k) {
        std::int32_t from = ps[j].from, to = ps[j].to;
        std::uint32_t m = j + 1;
        while (m < k && ps[m].from <= to + 1) {
          to = std::max(to, ps[m].to);
          ++m;
        }
        months += months_between(Date::from_days(from), Date::from_days(to + 1));
        j = m;
      }
      return Fast::number(months, 0);
    }
    default: break;
  }
  return Fast::bail();
}

}  // namespace eligo::detail
