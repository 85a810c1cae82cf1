// batch::run — the reader on the calling thread cuts the inputs into chunks of rows, workers bind and
// evaluate them, and the calling thread writes the finished chunks in input order. Results, rejected rows
// and payout orders go to temporary files; only when every input was read to its end are the duplicates
// settled (a second pass over the spooled lines fills in `held_back`) and the files renamed into place.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "batch/join.hpp"
#include "batch/person_key.hpp"
#include "batch/writers.hpp"
#include "compile/program.hpp"
#include "core/text_out.hpp"
#include "eligo/batch.hpp"
#include "eligo/identity.hpp"
#include "payout/atomic_file.hpp"

namespace eligo::batch {
namespace {

namespace fs = std::filesystem;
using payout::detail::AtomicFile;

enum class RowKind : std::uint8_t { good, bad };

struct RowRec {
  std::uint64_t line = 0;
  RowKind kind = RowKind::good;
  std::uint32_t a = 0, b = 0;  // good tabular: first cell's index in offs; json / bad: message in data
  std::uint32_t c = 0, d = 0;  // bad: field name in data
};

struct Seen {
  std::uint64_t key;
  std::uint64_t pos;  // input index << 40 | line
  bool eligible;
};

// A chunk's own counts, merged in input order.
struct ChunkTally {
  std::uint64_t results = 0, written = 0, rejected = 0, with_data_errors = 0;
  Tally all;
  std::map<std::string, Tally> groups;
  std::vector<bool> non_numeric;  // per output
  std::uint64_t orders_without_amount = 0;
};

struct Chunk {
  std::uint64_t seq = 0;
  std::uint32_t file = 0;
  std::string data;
  std::vector<std::uint32_t> offs;  // tabular: (offset, length) per cell
  std::vector<RowRec> rows;
  // filled by the worker
  std::string results, rejected, orders;
  std::vector<std::uint64_t> written_keys;  // per written result line
  std::vector<std::uint64_t> order_keys;    // per order line
  std::vector<Seen> seen;                   // per result with a key
  std::vector<std::pair<std::uint64_t, std::string>> hashed_names;  // display text of hashed keys
  std::vector<Decimal> order_amounts;
  ChunkTally tally;
  bool done = false;

