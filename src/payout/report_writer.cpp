// write_report: summary, per-item CSV / JSON Lines, rejections, unclaimed orders and the workbook, each
// written to a temporary name and renamed, so a reader never sees half a file.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <tuple>
#include <nlohmann/json.hpp>

#include "core/text_out.hpp"
#include "payout/atomic_file.hpp"
#include "payout/classify.hpp"
#include "payout/store.hpp"
#include "payout/workbook.hpp"

namespace eligo::payout {
namespace {

using detail::AtomicFile;

using eligo::detail::csv_cell;

void csv_row(AtomicFile& f, const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) line += ',';
    line += csv_cell(cells[i]);
  }
  line += '\n';
  f.write(line);
}

void json_string(std::string& out, std::string_view s) { eligo::detail::append_json_string(&out, s); }

// `s` exactly as nlohmann's dump (ensure_ascii off, invalid UTF-8 replaced) writes a string: printable
// ASCII without quotes or backslashes is appended as is, anything else goes through nlohmann itself.
void dump_json_string(std::string& out, std::string_view s) {
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
      out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
  }
  out += '"';
  out.append(s);
  out += '"';
}

using detail::date_text;
using detail::money_text;

// The per-item files: each cell goes straight from the report into two reused buffers (CSV and JSON
// Lines), written out a megabyte at a time; the JSON keys are encoded once. Each cell is scanned once
// (eligo::detail::cell_needs decides CSV quoting and JSON escaping together) and, as nearly every cell
// needs neither, copied into both buffers in one piece each; room for the worst case is made once per
// cell, so the copies are plain memcpy without a capacity check per byte or per piece. Either file may be
// left out (null): WriteOptions::items.
class ItemStream {
 public:
  ItemStream(AtomicFile* csv, AtomicFile* jsonl, const std::vector<std::string>& columns) : csv_(csv), jsonl_(jsonl) {
    for (const std::string& c : columns) {
      std::string key;
      json_string(key, c);
      key += ':';
      keys_.push_back(std::move(key));
    }
    std::string header;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) header += ',';
      eligo::detail::append_csv_cell(&header, columns[i]);
    }
    header += '\n';
    if (csv_) {
      std::memcpy(csv_buf_.room(header.size()), header.data(), header.size());
      csv_buf_.advance(header.size());
    }
  }
  ~ItemStream() { flush(); }
  void cell(std::string_view v) {
    const unsigned needs = eligo::detail::cell_needs(v);
    const bool first = n_ == 0;
    if (csv_) {
      char* c = csv_buf_.room(eligo::detail::csv_cell_max(v.size()) + 1);
      char* const c0 = c;
      if (!first) *c++ = ',';
      c = eligo::detail::write_csv_cell(c, v, needs);
      csv_buf_.advance(static_cast<std::size_t>(c - c0));
    }
    if (jsonl_) {
      const std::string& key = keys_[n_];
      char* j = json_buf_.room(eligo::detail::json_string_max(v.size()) + key.size() + 1);
      char* const j0 = j;
      *j++ = first ? '{' : ',';
      std::memcpy(j, key.data(), key.size());
      j += key.size();
      j = eligo::detail::write_json_string(j, v, needs);
      json_buf_.advance(static_cast<std::size_t>(j - j0));
    }
    ++n_;
  }
  void end_row() {
    n_ = 0;
    if (csv_) {
      *csv_buf_.room(1) = '\n';
      csv_buf_.advance(1);
    }
    if (jsonl_) {
      std::memcpy(json_buf_.room(2), "}\n", 2);
      json_buf_.advance(2);
    }
    if (csv_buf_.size() > kFlush || json_buf_.size() > kFlush) flush();
  }
  void flush() {
    if (csv_) csv_->write(csv_buf_.view());
    if (jsonl_) jsonl_->write(json_buf_.view());
    csv_buf_.clear();
    json_buf_.clear();
  }

 private:
  static constexpr std::size_t kFlush = std::size_t{1} << 20;
  // A byte buffer written through room() / advance(): room(n) makes space for n more bytes (growing
  // only for a cell larger than the slack past kFlush) and returns where they go.
  class Buffer {
   public:
    Buffer() : data_(new char[kFlush + kSlack]), capacity_(kFlush + kSlack) {}
    char* room(std::size_t n) {
      if (capacity_ - size_ < n) grow(size_ + n);
      return data_.get() + size_;
    }
    void advance(std::size_t n) { size_ += n; }
    std::size_t size() const { return size_; }
    std::string_view view() const { return {data_.get(), size_}; }
    void clear() { size_ = 0; }

   private:
    static constexpr std::size_t kSlack = std::size_t{64} << 10;
    void grow(std::size_t need) {
      const std::size_t capacity = std::max(need, 2 * capacity_);
      std::unique_ptr<char[]> bigger(new char[capacity]);
      std::memcpy(bigger.get(), data_.get(), size_);
      data_ = std::move(bigger);
      capacity_ = capacity;
    }
    std::unique_ptr<char[]> data_;
    std::size_t capacity_;
    std::size_t size_ = 0;
  };
  AtomicFile* csv_;    // null: not written
  AtomicFile* jsonl_;  // null: not written
  std::vector<std::string> keys_;
  Buffer csv_buf_, json_buf_;
  std::size_t n_ = 0;
};

