// RowReader: payout rows through the common record reader; JSON Lines rows are flat objects whose numbers
// keep their exact text.
#include "payout/row_reader.hpp"

namespace eligo::payout::detail {

bool RowReader::open(const std::string& path, const SourceMapping& mapping, const std::vector<std::string>& fields,
                     const std::vector<bool>& required, std::string* error) {
  fields_ = fields;
  for (const std::string& f : fields) columns_.push_back(mapping.column(f));
  records::ReadOptions options;
  options.encoding = mapping.encoding;
  options.delimiter = mapping.delimiter;
  if (mapping.format == "csv") {
    options.format = records::Format::csv;
  } else if (mapping.format == "jsonl") {
    options.format = records::Format::jsonl;
  } else {
    // docs/payout.md: .jsonl, .ndjson and .json name JSON Lines files here; anything else is CSV.
    const auto ends = [&](std::string_view ext) {
      return path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
    };
    options.format = ends(".jsonl") || ends(".ndjson") || ends(".json") ? records::Format::jsonl : records::Format::csv;
  }
  if (!reader_.open(path, options, error)) return false;
  values_.assign(fields.size(), std::string_view());
  if (!reader_.tabular()) return true;
  // The header row: every required column must be there.
  std::string missing, present;
  const auto& header = reader_.header();
  for (std::size_t c = 0; c < header.size(); ++c) present += (c ? ", " : "") + header[c];
  for (std::size_t f = 0; f < fields.size(); ++f) {
    const int found = reader_.column(columns_[f]);
    column_index_.push_back(found);
    if (found < 0 && required[f])
      missing += (missing.empty() ? "" : ", ") + std::string("'") + columns_[f] + "' (" + fields[f] + ")";
  }
  // One column mapped to two fields is allowed (docs/payout.md); two columns of one name are refused by
  // the reader when it reads the header.
  if (!missing.empty()) {
    *error = path + ": the header lacks the column" + (missing.find(',') != std::string::npos ? "s " : " ") + missing +
             "; it has: " + present + " (map the columns with --mapping)";
    return false;
  }
  return true;
}

RowReader::Next RowReader::next() {
  problem_field_.clear();
  problem_.clear();
  const records::Next n = reader_.next();
  switch (n) {
    case records::Next::end: return Next::end;
    case records::Next::error: return Next::error;
    case records::Next::bad_row:
      problem_ = reader_.problem();
      for (std::size_t f = 0; f < fields_.size() && reader_.problem_column() >= 0; ++f)
        if (column_index_[f] == reader_.problem_column()) {
          problem_field_ = fields_[f];
          break;
        }
      return Next::bad_row;
    case records::Next::row: break;
  }
  if (reader_.tabular()) {
    const auto& cells = reader_.cells();
    for (std::size_t f = 0; f < fields_.size(); ++f)
      values_[f] = column_index_[f] >= 0 ? cells[static_cast<std::size_t>(column_index_[f])] : std::string_view();
    return Next::row;
  }
  std::string why;
  if (!records::json_object_cells(reader_.json(), columns_, &json_, &why)) {
    values_.assign(fields_.size(), std::string_view());
    problem_ = why;
    return Next::bad_row;
  }
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    if (json_.kind[f] == records::CellKind::nested) {
      values_.assign(fields_.size(), std::string_view());
      problem_field_ = fields_[f];
      problem_ = "an object or array, not a single value";
      return Next::bad_row;
    }
    std::string_view v = json_.text[f];
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    values_[f] = v;
  }
  return Next::row;
}

}  // namespace eligo::payout::detail
