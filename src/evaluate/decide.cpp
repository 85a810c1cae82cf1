// Pack::evaluate: runs the checks in order (stopping or collecting, by mode), scores the indicators, computes
// the outputs, and fills a Decision. Reuses the Decision's and a per-thread Evaluator's storage.
#include <cstdint>
#include <ctime>
#include <memory>

#include "compile/program.hpp"
#include "eligo/blacklist.hpp"
#include "eligo/coverage.hpp"
#include "eligo/identity.hpp"
#include "eligo/pack.hpp"
#include "evaluate/evaluator.hpp"
#include "evaluate/fast_eval.hpp"
#include "evaluate/fast_plan.hpp"
#include "explain/render.hpp"

namespace eligo {

using detail::BoundInput;
using detail::Evaluator;
using detail::Program;
using detail::Value;
using detail::VKind;

namespace {

bool truthy(const Value& v) { return v.kind == VKind::boolean && v.b; }

void fill_missing(const Program& p, const Evaluator& ev, std::vector<std::string>* out) {
  out->clear();
  for (std::uint32_t id : ev.missing) out->push_back(p.paths[id]);
}

// The values an evaluation read, then the list items that settled its any/all. Reads from index
// `reason_reads` on (and deciders from `reason_deciders` on) were made by the reason text alone.
void fill_reads(const Program& p, const Evaluator& ev, bool clear, std::vector<TraceValue>* out,
                std::size_t reason_reads = SIZE_MAX, std::size_t reason_deciders = SIZE_MAX) {
  out->clear();
  for (std::size_t i = 0; i < ev.reads.size(); ++i) {
    const auto& [path, v] = ev.reads[i];
    out->push_back(TraceValue{p.paths[path], explain::render_plain(v, explain::pii_of_path(p, path), clear),
                              i >= reason_reads});
  }
  // The list items that settled an any/all: "any(held, c -> c.kind == 'tekun') ← item 2".
  for (std::size_t i = 0; i < ev.deciders.size(); ++i) {
    const auto& d = ev.deciders[i];
    const std::uint32_t list_type = p.nodes[p.nodes[d.node].a].type;
    out->push_back(TraceValue{explain::node_text(p, d.node) + " ← item " + std::to_string(d.index + 1),
                              explain::render_item(p, p.types[list_type].elem, d.item, clear), i >= reason_deciders});
  }
}

Decimal add_or_fail(const Decimal& a, const Decimal& b) {
  Decimal r;
  if (!Decimal::add(a, b, &r)) throw detail::EvalFailure{"E2003", "decimal overflow in the total", 0};
  return r;
}

std::string pointer_of(const Program& p, std::uint32_t node) {
  if (node >= p.nodes.size()) return "";
  const auto& span = p.spans[p.nodes[node].src];
  return span.expr < p.exprs.size() ? p.exprs[span.expr].pointer : "";
}

}  // namespace

Date today_cst() {
  const std::time_t now = std::time(nullptr);
  return Date::from_days(static_cast<std::int32_t>((now + 8 * 3600) / 86400));
}

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::eligible: return "eligible";
    case Verdict::ineligible: return "ineligible";
    case Verdict::needs_evidence: return "needs_evidence";
    case Verdict::error: return "error";
  }
  return "error";
}
const char* check_status_name(CheckStatus s) {
  switch (s) {
    case CheckStatus::passed: return "passed";
    case CheckStatus::failed: return "failed";
    case CheckStatus::needs_evidence: return "needs_evidence";
    case CheckStatus::skipped: return "skipped";
    case CheckStatus::not_run: return "not_run";
  }
  return "not_run";
}
const char* item_status_name(ItemStatus s) {
  switch (s) {
    case ItemStatus::scored: return "scored";
    case ItemStatus::not_applicable: return "not_applicable";
    case ItemStatus::needs_evidence: return "needs_evidence";
    case ItemStatus::no_row: return "no_row";
  }
  return "scored";
}