  void clear() {
    data.clear();
    offs.clear();
    rows.clear();
    results.clear();
    rejected.clear();
    orders.clear();
    written_keys.clear();
    order_keys.clear();
    seen.clear();
    hashed_names.clear();
    order_amounts.clear();
    tally = ChunkTally();
    done = false;
  }
};

bool add_sum(std::map<std::string, Decimal>& sums, const std::string& name, const Decimal& v) {
  Decimal& s = sums[name];
  return Decimal::add(s, v, &s);
}

void merge(Tally& into, const Tally& t) {
  into.results += t.results;
  for (int v = 0; v < 4; ++v) into.verdicts[v] += t.verdicts[v];
  for (const auto& [k, n] : t.failed) into.failed[k] += n;
  for (const auto& [k, s] : t.sums) add_sum(into.sums, k, s);
  into.held_back += t.held_back;
}

// Everything the workers share (read-only while they run).
struct Context {
  const Pack* pack = nullptr;
  const Options* opt = nullptr;
  EvalOptions eval;
  std::vector<std::string> inputs;           // display names
  std::vector<std::optional<RowLayout>> layouts;
  std::vector<int> by_column;                // per input: the `by` column in its header, or -1
  std::string by_path;                       // the `by` field path when not a column
  std::string key_path, name_path, account_path, community_path;
  std::vector<int> community_column;
  std::vector<std::string> indicators, outputs;
  bool scored = false;
  // Joins: the related tables, and per input the record's key column (tabular) or field (flat JSON).
  std::vector<std::unique_ptr<JoinIndex>> joins;
  std::vector<int> join_key_column;
  std::string join_key_field;                // the key's member in a flat JSON record
  std::vector<std::pair<std::string, std::string>> join_json_member;  // per join: (group or "", field)
  std::unique_ptr<RowWriter> writer;
  bool multi = false;
  std::unique_ptr<identity::IdHasher> hasher;
  int amount_output = -1;
  std::string created;
};

std::string key_display(const Context& cx, std::string_view id) {
  if (id.empty()) return "";
  if (cx.opt->clear_pii) return std::string(id);
  if (cx.hasher) return cx.hasher->hash(id);
  return identity::mask(identity::PiiKind::id_number, id);
}

std::string masked(const Context& cx, std::string_view text) {
  return cx.opt->clear_pii ? std::string(text) : identity::mask_pii_runs(text);
}

std::string field_text(const Context& cx, const Chunk& ch, const RowRec& r, const Input& in, const std::string& path,
                       int column) {
  if (column >= 0 && cx.layouts[ch.file]) {
    const std::uint32_t* o = &ch.offs[2 * (r.a + static_cast<std::uint32_t>(column))];
    return ch.data.substr(o[0], o[1]);
  }
  return path.empty() ? std::string() : in.text(path);
}

// A flat JSON record with the joined lists added as members ("field": [...] or "group": {"field": [...]}).
void join_json(const Context& cx, std::string_view json, std::string* out) {
  records::JsonCells cells;
  std::string problem;
  std::string_view key;
  if (records::json_object_cells(json, {cx.join_key_field}, &cells, &problem)) key = cells.text[0];
  const std::size_t end = json.rfind('}');
  out->assign(json.substr(0, end == std::string_view::npos ? json.size() : end));
  bool empty = true;
  for (const char c : *out)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '{') empty = false;
  for (std::size_t j = 0; j < cx.joins.size(); ++j) {
    const std::string_view list = key.empty() ? std::string_view("[]") : cx.joins[j]->find(key).json;
    if (!empty) out->push_back(',');
    empty = false;
    const auto& [group, field] = cx.join_json_member[j];
    if (!group.empty()) *out += "\"" + group + "\":{";
    *out += "\"" + field + "\":";
    out->append(list);
    if (!group.empty()) out->push_back('}');
  }
  if (end != std::string_view::npos) out->append(json.substr(end));
}

void process(const Context& cx, Chunk& ch, Input& in, Decision& d, std::vector<std::string_view>& cells) {
  std::string joined;
  const Options& opt = *cx.opt;
  const Pack& pack = *cx.pack;
  const RowWriter& w = *cx.writer;
  ch.tally.non_numeric.assign(cx.outputs.size(), false);
  const std::string& file = cx.inputs[ch.file];
  for (const RowRec& r : ch.rows) {
    if (r.kind == RowKind::bad) {
      ++ch.tally.rejected;
      w.rejected(&ch.rejected, file, r.line, std::string_view(ch.data).substr(r.c, r.d), "E3000",
                 masked(cx, std::string_view(ch.data).substr(r.a, r.b)));
      continue;
    }
    if (cx.layouts[ch.file]) {
      const std::size_t n = cx.layouts[ch.file]->columns() - cx.joins.size();
      cells.resize(n + cx.joins.size());
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t* o = &ch.offs[2 * (r.a + i)];
        cells[i] = std::string_view(ch.data).substr(o[0], o[1]);
      }
      for (std::size_t j = 0; j < cx.joins.size(); ++j) {
        const int kc = cx.join_key_column[ch.file];
        cells[n + j] = kc < 0 ? std::string_view("[]") : cx.joins[j]->find(cells[static_cast<std::size_t>(kc)]).json;
      }
      pack.bind_row(*cx.layouts[ch.file], cells, &in);
    } else if (!cx.joins.empty()) {
      join_json(cx, std::string_view(ch.data).substr(r.a, r.b), &joined);
      pack.bind(joined, &in, opt.bind);
    } else {
      pack.bind(std::string_view(ch.data).substr(r.a, r.b), &in, opt.bind);
    }
    pack.evaluate(in, cx.eval, &d);
    if (d.input_rejected()) {
      ++ch.tally.rejected;
      std::string field, reason;
      for (const DataError& e : d.data_errors) {
        if (field.empty()) field = e.path;
        if (!reason.empty()) reason += "; ";
        reason += (e.path.empty() ? "" : e.path + ": ") + e.message;
      }
      if (reason.empty()) reason = d.error->message;
      w.rejected(&ch.rejected, file, r.line, field, d.error->code, masked(cx, reason));
      continue;
    }
    ++ch.tally.results;
    if (!d.data_errors.empty()) ++ch.tally.with_data_errors;
    const std::string id = cx.key_path.empty() ? std::string() : in.text(cx.key_path);
    const std::uint64_t key = opt.duplicates == Duplicates::off ? 0 : detail::person_key(id);
    if (key) {
      ch.seen.push_back({key, (static_cast<std::uint64_t>(ch.file) << 40) | r.line, d.verdict == Verdict::eligible});
      if (key & detail::kHashedKey) ch.hashed_names.emplace_back(key, key_display(cx, detail::canonical_id(id)));
    }
    const int v = static_cast<int>(d.verdict);
    std::string group;
    if (!opt.by.empty()) {
      group = field_text(cx, ch, r, in, cx.by_path, cx.by_column[ch.file]);
      if (!opt.clear_pii) group = identity::mask_pii_runs(group);
    }
    Tally* gt = opt.by.empty() ? nullptr : &ch.tally.groups[group];
    const CheckResult* failed = nullptr;
    for (const CheckResult& c : d.checks)
      if (c.status == CheckStatus::failed) {
        failed = &c;
        break;
      }
    for (Tally* t : {&ch.tally.all, gt}) {
      if (!t) continue;
      ++t->results;
      ++t->verdicts[v];
      if (d.verdict == Verdict::ineligible && failed) ++t->failed[std::string(failed->id)];
    }
    for (std::size_t i = 0; i < d.outputs.size() && i < cx.outputs.size(); ++i) {
      const OutputResult& o = d.outputs[i];
      if (o.value.empty()) continue;
      const std::optional<Decimal> n = Decimal::parse(o.value);
      if (!n) {
        ch.tally.non_numeric[i] = true;
        continue;
      }
      if (d.verdict == Verdict::eligible)
        for (Tally* t : {&ch.tally.all, gt})
          if (t) add_sum(t->sums, cx.outputs[i], *n);
    }
    // Payout order candidate: eligible, with a key and a positive amount.
    if (!opt.payout.path.empty() && d.verdict == Verdict::eligible) {
      std::optional<Decimal> amount;
      if (cx.amount_output >= 0 && static_cast<std::size_t>(cx.amount_output) < d.outputs.size())
        amount = Decimal::parse(d.outputs[static_cast<std::size_t>(cx.amount_output)].value);
      if (!amount || !(*amount > Decimal()) || id.empty()) {
        ++ch.tally.orders_without_amount;
      } else {
        const std::string payee = detail::canonical_id(id);
        OrderLine ol;
        ol.order_no = order_number(opt.payout.policy, opt.payout.period, payee);
        ol.policy = opt.payout.policy;
        ol.period = opt.payout.period;
        ol.payee_id = payee;
        ol.payee_name = cx.name_path.empty() ? "" : in.text(cx.name_path);
        ol.account = cx.account_path.empty() ? "" : in.text(cx.account_path);
        ol.amount = amount->to_string();
        ol.created = cx.created;
        ol.community = cx.community_path.empty() && cx.community_column.empty()
                           ? ""
                           : field_text(cx, ch, r, in, cx.community_path, cx.community_column[ch.file]);
        w.order(&ch.orders, ol);
        ch.order_keys.push_back(key ? key : detail::person_key(id));
        ch.order_amounts.push_back(*amount);
      }
    }
    if (opt.only && d.verdict != *opt.only) continue;
    ++ch.tally.written;
    // One entry per written row while duplicates are looked for; none otherwise (memory flat in rows).
    if (!cx.key_path.empty() && opt.duplicates != Duplicates::off)
      ch.written_keys.push_back(d.verdict == Verdict::eligible ? key : 0);
    ResultLine rl;
    rl.line = r.line;
    rl.key = key_display(cx, id.empty() ? id : detail::canonical_id(id));
    rl.verdict = verdict_name(d.verdict);
    if (d.verdict == Verdict::ineligible && failed) {
      rl.failed_check = failed->id;
      rl.reason = failed->reason;
    } else if (d.verdict == Verdict::error && d.error) {
      rl.failed_check = d.error->code;
      rl.reason = masked(cx, d.error->message);
    }
    for (const CheckResult& c : d.checks)
      for (const std::string& m : c.missing)
        if (std::find(rl.missing.begin(), rl.missing.end(), m) == rl.missing.end()) rl.missing.push_back(m);
    for (const ItemResult& it : d.items)
      for (const std::string& m : it.missing)
        if (std::find(rl.missing.begin(), rl.missing.end(), m) == rl.missing.end()) rl.missing.push_back(m);
    if (cx.scored && d.verdict != Verdict::error) rl.total = d.total.to_string();
    rl.points.assign(cx.indicators.size(), std::string());
    for (std::size_t i = 0; i < d.items.size() && i < rl.points.size(); ++i)
      if (d.items[i].status == ItemStatus::scored && d.verdict != Verdict::error) rl.points[i] = d.items[i].points.to_string();
    rl.outputs.assign(cx.outputs.size(), std::string());
    for (std::size_t i = 0; i < d.outputs.size() && i < rl.outputs.size(); ++i) rl.outputs[i] = d.outputs[i].value;
    w.result(&ch.results, file, rl);
  }
}

