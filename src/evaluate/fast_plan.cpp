#include "evaluate/fast_plan.hpp"

#include <cstring>
#include <unordered_map>

namespace eligo::detail {

std::uint64_t StringSet::hash(const char* s, std::uint32_t n) {
  // FNV-1a: the strings are short codes and names; any spread will do, a hit is confirmed by the bytes.
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (std::uint32_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 0x100000001b3ull;
  return h ^ (h >> 29);
}

bool StringSet::contains(const char* s, std::uint32_t n) const {
  for (std::uint64_t i = hash(s, n) & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots[i];
    if (!slot.s) return false;
    if (slot.n == n && std::memcmp(slot.s, s, n) == 0) return true;
  }
}

namespace {

StringSet make_set(const std::vector<Value>& values) {
  StringSet set;
  if (values.empty()) return set;
  for (const Value& v : values)
    if (v.kind != VKind::string) return set;
  std::size_t size = 4;
  while (size < 2 * values.size()) size *= 2;
  set.slots.resize(size);
  set.mask = size - 1;
  for (const Value& v : values) {
    std::uint64_t i = StringSet::hash(v.str, v.n) & set.mask;
    while (set.slots[i].s && !(set.slots[i].n == v.n && std::memcmp(set.slots[i].s, v.str, v.n) == 0))
      i = (i + 1) & set.mask;
    set.slots[i] = StringSet::Slot{v.str ? v.str : "", v.n};
  }
  return set;
}

std::string_view label(const Localized& l, int en) { return l.text(en ? "en" : "zh-CN"); }

}  // namespace

std::shared_ptr<const FastPlan> make_fast_plan(const Program& p) {
  auto plan = std::make_shared<FastPlan>();
  // Symbols: each enum member's text once, in the order the enums declare them. A text beyond 65,535
  // symbols gets none (0) and is compared by its bytes.
  std::unordered_map<std::string_view, std::uint16_t> sym_of;
  for (const auto& members : p.enums) {
    auto& syms = plan->enum_syms.emplace_back();
    for (const std::string& m : members) {
      auto it = sym_of.find(m);
      if (it == sym_of.end() && plan->symbols.size() < 65535) {
        plan->symbols.push_back(m);
        it = sym_of.emplace(m, static_cast<std::uint16_t>(plan->symbols.size())).first;
      }
      syms.push_back(it == sym_of.end() ? 0 : it->second);
    }
  }
  auto sym = [&](const char* s, std::uint32_t n) -> std::uint16_t {
    const auto it = sym_of.find(std::string_view(s, n));
    return it == sym_of.end() ? 0 : it->second;
  };
  plan->consts.reserve(p.constants.size());
  for (const Value& v : p.constants) {
    Fast f = to_fast(v);
    if (f.kind == FKind::string) f.sym = sym(f.s, f.n);
    plan->consts.push_back(f);
  }
  for (const auto& l : p.value_lists) {
    StringSet set = make_set(l);
    if (!set.slots.empty()) {
      set.by_sym.assign(plan->symbols.size() + 1, 0);
      for (const Value& v : l)
        if (const std::uint16_t k = sym(v.str, v.n)) set.by_sym[k] = 1;
    }
    plan->sets.push_back(std::move(set));
  }
  plan->field_base.resize(p.groups.size());
  for (std::size_t g = 0; g < p.groups.size(); ++g) {
    plan->field_base[g] = plan->row_size;
    plan->row_size += static_cast<std::uint32_t>(p.records[p.groups[g].record].fields.size());
  }

  plan->nodes.resize(p.nodes.size());
  for (std::size_t i = 0; i < p.nodes.size(); ++i) {
    const Node& n = p.nodes[i];
    FNode& f = plan->nodes[i];
    // How a fused node reads its operand node x.
    auto operand = [&](std::uint32_t x) {
      const Node& o = p.nodes[x];
      if (o.op == Op::Field) {
        f.arg = FArg::field;
        f.a = plan->field_base[o.a] + o.b;
      } else if (o.op == Op::Local) {
        f.arg = FArg::local;
        f.a = o.a;
      } else {
        f.arg = FArg::node;
        f.a = x;
      }
    };
    switch (n.op) {
      case Op::Const:
        f.op = FOp::constant;
        f.k = n.a;
        break;
      case Op::Field:
        f.op = FOp::field;
        f.a = plan->field_base[n.a] + n.b;
        break;
      case Op::Local:
        f.op = FOp::local;
        f.a = n.a;
        break;
      case Op::Get:
        if (p.nodes[n.a].op == Op::Local) {
          f.op = FOp::get_local;
          f.a = p.nodes[n.a].a;
          f.b = n.b;
        }
        break;
      case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge:
        if (p.nodes[n.b].op == Op::Const) {
          f.op = FOp::cmp_const;
          f.cmp = n.op;
          f.k = p.nodes[n.b].a;
          operand(n.a);
        }
        break;
      case Op::InSet:
        if (!plan->sets[n.b].slots.empty()) {
          f.op = FOp::in_set;
          f.k = n.b;
          f.negate = n.c ? 1 : 0;
          operand(n.a);
        }
        break;
      case Op::InRange:
        if (p.nodes[n.b].op == Op::Const && p.nodes[n.c].op == Op::Const) {
          f.op = FOp::in_range;
          f.k = p.nodes[n.b].a;
          f.k2 = p.nodes[n.c].a;
          operand(n.a);
        }
        break;
      case Op::Call: {
        const auto b = static_cast<Builtin>(n.sub);
        if (n.c != 2) break;
        const Node& second = p.nodes[p.args[n.b + 1]];
        if ((b == Builtin::years_between || b == Builtin::months_between) && second.op == Op::AsOf) {
          f.op = FOp::ymd_diff;
          f.sub = n.sub;
          operand(p.args[n.b]);
        } else if (b == Builtin::floor_div && second.op == Op::Const) {
          const Fast& c = plan->consts[second.a];
          if (c.kind == FKind::number && c.scale == 0 && c.i != 0 && c.i != -1) {
            f.op = FOp::floor_div_const;
            f.k = second.a;
            operand(p.args[n.b]);
          }
        }
        break;
      }
      default: break;
    }
  }

  // Step bounds, in one forward pass: the compiler emits a node after its children and a let's body before
  // the let is read, so each child's bound is known; a child that is not earlier (never, as compiled) and
  // sums beyond 2^31 get no bound, which only costs speed.
  auto bound_of = [&](std::size_t at, std::uint32_t x) -> std::uint64_t {
    return x < at ? plan->nodes[x].bound : FNode::no_bound;
  };
  for (std::size_t i = 0; i < p.nodes.size(); ++i) {
    const Node& n = p.nodes[i];
    std::uint64_t b = 1;
    auto add = [&](std::uint32_t x) { b += bound_of(i, x); };
    switch (n.op) {
      case Op::Const: case Op::Field: case Op::Local: case Op::AsOf: break;
      case Op::Get: case Op::Neg: case Op::Not: case Op::Present: case Op::InSet: add(n.a); break;
      case Op::Let:
        if (n.a < p.lets.size()) add(p.lets[n.a].node);
        else b = FNode::no_bound;
        break;
      case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Mod:
      case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge:
      case Op::And: case Op::Or: case Op::Coalesce: case Op::InList:
        add(n.a);
        add(n.b);
        break;
      case Op::If: case Op::InRange:
        add(n.a);
        add(n.b);
        add(n.c);
        break;
      case Op::Call:
        for (std::uint32_t k = 0; k < n.c; ++k) add(p.args[n.b + k]);
        break;
      case Op::Quant: b = FNode::no_bound; break;
    }
    plan->nodes[i].bound = b >= (1ull << 31) ? FNode::no_bound : static_cast<std::uint32_t>(b);
  }

  plan->indicators.resize(p.indicators.size());
  for (std::size_t i = 0; i < p.indicators.size(); ++i) {
    // A table on an enum whose rows name members: a jump table from the member's symbol to its row.
    const IndicatorInfo& ind = p.indicators[i];
    if (ind.kind != IndicatorKind::table || ind.on < 0 || ind.hit != Hit::first || ind.rows.empty()) continue;
    IndicatorPlan& ip = plan->indicators[i];
    std::vector<std::int16_t> jump(plan->symbols.size() + 1, -1);
    std::vector<std::uint32_t> steps(ind.rows.size(), 0);
    std::uint32_t tested = 0;
    std::int32_t otherwise = -1;
    bool ok = ind.rows.size() < 30000;
    for (std::size_t r = 0; r < ind.rows.size() && ok && otherwise < 0; ++r) {
      const RowInfo& row = ind.rows[r];
      if (row.test < 0) {  // otherwise: hit whenever reached; the rows after it never are
        otherwise = static_cast<std::int32_t>(r);
        steps[r] = tested;
        break;
      }
      const FNode& t = plan->nodes[static_cast<std::size_t>(row.test)];
      const bool member = t.op == FOp::cmp_const && t.cmp == Op::Eq && t.arg == FArg::local && t.a == ind.on_local &&
                          plan->consts[t.k].kind == FKind::string && plan->consts[t.k].sym != 0;
      if (!member) {
        ok = false;
        break;
      }
      tested += 3;  // the comparison, the local, the constant
      steps[r] = tested;
      std::int16_t& to = jump[plan->consts[t.k].sym];
      if (to < 0) to = static_cast<std::int16_t>(r);
    }
    if (!ok) continue;
    for (auto& to : jump)
      if (to < 0) to = static_cast<std::int16_t>(otherwise);
    ip.jump = std::move(jump);
    ip.row_steps = std::move(steps);
    ip.miss_steps = tested;
  }
  for (std::size_t i = 0; i < p.indicators.size(); ++i)
    if (p.indicators[i].cap) {
      plan->indicators[i].cap = to_fast(Value::number(*p.indicators[i].cap));
      plan->indicators[i].has_cap = true;
    }
  for (const auto& g : p.groups) plan->any_source |= !g.source.empty();

  for (int en = 0; en < 2; ++en) {
    for (const auto& c : p.checks) {
      plan->check_labels[en].push_back(label(c.label, en));
      const Template& t = c.reason.get(en ? "en" : "zh-CN");
      bool text = true;
      std::string s;
      for (const auto& part : t.parts) {
        if (part.expr >= 0) text = false;
        else s += part.text;
      }
      plan->reason_is_text[en].push_back(text ? 1 : 0);
      plan->reason_text[en].push_back(text ? s : std::string());
    }
    for (const auto& ind : p.indicators) plan->item_labels[en].push_back(label(ind.label, en));
    for (const auto& o : p.outputs) plan->output_labels[en].push_back(label(o.label, en));
  }
  return plan;
}

}  // namespace eligo::detail