namespace {

// Data errors quote the values and keys they reject, whatever field they came from: PII by shape is masked.
void mask_problems(Decision* d) {
  for (auto* list : {&d->data_errors, &d->data_warnings})
    for (DataError& e : *list) {
      e.message = identity::mask_pii_runs(e.message);
      e.path = identity::mask_pii_runs(e.path);
    }
  if (d->error) d->error->message = identity::mask_pii_runs(d->error->message);
}


// Every check and item back to "not run", as a reused Decision starts, with the fields that depend only on
// the pack and the language (ids, labels, departments, groups) filled in: every path that keeps the items
// writes the same values into them, and a failed evaluation clears them. Items are reset field by field
// rather than rebuilt: a reused Decision must never show the previous applicant's breakdown, and resetting
// in place keeps the strings' and vectors' storage (no allocation, no destruction per evaluation).
// Unless `refill`, the Decision was last filled by the fast path for this pack and language
// (Decision::reuse): the fixed fields are in place and the trace fields empty, so only what the fast path
// writes per applicant goes back — check statuses and reasons, item points, statuses and example flags
// (issue 11, session 9: rewriting the fixed fields was ~8 % of the points bench). Items the last
// evaluation cleared (an ineligible applicant) are rebuilt whole.
void reset_results(const Program& p, Decision& d, bool en, bool refill) {
  const detail::FastPlan* plan = p.fast_plan.get();
  const std::size_t n_items = p.has_scores ? p.indicators.size() : 0;
  if (!refill && d.checks.size() == p.checks.size()) {
    for (CheckResult& c : d.checks) {
      c.status = CheckStatus::not_run;
      c.reason.clear();
    }
    if (d.items.size() == n_items) {
      for (std::size_t i = 0; i < n_items; ++i) {
        ItemResult& it = d.items[i];
        it.points = Decimal();
        it.status = ItemStatus::scored;
        it.example = p.indicators[i].example;
      }
      return;
    }
  } else {
    d.checks.resize(p.checks.size());
    for (std::size_t i = 0; i < p.checks.size(); ++i) {
      CheckResult& c = d.checks[i];
      const detail::CheckInfo& ci = p.checks[i];
      c.id = ci.id;
      c.label = plan ? plan->check_labels[en][i] : std::string_view(ci.label.text(d.lang));
      c.cite = ci.cite;
      c.department = ci.department;
      c.status = CheckStatus::not_run;
      c.reason.clear();
      c.missing.clear();
      c.read.clear();
    }
  }
  d.items.resize(n_items);
  for (std::size_t i = 0; i < n_items; ++i) {
    ItemResult& it = d.items[i];
    const detail::IndicatorInfo& ind = p.indicators[i];
    it.id = ind.id;
    it.label = plan ? plan->item_labels[en][i] : std::string_view(ind.label.text(d.lang));
    it.department = ind.department;
    it.group = ind.group;
    it.points = Decimal();
    it.status = ItemStatus::scored;
    it.deduct = ind.deduct;
    it.example = ind.example;
    it.how.clear();
    it.missing.clear();
    it.read.clear();
  }
}

bool add_checked(const Decimal& a, const Decimal& b, Decimal* out) { return Decimal::add(a, b, out); }

Decimal to_decimal(const detail::Fast& f) { return f.scale == 0 ? Decimal::from_int(f.i) : f.decimal(); }

// A failing check's reason whose holes all read a field given up front (`人均收入{a.income}超过…`), written
// from the bound row straight into the reused reason string: what fill_template writes, without starting the
// full evaluator, rendering through ICU or allocating (explain::append_for_reason). The full evaluator
// spends one step per such hole (a Field node), so this spends as many. False, with nothing written or
// spent, when a hole is any other expression or its field is not in the row (missing, fetched later, beyond
// 64 bits): the caller renders the reason through the full evaluator then.
bool fill_reason_fast(const detail::FastPlan& plan, const BoundInput& in, const detail::Template& t,
                      std::string_view lang, bool clear, detail::FastEvaluator& fe, std::string* out) {
  std::uint64_t holes = 0;
  for (const detail::Template::Part& part : t.parts) {
    if (part.expr < 0) continue;
    const detail::FNode& fn = plan.nodes[static_cast<std::uint32_t>(part.expr)];
    if (fn.op != detail::FOp::field || in.row[fn.a].failed()) return false;
    ++holes;
  }
  if (!fe.take_steps(holes)) return false;  // the full evaluator would run out on a hole: it words that
  out->clear();
  for (const detail::Template::Part& part : t.parts) {
    if (part.expr < 0) out->append(part.text);
    else explain::append_for_reason(in.row[plan.nodes[static_cast<std::uint32_t>(part.expr)].a], lang, part.pii, clear,
                                    t.chinese_dates, out);
  }
  return true;
}

// The fast path of Pack::evaluate (src/evaluate/fast_eval.hpp): checks, indicators, total and outputs
// exactly as the full path below computes them, or false as soon as anything would need the full path
// (missing data, a fetch, a run-time error, a reason or output whose evaluation was not clean, a sum beyond
// 64 bits). On false the Decision is half-written: the caller resets it and evaluates again on the full
// path. Points and sums are 64-bit fixed-point values (fast_add / fast_mul: the same scale rules as
// Decimal). Reasons with values to fill in, and outputs, are rendered by the full evaluator (they are few
// and only on some paths), started with the steps the fast path has left; its let cache starts empty, so
// it may count more steps than the full path would, never fewer — running out there bails too. Reasons
// that are plain text come from the plan, and those whose values are fields given up front are written from
// the bound row (fill_reason_fast).
bool decide_fast(const Program& p, BoundInput& in, Input& input, const EvalOptions& options,
                 detail::FastEvaluator& fe, Evaluator& ev, Decision& d, bool en) {
  using detail::Fast;
  using detail::FKind;
  const detail::FastPlan& plan = *p.fast_plan;
  const bool clear = options.clear_pii;
  fe.start(p, &in, d.as_of, options.step_budget);
  auto full_evaluator_clean = [&](std::uint64_t failures_before) {
    if (ev.failures() != failures_before || !ev.calls.empty() || !ev.blacklist_hits.empty()) return false;
    fe.set_steps_left(ev.steps_left());
    return true;
  };
  bool stopped = false, any_failed = false;
  for (std::size_t i = 0; i < p.checks.size() && !stopped; ++i) {
    const detail::CheckInfo& ci = p.checks[i];
    CheckResult& c = d.checks[i];
    if (ci.when >= 0) {
      const Fast w = fe.eval(static_cast<std::uint32_t>(ci.when));
      if (w.failed()) return false;
      if (!w.truthy()) {
        c.status = CheckStatus::skipped;
        continue;
      }
    }
    const Fast r = fe.eval(ci.require);
    if (r.failed()) return false;
    if (r.truthy()) {
      c.status = CheckStatus::passed;
      continue;
    }
    c.status = CheckStatus::failed;
    if (plan.reason_is_text[en][i]) {
      c.reason.assign(plan.reason_text[en][i]);  // into the reused string: no allocation
    } else if (!fill_reason_fast(plan, in, ci.reason.get(d.lang), d.lang, clear, fe, &c.reason)) {
      ev.start(p, &in, d.as_of, fe.steps_left(), nullptr, &input, options.blacklist);
      c.reason = explain::fill_template(ev, ci.reason.get(d.lang), d.lang, clear);
      if (!full_evaluator_clean(0)) return false;
    }
    any_failed = true;
    stopped = d.mode == CheckMode::first_failure;
  }
  d.verdict = any_failed ? Verdict::ineligible : Verdict::eligible;

  if (p.has_scores && d.verdict != Verdict::ineligible) {
    // Group sums before caps, in the order groups were declared (at most a few: no allocation for them).
    Fast group_sum_small[8];
    std::vector<Fast> group_sum_big;
    Fast* group_sum = group_sum_small;
    if (p.group_caps.size() > 8) {
      group_sum_big.resize(p.group_caps.size());
      group_sum = group_sum_big.data();
    }
    for (std::size_t g = 0; g < p.group_caps.size(); ++g) group_sum[g] = Fast::number(0, 0);
    Fast ungrouped = Fast::number(0, 0), deductions = Fast::number(0, 0);
    for (std::size_t i = 0; i < p.indicators.size(); ++i) {
      const detail::IndicatorInfo& ind = p.indicators[i];
      const detail::IndicatorPlan& ip = plan.indicators[i];
      ItemResult& it = d.items[i];  // id, label, department, group, deduct: set by reset_results
      if (ind.when >= 0) {
        const Fast w = fe.eval(static_cast<std::uint32_t>(ind.when));
        if (w.failed()) return false;
        if (!w.truthy()) {
          it.status = ItemStatus::not_applicable;
          continue;
        }
      }
      Fast pts = Fast::number(0, 0);
      switch (ind.kind) {
        case detail::IndicatorKind::points: {
          const Fast v = fe.eval(ind.points);
          if (v.failed()) return false;
          if (v.kind == FKind::number) pts = v;
          break;
        }
        case detail::IndicatorKind::per: {
          const Fast cnt = fe.eval(ind.count);
          if (cnt.failed()) return false;
          const Fast per = fe.eval(ind.points);
          if (per.failed()) return false;
          if (cnt.kind == FKind::number && per.kind == FKind::number) {
            pts = detail::fast_mul(cnt, per);
            if (pts.failed()) return false;
          }
          break;
        }
        case detail::IndicatorKind::table: {
          if (ind.on >= 0) {
            const Fast on = fe.eval(static_cast<std::uint32_t>(ind.on));
            if (on.failed()) return false;
            fe.set_local(ind.on_local, on);
          }
          bool matched = false;
          Fast acc = Fast::number(0, 0);
          Decimal best_priority;
          // Only a table on an enum has a jump table, and only then is there an `on` local to read (a table
          // without `on` has no local: reading one indexed an empty vector, which UBSan caught).
          const Fast* on_value = ip.jump.empty() ? nullptr : &fe.local(ind.on_local);
          if (on_value && on_value->kind == FKind::string && on_value->sym != 0) {
            // A table on an enum (fast_plan.hpp): straight to the row the member hits, spending the steps
            // the tree walk spends testing the rows before it; hit "first", so nothing after it runs.
            const std::int16_t r = ip.jump[on_value->sym];
            if (!fe.take_steps(r < 0 ? ip.miss_steps : ip.row_steps[static_cast<std::size_t>(r)])) return false;
            if (r < 0) {
              it.status = ItemStatus::no_row;
            } else {
              const detail::RowInfo& row = ind.rows[static_cast<std::size_t>(r)];
              const Fast pf = fe.eval(row.points);
              if (pf.failed()) return false;
              if (pf.kind == FKind::number) pts = pf;
              it.example = it.example || row.example;
            }
            break;
          }
          for (std::size_t r = 0; r < ind.rows.size(); ++r) {
            const detail::RowInfo& row = ind.rows[r];
            bool hit;
            if (row.test < 0) {
              hit = !matched;
            } else {
              const Fast t = fe.eval(static_cast<std::uint32_t>(row.test));
              if (t.failed()) return false;
              hit = t.truthy();
            }
            if (!hit) continue;
            if (ind.hit == detail::Hit::unique && matched) return false;  // E2005: the full path words it
            const Fast pf = fe.eval(row.points);
            if (pf.failed()) return false;
            const Fast pv = pf.kind == FKind::number ? pf : Fast::number(0, 0);
            if (ind.hit == detail::Hit::collect_sum) {
              acc = detail::fast_add(acc, pv);
              if (acc.failed()) return false;
            } else if (ind.hit == detail::Hit::collect_max) {
              if (!matched || detail::fast_compare(pv, acc) > 0) acc = pv;
            } else if (ind.hit == detail::Hit::priority) {
              if (!matched || row.priority > best_priority) {
                best_priority = row.priority;
                acc = pv;
              }
            } else if (!matched) {
              acc = pv;
            }
            matched = true;
            it.example = it.example || row.example;
            if (ind.hit == detail::Hit::first) break;
          }
          if (!matched) it.status = ItemStatus::no_row;
          else pts = acc;
          break;
        }
      }
      if (ip.has_cap) {
        if (!ip.cap.failed()) {
          if (detail::fast_compare(pts, ip.cap) > 0) pts = ip.cap;
        } else if (pts.decimal() > *ind.cap) {
          return false;  // capped to a value beyond 64 bits: the full path sums it
        }
      }
      it.points = to_decimal(pts);
      Fast* sum = ind.deduct ? &deductions : ind.group.empty() ? &ungrouped : nullptr;
      if (sum) {
        *sum = detail::fast_add(*sum, pts);
        if (sum->failed()) return false;
      } else {
        for (std::size_t g = 0; g < p.group_caps.size(); ++g)
          if (p.group_caps[g].name == ind.group) {
            group_sum[g] = detail::fast_add(group_sum[g], pts);
            if (group_sum[g].failed()) return false;
          }
      }
    }
    Decimal total = to_decimal(ungrouped);
    for (std::size_t g = 0; g < p.group_caps.size(); ++g) {
      Decimal s = to_decimal(group_sum[g]);
      if (p.group_caps[g].cap && s > *p.group_caps[g].cap) s = *p.group_caps[g].cap;
      if (!add_checked(total, s, &total)) return false;
    }
    // Less nothing is the total itself (Decimal::sub keeps the larger scale, and 0's is 0).
    if (!(deductions.i == 0 && deductions.scale == 0) && !Decimal::sub(total, to_decimal(deductions), &total)) return false;
    if (p.total_floor && total < *p.total_floor) total = *p.total_floor;
    if (p.total_cap && total > *p.total_cap) total = *p.total_cap;
    d.total = total;
  } else if (p.has_scores) {
    d.items.clear();
  }

  if (d.verdict == Verdict::eligible && !p.outputs.empty()) {
    ev.start(p, &in, d.as_of, fe.steps_left(), nullptr, &input, options.blacklist);
    d.outputs.resize(p.outputs.size());
    try {
      for (std::size_t i = 0; i < p.outputs.size(); ++i) {
        const detail::OutputInfo& o = p.outputs[i];
        OutputResult& r = d.outputs[i];
        r.name = o.name;
        r.label = plan.output_labels[en][i];
        r.example = o.example;
        r.note = o.note;
        ev.begin_item();
        const Value v = ev.eval(o.node);
        r.missing.clear();
        if (v.is_missing()) {
          fill_missing(p, ev, &r.missing);
          r.value.clear();
          r.json = "null";
        } else {
          r.value = explain::render_plain(v, o.pii, clear);
          r.json = !clear && v.kind == VKind::string
                       ? explain::render_json(Value::string(r.value.data(), static_cast<std::uint32_t>(r.value.size())))
                       : explain::render_json(v);
        }
      }
    } catch (const detail::EvalFailure&) {
      return false;
    }
    if (!full_evaluator_clean(0)) return false;
  }
  return true;
}
}  // namespace