// Texts a row's cells are made in, kept from row to row.
struct Scratch {
  std::string id, name, card, amount, paid, date, serials, evidence;
};

// The cells of order i, in order_columns() order, handed to `cell` one by one. The CSV / JSON Lines
// stream and the workbook's vectors are both filled from here.
template <class Cell>
void each_order_cell(const Report& report, std::size_t i, Scratch& t, const Cell& cell) {
  const Report::Data& d = detail::ReportAccess::data(report);
  const detail::Arena& a = d.arena;
  const detail::OrderRow& o = d.orders[i];
  const bool clear = d.options.clear_pii;
  cell(a.get(o.order_no));
  cell(to_string(d.order_class[i]));
  cell(label_zh(d.order_class[i]));
  cell(a.get(o.policy));
  cell(a.get(o.period));
  detail::shown_into(clear, detail::Shown::id, a.get(o.payee_id), &t.id);
  cell(t.id);
  detail::shown_into(clear, detail::Shown::name, a.get(o.payee_name), &t.name);
  cell(t.name);
  detail::shown_into(clear, detail::Shown::card, a.get(o.account), &t.card);
  cell(t.card);
  money_text(o.amount, &t.amount);
  cell(t.amount);
  money_text(d.paid[i], &t.paid);
  cell(t.paid);
  date_text(o.created, &t.date);
  cell(t.date);
  t.serials.clear();
  for (std::uint32_t k = d.order_records_start[i]; k < d.order_records_start[i + 1]; ++k) {
    if (!t.serials.empty()) t.serials += ';';
    t.serials += a.get(d.records[d.order_records[k]].serial_no);
  }
  cell(t.serials);
  cell(to_string(d.order_matched_by[i]));
  cell(d.duplicate_of[i] != detail::kNone ? a.get(d.orders[d.duplicate_of[i]].order_no) : std::string_view());
  cell(a.get(d.community[i]));
  cell(to_string(d.claim[i]));
  cell(detail::claim_note_text(static_cast<detail::ClaimNote>(d.claim_note[i])));
  detail::order_evidence_into(d, i, &t.evidence);
  cell(t.evidence);
}