// The field holding the person's ID: of the record group a flat row fills first, then of the other groups given
// up front; a cn_id field before one only marked "pii": "id_number"; in declaration order.
std::string default_key(const Pack& pack, const BindOptions& bind) {
  const eligo::detail::Program& p = pack.program();
  int g = p.record_group;
  if (!bind.group.empty())
    for (std::size_t i = 0; i < p.groups.size(); ++i)
      if (p.groups[i].name == bind.group) g = static_cast<int>(i);
  std::vector<int> order;
  if (g >= 0) order.push_back(g);
  for (std::size_t i = 0; i < p.groups.size(); ++i)
    if (static_cast<int>(i) != g && p.groups[i].source.empty()) order.push_back(static_cast<int>(i));
  for (const bool typed : {true, false})  // a cn_id field first, else one marked "pii": "id_number"
    for (const int gi : order) {
      const auto& group = p.groups[static_cast<std::size_t>(gi)];
      for (const auto& f : p.records[group.record].fields)
        if (typed ? p.types[f.type].cn_id : f.pii == eligo::detail::Pii::id_number) return group.name + "." + f.name;
    }
  return "";
}

// "community" → "applicant.community" (the record group's field) unless it already names a group.
std::string field_path(const Pack& pack, const BindOptions& bind, const std::string& name) {
  if (name.empty() || name.find('.') != std::string::npos) return name;
  const eligo::detail::Program& p = pack.program();
  std::string group = bind.group;
  if (group.empty() && p.record_group >= 0) group = p.groups[static_cast<std::size_t>(p.record_group)].name;
  return group.empty() ? name : group + "." + name;
}