Decision Pack::evaluate(std::string_view json, const EvalOptions& options, const BindOptions& bind_options) const {
  Input in = bind(json, bind_options);
  Decision d;
  evaluate(in, options, &d);
  return d;
}

Decision Pack::evaluate(Input& input, const EvalOptions& options) const {
  Decision d;
  evaluate(input, options, &d);
  return d;
}

namespace {

// Asks for a bound input's first lines: the object's own and the fast path's row, first in its inline block
// at a fixed offset (evaluator.hpp), all at once and without reading the object first.
void prefetch_bound(const Program& p, const BoundInput* bound) {
  if (!bound) return;
  const char* obj = reinterpret_cast<const char*>(bound);
  const char* block = bound->inline_block;  // an address, not a load
  for (const char* at = obj; at < block; at += 64) __builtin_prefetch(at);
  const std::size_t row_bytes = p.fast_plan ? p.fast_plan->row_size * sizeof(detail::Fast) : 0;
  for (std::size_t at = 0; at < row_bytes + 64; at += 64) __builtin_prefetch(block + at);
}

// What the fast path reads beyond the row: the bytes of strings that are not enum members and the items of
// lists. Binding placed them after the group records, up to where it stopped; asks for them all at once,
// in flight together rather than one miss after another as the checks walk to them. (Not the group records
// themselves: the fast path reads their fields from the row.) Reads the object and its row.
void prefetch_rest(const BoundInput* bound) {
  if (!bound || !bound->arena.in_inline()) return;
  const char* end = bound->arena.cursor();
  const char* from = end;
  for (const detail::Fast& f : bound->row)
    if ((f.kind == detail::FKind::string && f.sym == 0) || f.kind == detail::FKind::list) {
      const char* at = f.kind == detail::FKind::list ? reinterpret_cast<const char*>(f.items) : f.s;
      if (at >= bound->inline_block && at < from) from = at;
    }
  for (const char* at = from; at < end; at += 64) __builtin_prefetch(at);
}

// The next input's lines, guessed for callers that decide a bound population one evaluate() at a time:
// inputs bound in order usually sit at one distance from each other in memory, so when the last two
// evaluations on this thread were that same distance apart, the input one more step on is asked for
// now, while this one is decided (the miss a single evaluate() cannot otherwise hide: it learns its
// input's address only when called). A wrong guess costs a few wasted loads — a prefetch never faults,
// and the address is only computed, never read; evaluate_many asks for its inputs exactly.
void prefetch_guessed_next(const Program& p, const BoundInput* bound) {
  struct Last {
    std::uintptr_t at = 0;
    std::intptr_t step = 0;
  };
  static thread_local Last last;
  const std::uintptr_t at = reinterpret_cast<std::uintptr_t>(bound);
  const std::intptr_t step = static_cast<std::intptr_t>(at - last.at);
  if (step == last.step && step != 0 && bound) {
    const std::uintptr_t next = at + static_cast<std::uintptr_t>(step);
    const std::size_t block = static_cast<std::size_t>(bound->inline_block - reinterpret_cast<const char*>(bound));
    const std::size_t row_bytes = p.fast_plan ? p.fast_plan->row_size * sizeof(detail::Fast) : 0;
    for (std::size_t k = 0; k < block + row_bytes + 64; k += 64) __builtin_prefetch(reinterpret_cast<const void*>(next + k));
  }
  last.step = step;
  last.at = at;
}

}  // namespace

