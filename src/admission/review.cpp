// Review round-trip (批量审核): department workbooks out (libxlsxwriter), edited workbooks back in through the
// one record reader (records::RecordReader, the reader eligo batch uses), decisions applied to scores.
#include <openssl/evp.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/json_dump.hpp"
#include "admission/table_in.hpp"
#include "admission/table_out.hpp"
#include "eligo/admission.hpp"
#include "eligo/identity.hpp"
#include "eligo/records.hpp"
#include "payout/atomic_file.hpp"
#include "records/xlsx_reader.hpp"

namespace eligo::admission {
namespace {

// The review sheet's columns, in order; the first six are locked and must come back unchanged.
const std::vector<std::string>& review_columns() {
  static const std::vector<std::string> c = {"key 申请编号",    "item 指标",     "label 指标名称",     "points 分值",
                                             "declared 申报值", "source 核查值", "decision 审核结论", "comment 备注"};
  return c;
}
constexpr std::size_t kLockedColumns = 6, kDecisionCol = 6, kCommentCol = 7;
constexpr const char* kManifest = "review-export.json";
constexpr const char* kReviewSheet = "审核 review";
constexpr const char* kExportSheet = "export";

std::string sha256_hex(const std::string& text) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(text.data(), text.size(), d, &n, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) out += std::string{hex[d[i] >> 4], hex[d[i] & 15]};
  return out;
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::vector<std::string> locked_cells(const ReviewItem& it) {
  return {it.key, it.item, it.label, it.points, it.declared, it.source};
}

std::string column_ref(std::size_t c) {
  return records::XlsxReader::column_name(static_cast<int>(c)) + " (" + review_columns()[c] + ")";
}

bool write_workbook(const std::string& path, const std::string& department, const std::string& export_id,
                    const std::vector<const ReviewItem*>& rows, std::string* error) {
  payout::detail::AtomicFile target;
  if (!target.open(path, error)) return false;
  lxw_workbook* wb = workbook_new(target.temp_path().c_str());
  if (!wb) {
    *error = path + ": cannot create the workbook";
    return false;
  }
  lxw_doc_properties properties = {};
  properties.title = const_cast<char*>("eligo review");
  properties.created = 946684800;  // fixed: the same items give the same bytes
  workbook_set_properties(wb, &properties);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* open_cell = workbook_add_format(wb);
  format_set_unlocked(open_cell);
  format_set_bg_color(open_cell, 0xFFF2CC);
  lxw_worksheet* ws = workbook_add_worksheet(wb, kReviewSheet);
  const auto& cols = review_columns();
  for (std::size_t c = 0; c < cols.size(); ++c)
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), cols[c].c_str(), bold);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto cells = locked_cells(*rows[r]);
    const lxw_row_t row = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < cells.size(); ++c)
      if (!cells[c].empty()) worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), cells[c].c_str(), nullptr);
    worksheet_write_blank(ws, row, kDecisionCol, open_cell);
    worksheet_write_blank(ws, row, kCommentCol, open_cell);
  }
  worksheet_freeze_panes(ws, 1, 0);
  worksheet_set_column(ws, 0, 1, 20, nullptr);
  worksheet_set_column(ws, 2, 2, 30, nullptr);
  worksheet_set_column(ws, 3, 5, 14, nullptr);
  worksheet_set_column(ws, 6, 7, 18, open_cell);
  if (!rows.empty()) {
    static const char* choices[] = {kDecisionPass, kDecisionRefuse, kDecisionReturn, nullptr};
    lxw_data_validation dv = {};
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = const_cast<char**>(choices);
    dv.error_title = const_cast<char*>("审核结论");
    dv.error_message = const_cast<char*>("请选择 通过、不通过 或 退回");
    worksheet_data_validation_range(ws, 1, kDecisionCol, static_cast<lxw_row_t>(rows.size()), kDecisionCol, &dv);
  }
  lxw_protection protection = {};
  protection.format_columns = 1;
  worksheet_protect(ws, nullptr, &protection);
  // The hidden sheet: a header and the export's identity, read back by the same reader as the items.
  lxw_worksheet* meta = workbook_add_worksheet(wb, kExportSheet);
  worksheet_write_string(meta, 0, 0, "field", nullptr);
  worksheet_write_string(meta, 0, 1, "value", nullptr);
  worksheet_write_string(meta, 1, 0, "export_id", nullptr);
  worksheet_write_string(meta, 1, 1, export_id.c_str(), nullptr);
  worksheet_write_string(meta, 2, 0, "department", nullptr);
  worksheet_write_string(meta, 2, 1, department.c_str(), nullptr);
  worksheet_write_string(meta, 3, 0, "items", nullptr);
  worksheet_write_string(meta, 3, 1, std::to_string(rows.size()).c_str(), nullptr);
  worksheet_hide(meta);
  const lxw_error rc = workbook_close(wb);
  if (rc != LXW_NO_ERROR) {
    *error = path + ": cannot write the workbook: " + lxw_strerror(rc);
    return false;
  }
  return target.commit_external(error);
}

}  // namespace

