// Coverage: what a set of evaluations reached in one pack (eligo/coverage.hpp). Pack::evaluate counts into
// the flat vectors; this file sizes them from the Program and turns them into reports.
#include "eligo/coverage.hpp"

#include <nlohmann/json.hpp>

#include <sstream>

#include "compile/program.hpp"

namespace eligo {

namespace {

using detail::IndicatorKind;
using detail::Op;
using detail::Program;

// At most `max` bytes of `s`, cut on a UTF-8 character boundary, "…" when cut.
std::string shorten(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "…";
}

const char* kind_name(IndicatorKind k) {
  switch (k) {
    case IndicatorKind::per: return "per";
    case IndicatorKind::table: return "table";
    default: return "points";
  }
}

}  // namespace

Coverage::Coverage(const Pack& pack) : pack_(pack) {
  const Program& p = pack.program();
  checks_.assign(4 * p.checks.size(), 0);
  std::uint32_t n = 0;
  for (const auto& ind : p.indicators) {
    row_base_.push_back(n);
    n += static_cast<std::uint32_t>(ind.rows.size());
  }
  rows_.assign(n, 0);
  caps_.assign(2 * p.indicators.size(), 0);
  ifs_.assign(2 * p.nodes.size(), 0);
}

std::vector<Coverage::CheckCount> Coverage::checks() const {
  const Program& p = pack_.program();
  std::vector<CheckCount> out;
  for (std::size_t i = 0; i < p.checks.size(); ++i)
    out.push_back({p.checks[i].id, checks_[4 * i], checks_[4 * i + 1], checks_[4 * i + 2], checks_[4 * i + 3]});
  return out;
}

std::vector<Coverage::RowCount> Coverage::rows() const {
  const Program& p = pack_.program();
  std::vector<RowCount> out;
  for (std::size_t i = 0; i < p.indicators.size(); ++i) {
    const auto& ind = p.indicators[i];
    for (std::size_t r = 0; r < ind.rows.size(); ++r)
      out.push_back({ind.id, "", static_cast<std::uint32_t>(r + 1),
                     ind.rows[r].test < 0 ? std::string("otherwise") : ind.rows[r].when_text, rows_[row_base_[i] + r]});
  }
  // An output's table is lowered to a chain of ifs: a row gave the value when its if's `then` was taken;
  // the otherwise row when the last if's `else` was.
  for (const auto& o : p.outputs)
    for (std::size_t r = 0; r < o.table_rows.size(); ++r) {
      const auto& row = o.table_rows[r];
      out.push_back({"", o.name, static_cast<std::uint32_t>(r + 1), row.when_text,
                     ifs_[2 * row.if_node + (row.otherwise ? 1 : 0)]});
    }
  return out;
}

std::vector<Coverage::BranchCount> Coverage::branches() const {
  const Program& p = pack_.program();
  std::vector<BranchCount> out;
  std::vector<bool> table_row(p.nodes.size(), false);  // counted as rows of an output's table instead
  for (const auto& o : p.outputs)
    for (const auto& row : o.table_rows) table_row[row.if_node] = true;
  for (std::size_t i = 0; i < p.nodes.size(); ++i) {
    if (p.nodes[i].op != Op::If || table_row[i]) continue;
    BranchCount b;
    if (p.nodes[i].src < p.spans.size()) {
      const auto& span = p.spans[p.nodes[i].src];
      if (span.expr < p.exprs.size()) {
        const auto& e = p.exprs[span.expr];
        b.pointer = e.pointer;
        if (span.begin <= span.end && span.end <= e.text.size())
          b.text = shorten(e.text.substr(span.begin, span.end - span.begin), 60);
      }
    }
    b.then_hits = ifs_[2 * i];
    b.else_hits = ifs_[2 * i + 1];
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<Coverage::CapCount> Coverage::caps() const {
  const Program& p = pack_.program();
  std::vector<CapCount> out;
  for (std::size_t i = 0; i < p.indicators.size(); ++i)
    if (p.indicators[i].cap)
      out.push_back({p.indicators[i].id, kind_name(p.indicators[i].kind), *p.indicators[i].cap, caps_[2 * i],
                     caps_[2 * i + 1]});
  return out;
}

bool Coverage::full() const {
  for (const auto& c : checks())
    if (!c.covered()) return false;
  for (const auto& r : rows())
    if (r.hits == 0) return false;
  return true;
}

bool Coverage::merge(const Coverage& other) {
  if (&other.pack_.program() != &pack_.program()) return false;
  auto add = [](std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
    for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  };
  add(checks_, other.checks_);
  add(rows_, other.rows_);
  add(caps_, other.caps_);
  add(ifs_, other.ifs_);
  evaluations_ += other.evaluations_;
  return true;
}

std::string Coverage::to_text() const {
  const Program& p = pack_.program();
  std::ostringstream o;
  o << "coverage of " << p.pack_id << " " << p.version << " (" << p.file << "), " << evaluations_
    << (evaluations_ == 1 ? " evaluation" : " evaluations") << "\n";
  const auto cs = checks();
  std::size_t covered = 0;
  for (const auto& c : cs) covered += c.covered();
  o << "  checks seen passed and failed: " << covered << "/" << cs.size() << "\n";
  for (const auto& c : cs)
    o << "    " << (c.covered() ? "  " : "✗ ") << c.id << ": passed " << c.passed << ", failed " << c.failed
      << ", needs_evidence " << c.needs_evidence << ", skipped " << c.skipped << "\n";
  const auto rs = rows();
  std::size_t reached = 0;
  for (const auto& r : rs) reached += r.hits > 0;
  o << "  table rows reached: " << reached << "/" << rs.size() << "\n";
  for (const auto& r : rs)
    if (r.hits == 0)
      o << "    ✗ " << (r.output.empty() ? r.indicator : "output " + r.output) << " row " << r.row << " (" << r.when << ")\n";
  const auto bs = branches();
  std::size_t both = 0;
  for (const auto& b : bs) both += b.then_hits > 0 && b.else_hits > 0;
  o << "  if branches, both taken: " << both << "/" << bs.size() << "\n";
  for (const auto& b : bs)
    if (b.then_hits == 0 || b.else_hits == 0)
      o << "    ✗ " << b.pointer << " \"" << b.text << "\": then " << b.then_hits << ", else " << b.else_hits << "\n";
  const auto ks = caps();
  std::size_t hit = 0;
  for (const auto& k : ks) hit += k.reached > 0;
  o << "  caps reached: " << hit << "/" << ks.size() << "\n";
  for (const auto& k : ks)
    if (k.reached == 0) o << "    ✗ " << k.indicator << " (" << k.kind << ") cap " << k.cap.to_string() << "\n";
  o << "  " << (full() ? "full check and row coverage" : "NOT full check and row coverage") << "\n";
  return o.str();
}

std::string Coverage::to_json() const {
  using json = nlohmann::ordered_json;
  const Program& p = pack_.program();
  json j;
  j["pack"] = p.pack_id;
  j["version"] = p.version;
  j["file"] = p.file;
  j["evaluations"] = evaluations_;
  j["full"] = full();
  j["checks"] = json::array();
  for (const auto& c : checks())
    j["checks"].push_back({{"id", c.id}, {"passed", c.passed}, {"failed", c.failed},
                           {"needs_evidence", c.needs_evidence}, {"skipped", c.skipped}, {"covered", c.covered()}});
  j["rows"] = json::array();
  for (const auto& r : rows()) {
    if (r.output.empty())
      j["rows"].push_back({{"indicator", r.indicator}, {"row", r.row}, {"when", r.when}, {"hits", r.hits}});
    else
      j["rows"].push_back({{"output", r.output}, {"row", r.row}, {"when", r.when}, {"hits", r.hits}});
  }
  j["branches"] = json::array();
  for (const auto& b : branches())
    j["branches"].push_back({{"pointer", b.pointer}, {"text", b.text}, {"then", b.then_hits}, {"else", b.else_hits}});
  j["caps"] = json::array();
  for (const auto& k : caps())
    j["caps"].push_back({{"indicator", k.indicator}, {"kind", k.kind}, {"cap", k.cap.to_string()},
                         {"reached", k.reached}, {"below", k.below}});
  return j.dump();
}

}  // namespace eligo
