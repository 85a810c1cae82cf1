// RowReader: CSV or JSON Lines rows, streamed, with the mapped columns picked out by field name.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/payout.hpp"
#include "payout/text_reader.hpp"

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
  std::uint64_t line() const { return row_line_; }  // the line where the row starts (header = 1)
  const std::string& problem_field() const { return problem_field_; }
  const std::string& problem() const { return problem_; }
  const std::string& error() const { return error_; }
  std::uint64_t bytes_read() const { return text_.bytes_read(); }
  std::uint64_t size() const { return text_.size(); }

 private:
  enum class Parse { ok, need_more, blank };
  bool fill();
  Parse parse_csv(std::size_t* pos, std::uint64_t* newlines, bool* unclosed);
  Next next_csv();
  Next next_jsonl();
  bool check_utf8();

  TextReader text_;
  std::string path_;
  bool jsonl_ = false;
  char delimiter_ = ',';
  std::vector<std::string> fields_;
  std::vector<std::string> columns_;  // column name of each field
  std::vector<int> column_index_;     // CSV: header position of each field, -1 absent
  std::size_t header_size_ = 0;
  std::string buf_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  bool header_done_ = false;
  std::uint64_t line_ = 1;  // line at pos_
  std::uint64_t row_line_ = 0;
  std::vector<std::string_view> cells_;
  std::deque<std::string> unescaped_;
  std::vector<std::string> json_values_;
  std::vector<std::string_view> values_;
  std::string problem_field_, problem_, error_;
};

}  // namespace eligo::payout::detail