void Pack::evaluate_many(Input* inputs, std::size_t count, const EvalOptions& options, Decision* out,
                         const std::function<void(std::size_t, const Decision&)>& each) const {
  // Two applicants ahead, the object and its row; one ahead (its object here by now), the rest.
  if (count > 0) prefetch_bound(*program_, inputs[0].impl_.get());
  if (count > 1) prefetch_bound(*program_, inputs[1].impl_.get());
  for (std::size_t i = 0; i < count; ++i) {
    if (i + 2 < count) prefetch_bound(*program_, inputs[i + 2].impl_.get());
    if (i + 1 < count) prefetch_rest(inputs[i + 1].impl_.get());
    evaluate(inputs[i], options, out);
    if (each) each(i, *out);
  }
}

void Pack::evaluate(Input& input, const EvalOptions& options, Decision* out) const {
  const Program& p = *program_;
  Decision& d = *out;
  // Ask for the bound input's lines now (a no-op when evaluate_many asked already): they come back while
  // the Decision is reset below. The rest of what binding placed is asked for once the object's lines are
  // here (below).
  const BoundInput* bound = input.impl_.get();
  prefetch_bound(p, bound);
  prefetch_guessed_next(p, bound);
  const bool en = options.lang.size() == 2 && options.lang[0] == 'e' && options.lang[1] == 'n';  // == "en"
  // What the Decision holds from its last evaluation (Decision::reuse): when it is this pack in this
  // language, its fixed fields are already written. Holding the Program (d.program) keeps its address
  // from being reused by another one. Cleared now; set again only when the fast path finishes.
  const bool refill = !(d.reuse.program == &p && d.program.get() == &p && d.reuse.en == en);
  d.reuse = {};
  if (refill) {
    if (d.program != program_) d.program = program_;  // a reused Decision skips the refcount traffic
    d.pack_id = p.pack_id;
    d.version = p.version;
    d.pack_hash = p.hash;
    d.scored = p.has_scores;
  }
  d.as_of = options.as_of ? *options.as_of : today_cst();
  const std::string_view lang = en ? "en" : "zh-CN";
  if (std::string_view(d.lang) != lang) d.lang.assign(lang);  // (also after a move emptied it)
  d.mode = options.mode ? *options.mode : (p.mode == detail::CheckMode::all ? CheckMode::all : CheckMode::first_failure);
  d.error.reset();
  d.total = Decimal();
  d.sources_called.clear();
  d.data_errors.clear();
  d.data_warnings.clear();
  d.blacklist_hits.clear();
  d.blacklist_version.clear();
  d.blacklist_hash.clear();
  d.outputs.clear();
  d.verdict = Verdict::error;
  reset_results(p, d, en, refill);

  prefetch_rest(bound);
  if (!input.impl_ || input.impl_->program != &p) {
    d.error = EvalError{"E2008", "the input was bound to another pack: bind it with this pack", ""};
    return;
  }
  if ((p.effective_from && d.as_of < *p.effective_from) || (p.effective_until && d.as_of > *p.effective_until)) {
    d.error = EvalError{"E2002",
                        "pack " + p.pack_id + " " + p.version + " is in force " +
                            (p.effective_from ? "from " + p.effective_from->to_string() : std::string("")) +
                            (p.effective_until ? " until " + p.effective_until->to_string() : std::string("")) +
                            "; as_of " + d.as_of.to_string() + " is outside",
                        "/effective"};
    return;
  }
  if (p.uses_blacklist && !options.blacklist) {
    d.error = EvalError{"E2009",
                        "pack " + p.pack_id + " checks a credit blacklist (blacklisted / blacklist_reasons), but no "
                        "snapshot is attached: set EvalOptions::blacklist",
                        ""};
    return;
  }
  if (p.uses_blacklist) {
    d.blacklist_version = options.blacklist->version();
    d.blacklist_hash = options.blacklist->hash();
  }
  BoundInput& in = *input.impl_;
  if (!in.warnings.empty() || !d.data_warnings.empty()) d.data_warnings = in.warnings;
  // An input of the wrong shape (malformed JSON, a key the pack does not declare, a key given twice) is
  // rejected whole: no check runs on it, so no verdict or score can be quietly wrong. A value of the wrong
  // type is narrower: its field is missing, and the checks that need it say so (needs_evidence).
  const DataError* shape = nullptr;
  for (const DataError& e : in.errors)
    if (e.code == "E3000" || e.code == "E3004" || e.code == "E3005") {
      shape = &e;
      break;
    }
  if (shape) {
    d.items.clear();
    d.data_errors = in.errors;
    d.error = EvalError{shape->code,
                        "the input is rejected: " + (shape->path.empty() ? "" : shape->path + ": ") + shape->message +
                            (in.errors.size() > 1 ? " (" + std::to_string(in.errors.size()) + " data errors in all)" : ""),
                        ""};
    if (!options.clear_pii) mask_problems(&d);
    return;
  }
  in.reset_fetched();
  // One reusable evaluator per thread; a data source that evaluates another pack on the same thread
  // (re-entry) gets a fresh one, so the outer evaluation's state is never reset under it.
  static thread_local Evaluator reusable;
  static thread_local int depth = 0;
  std::unique_ptr<Evaluator> nested;
  if (depth > 0) nested = std::make_unique<Evaluator>();
  Evaluator& ev = nested ? *nested : reusable;
  struct DepthGuard {
    int& d;
    explicit DepthGuard(int& x) : d(x) { ++d; }
    ~DepthGuard() { --d; }
  } depth_guard(depth);
  // Coverage counts only for the pack it was made for (eligo/coverage.hpp).
  Coverage* cov = options.coverage && options.coverage->pack_.program_ == program_ ? options.coverage : nullptr;
  const bool explain = options.explain;
  const bool clear = options.clear_pii;
  // The fast path first (never when explaining or counting coverage: it records neither). When it bails,
  // everything it wrote is reset and the applicant is evaluated again below, from the start.
  if (!explain && !cov && p.fast_plan && detail::fast_path_enabled()) {
    static thread_local detail::FastEvaluator fast;
    bool done = false;
    try {
      done = decide_fast(p, in, input, options, fast, ev, d, en);
    } catch (const detail::EvalFailure&) {
      done = false;
    }
    if (done) {
      detail::count_fast_path_completion();
      if (!in.errors.empty() || !d.data_errors.empty()) d.data_errors = in.errors;
      if (!clear && (!d.data_errors.empty() || !d.data_warnings.empty() || d.error)) mask_problems(&d);
      // The fast path wrote no check's missing or read and no item's how, missing or read: the next
      // evaluation of this pack and language into d may rely on its fixed fields (reset_results).
      d.reuse.program = &p;
      d.reuse.en = en;
      return;
    }
    in.reset_fetched();
    d.verdict = Verdict::error;
    d.total = Decimal();
    d.outputs.clear();
    reset_results(p, d, en, true);
  }
  ev.start(p, &in, d.as_of, options.step_budget, options.sources, &input, options.blacklist);
  if (cov) ev.if_hits = cov->ifs_.data();
  try {
    bool stopped = false, any_failed = false, any_missing = false;
    for (std::size_t i = 0; i < p.checks.size() && !stopped; ++i) {
      const detail::CheckInfo& ci = p.checks[i];
      CheckResult& c = d.checks[i];
      ev.begin_item();
      ev.tracing = explain;
      bool applies_unknown = false;
      if (ci.when >= 0) {
        const Value w = ev.eval(static_cast<std::uint32_t>(ci.when));
        if (!w.is_missing() && !truthy(w)) {
          c.status = CheckStatus::skipped;
          if (explain) fill_reads(p, ev, clear, &c.read);
          continue;
        }
        applies_unknown = w.is_missing();
      }
      const Value r = ev.eval(ci.require);
      // Whether the check applies is unknown: passing it settles nothing to worry about, anything else
      // needs the missing facts first (never a failure the applicant cannot be sure concerns them).
      if (r.is_missing() || (applies_unknown && !truthy(r))) {
        c.status = CheckStatus::needs_evidence;
        fill_missing(p, ev, &c.missing);
        any_missing = true;
        stopped = d.mode == CheckMode::first_failure;
      } else if (truthy(r)) {
        c.status = CheckStatus::passed;
      } else {
        c.status = CheckStatus::failed;
        // Still tracing when explaining: a value only the reason reads is shown too, marked as the
        // reason's (values the condition read already are not repeated).
        const std::size_t cond_reads = ev.reads.size(), cond_deciders = ev.deciders.size();
        c.reason = explain::fill_template(ev, ci.reason.get(d.lang), d.lang, clear);
        any_failed = true;
        stopped = d.mode == CheckMode::first_failure;
        if (explain) fill_reads(p, ev, clear, &c.read, cond_reads, cond_deciders);
        ev.tracing = false;
        continue;
      }
      if (explain) fill_reads(p, ev, clear, &c.read);
    }
    d.verdict = any_failed ? Verdict::ineligible : any_missing ? Verdict::needs_evidence : Verdict::eligible;

    if (p.has_scores && d.verdict != Verdict::ineligible) {
      // Group sums before caps, in the order groups were declared.
      std::vector<Decimal> group_sum(p.group_caps.size());
      Decimal ungrouped, deductions;
      for (std::size_t i = 0; i < p.indicators.size(); ++i) {
        const detail::IndicatorInfo& ind = p.indicators[i];
        ItemResult& it = d.items[i];
        it.id = ind.id;
        it.label = ind.label.text(d.lang);
        it.department = ind.department;
        it.group = ind.group;
        it.deduct = ind.deduct;
        it.example = ind.example;
        it.points = Decimal();
        it.status = ItemStatus::scored;
        it.how.clear();
        it.missing.clear();
        it.read.clear();
        ev.begin_item();
        ev.tracing = explain;
        Value v = Value::number(Decimal());
        if (ind.when >= 0) {
          const Value w = ev.eval(static_cast<std::uint32_t>(ind.when));
          if (w.is_missing()) {
            v = w;
          } else if (!truthy(w)) {
            it.status = ItemStatus::not_applicable;
            if (explain) fill_reads(p, ev, clear, &it.read);
            continue;
          }
        }
        if (!v.is_missing()) {
          switch (ind.kind) {
            case detail::IndicatorKind::points:
              v = ev.eval(ind.points);
              if (explain && v.kind == VKind::number) it.how = ind.formula_text + " = " + v.num.to_string();
              break;
            case detail::IndicatorKind::per: {
              const Value cnt = ev.eval(ind.count);
              const Value per = cnt.is_missing() ? cnt : ev.eval(ind.points);
              if (cnt.is_missing()) v = cnt;
              else if (per.is_missing()) v = per;
              else if (cnt.kind != VKind::number || per.kind != VKind::number) v = Value::number(Decimal());
              else {
                Decimal r;
                if (!Decimal::mul(cnt.num, per.num, &r)) throw detail::EvalFailure{"E2003", "decimal overflow", ind.count};
                v = Value::number(r);
                if (explain) it.how = cnt.num.to_string() + " × " + per.num.to_string() + " = " + r.to_string();
              }
              break;
            }
            case detail::IndicatorKind::table: {
              if (ind.on >= 0) {
                const Value on = ev.eval(static_cast<std::uint32_t>(ind.on));
                if (on.is_missing()) {
                  v = on;
                  break;
                }
                ev.set_local(ind.on_local, on);
              }
              bool matched = false, missing = false, missing_before_match = false;
              Value miss;
              Decimal acc;
              Decimal best_priority;
              int chosen = -1;
              std::uint32_t* row_hits = cov ? cov->rows_.data() + cov->row_base_[i] : nullptr;
              for (std::size_t r = 0; r < ind.rows.size(); ++r) {
                const detail::RowInfo& row = ind.rows[r];
                bool hit;
                if (row.test < 0) {
                  hit = !matched && !missing;  // otherwise: only when every other row is known not to match
                } else {
                  const Value t = ev.eval(static_cast<std::uint32_t>(row.test));
                  if (t.is_missing()) {
                    if (!matched) missing_before_match = true;
                    missing = true;
                    miss = t;
                    continue;
                  }
                  hit = truthy(t);
                }
                if (!hit) continue;
                if (ind.hit == detail::Hit::unique && matched)
                  throw detail::EvalFailure{"E2005",
                                            "indicator '" + ind.id + "': rows " + std::to_string(chosen + 1) + " and " +
                                                std::to_string(r + 1) + " both match in a 'unique' table",
                                            static_cast<std::uint32_t>(row.test)};
                const Value pts = ev.eval(row.points);
                if (pts.is_missing()) {  // the row matched but its points are unknown: so is the result
                  missing = missing_before_match = true;
                  miss = pts;
                  break;
                }
                const Decimal pv = pts.kind == VKind::number ? pts.num : Decimal();
                if (ind.hit == detail::Hit::collect_sum) {
                  acc = add_or_fail(acc, pv);
                  if (row_hits) ++row_hits[r];
                  if (explain) it.how += (it.how.empty() ? "" : " + ") + ("row " + std::to_string(r + 1) + " (" + row.when_text + "): " + pv.to_string());
                } else if (ind.hit == detail::Hit::collect_max) {
                  if (!matched || pv > acc) {
                    acc = pv;
                    chosen = static_cast<int>(r);
                  }
                } else if (ind.hit == detail::Hit::priority) {
                  if (!matched || row.priority > best_priority) {
                    best_priority = row.priority;
                    acc = pv;
                    chosen = static_cast<int>(r);
                  }
                } else {
                  if (!matched) {
                    acc = pv;
                    chosen = static_cast<int>(r);
                  }
                }
                matched = true;
                it.example = it.example || row.example;
                if (ind.hit == detail::Hit::first) break;
              }
              // 'first' is settled by a match that no unknown row precedes; every other policy needs
              // every row known.
              const bool unknown = ind.hit == detail::Hit::first ? missing_before_match : missing;
              if (unknown) {
                v = miss;
              } else if (!matched) {
                it.status = ItemStatus::no_row;
                v = Value::number(Decimal());
                if (explain) it.how = "no row matched";
              } else {
                v = Value::number(acc);
                if (row_hits && chosen >= 0) ++row_hits[chosen];
                if (explain && chosen >= 0)
                  it.how = "row " + std::to_string(chosen + 1) + " (" + ind.rows[static_cast<std::size_t>(chosen)].when_text +
                           "): " + acc.to_string();
              }
              break;
            }
          }
        }
        if (v.is_missing()) {
          it.status = ItemStatus::needs_evidence;
          fill_missing(p, ev, &it.missing);
          if (explain) fill_reads(p, ev, clear, &it.read);
          continue;
        }
        Decimal pts = v.kind == VKind::number ? v.num : Decimal();
        if (ind.cap && pts > *ind.cap) {
          if (explain) it.how += ", cap " + ind.cap->to_string() + " → " + ind.cap->to_string();
          pts = *ind.cap;
          if (cov) ++cov->caps_[2 * i];
        } else if (cov && ind.cap) {
          ++cov->caps_[2 * i + 1];
        }
        it.points = pts;
        if (explain) fill_reads(p, ev, clear, &it.read);
        if (ind.deduct) {
          deductions = add_or_fail(deductions, pts);
        } else if (ind.group.empty()) {
          ungrouped = add_or_fail(ungrouped, pts);
        } else {
          for (std::size_t g = 0; g < p.group_caps.size(); ++g)
            if (p.group_caps[g].name == ind.group) group_sum[g] = add_or_fail(group_sum[g], pts);
        }
      }
      Decimal total = ungrouped;
      for (std::size_t g = 0; g < p.group_caps.size(); ++g) {
        Decimal s = group_sum[g];
        if (p.group_caps[g].cap && s > *p.group_caps[g].cap) s = *p.group_caps[g].cap;
        total = add_or_fail(total, s);
      }
      if (!Decimal::sub(total, deductions, &total)) throw detail::EvalFailure{"E2003", "decimal overflow in the total", 0};
      if (p.total_floor && total < *p.total_floor) total = *p.total_floor;
      if (p.total_cap && total > *p.total_cap) total = *p.total_cap;
      d.total = total;
    } else if (p.has_scores) {
      d.items.clear();
    }

    if (d.verdict == Verdict::eligible) {
      d.outputs.resize(p.outputs.size());
      for (std::size_t i = 0; i < p.outputs.size(); ++i) {
        const detail::OutputInfo& o = p.outputs[i];
        OutputResult& r = d.outputs[i];
        r.name = o.name;
        r.label = o.label.text(d.lang);
        r.example = o.example;
        r.note = o.note;
        ev.begin_item();
        ev.tracing = explain;
        const Value v = ev.eval(o.node);
        r.missing.clear();
        if (explain) fill_reads(p, ev, clear, &r.read);
        if (v.is_missing()) {
          fill_missing(p, ev, &r.missing);
          r.value.clear();
          r.json = "null";
        } else {
          r.value = explain::render_plain(v, o.pii, clear);
          r.json = !clear && v.kind == VKind::string
                       ? explain::render_json(Value::string(r.value.data(), static_cast<std::uint32_t>(r.value.size())))
                       : explain::render_json(v);
        }
      }
    }
  } catch (const detail::EvalFailure& f) {
    d.verdict = Verdict::error;
    d.outputs.clear();
    d.items.clear();
    d.error = EvalError{f.code, f.message, pointer_of(p, f.node)};
  }
  ev.if_hits = nullptr;
  if (cov) {
    ++cov->evaluations_;
    for (std::size_t i = 0; i < d.checks.size(); ++i) {
      const CheckStatus s = d.checks[i].status;
      const int k = s == CheckStatus::passed ? 0 : s == CheckStatus::failed ? 1 : s == CheckStatus::needs_evidence ? 2
                    : s == CheckStatus::skipped ? 3 : -1;
      if (k >= 0) ++cov->checks_[4 * i + static_cast<std::size_t>(k)];
    }
  }
  d.sources_called = ev.calls;
  d.blacklist_hits = ev.blacklist_hits;
  d.data_errors = in.errors;
  d.data_errors.insert(d.data_errors.end(), in.source_errors.begin(), in.source_errors.end());
  if (!clear) mask_problems(&d);
}

}  // namespace eligo