std::string lines_text(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& rows, const Context& cx,
                       bool zh) {
  std::string s;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i) s += zh ? "、" : ", ";
    if (cx.multi) s += cx.inputs[rows[i].first] + ":";
    s += std::to_string(rows[i].second);
  }
  return s;
}

}  // namespace

bool run(const Pack& pack, const Options& options, Summary* summary, std::string* error) {
  const auto started = std::chrono::steady_clock::now();
  *summary = Summary();
  Summary& s = *summary;
  if (options.inputs.empty()) {
    *error = "no input file";
    return false;
  }
  if (options.out.empty()) {
    *error = "no output (--out FILE or DIR)";
    return false;
  }
  Context cx;
  cx.pack = &pack;
  cx.opt = &options;
  cx.eval = options.eval;
  if (!cx.eval.as_of) cx.eval.as_of = today_cst();
  cx.eval.clear_pii = options.clear_pii;
  cx.inputs = options.inputs;
  cx.multi = options.inputs.size() > 1;
  cx.indicators = pack.indicator_ids();
  cx.outputs = pack.output_names();
  cx.scored = !cx.indicators.empty();
  if (!options.id_hash_key.empty()) cx.hasher = std::make_unique<identity::IdHasher>(options.id_hash_key);
  cx.key_path = options.key.empty() ? default_key(pack, options.bind) : field_path(pack, options.bind, options.key);
  s.key_path = cx.key_path;
  s.key_found = !cx.key_path.empty();
  cx.by_path = field_path(pack, options.bind, options.by);
  s.by = options.by;
  s.pack_id = pack.id();
  s.pack_version = pack.version();
  s.pack_hash = pack.hash();
  s.as_of = *cx.eval.as_of;

  // Where the files go.
  OutputPlan plan;
  if (!plan_outputs(options, &plan, error)) return false;
  cx.writer = std::make_unique<RowWriter>(plan.row_format, cx.multi, cx.indicators, cx.outputs, cx.scored);

  if (!options.payout.path.empty()) {
    const auto& po = options.payout;
    if (po.amount.empty() || po.policy.empty() || po.period.empty()) {
      *error = "payout orders need the amount output, the policy and the period (--amount, --policy, --period)";
      return false;
    }
    const auto it = std::find(cx.outputs.begin(), cx.outputs.end(), po.amount);
    if (it == cx.outputs.end()) {
      std::string names;
      for (const auto& n : cx.outputs) names += (names.empty() ? "" : ", ") + n;
      *error = "the pack has no output '" + po.amount + "' (outputs: " + (names.empty() ? "none" : names) + ")";
      return false;
    }
    if (cx.key_path.empty()) {
      *error = "payout orders need the payee's ID: the pack's record has no cn_id field; name one with --key";
      return false;
    }
    cx.amount_output = static_cast<int>(it - cx.outputs.begin());
    cx.name_path = field_path(pack, options.bind, po.name);
    cx.account_path = field_path(pack, options.bind, po.account);
    cx.community_path = field_path(pack, options.bind, po.community.empty() ? options.by : po.community);
    cx.created = (po.created ? *po.created : *cx.eval.as_of).to_string();
    s.orders_path = po.path;
  }

  for (const std::string& text : options.joins) {
    JoinSpec spec;
    if (!JoinSpec::parse(text, &spec, error)) return false;
    if (cx.key_path.empty()) {
      *error = "--join " + text + ": the records have no key field to join on (the pack's record has no cn_id field; name one with --key)";
      return false;
    }
    auto index = std::make_unique<JoinIndex>();
    records::ReadOptions ro;
    ro.encoding = options.read.encoding;
    if (!index->load(spec, ro, error)) return false;
    // As a JSON member of a flat record: "field" of the record group, or "group": {"field": …}.
    const std::string path = field_path(pack, options.bind, spec.name);
    const std::size_t dot = path.find('.');
    const std::string group = dot == std::string::npos ? "" : path.substr(0, dot);
    const std::string record = field_path(pack, options.bind, "x");
    const std::string record_group = record.size() > 2 ? record.substr(0, record.size() - 2) : "";
    if (group.empty() || group == record_group) cx.join_json_member.emplace_back("", dot == std::string::npos ? path : path.substr(dot + 1));
    else cx.join_json_member.emplace_back(group, path.substr(dot + 1));
    cx.joins.push_back(std::move(index));
  }
  if (!cx.joins.empty()) {
    const std::size_t dot = cx.key_path.find('.');
    cx.join_key_field = dot == std::string::npos ? cx.key_path : cx.key_path.substr(dot + 1);
  }

  AtomicFile results_file, rejected_file, orders_spool;
  if (!results_file.open(plan.results_spool, error) || !rejected_file.open(plan.rejected_spool, error)) return false;
  if (!options.payout.path.empty() && !orders_spool.open(options.payout.path, error)) return false;
  {
    const RowWriter& w = *cx.writer;
    std::string head;
    w.result_header(&head);
    results_file.write(head);
    head.clear();
    w.rejected_header(&head);
    rejected_file.write(head);
    if (!options.payout.path.empty()) {
      head.clear();
      w.order_header(&head);
      orders_spool.write(head);
    }
  }

  std::uint64_t total_bytes = 0;
  for (const auto& in : options.inputs) {
    std::error_code ec;
    if (in != "-") total_bytes += fs::file_size(in, ec);
  }

  // Workers.
  const unsigned threads =
      options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t max_in_flight = threads * 3 + 2;
  std::mutex mu;
  std::condition_variable work_cv, done_cv;
  std::deque<Chunk*> queue;
  bool stopping = false;
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      Input in;
      Decision d;
      std::vector<std::string_view> cells;
      for (;;) {
        Chunk* ch = nullptr;
        {
          std::unique_lock<std::mutex> lock(mu);
          work_cv.wait(lock, [&] { return stopping || !queue.empty(); });
          if (queue.empty()) return;
          ch = queue.front();
          queue.pop_front();
        }
        process(cx, *ch, in, d, cells);
        {
          std::lock_guard<std::mutex> lock(mu);
          ch->done = true;
        }
        done_cv.notify_all();
      }
    });
  const auto stop_pool = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      stopping = true;
    }
    work_cv.notify_all();
    for (auto& t : pool) t.join();
    pool.clear();
  };

  std::deque<std::unique_ptr<Chunk>> in_flight;  // in input order
  std::vector<std::unique_ptr<Chunk>> free_chunks;
  std::vector<Seen> seen;
  std::vector<std::uint64_t> written_keys, order_keys;
  std::vector<Decimal> order_amounts;
  std::unordered_map<std::uint64_t, std::string> hashed_names;
  std::vector<bool> non_numeric(cx.outputs.size(), false);
  std::uint64_t next_seq = 0;

  // Writes the oldest chunk once it is done (waiting for it when `wait`).
  const auto retire = [&](bool wait) -> bool {
    if (in_flight.empty()) return false;
    Chunk* ch = in_flight.front().get();
    {
      std::unique_lock<std::mutex> lock(mu);
      if (!ch->done && !wait) return false;
      done_cv.wait(lock, [&] { return ch->done; });
    }
    results_file.write(ch->results);
    rejected_file.write(ch->rejected);
    if (!ch->orders.empty()) orders_spool.write(ch->orders);
    const ChunkTally& t = ch->tally;
    s.results += t.results;
    s.written += t.written;
    s.rejected += t.rejected;
    s.with_data_errors += t.with_data_errors;
    s.inputs[ch->file].rejected += t.rejected;
    merge(s.all, t.all);
    for (const auto& [g, gt] : t.groups) merge(s.groups[g], gt);
    for (std::size_t i = 0; i < t.non_numeric.size(); ++i)
      if (t.non_numeric[i]) non_numeric[i] = true;
    s.orders_without_amount += t.orders_without_amount;
    seen.insert(seen.end(), ch->seen.begin(), ch->seen.end());
    written_keys.insert(written_keys.end(), ch->written_keys.begin(), ch->written_keys.end());
    order_keys.insert(order_keys.end(), ch->order_keys.begin(), ch->order_keys.end());
    order_amounts.insert(order_amounts.end(), ch->order_amounts.begin(), ch->order_amounts.end());
    for (auto& [k, name] : ch->hashed_names) hashed_names.emplace(k, std::move(name));
    auto done = std::move(in_flight.front());
    in_flight.pop_front();
    done->clear();
    free_chunks.push_back(std::move(done));
    return true;
  };
  const auto dispatch = [&](std::unique_ptr<Chunk> ch) {
    while (in_flight.size() >= max_in_flight) retire(true);
    Chunk* raw = ch.get();
    raw->seq = next_seq++;
    in_flight.push_back(std::move(ch));
    {
      std::lock_guard<std::mutex> lock(mu);
      queue.push_back(raw);
    }
    work_cv.notify_one();
    while (retire(false)) {
    }
  };
  const auto fresh = [&](std::uint32_t file) {
    std::unique_ptr<Chunk> ch;
    if (free_chunks.empty()) ch = std::make_unique<Chunk>();
    else {
      ch = std::move(free_chunks.back());
      free_chunks.pop_back();
    }
    ch->file = file;
    return ch;
  };

  std::uint64_t bytes_before = 0;
  const auto report = [&](std::uint64_t bytes_now, bool done) {
    if (!options.progress) return;
    Progress p;
    p.rows = s.rows;
    p.bytes = bytes_before + bytes_now;
    p.total_bytes = total_bytes;
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    p.done = done;
    options.progress(p);
  };

  bool failed = false;
  cx.layouts.resize(options.inputs.size());
  cx.by_column.assign(options.inputs.size(), -1);
  cx.community_column.assign(options.inputs.size(), -1);
  cx.join_key_column.assign(options.inputs.size(), -1);
  for (std::uint32_t fi = 0; fi < options.inputs.size() && !failed; ++fi) {
    records::RecordReader reader;
    s.inputs.push_back({options.inputs[fi], 0, 0, 0});
    if (!reader.open(options.inputs[fi], options.read, error)) {
      failed = true;
      break;
    }
    if (!reader.tabular() && !cx.joins.empty() && options.bind.group.empty()) {
      *error = reader.name() + ": joins on JSON records need --group (each row a flat record of that group)";
      failed = true;
      break;
    }
    if (reader.tabular()) {
      std::vector<std::string> header = reader.header();
      for (const auto& j : cx.joins) header.push_back(j->spec().name);
      cx.layouts[fi] = pack.layout(header, options.bind, error);
      if (!cx.layouts[fi]) {
        *error = reader.name() + ": " + *error;
        failed = true;
        break;
      }
      if (!options.by.empty()) cx.by_column[fi] = reader.column(options.by);
      if (!cx.joins.empty()) {
        cx.join_key_column[fi] = cx.layouts[fi]->column_of(cx.key_path);
        if (cx.join_key_column[fi] < 0 || cx.join_key_column[fi] >= static_cast<int>(reader.header().size())) {
          *error = reader.name() + ": no column gives " + cx.key_path + ", the key the joins match on";
          failed = true;
          break;
        }
      }
      const std::string community = options.payout.community.empty() ? options.by : options.payout.community;
      if (!community.empty()) cx.community_column[fi] = reader.column(community);
    }
    // Workers read the layouts: they are set before any chunk of this file is queued, and chunks of the
    // previous file only read their own file's entry.
    std::unique_ptr<Chunk> ch = fresh(fi);
    const bool tabular = reader.tabular();
    for (;;) {
      const records::Next n = reader.next();
      if (n == records::Next::end) break;
      if (n == records::Next::error) {
        *error = reader.error();
        failed = true;
        break;
      }
      ++s.rows;
      ++s.inputs[fi].rows;
      RowRec r;
      r.line = reader.line();
      if (n == records::Next::bad_row) {
        r.kind = RowKind::bad;
        const int col = reader.problem_column();
        const std::string field = col >= 0 && tabular ? reader.header()[static_cast<std::size_t>(col)] : "";
        r.a = static_cast<std::uint32_t>(ch->data.size());
        r.b = static_cast<std::uint32_t>(reader.problem().size());
        ch->data += reader.problem();
        r.c = static_cast<std::uint32_t>(ch->data.size());
        r.d = static_cast<std::uint32_t>(field.size());
        ch->data += field;
      } else if (tabular) {
        r.a = static_cast<std::uint32_t>(ch->offs.size() / 2);
        for (const std::string_view c : reader.cells()) {
          ch->offs.push_back(static_cast<std::uint32_t>(ch->data.size()));
          ch->offs.push_back(static_cast<std::uint32_t>(c.size()));
          ch->data.append(c);
        }
      } else {
        r.a = static_cast<std::uint32_t>(ch->data.size());
        r.b = static_cast<std::uint32_t>(reader.json().size());
        ch->data.append(reader.json());
      }
      ch->rows.push_back(r);
      if (ch->rows.size() >= options.chunk_rows || ch->data.size() >= (64u << 20)) {
        dispatch(std::move(ch));
        ch = fresh(fi);
        report(reader.bytes_read(), false);
      }
    }
    if (!ch->rows.empty() && !failed) dispatch(std::move(ch));
    // The next file's layout may differ: finish this file's chunks before it is replaced.
    while (retire(true)) {
    }
    s.inputs[fi].blank_lines = reader.blank_lines();
    bytes_before += reader.bytes_read();
  }
  while (retire(true)) {
  }
  stop_pool();
  if (failed) return false;  // the AtomicFiles remove their temporary files
  report(0, true);
  for (const auto& j : cx.joins) {
    const JoinReport r = j->report();
    JoinSummary x;
    x.name = r.spec.name;
    x.file = r.file;
    x.key = r.spec.key;
    x.rows = r.rows;
    x.keys = r.keys;
    x.missing_key = r.missing_key;
    x.bad_rows = r.bad_rows;
    x.matched_keys = r.matched_keys;
    x.unmatched_keys = r.unmatched_keys;
    x.unmatched_rows = r.unmatched_rows;
    x.problems = r.problems;
    x.text = r.to_text();
    s.joins.push_back(std::move(x));
  }

  for (std::size_t i = 0; i < cx.outputs.size(); ++i)
    if (!non_numeric[i]) s.numeric_outputs.push_back(cx.outputs[i]);
  // Outputs that were not numbers in every row are not summed.
  for (auto* t : {&s.all}) {
    for (std::size_t i = 0; i < cx.outputs.size(); ++i)
      if (non_numeric[i]) t->sums.erase(cx.outputs[i]);
  }
  for (auto& [g, t] : s.groups)
    for (std::size_t i = 0; i < cx.outputs.size(); ++i)
      if (non_numeric[i]) t.sums.erase(cx.outputs[i]);

  // Duplicates: the same key on two or more results.
  std::unordered_map<std::uint64_t, std::string> held;  // key → reason
  if (options.duplicates != Duplicates::off) {
    std::stable_sort(seen.begin(), seen.end(), [](const Seen& a, const Seen& b) {
      return a.key != b.key ? a.key < b.key : a.pos < b.pos;
    });
    const bool zh = cx.eval.lang != "en";
    for (std::size_t i = 0; i < seen.size();) {
      std::size_t j = i + 1;
      while (j < seen.size() && seen[j].key == seen[i].key) ++j;
      if (j - i > 1) {
        Duplicate dup;
        const std::uint64_t k = seen[i].key;
        if (k & detail::kHashedKey) {
          const auto it = hashed_names.find(k);
          dup.key = it == hashed_names.end() ? "" : it->second;
        } else {
          dup.key = key_display(cx, detail::person_id(k));
        }
        for (std::size_t x = i; x < j; ++x)
          dup.rows.emplace_back(static_cast<std::uint32_t>(seen[x].pos >> 40), seen[x].pos & ((1ull << 40) - 1));
        s.duplicate_rows += dup.rows.size();
        const std::string where = lines_text(dup.rows, cx, zh);
        std::string reason;
        if (options.duplicates == Duplicates::hold)
          reason = zh ? "同一证件号出现在第 " + where + " 行，均暂不发放" : "the same ID is on lines " + where + ": all held back";
        else
          reason = zh ? "同一证件号出现在第 " + where + " 行，仅第一行发放" : "the same ID is on lines " + where + ": only the first is paid";
        held.emplace(k, reason);
        s.duplicates.push_back(std::move(dup));
        std::uint64_t eligible = 0;
        for (std::size_t x = i; x < j; ++x) eligible += seen[x].eligible;
        if (options.duplicates == Duplicates::first && eligible) --eligible;
        s.held_back += eligible;
      }
      i = j;
    }
    std::sort(s.duplicates.begin(), s.duplicates.end(),
              [](const Duplicate& a, const Duplicate& b) { return a.rows.front() < b.rows.front(); });
  }
  seen.clear();
  seen.shrink_to_fit();

  // Results and rejected rows: final form.
  if (!results_file.close(error) || !rejected_file.close(error)) return false;
  // Which written lines are held back: with `first`, the first written line of each key stays.
  std::unordered_map<std::uint64_t, std::string> held_reason;  // written row → reason, for held-back rows only
  bool any_held = false;
  {
    std::unordered_set<std::uint64_t> kept;
    for (std::size_t i = 0; i < written_keys.size(); ++i) {
      const auto it = written_keys[i] ? held.find(written_keys[i]) : held.end();
      if (it == held.end()) continue;
      if (options.duplicates == Duplicates::first && kept.insert(written_keys[i]).second) continue;
      held_reason[i] = it->second;
      any_held = true;
    }
  }
  // Orders: held back likewise (a payee's first order stays with `first`); the rest are written.
  std::vector<bool> order_held(order_keys.size(), false);
  {
    std::unordered_set<std::uint64_t> kept;
    for (std::size_t i = 0; i < order_keys.size(); ++i) {
      if (!held.count(order_keys[i])) continue;
      if (options.duplicates == Duplicates::first && kept.insert(order_keys[i]).second) continue;
      order_held[i] = true;
    }
  }
  for (std::size_t i = 0; i < order_keys.size(); ++i) {
    if (order_held[i]) {
      ++s.orders_held_back;
      continue;
    }
    ++s.orders;
    Decimal::add(s.orders_amount, order_amounts[i], &s.orders_amount);
  }
  s.all.held_back = s.held_back;

  if (!finish_outputs(plan, results_file, rejected_file, held_reason, any_held, orders_spool, order_held,
                      s, cx.multi, cx.eval.lang, error))
    return false;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return true;
}

}  // namespace eligo::batch