template <class Cell>
void each_record_cell(const Report& report, std::size_t i, Scratch& t, const Cell& cell) {
  const Report::Data& d = detail::ReportAccess::data(report);
  const detail::Arena& a = d.arena;
  const detail::RecordRow& b = d.records[i];
  const bool clear = d.options.clear_pii;
  cell(a.get(b.serial_no));
  cell(to_string(d.record_class[i]));
  cell(label_zh(d.record_class[i]));
  cell(to_string(b.status));
  cell(d.record_order[i] != detail::kNone ? a.get(d.orders[d.record_order[i]].order_no) : std::string_view());
  cell(a.get(b.order_no));
  const std::string_view id = a.get(b.payee_id), id_hash = a.get(b.payee_id_hash);
  t.id.clear();
  if (!id.empty()) detail::shown_into(clear, detail::Shown::id, id, &t.id);
  if (t.id.empty() && !id_hash.empty()) {
    t.id.assign("hash:");
    t.id.append(id_hash.substr(0, 12));
  }
  cell(t.id);
  detail::shown_into(clear, detail::Shown::card, a.get(b.account), &t.card);
  cell(t.card);
  detail::shown_into(clear, detail::Shown::name, a.get(b.name), &t.name);
  cell(t.name);
  money_text(b.amount, &t.amount);
  cell(t.amount);
  date_text(b.value_date, &t.date);
  cell(t.date);
  cell(a.get(b.failure_reason));
  cell(to_string(d.record_matched_by[i]));
  cell(d.record_cancelled[i] ? "true" : "false");
  detail::record_evidence_into(d, i, &t.evidence);
  cell(t.evidence);
}

nlohmann::ordered_json tally_json(const Tally& t) {
  return nlohmann::ordered_json{{"count", t.count}, {"amount", t.amount.to_string()}};
}

nlohmann::ordered_json class_tally_json(const ClassTally& t, bool orders, bool records) {
  nlohmann::ordered_json j;
  j["total"] = tally_json(t.total);
  nlohmann::ordered_json by = nlohmann::ordered_json::object();
  for (int c = 0; c < kClassCount; ++c) {
    const Class cls = static_cast<Class>(c);
    const bool record_only = cls == Class::orphan_record || cls == Class::after_cutoff;
    if ((record_only && !records) || (cls == Class::missing && !orders)) continue;
    by[to_string(cls)] = tally_json(t[cls]);
  }
  j["by_class"] = by;
  return j;
}

bool ensure_dir(const std::string& dir, std::string* error) {
  std::string path;
  for (std::size_t i = 0; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') {
      if (!path.empty() && ::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST) {
        *error = path + ": cannot create the directory: " + std::strerror(errno);
        return false;
      }
    }
    if (i < dir.size()) path += dir[i];
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    *error = dir + ": not a directory";
    return false;
  }
  return true;
}

