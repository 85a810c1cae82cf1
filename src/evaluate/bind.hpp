// Binding applicant data to a Program's inputs (bind.cpp): JSON text, rows of cells, and the documented
// text coercions. The one way in for every surface.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/pack.hpp"
#include "evaluate/evaluator.hpp"

namespace eligo::detail {

// Text given for a boolean, number or date (CSV cells, string columns, JSON strings): docs/data-in.md.
std::optional<bool> text_to_bool(std::string_view text);      // true/false, 1/0, 是/否, Y/N (any case)
std::optional<Date> text_to_date(std::string_view text);      // YYYY-MM-DD, YYYY/M/D, YYYYMMDD
std::optional<Decimal> text_to_number(std::string_view text); // 1,234.50 and 1234.50元 too

// A JSON object of groups, or with options.group a flat record of that group.
void bind_json(const Program& program, std::string_view json, BoundInput* out, const BindOptions& options);

// A header resolved against a Program.
struct RowLayoutData {
  enum class Kind : std::uint8_t { field, group, ignored };
  struct Column {
    Kind kind = Kind::ignored;
    std::uint32_t group = 0;
    std::int32_t field = -1;  // slot in the group's record; -1 for a whole group
  };
  const Program* program = nullptr;
  std::int32_t flat_group = -1;
  std::vector<Column> columns;
  std::vector<std::string> names;    // the header as given
  std::vector<std::string> ignored;  // unknown columns under unknown_fields "warn"
};

bool make_layout(const Program& program, const std::vector<std::string>& columns, const BindOptions& options,
                 RowLayoutData* out, std::string* error);
void bind_row(const RowLayoutData& layout, const Cell* cells, std::size_t count, BoundInput* out);

}  // namespace eligo::detail
