// RowReader: payout rows from a CSV or JSON Lines file (the common reader, include/eligo/records.hpp), with
// the mapped columns picked out by field name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/payout.hpp"
#include "eligo/records.hpp"

namespace eligo::payout::detail {

class RowReader {
 public:
  enum class Next {
    row,      // values() holds the row
    bad_row,  // the row cannot be read (problem_field(), problem()); it is counted and skipped
    end,      // no more rows
    error,    // the file is unusable (error())
  };

  // `fields` are the wanted field names; `required` flags those whose column must exist (CSV header).
  bool open(const std::string& path, const SourceMapping& mapping, const std::vector<std::string>& fields,
            const std::vector<bool>& required, std::string* error);
  Next next();
  // Values of the wanted fields, "" when absent; valid until the next call.
  const std::vector<std::string_view>& values() const { return values_; }
  std::uint64_t line() const { return reader_.line(); }  // the line where the row starts (header = 1)
  const std::string& problem_field() const { return problem_field_; }
  const std::string& problem() const { return problem_; }
  const std::string& error() const { return reader_.error(); }
  std::uint64_t bytes_read() const { return reader_.bytes_read(); }
  std::uint64_t size() const { return reader_.size(); }

 private:
  records::RecordReader reader_;
  std::vector<std::string> fields_;
  std::vector<std::string> columns_;  // column name of each field
  std::vector<int> column_index_;     // CSV: header position of each field, -1 absent
  records::JsonCells json_;
  std::vector<std::string_view> values_;
  std::string problem_field_, problem_;
};

}  // namespace eligo::payout::detail
