// Writing a ranking: placements and schools as CSV or JSON Lines, or one workbook (libxlsxwriter, through the
// shared SheetWriter (core/xlsx_book.hpp)) with the placements, the schools and the rejected rows. Files appear atomically; the
// workbook has a fixed creation time, so the same result gives the same bytes.
#include <nlohmann/json.hpp>

#include "admission/table_out.hpp"
#include "eligo/admission.hpp"

namespace eligo::admission {
namespace {

std::vector<std::string> placement_columns() {
  return {"rank", "key", "points", "school", "preference", "lottery_number", "lottery", "reason_zh", "reason_en"};
}
std::vector<std::string> placement_cells(const Placement& p) {
  return {std::to_string(p.rank), p.key, p.points, p.school, p.preference ? std::to_string(p.preference) : "",
          std::to_string(p.lottery_number), p.lottery, p.reason_zh, p.reason_en};
}
std::vector<std::string> school_columns() {
  return {"school", "name", "places", "admitted", "full", "cutoff", "tied_admitted", "tied_refused", "settled_by",
          "settled_zh", "settled_en"};
}
std::vector<std::string> school_cells(const SchoolResult& s) {
  return {s.id, s.name, std::to_string(s.places), std::to_string(s.admitted), s.full ? "true" : "false", s.cutoff,
          std::to_string(s.tied_admitted), std::to_string(s.tied_refused), s.settled_by, s.settled_zh, s.settled_en};
}

const std::vector<int> kPlacementNumeric = {0, 2, 4, 5};

detail::Sheet placements_sheet(const RankResult& r) {
  detail::Sheet sheet{"placements 录取结果", placement_columns(), {}, kPlacementNumeric};
  for (const Placement& p : r.placements) sheet.rows.push_back(placement_cells(p));
  return sheet;
}
detail::Sheet schools_sheet(const RankResult& r) {
  detail::Sheet sheet{"schools 学校", school_columns(), {}, {2, 3, 5, 6, 7}};
  for (const SchoolResult& s : r.schools) sheet.rows.push_back(school_cells(s));
  return sheet;
}
detail::Sheet rejected_sheet(const RankResult& r) {
  detail::Sheet sheet{"rejected 被拒行", {"row", "column", "reason"}, {}, {0}};
  for (const Rejection& x : r.rejections) sheet.rows.push_back({std::to_string(x.row), x.column, x.reason});
  return sheet;
}

}  // namespace

bool write_placements(const RankResult& result, const std::string& format, const std::string& path, std::string* error) {
  if (format == "xlsx")
    return detail::write_sheets({placements_sheet(result), schools_sheet(result), rejected_sheet(result)}, path,
                                "eligo rank", error);
  // Streamed: a million placements are not copied into a sheet first.
  detail::TableStream out;
  if (!out.open(path, format, placement_columns(), kPlacementNumeric, error)) return false;
  for (const Placement& p : result.placements) out.row(placement_cells(p));
  return out.commit(error);
}

bool write_schools(const RankResult& result, const std::string& format, const std::string& path, std::string* error) {
  if (format == "xlsx") return detail::write_sheets({schools_sheet(result)}, path, "eligo rank", error);
  return detail::write_table(schools_sheet(result), format, path, error);
}

bool write_rejections(const RankResult& result, const std::string& format, const std::string& path, std::string* error) {
  return detail::write_table(rejected_sheet(result), format, path, error);
}

}  // namespace eligo::admission