std::string to_string(const ReviewProblem& p) {
  std::string s = p.workbook;
  if (p.row) s += ", row " + std::to_string(p.row);
  if (!p.column.empty()) s += ", column " + p.column;
  return s + ": " + p.problem;
}

bool export_review(const std::vector<ReviewItem>& input, const std::string& dir, std::vector<ReviewExport>* out,
                   std::string* error) {
  std::vector<ReviewItem> items;
  for (const ReviewItem& raw : input) {
    ReviewItem it{trim(raw.key),    trim(raw.item),     trim(raw.label), trim(raw.department),
                  trim(raw.points), trim(raw.declared), trim(raw.source)};
    if (it.key.empty() || it.item.empty() || it.department.empty()) {
      *error = "item " + std::to_string(items.size() + 1) + ": every item needs a key, an item id and a department";
      return false;
    }
    if (!Decimal::parse(it.points)) {
      *error = "item " + std::to_string(items.size() + 1) + " ('" + it.item + "'): points '" + it.points +
               "' are not a decimal number";
      return false;
    }
    items.push_back(std::move(it));
  }
  std::vector<std::string> departments;
  std::map<std::string, std::vector<const ReviewItem*>> by_department;
  std::set<std::pair<std::string, std::string>> seen;
  for (const ReviewItem& it : items) {
    if (!seen.emplace(it.key, it.item).second) {
      *error = "item '" + it.item + "' is listed twice for key " + identity::mask(identity::PiiKind::id_number, it.key);
      return false;
    }
    auto& list = by_department[it.department];
    if (list.empty()) departments.push_back(it.department);
    list.push_back(&it);
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = dir + ": cannot create the folder: " + ec.message();
    return false;
  }
  nlohmann::ordered_json manifest = {{"version", 1}, {"exports", nlohmann::ordered_json::array()}};
  out->clear();
  for (std::size_t d = 0; d < departments.size(); ++d) {
    const auto& rows = by_department[departments[d]];
    std::string basis = departments[d];
    for (const ReviewItem* it : rows)
      for (const auto& c : locked_cells(*it)) basis += '\x1f' + c;
    ReviewExport e{departments[d], sha256_hex(basis).substr(0, 16), "review-" + std::to_string(d + 1) + ".xlsx",
                   rows.size()};
    if (!write_workbook(dir + "/" + e.file, e.department, e.export_id, rows, error)) return false;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const ReviewItem* it : rows) list.push_back(locked_cells(*it));
    manifest["exports"].push_back(
        {{"department", e.department}, {"export_id", e.export_id}, {"file", e.file}, {"rows", list}});
    out->push_back(std::move(e));
  }
  return detail::write_text_file(dir + "/" + kManifest, eligo::json_dump(manifest, 1) + "\n", error);
}

