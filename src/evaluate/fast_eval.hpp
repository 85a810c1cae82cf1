// The fast path of evaluation (issue 11): the same nodes as Evaluator, over 16-byte values with a 64-bit
// fixed-point number (coefficient × 10^-scale), and none of the bookkeeping that only missing data or an
// explanation needs. Anything it is not sure to get exactly right — missing data, a group still to be
// fetched, a number or result beyond 64 bits that the wide Decimal cannot bring back, a run-time error, a
// builtin or quantifier it does not implement — makes it *bail*: the caller then evaluates the whole
// applicant again on the full path (Evaluator). So the fast path decides nothing on its own: whenever it
// finishes, it has visited exactly the nodes the full path would, in the same order, with the same step
// count, and computed the same values (tests/evaluate/fast_path_test.cpp compares decisions over generated
// populations of every bundled pack with the fast path on and off).
#pragma once

#include <cstdint>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/evaluator.hpp"
#include "evaluate/value.hpp"

namespace eligo::detail {

enum class FKind : std::uint8_t { bail, null, boolean, number, string, date, list, record };

struct Fast {
  union {
    std::int64_t i;      // number coefficient, date days, boolean 0/1
    const char* s;       // string bytes
    const Value* items;  // list items, record fields (the bound input's own values)
  };
  std::uint32_t n = 0;     // string / list length
  std::int8_t scale = 0;   // number: digits after the point
  FKind kind = FKind::bail;
  // Named so that a copy moves all 16 bytes as two whole words: with 2 bytes of padding the compiler
  // copied bytes 0–7 and 6–13 (overlapping stores), and reading the value back as whole words then
  // stalled on store forwarding (seen in perf annotate of decide_fast).
  std::uint16_t unused = 0;

  Fast() : i(0) {}
  static Fast bail() { return Fast(); }
  static Fast null() { Fast f; f.kind = FKind::null; return f; }
  static Fast boolean(bool b) { Fast f; f.kind = FKind::boolean; f.i = b; return f; }
  static Fast number(std::int64_t c, int s) { Fast f; f.kind = FKind::number; f.i = c; f.scale = static_cast<std::int8_t>(s); return f; }
  static Fast date(std::int32_t d) { Fast f; f.kind = FKind::date; f.i = d; return f; }
  bool failed() const { return kind == FKind::bail; }
  bool truthy() const { return kind == FKind::boolean && i != 0; }
  Decimal decimal() const { return *Decimal::from_parts(i, scale); }
};
static_assert(sizeof(Fast) == 16, "a fast value is two words");

// A bound value as a fast one; bail for missing data or a number beyond 64 bits.
inline Fast to_fast(const Value& v) {
  Fast f;
  switch (v.kind) {
    case VKind::missing: return f;
    case VKind::null: f.kind = FKind::null; return f;
    case VKind::boolean: f.kind = FKind::boolean; f.i = v.b; return f;
    case VKind::number: {
      const __int128 c = v.num.coefficient();
      if (c > INT64_MAX || c < INT64_MIN) return f;
      f.kind = FKind::number;
      f.i = static_cast<std::int64_t>(c);
      f.scale = static_cast<std::int8_t>(v.num.scale());
      return f;
    }
    case VKind::string: f.kind = FKind::string; f.s = v.str; f.n = v.n; return f;
    case VKind::date: f.kind = FKind::date; f.i = v.date; return f;
    case VKind::list: f.kind = FKind::list; f.items = v.items; f.n = v.n; return f;
    case VKind::record: f.kind = FKind::record; f.items = v.items; return f;
  }
  return f;
}

struct FastPlan;  // fast_plan.hpp

class FastEvaluator {
 public:
  // The program must have a plan (Program::fast_plan).
  void start(const Program& program, const BoundInput* input, Date as_of, std::uint64_t step_budget);
  Fast eval(std::uint32_t node);
  void set_local(std::uint32_t slot, const Fast& v) { locals_[slot] = v; }
  std::uint64_t steps_left() const { return steps_left_; }
  void set_steps_left(std::uint64_t s) { steps_left_ = s; }

 private:
  Fast eval_node(const Node& n);  // the tree walk, for the nodes the plan does not fuse
  Fast field(std::uint32_t group, std::uint32_t slot) const;
  Fast arith(const Node& n, const Fast& a, const Fast& b);
  Fast call(const Node& n);
  Fast quant(const Node& n);

  const Program* p_ = nullptr;
  const FastPlan* plan_ = nullptr;
  const BoundInput* in_ = nullptr;
  Arena scratch_;  // lists made by filter and map; reset by start()
  std::int32_t as_of_ = 0;
  std::uint64_t steps_left_ = 0;
  std::vector<Fast> locals_;
  std::vector<Fast> let_values_;
  std::vector<std::uint8_t> let_done_;
};

// A fast value back as a bound one (what filter and map put in their lists).
Value to_value(const Fast& f);

// Equality and order with the full path's meaning (values_equal / values_compare): numbers by value
// (1.0 == 1.00), strings by bytes. Both operands present and of one static type.
bool fast_equal(const Fast& a, const Fast& b);
int fast_compare(const Fast& a, const Fast& b);

// Exact arithmetic: 64 bits when the result fits, else the wide Decimal; bail on overflow or zero division.
Fast fast_add(const Fast& a, const Fast& b);
Fast fast_mul(const Fast& a, const Fast& b);

// On by default. Tests switch it off to compare decisions with and without it; nothing else should.
bool fast_path_enabled();
void set_fast_path_enabled(bool on);
// Evaluations the fast path finished on this thread (tests check that it is taken, not only correct).
std::uint64_t fast_path_completions();
void count_fast_path_completion();

}  // namespace eligo::detail
