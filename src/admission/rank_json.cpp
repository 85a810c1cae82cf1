// rank with JSON in and out: what the C API (eligo_rank) and Python (eligo.rank) call. The rows go through the
// one record reader (a JSON array streamed element by element, numbers kept as written).
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/json_dump.hpp"
#include "admission/table_in.hpp"
#include "eligo/admission.hpp"

namespace eligo::admission {

std::vector<std::string> rank_columns(const RankSpec& spec) {
  std::vector<std::string> columns = {spec.key};
  std::set<std::string> seen = {spec.key};
  auto want = [&](const std::string& c) {
    if (!c.empty() && seen.insert(c).second) columns.push_back(c);
  };
  want(spec.points);
  for (const auto& k : spec.order) want(k.by);
  want(spec.preferences);
  return columns;
}

bool rank_json(std::string_view spec_json, std::string rows_json, std::string* out_json, std::string* error) {
  RankSpec spec;
  if (!parse_rank_spec(spec_json, "spec", &spec, error)) return false;
  // A JSON array (or one object) unless the text is JSON Lines: the reader is told which by the name.
  std::size_t first = rows_json.find_first_not_of(" \t\r\n");
  const bool array = first != std::string::npos && rows_json[first] == '[';
  detail::ReadOptions read;
  Table table;
  std::vector<Rejection> unreadable;
  if (!detail::read_table_text(std::move(rows_json), array ? "rows.json" : "rows.jsonl", read, rank_columns(spec),
                               &table, &unreadable, error))
    return false;
  RankResult r = rank(spec, table);
  if (!r.ok) {
    *error = r.error;
    return false;
  }
  r.rejections.insert(r.rejections.end(), unreadable.begin(), unreadable.end());
  std::stable_sort(r.rejections.begin(), r.rejections.end(),
                   [](const Rejection& a, const Rejection& b) { return a.row < b.row; });
  nlohmann::ordered_json out;
  out["placed"] = r.placed;
  out["placements"] = nlohmann::ordered_json::array();
  for (const Placement& p : r.placements)
    out["placements"].push_back({{"rank", p.rank},
                                 {"key", p.key},
                                 {"points", p.points},
                                 {"school", p.school},
                                 {"preference", p.preference},
                                 {"lottery_number", p.lottery_number},
                                 {"lottery", p.lottery},
                                 {"reason_zh", p.reason_zh},
                                 {"reason_en", p.reason_en}});
  out["schools"] = nlohmann::ordered_json::array();
  for (const SchoolResult& s : r.schools)
    out["schools"].push_back({{"school", s.id},
                              {"name", s.name},
                              {"places", s.places},
                              {"admitted", s.admitted},
                              {"full", s.full},
                              {"cutoff", s.cutoff},
                              {"tied_admitted", s.tied_admitted},
                              {"tied_refused", s.tied_refused},
                              {"settled_by", s.settled_by},
                              {"settled_zh", s.settled_zh},
                              {"settled_en", s.settled_en}});
  out["rejected"] = nlohmann::ordered_json::array();
  for (const Rejection& x : r.rejections)
    out["rejected"].push_back({{"row", x.row}, {"column", x.column}, {"reason", x.reason}});
  *out_json = eligo::json_dump(out);
  return true;
}

}  // namespace eligo::admission