ReviewImport import_review(const std::string& dir, const std::vector<std::string>& workbooks,
                           const ReviewImportOptions& options) {
  ReviewImport result;
  auto problem = [&](const std::string& wb, std::uint64_t row, const std::string& column, const std::string& text) {
    result.problems.push_back({wb, row, column, text});
  };
  auto shown = [&](const std::string& key) {
    return options.clear_pii ? key : identity::mask(identity::PiiKind::id_number, key);
  };
  struct Export {
    std::string department, file;
    std::vector<std::vector<std::string>> rows;
  };
  std::map<std::string, Export> exports;
  const std::string manifest_path = dir + "/" + kManifest;
  {
    std::ifstream f(manifest_path);
    std::stringstream text;
    text << f.rdbuf();
    nlohmann::json m = nlohmann::json::parse(text.str(), nullptr, false);
    bool ok = f && !m.is_discarded() && m.is_object() && m.value("version", 0) == 1 && m.contains("exports") &&
              m["exports"].is_array();
    try {
      for (const auto& e : ok ? m["exports"] : nlohmann::json::array()) {
        Export x;
        x.department = e.at("department").get<std::string>();
        x.file = e.at("file").get<std::string>();
        for (const auto& r : e.at("rows")) x.rows.push_back(r.get<std::vector<std::string>>());
        for (const auto& r : x.rows) ok = ok && r.size() == kLockedColumns;
        exports[e.at("export_id").get<std::string>()] = std::move(x);
      }
    } catch (const nlohmann::json::exception&) {
      ok = false;
    }
    if (!ok) {
      problem(manifest_path, 0, "", "not a review export manifest (version 1) written by eligo review export");
      return result;
    }
  }
  std::set<std::string> answered;
  for (const std::string& path : workbooks) {
    const std::string name = std::filesystem::path(path).filename().string();
    // The hidden sheet says which export this workbook answers.
    std::string export_id, error;
    {
      records::RecordReader meta;
      records::ReadOptions ro;
      ro.format = records::Format::xlsx;
      ro.sheet = kExportSheet;
      if (!meta.open(path, ro, &error)) {
        problem(name, 0, "", error + " — not a workbook written by eligo review export");
        continue;
      }
      const int field = meta.column("field"), value = meta.column("value");
      for (;;) {
        const auto n = meta.next();
        if (n != records::Next::row && n != records::Next::bad_row) break;
        if (n == records::Next::row && field >= 0 && value >= 0 && meta.cells()[field] == "export_id")
          export_id = std::string(meta.cells()[value]);
      }
    }
    const auto it = exports.find(export_id);
    if (it == exports.end()) {
      problem(name, 0, "",
              "export id '" + export_id + "' is not one of the export in " + dir + ": a workbook for another export");
      continue;
    }
    if (!answered.insert(export_id).second) {
      problem(name, 0, "", "a second workbook for department " + it->second.department + " (export " + export_id + ")");
      continue;
    }
    const Export& ex = it->second;
    records::RecordReader x;
    records::ReadOptions ro;
    ro.format = records::Format::xlsx;
    ro.sheet = kReviewSheet;
    if (!x.open(path, ro, &error)) {
      problem(name, 0, "", error);
      continue;
    }
    std::vector<int> col;
    bool columns_ok = true;
    for (const auto& c : review_columns()) {
      col.push_back(x.column(c));
      if (col.back() < 0) problem(name, 1, "", "the column '" + c + "' is missing"), columns_ok = false;
    }
    if (!columns_ok) continue;
    std::map<std::pair<std::string, std::string>, std::size_t> expected;
    for (std::size_t i = 0; i < ex.rows.size(); ++i) expected[{ex.rows[i][0], ex.rows[i][1]}] = i;
    std::set<std::size_t> found;
    std::vector<ReviewDecision> mine;
    for (;;) {
      const auto next = x.next();
      if (next == records::Next::end) break;
      if (next == records::Next::error) {
        problem(name, 0, "", x.error());
        break;
      }
      const std::uint64_t row = x.line();
      if (next == records::Next::bad_row) {
        problem(name, row, x.problem_column() >= 0 ? column_ref(static_cast<std::size_t>(x.problem_column())) : "",
                x.problem());
        continue;
      }
      auto cell = [&](std::size_t c) { return std::string(x.cells()[static_cast<std::size_t>(col[c])]); };
      const auto e = expected.find({cell(0), cell(1)});
      if (e == expected.end()) {
        const bool key_known = std::any_of(ex.rows.begin(), ex.rows.end(), [&](const auto& r) { return r[0] == cell(0); });
        problem(name, row, column_ref(key_known ? 1 : 0),
                "key " + shown(cell(0)) + " with item '" + cell(1) +
                    "' is not a row of this export (a locked key or item was changed, or a row was added)");
        continue;
      }
      if (!found.insert(e->second).second) {
        problem(name, row, column_ref(0), "the same key and item as an earlier row (" + shown(cell(0)) + ", '" +
                                              cell(1) + "')");
        continue;
      }
      const auto& want = ex.rows[e->second];
      for (std::size_t c = 2; c < kLockedColumns; ++c)
        if (cell(c) != want[c])
          problem(name, row, column_ref(c), "a locked cell was changed (exported as '" + want[c] + "')");
      const std::string decision = cell(kDecisionCol);
      if (!decision.empty() && decision != kDecisionPass && decision != kDecisionRefuse && decision != kDecisionReturn) {
        problem(name, row, column_ref(kDecisionCol), "decision '" + decision + "' is not one of 通过 / 不通过 / 退回");
        continue;
      }
      (decision.empty() ? result.pending : result.decided) += 1;
      mine.push_back({ex.department, want[0], want[1], want[2], want[3], decision, cell(kCommentCol), name, row});
    }
    if (found.size() < ex.rows.size()) {
      std::string which;
      std::size_t listed = 0;
      for (std::size_t i = 0; i < ex.rows.size(); ++i)
        if (!found.count(i) && listed++ < 5) which += (which.empty() ? "" : ", ") + shown(ex.rows[i][0]) + " '" + ex.rows[i][1] + "'";
      problem(name, 0, "", std::to_string(ex.rows.size() - found.size()) + " row(s) of the export are missing (" + which +
                               (listed > 5 ? ", …" : "") + ")");
    }
    result.decisions.insert(result.decisions.end(), mine.begin(), mine.end());
  }
  result.ok = result.problems.empty();
  if (!result.ok) {
    result.decisions.clear();
    result.decided = result.pending = 0;
  }
  return result;
}

