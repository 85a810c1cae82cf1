#include "batch/writers.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "batch/workbook.hpp"
#include "core/text_out.hpp"

namespace eligo::batch {
namespace {

namespace fs = std::filesystem;
using payout::detail::AtomicFile;
using eligo::detail::append_csv_cell;
using eligo::detail::append_json_string;

void csv_cell_one_line(std::string* out, std::string_view text) {
  if (text.find_first_of("\r\n") == std::string_view::npos) {
    append_csv_cell(out, text);
    return;
  }
  std::string t(text);
  for (char& c : t)
    if (c == '\r' || c == '\n') c = ' ';
  append_csv_cell(out, t);
}

std::string extension(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  const std::size_t dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? "" : name.substr(dot + 1);
}

bool format_of(const std::string& name, OutputFormat* f) {
  if (name == "csv") *f = OutputFormat::csv;
  else if (name == "jsonl" || name == "ndjson") *f = OutputFormat::jsonl;
  else if (name == "xlsx") *f = OutputFormat::xlsx;
  else return false;
  return true;
}

const char* ext_of(OutputFormat f) { return f == OutputFormat::csv ? "csv" : f == OutputFormat::jsonl ? "jsonl" : "xlsx"; }

// Copies `from` (a finished temporary file) line by line into `to`, letting `edit` change or drop each line.
template <typename Edit>
bool rewrite(const std::string& from, AtomicFile& to, Edit edit, std::string* error) {
  std::ifstream in(from, std::ios::binary);
  if (!in) {
    *error = from + ": cannot read the spooled rows back";
    return false;
  }
  std::string line, out;
  std::uint64_t n = 0;
  while (std::getline(in, line)) {
    if (edit(n++, &line)) {
      out += line;
      out.push_back('\n');
    }
    if (out.size() > (1u << 20)) {
      to.write(out);
      out.clear();
    }
  }
  to.write(out);
  return true;
}

}  // namespace

bool plan_outputs(const Options& o, OutputPlan* plan, std::string* error) {
  std::error_code ec;
  const bool dir = o.out.back() == '/' || fs::is_directory(o.out, ec) || extension(o.out).empty();
  std::string fmt = o.format;
  if (fmt.empty()) fmt = dir ? "csv" : extension(o.out);
  if (!format_of(fmt, &plan->format)) {
    *error = dir ? "--format is csv, jsonl or xlsx"
                 : o.out + ": the results file ends in .csv, .jsonl or .xlsx (or give --format)";
    return false;
  }
  plan->row_format = plan->format == OutputFormat::jsonl ? OutputFormat::jsonl : OutputFormat::csv;
  const std::string ext = ext_of(plan->format);
  if (dir) {
    fs::create_directories(o.out, ec);
    if (ec || !fs::is_directory(o.out)) {
      *error = o.out + ": cannot create the folder: " + ec.message();
      return false;
    }
    const fs::path d(o.out);
    plan->results_path = (d / ("results." + ext)).string();
    plan->rejected_path = plan->format == OutputFormat::xlsx ? "" : (d / ("rejected." + ext)).string();
    plan->summary_json = o.summary_json.empty() ? (d / "summary.json").string() : o.summary_json;
    plan->summary_txt = (d / "summary.txt").string();
  } else {
    plan->results_path = o.out;
    const fs::path p(o.out);
    if (plan->format != OutputFormat::xlsx)
      plan->rejected_path = (p.parent_path() / (p.stem().string() + ".rejected." + ext)).string();
    plan->summary_json = o.summary_json;
  }
  if (plan->format == OutputFormat::xlsx) {
    const fs::path p(plan->results_path);
    plan->results_spool = (p.parent_path() / (p.filename().string() + ".results.csv")).string();
    plan->rejected_spool = (p.parent_path() / (p.filename().string() + ".rejected.csv")).string();
  } else {
    plan->results_spool = plan->results_path;
    plan->rejected_spool = plan->rejected_path;
  }
  return true;
}

void RowWriter::cell(std::string* out, std::string_view text, bool first) const {
  if (!first) out->push_back(',');
  csv_cell_one_line(out, text);
}

std::vector<std::string> RowWriter::result_columns() const {
  std::vector<std::string> c;
  if (with_file_) c.push_back("file");
  for (const char* n : {"line", "key", "verdict", "failed_check", "reason", "missing"}) c.push_back(n);
  if (scored_) c.push_back("total");
  for (const auto& i : indicators_) c.push_back("points." + i);
  for (const auto& o : outputs_) c.push_back("output." + o);
  c.push_back("held_back");
  return c;
}

void RowWriter::result_header(std::string* out) const {
  if (jsonl_) return;
  bool first = true;
  for (const auto& c : result_columns()) {
    cell(out, c, first);
    first = false;
  }
  out->push_back('\n');
}

void RowWriter::result(std::string* out, const std::string& file, const ResultLine& r) const {
  if (jsonl_) {
    out->push_back('{');
    if (with_file_) {
      *out += "\"file\":";
      append_json_string(out, file);
      out->push_back(',');
    }
    *out += "\"line\":" + std::to_string(r.line) + ",\"key\":";
    append_json_string(out, r.key);
    *out += ",\"verdict\":";
    append_json_string(out, r.verdict);
    *out += ",\"failed_check\":";
    if (r.failed_check.empty()) *out += "null";
    else append_json_string(out, r.failed_check);
    *out += ",\"reason\":";
    if (r.reason.empty()) *out += "null";
    else append_json_string(out, r.reason);
    *out += ",\"missing\":[";
    for (std::size_t i = 0; i < r.missing.size(); ++i) {
      if (i) out->push_back(',');
      append_json_string(out, r.missing[i]);
    }
    out->push_back(']');
    if (scored_) {
      *out += ",\"total\":";
      if (r.total.empty()) *out += "null";
      else append_json_string(out, r.total);
      *out += ",\"points\":{";
      for (std::size_t i = 0; i < indicators_.size(); ++i) {
        if (i) out->push_back(',');
        append_json_string(out, indicators_[i]);
        out->push_back(':');
        if (r.points[i].empty()) *out += "null";
        else append_json_string(out, r.points[i]);
      }
      out->push_back('}');
    }
    if (!outputs_.empty()) {
      *out += ",\"outputs\":{";
      for (std::size_t i = 0; i < outputs_.size(); ++i) {
        if (i) out->push_back(',');
        append_json_string(out, outputs_[i]);
        out->push_back(':');
        if (r.outputs[i].empty()) *out += "null";
        else append_json_string(out, r.outputs[i]);
      }
      out->push_back('}');
    }
    *out += ",\"held_back\":null}\n";  // filled in at the end for held-back rows (finish_outputs)
    return;
  }
  bool first = true;
  if (with_file_) {
    cell(out, file, true);
    first = false;
  }
  cell(out, std::to_string(r.line), first);
  cell(out, r.key);
  cell(out, r.verdict);
  cell(out, r.failed_check);
  cell(out, r.reason);
  std::string missing;
  for (const auto& m : r.missing) missing += (missing.empty() ? "" : "; ") + m;
  cell(out, missing);
  if (scored_) cell(out, r.total);
  for (const auto& p : r.points) cell(out, p);
  for (const auto& o : r.outputs) cell(out, o);
  *out += ",\n";  // held_back: filled in at the end for held-back rows
}

std::vector<std::string> RowWriter::rejected_columns() const {
  std::vector<std::string> c;
  if (with_file_) c.push_back("file");
  for (const char* n : {"line", "field", "code", "reason"}) c.push_back(n);
  return c;
}

void RowWriter::rejected_header(std::string* out) const {
  if (jsonl_) return;
  bool first = true;
  for (const auto& c : rejected_columns()) {
    cell(out, c, first);
    first = false;
  }
  out->push_back('\n');
}

void RowWriter::rejected(std::string* out, const std::string& file, std::uint64_t line, std::string_view field,
                         std::string_view code, const std::string& reason) const {
  if (jsonl_) {
    out->push_back('{');
    if (with_file_) {
      *out += "\"file\":";
      append_json_string(out, file);
      out->push_back(',');
    }
    *out += "\"line\":" + std::to_string(line) + ",\"field\":";
    append_json_string(out, field);
    *out += ",\"code\":";
    append_json_string(out, code);
    *out += ",\"reason\":";
    append_json_string(out, reason);
    *out += "}\n";
    return;
  }
  bool first = true;
  if (with_file_) {
    cell(out, file, true);
    first = false;
  }
  cell(out, std::to_string(line), first);
  cell(out, field);
  cell(out, code);
  cell(out, reason);
  out->push_back('\n');
}

std::vector<std::string> RowWriter::order_columns() {
  return {"order_no", "policy", "period", "payee_id", "payee_name", "account", "amount", "created", "community"};
}

void RowWriter::order_header(std::string* out) const {
  csv_line(out, order_columns());
}

void RowWriter::order(std::string* out, const OrderLine& o) const {
  csv_line(out, {o.order_no, o.policy, o.period, o.payee_id, o.payee_name, o.account, o.amount, o.created, o.community});
}

void csv_line(std::string* out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out->push_back(',');
    csv_cell_one_line(out, cells[i]);
  }
  out->push_back('\n');
}

