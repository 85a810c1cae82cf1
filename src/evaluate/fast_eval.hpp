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
#include "evaluate/fast_value.hpp"
#include "evaluate/value.hpp"

namespace eligo::detail {

struct FastPlan;  // fast_plan.hpp

class FastEvaluator {
 public:
  // The program must have a plan (Program::fast_plan).
  void start(const Program& program, const BoundInput* input, Date as_of, std::uint64_t step_budget);
  Fast eval(std::uint32_t node);
  void set_local(std::uint32_t slot, const Fast& v) { locals_[slot] = v; }
  const Fast& local(std::uint32_t slot) const { return locals_[slot]; }
  std::uint64_t steps_left() const { return steps_left_; }
  void set_steps_left(std::uint64_t s) { steps_left_ = s; }
  // Spends k steps at once (what the tree walk spends on nodes a shortcut skips); false when fewer are left.
  bool take_steps(std::uint64_t k) {
    if (steps_left_ < k) return false;
    steps_left_ -= k;
    return true;
  }

 private:
  Fast eval_node(const Node& n);  // the tree walk, for the nodes the plan does not fuse
  Fast field(std::uint32_t group, std::uint32_t slot) const;
  Fast arith(const Node& n, const Fast& a, const Fast& b);
  Fast call(const Node& n);
  Fast quant(const Node& n);
  void ymd(std::int32_t days, int* y, int* m, int* d) const;  // as_of's from the cache
  Fast between(Builtin b, std::int32_t from, std::int32_t to) const;  // years_between / months_between

  const Program* p_ = nullptr;
  const FastPlan* plan_ = nullptr;
  const BoundInput* in_ = nullptr;
  Arena scratch_;  // lists made by filter and map; reset by start()
  std::int32_t as_of_ = 0;
  int as_of_y_ = 0, as_of_m_ = 0, as_of_d_ = 0;  // as_of_'s, worked out in start() when as_of_ changes
  bool as_of_ymd_ = false;
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
