#include "admission/table_out.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "eligo/decimal.hpp"
#include "payout/atomic_file.hpp"
#include "payout/sheet_writer.hpp"

namespace eligo::admission::detail {
namespace {

void csv_cell(std::string* out, const std::string& cell) {
  const bool quote = cell.find_first_of(",\"\r\n") != std::string::npos ||
                     (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
  if (!quote) {
    *out += cell;
    return;
  }
  out->push_back('"');
  for (const char c : cell) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

bool is_numeric(const Sheet& s, std::size_t c) {
  return std::find(s.numeric.begin(), s.numeric.end(), static_cast<int>(c)) != s.numeric.end();
}

}  // namespace

std::string csv_text(const Sheet& sheet) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c) out.push_back(',');
      csv_cell(&out, cells[c]);
    }
    out.push_back('\n');
  };
  line(sheet.columns);
  for (const auto& r : sheet.rows) line(r);
  return out;
}

std::string jsonl_text(const Sheet& sheet) {
  std::string out;
  for (const auto& r : sheet.rows) {
    out.push_back('{');
    for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
      if (c) out.push_back(',');
      out += nlohmann::json(sheet.columns[c]).dump();
      out.push_back(':');
      const std::string& cell = c < r.size() ? r[c] : std::string();
      if (is_numeric(sheet, c) && cell.empty()) out += "null";
      else if (is_numeric(sheet, c) && Decimal::parse(cell)) out += cell;
      else out += nlohmann::json(cell).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    out += "}\n";
  }
  return out;
}

bool write_table(const Sheet& sheet, const std::string& format, const std::string& path, std::string* error) {
  if (format != "csv" && format != "jsonl") {
    *error = "unknown output format '" + format + "' (csv, jsonl or xlsx)";
    return false;
  }
  payout::detail::AtomicFile file;
  if (!file.open(path, error)) return false;
  file.write(format == "csv" ? csv_text(sheet) : jsonl_text(sheet));
  return file.commit(error);
}

bool write_text_file(const std::string& path, const std::string& text, std::string* error) {
  payout::detail::AtomicFile file;
  if (!file.open(path, error)) return false;
  file.write(text);
  return file.commit(error);
}

bool write_sheets(const std::vector<Sheet>& sheets, const std::string& path, const std::string& title, std::string* error) {
  payout::detail::AtomicFile target;
  if (!target.open(path, error)) return false;
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(target.temp_path().c_str(), &options);
  if (!wb) {
    *error = path + ": cannot create the workbook";
    return false;
  }
  lxw_doc_properties properties = {};
  properties.title = const_cast<char*>(title.c_str());
  properties.created = 946684800;  // fixed: identical results give identical bytes
  workbook_set_properties(wb, &properties);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (const Sheet& s : sheets) {
    payout::detail::SheetWriter writer(wb, s.name, bold, nullptr);
    writer.header(s.columns);
    for (const auto& r : s.rows) writer.row(r, nullptr, s.numeric);
  }
  const lxw_error rc = workbook_close(wb);
  if (rc != LXW_NO_ERROR) {
    *error = path + ": cannot write the workbook: " + lxw_strerror(rc);
    return false;
  }
  return target.commit_external(error);
}

}  // namespace eligo::admission::detail