ReviewApplied apply_review(const ReviewImport& import, const Table& scores, const std::string& key_column,
                           const std::string& total_column, const ReviewApplyOptions& options) {
  ReviewApplied out;
  const std::string scores_name = "scores";
  auto shown = [&](const std::string& key) {
    return options.clear_pii ? key : identity::mask(identity::PiiKind::id_number, key);
  };
  if (!import.ok) {
    out.problems = import.problems;
    return out;
  }
  int key_at = -1, total_at = -1;
  for (std::size_t i = 0; i < scores.header.size(); ++i) {
    if (scores.header[i] == key_column) key_at = static_cast<int>(i);
    if (scores.header[i] == total_column) total_at = static_cast<int>(i);
  }
  if (key_at < 0 || total_at < 0) {
    out.problems.push_back({scores_name, 0, "", "the scores lack the column '" + (key_at < 0 ? key_column : total_column) + "'"});
    return out;
  }
  std::map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < scores.rows.size(); ++r) {
    const std::uint64_t line = r < scores.row_numbers.size() ? scores.row_numbers[r] : r + 1;
    const std::string& key = scores.rows[r][static_cast<std::size_t>(key_at)];
    const auto total = Decimal::parse(scores.rows[r][static_cast<std::size_t>(total_at)]);
    if (!index.emplace(key, r).second)
      out.problems.push_back({scores_name, line, key_column, "key " + shown(key) + " appears twice"});
    ReviewScore s;
    s.key = key;
    if (!total)
      out.problems.push_back({scores_name, line, total_column, "the total is not a decimal number"});
    else
      s.before = s.total = *total;
    s.status = "not reviewed";
    s.status_zh = "无审核项";
    out.scores.push_back(std::move(s));
  }
  std::set<std::string> reviewed;
  for (const ReviewDecision& d : import.decisions) {
    const auto at = index.find(d.key);
    if (at == index.end()) {
      out.problems.push_back({d.workbook, d.row, column_ref(0), "key " + shown(d.key) + " is not in the scores"});
      continue;
    }
    ReviewScore& s = out.scores[at->second];
    reviewed.insert(d.key);
    if (d.decision.empty()) {
      s.pending.push_back(d.item);
      continue;
    }
    const Decimal points = Decimal::parse(d.points).value_or(Decimal());
    const Decimal before = s.total;
    if (d.decision == kDecisionRefuse) {
      Decimal removed, total;
      if (!Decimal::add(s.removed, points, &removed) || !Decimal::sub(s.total, points, &total)) {
        out.problems.push_back({d.workbook, d.row, column_ref(3), "the points overflow"});
        continue;
      }
      s.removed = removed;
      s.total = total;
      s.refused.push_back(d.item);
    } else if (d.decision == kDecisionReturn) {
      s.returned.push_back(d.item);
    }
    out.log.push_back({options.at, options.reviewer, d.department, d.workbook, shown(d.key), d.item, d.label, d.decision,
                       d.comment, d.row, d.points, before.to_string(), s.total.to_string()});
  }
  for (ReviewScore& s : out.scores) {
    if (!reviewed.count(s.key)) continue;
    if (!s.pending.empty()) {
      s.status = "pending", s.status_zh = "待审核";
    } else if (!s.returned.empty()) {
      s.status = "returned", s.status_zh = "退回补正";
    } else {
      s.status = "reviewed", s.status_zh = "已审核";
    }
  }
  out.ok = out.problems.empty();
  if (!out.ok) {
    out.scores.clear();
    out.log.clear();
  }
  return out;
}

namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ";") + x;
  return s;
}

bool write_one(const detail::Sheet& sheet, const std::string& format, const std::string& path, const std::string& title,
               std::string* error) {
  if (format == "xlsx") return detail::write_sheets({sheet}, path, title, error);
  if (format != "csv" && format != "jsonl") {
    *error = path + ": cannot tell the format (use .csv, .jsonl or .xlsx)";
    return false;
  }
  return detail::write_table(sheet, format, path, error);
}

}  // namespace

bool write_review_scores(const ReviewApplied& r, bool clear_pii, const std::string& format, const std::string& path,
                         std::string* error) {
  detail::Sheet sheet{"scores 审核后积分",
                      {"key", "total_before", "removed", "total", "status", "status_zh", "refused", "returned", "pending"},
                      {},
                      {1, 2, 3}};
  for (const ReviewScore& s : r.scores)
    sheet.rows.push_back({clear_pii ? s.key : identity::mask(identity::PiiKind::id_number, s.key), s.before.to_string(),
                          s.removed.to_string(), s.total.to_string(), s.status, s.status_zh, joined(s.refused),
                          joined(s.returned), joined(s.pending)});
  return write_one(sheet, format, path, "eligo review import", error);
}

const std::vector<std::string> kLogColumns = {"at",    "reviewer", "department", "workbook",     "row",
                                               "key",   "item",     "label",      "decision",     "comment",
                                               "points", "total_before", "total_after"};

bool write_review_log(const ReviewApplied& r, const std::string& format, const std::string& path, std::string* error) {
  detail::Sheet sheet{"log 导入日志", kLogColumns, {}, {4}};
  for (const ReviewLogEntry& e : r.log)
    sheet.rows.push_back({e.at, e.reviewer, e.department, e.workbook, std::to_string(e.row), e.key, e.item, e.label,
                          e.decision, e.comment, e.points, e.before, e.after});
  return write_one(sheet, format, path, "eligo review import log", error);
}

bool read_review_log(const std::string& path, std::vector<ReviewLogEntry>* out, std::string* error) {
  out->clear();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return true;
  detail::ReadOptions options;
  options.exact = true;
  Table t;
  std::vector<Rejection> bad;
  if (!detail::read_table(path, options, kLogColumns, &t, &bad, error)) {
    *error += " (the import log is kept as it is: give --log a file of its own, or fix this one)";
    return false;
  }
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const auto& c = t.rows[i];
    ReviewLogEntry e{c[0], c[1], c[2], c[3], c[5], c[6], c[7], c[8], c[9], 0, c[10], c[11], c[12]};
    const bool digits = !c[4].empty() && c[4].size() <= 12 &&
                        std::all_of(c[4].begin(), c[4].end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (digits)
      e.row = std::stoull(c[4]);
    else  // the cell is not quoted: it could be anything, an ID number too
      bad.push_back({t.row_numbers[i], "row", "not a row number"});
    out->push_back(std::move(e));
  }
  if (!bad.empty()) {
    *error = path + ": not an import log as eligo review import writes it:";
    for (const auto& b : bad)
      *error += "\n  row " + std::to_string(b.row) + (b.column.empty() ? "" : ", " + b.column) + ": " + b.reason;
    *error += "\n(the import log is kept as it is: give --log a file of its own, or fix this one)";
    out->clear();
    return false;
  }
  return true;
}

}  // namespace eligo::admission