bool finish_outputs(const OutputPlan& plan, AtomicFile& results, AtomicFile& rejected,
                    const std::unordered_map<std::uint64_t, std::string>& held_reason, bool any_held, AtomicFile& orders,
                    const std::vector<bool>& order_held, Summary& s, bool with_file, const std::string& lang,
                    std::string* error) {
  // Everything is first finished under temporary names; the renames come last, together.
  std::vector<AtomicFile*> commit;
  AtomicFile results_final, orders_final, workbook_unused, summary_json, summary_txt;
  const bool csv = plan.row_format == OutputFormat::csv;
  const auto edit_results = [&](std::uint64_t n, std::string* line) {
    const std::uint64_t row = csv ? n - 1 : n;  // the CSV header is line 0
    const auto it = csv && n == 0 ? held_reason.end() : held_reason.find(row);
    if (it == held_reason.end()) return true;
    if (csv) {
      csv_cell_one_line(line, it->second);
    } else {
      line->resize(line->size() - 5);  // null}
      append_json_string(line, it->second);
      line->push_back('}');
    }
    return true;
  };
  if (plan.format == OutputFormat::xlsx) {
    if (!write_workbook(plan, results.temp_path(), rejected.temp_path(), held_reason, s, lang, with_file, error))
      return false;
    s.files.push_back(plan.results_path);
  } else {
    if (any_held) {
      if (!results_final.open(plan.results_path, error) || !rewrite(results.temp_path(), results_final, edit_results, error) ||
          !results_final.close(error))
        return false;
      commit.push_back(&results_final);
    } else {
      commit.push_back(&results);
    }
    s.files.push_back(plan.results_path);
    commit.push_back(&rejected);
    s.files.push_back(plan.rejected_path);
  }
  if (!s.orders_path.empty()) {
    if (!orders.close(error)) return false;
    AtomicFile* target = &orders;
    if (s.orders_held_back) {
      const auto keep = [&](std::uint64_t n, std::string*) { return n == 0 || !order_held[n - 1]; };
      if (!orders_final.open(s.orders_path, error) || !rewrite(orders.temp_path(), orders_final, keep, error) ||
          !orders_final.close(error))
        return false;
      target = &orders_final;
    }
    // The order file is a payment instruction: it carries IDs and names in clear. Owner-only.
    ::chmod(target->temp_path().c_str(), 0600);
    commit.push_back(target);
    s.files.push_back(s.orders_path);
  }
  if (!plan.summary_json.empty()) s.files.push_back(plan.summary_json);
  if (!plan.summary_txt.empty()) s.files.push_back(plan.summary_txt);
  if (!plan.summary_json.empty()) {
    if (!summary_json.open(plan.summary_json, error)) return false;
    summary_json.write(s.to_json());
    if (!summary_json.close(error)) return false;
    commit.push_back(&summary_json);
  }
  if (!plan.summary_txt.empty()) {
    if (!summary_txt.open(plan.summary_txt, error)) return false;
    summary_txt.write(s.to_text(lang));
    if (!summary_txt.close(error)) return false;
    commit.push_back(&summary_txt);
  }
  for (AtomicFile* f : commit)
    if (!f->commit_external(error)) return false;
  return true;
}

}  // namespace eligo::batch