// Opens STEM.csv and STEM.jsonl as asked; a file not asked for is removed if an earlier report left it.
bool open_items(const std::string& stem, bool want_csv, bool want_jsonl, AtomicFile& csv, AtomicFile& jsonl,
                std::string* error) {
  for (const auto& [want, file, ext] : {std::tuple{want_csv, &csv, ".csv"}, std::tuple{want_jsonl, &jsonl, ".jsonl"}}) {
    const std::string path = stem + ext;
    if (want) {
      if (!file->open(path, error)) return false;
    } else if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      *error = path + ": cannot remove the file an earlier report left: " + std::strerror(errno);
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<std::string> detail::order_columns() {
  return {"order_no",  "class",  "class_zh",   "policy", "period",       "payee_id",  "payee_name",
          "account",   "amount", "paid",       "created", "records",     "matched_by", "duplicate_of",
          "community", "claim",  "claim_note", "evidence"};
}

// Fills `cells` (resized once and then reused: their buffers are kept from row to row).
void detail::order_cells_into(const Report& report, std::size_t i, std::vector<std::string>* out) {
  out->resize(order_columns().size());
  Scratch t;
  std::size_t k = 0;
  each_order_cell(report, i, t, [&](std::string_view v) { (*out)[k++].assign(v); });
}

std::vector<std::string> detail::order_cells(const Report& report, std::size_t i) {
  std::vector<std::string> cells;
  order_cells_into(report, i, &cells);
  return cells;
}

std::vector<std::string> detail::record_columns() {
  return {"serial_no", "class",  "class_zh",   "status",         "order_no",   "echoed_order_no",
          "payee_id",  "account", "name",      "amount",         "value_date", "failure_reason",
          "matched_by", "cancelled", "evidence"};
}

void detail::record_cells_into(const Report& report, std::size_t i, std::vector<std::string>* out) {
  out->resize(record_columns().size());
  Scratch t;
  std::size_t k = 0;
  each_record_cell(report, i, t, [&](std::string_view v) { (*out)[k++].assign(v); });
}

std::vector<std::string> detail::record_cells(const Report& report, std::size_t i) {
  std::vector<std::string> cells;
  record_cells_into(report, i, &cells);
  return cells;
}

std::string summary_text(const Report& report) {
  const Summary& s = report.summary();
  std::string out = "eligo reconcile — summary\n";
  const Options& o = report.options();
  out += "cut-off: " + (o.cutoff ? o.cutoff->to_string() : std::string("none")) +
         "; fallback matching: " + (o.fallback ? "on, " + std::to_string(std::max(o.fallback_window_days, 0)) + " days" : std::string("off")) +
         "\n\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-18s %10s %18s   %10s %18s\n", "class", "orders", "amount", "records", "amount");
  out += line;
  for (int c = 0; c < kClassCount; ++c) {
    const Class cls = static_cast<Class>(c);
    std::snprintf(line, sizeof line, "%-18s %10llu %18s   %10llu %18s\n", to_string(cls),
                  static_cast<unsigned long long>(s.orders[cls].count), s.orders[cls].amount.to_string().c_str(),
                  static_cast<unsigned long long>(s.records[cls].count), s.records[cls].amount.to_string().c_str());
    out += line;
  }
  std::snprintf(line, sizeof line, "%-18s %10llu %18s   %10llu %18s\n", "total",
                static_cast<unsigned long long>(s.orders.total.count), s.orders.total.amount.to_string().c_str(),
                static_cast<unsigned long long>(s.records.total.count), s.records.total.amount.to_string().c_str());
  out += line;
  const auto problems = [](const ClassTally& t) {
    return t.total.count - t[Class::paid].count - t[Class::repaid].count;
  };
  out += "\nby policy (orders, of which not paid cleanly):\n";
  for (const auto& [policy, t] : s.orders_by_policy)
    out += "  " + policy + ": " + std::to_string(t.total.count) + " orders, " + t.total.amount.to_string() + "; " +
           std::to_string(problems(t)) + " need attention\n";
  out += "by community:\n";
  for (const auto& [community, t] : s.orders_by_community)
    out += "  " + (community.empty() ? std::string("(unclaimed)") : community) + ": " +
           std::to_string(t.total.count) + " orders, " + t.total.amount.to_string() + "; " +
           std::to_string(problems(t)) + " need attention\n";
  out += "\nunclaimed orders: " + std::to_string(s.unclaimed) + "\n";
  out += "rejected rows: orders " + std::to_string(s.rejected[0]) + ", bank " + std::to_string(s.rejected[1]) +
         ", registry " + std::to_string(s.rejected[2]) + ", exclusions " + std::to_string(s.rejected[3]) + "\n";
  return out;
}

bool write_report(const Report& report, const std::string& dir, const WriteOptions& options, std::string* error) {
  if (!ensure_dir(dir, error)) return false;
  const std::string base = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  const Summary& s = report.summary();

  {  // summary.txt
    AtomicFile f;
    if (!f.open(base + "summary.txt", error)) return false;
    f.write(summary_text(report));
    if (!f.commit(error)) return false;
  }
  const bool want_csv = options.items != ItemFiles::jsonl, want_jsonl = options.items != ItemFiles::csv;
  {  // orders.csv + orders.jsonl
    AtomicFile csv, jsonl;
    if (!open_items(base + "orders", want_csv, want_jsonl, csv, jsonl, error)) return false;
    {
      ItemStream out(want_csv ? &csv : nullptr, want_jsonl ? &jsonl : nullptr, detail::order_columns());
      Scratch t;
      const auto cell = [&out](std::string_view v) { out.cell(v); };
      // Orders are read in order, and their text with them; their records are elsewhere: fetched ahead.
      const Report::Data& d = detail::ReportAccess::data(report);
      const std::size_t n = report.order_count();
      const auto records_of = [&d](std::size_t i, const auto& each) {
        for (std::uint32_t k = d.order_records_start[i]; k < d.order_records_start[i + 1]; ++k) each(d.order_records[k]);
      };
      for (std::size_t i = 0; i < n; ++i) {
        if (i + 16 < n) records_of(i + 16, [&d](std::uint32_t r) { __builtin_prefetch(&d.records[r]); });
        if (i + 8 < n) records_of(i + 8, [&d](std::uint32_t r) { d.arena.prefetch(d.records[r].serial_no); });
        each_order_cell(report, i, t, cell);
        out.end_row();
      }
    }
    if ((want_csv && !csv.commit(error)) || (want_jsonl && !jsonl.commit(error))) return false;
  }
  {  // records.csv + records.jsonl
    AtomicFile csv, jsonl;
    if (!open_items(base + "records", want_csv, want_jsonl, csv, jsonl, error)) return false;
    {
      ItemStream out(want_csv ? &csv : nullptr, want_jsonl ? &jsonl : nullptr, detail::record_columns());
      Scratch t;
      const auto cell = [&out](std::string_view v) { out.cell(v); };
      // Records are read in order; the orders they match are elsewhere: fetched ahead.
      const Report::Data& d = detail::ReportAccess::data(report);
      const std::size_t n = report.record_count();
      for (std::size_t i = 0; i < n; ++i) {
        if (i + 16 < n && d.record_order[i + 16] != detail::kNone) __builtin_prefetch(&d.orders[d.record_order[i + 16]]);
        if (i + 8 < n && d.record_order[i + 8] != detail::kNone) d.arena.prefetch(d.orders[d.record_order[i + 8]].order_no);
        each_record_cell(report, i, t, cell);
        out.end_row();
      }
    }
    if ((want_csv && !csv.commit(error)) || (want_jsonl && !jsonl.commit(error))) return false;
  }
  {  // rejected.csv
    AtomicFile f;
    if (!f.open(base + "rejected.csv", error)) return false;
    csv_row(f, {"side", "row", "field", "reason"});
    for (const Rejection& r : report.rejections()) csv_row(f, {to_string(r.side), std::to_string(r.row), r.field, r.reason});
    if (!f.commit(error)) return false;
  }
  // unclaimed.csv and summary.json are written together: summary.json's "unclaimed" list (716 k orders and
  // 111 MB at 1 M orders without a registry) is streamed into the file as unclaimed.csv's rows are, instead
  // of being built as a JSON DOM. The rest of summary.json is small and still dumped by nlohmann; the list's
  // elements are written in the exact form nlohmann gives them (indent 2, at depth 2).
  AtomicFile unclaimed_csv, summary_json;
  if (!unclaimed_csv.open(base + "unclaimed.csv", error) || !summary_json.open(base + "summary.json", error))
    return false;
  std::string after_unclaimed;
  {
    nlohmann::ordered_json j;
    const Options& o = report.options();
    j["format"] = "eligo.reconcile/1";
    j["options"] = {{"cutoff", o.cutoff ? nlohmann::ordered_json(o.cutoff->to_string()) : nlohmann::ordered_json()},
                    {"fallback", o.fallback},
                    {"fallback_window_days", std::max(o.fallback_window_days, 0)},
                    {"clear_pii", o.clear_pii}};
    j["orders"] = class_tally_json(s.orders, true, false);
    j["records"] = class_tally_json(s.records, false, true);
    nlohmann::ordered_json by_policy = nlohmann::ordered_json::object();
    for (const auto& [k, t] : s.orders_by_policy) by_policy[k] = class_tally_json(t, true, false);
    j["orders_by_policy"] = by_policy;
    nlohmann::ordered_json by_community = nlohmann::ordered_json::object();
    for (const auto& [k, t] : s.orders_by_community) by_community[k] = class_tally_json(t, true, false);
    j["orders_by_community"] = by_community;
    j["unclaimed"] = nlohmann::ordered_json::array();  // the list goes here
    j["rejected"] = {{"orders", s.rejected[0]}, {"bank", s.rejected[1]}, {"registry", s.rejected[2]},
                     {"exclusions", s.rejected[3]}};
    nlohmann::ordered_json rejections = nlohmann::ordered_json::array();
    for (const Rejection& r : report.rejections())
      rejections.push_back({{"side", to_string(r.side)}, {"row", r.row}, {"field", r.field}, {"reason", r.reason}});
    j["rejections"] = rejections;
    const std::string text = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    // Top-level members are the only lines indented by exactly two spaces (a string cannot hold a raw line
    // break), so this finds the "unclaimed" member and nothing else.
    const std::string_view member = "\n  \"unclaimed\": [";
    const std::size_t at = text.find(member);
    if (at == std::string::npos) {
      *error = "summary.json: no \"unclaimed\" member in the dumped summary";
      return false;
    }
    summary_json.write(std::string_view(text).substr(0, at + member.size()));
    after_unclaimed = text.substr(at + member.size() + 1);  // after "[]"
  }
  {
    csv_row(unclaimed_csv, {"order_no", "policy", "period", "payee_id", "amount", "order_community", "reason"});
    const Report::Data& d = detail::ReportAccess::data(report);
    const detail::Arena& a = d.arena;
    std::string csv, json, id, amount;
    bool any = false;
    for (std::size_t i = 0; i < report.order_count(); ++i) {
      if (d.claim[i] != ClaimSource::unclaimed) continue;
      const detail::OrderRow& o = d.orders[i];
      const std::string_view note = detail::claim_note_text(static_cast<detail::ClaimNote>(d.claim_note[i]));
      detail::shown_into(d.options.clear_pii, detail::Shown::id, a.get(o.payee_id), &id);
      money_text(o.amount, &amount);
      const std::string_view cells[] = {a.get(o.order_no), a.get(o.policy), a.get(o.period), id, amount,
                                        a.get(o.community), note};
      for (std::size_t k = 0; k < 7; ++k) {
        if (k) csv += ',';
        eligo::detail::append_csv_cell(&csv, cells[k]);
      }
      csv += '\n';
      json += any ? ",\n    {\n      \"order_no\": " : "\n    {\n      \"order_no\": ";
      any = true;
      dump_json_string(json, cells[0]);
      json += ",\n      \"payee_id\": ";
      dump_json_string(json, id);
      json += ",\n      \"reason\": ";
      dump_json_string(json, note);
      json += "\n    }";
      if (csv.size() > (std::size_t{1} << 20) || json.size() > (std::size_t{1} << 20)) {
        unclaimed_csv.write(csv);
        summary_json.write(json);
        csv.clear();
        json.clear();
      }
    }
    unclaimed_csv.write(csv);
    summary_json.write(json);
    summary_json.write(any ? "\n  ]" : "]");
    summary_json.write(after_unclaimed);
    summary_json.write("\n");
    if (!unclaimed_csv.commit(error) || !summary_json.commit(error)) return false;
  }
  if (options.workbook && !detail::write_workbook(report, base + "reconciliation.xlsx", error)) return false;
  return true;
}

}  // namespace eligo::payout
