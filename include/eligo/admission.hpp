// eligo/admission.hpp — school places by points (seed 003): rank applicants, allocate places over their
// preferences (志愿), and say for each applicant what decided their place.
//
//   eligo::admission::RankSpec spec;
//   std::string error;
//   if (!eligo::admission::parse_rank_spec(spec_json, "spec.json", &spec, &error)) { ... }  // file:line:col /pointer
//   eligo::admission::Table table{{"key", "total", "si_months", "permit_since", "preferences"}, {}, {}};
//   table.rows.push_back({"A001", "112", "36", "2015-04-01", "S03;S01"});
//   table.row_numbers.push_back(2);
//   eligo::admission::RankResult r = eligo::admission::rank(spec, table);
//   r.placements[0].reason_zh   // "第 1 志愿录取（S03）"
//   r.schools[0].cutoff         // "112" — the points of the last applicant the school took
//
// The order (documented in docs/admission.md, spec version 1):
//   1. the spec's `order` keys in turn — usually total points descending, then tie-breaks such as months of
//      social insurance (descending) or the permit date (ascending, earlier first);
//   2. then the lottery: the lowercase hex SHA-256 of the UTF-8 text `seed + "|" + key`, ascending. Anyone
//      can recompute it:  python3 -c 'import hashlib;print(hashlib.sha256("2021-yuexiu-g1|A001".encode()).hexdigest())'
// Allocation is serial dictatorship on that one order: each applicant, best first, gets the highest of their
// preferences with a place left. With one priority order this is the student-optimal stable matching (deferred
// acceptance gives the same result), so it is stable — nobody loses a school to someone ranked below them —
// and strategy-proof — listing schools in any order other than one's true preference never gets a better
// school. Without `preferences` there is one pool of `places` places taken in order.
// Same spec (seed included) and same rows, in any row order → the same result, byte for byte once written.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/date.hpp"
#include "eligo/decimal.hpp"
#include "eligo/pack.hpp"

namespace eligo::admission {

constexpr int kRankSpecVersion = 1;

enum class KeyType : std::uint8_t { number, date, text };

struct OrderKey {
  std::string by;          // column name
  bool desc = false;       // descending (more is better); ascending by default (earlier / smaller first)
  KeyType type = KeyType::number;  // number: exact decimal; date: YYYY-MM-DD; text: by bytes
  std::string label_zh;    // how reasons name it ("社保月数"); the column name when not given
  std::string label_en;
};

struct School {
  std::string id;
  std::int64_t places = 0;
  std::string name;        // optional, shown in reports
};

struct RankSpec {
  int version = kRankSpecVersion;
  std::string seed;                 // the published lottery seed (required, non-empty)
  std::string key = "key";          // column holding each applicant's ID (unique)
  std::string points;               // column shown as points and used for cut-offs; default order[0].by
  std::vector<OrderKey> order;      // at least one
  std::string preferences;          // column of ordered school IDs; "" = one pool
  std::string separator = ";";
  std::vector<School> schools;      // with preferences
  std::int64_t places = 0;          // one pool
};

// Parses and checks a spec (JSON). Unknown members, a missing seed, duplicate school IDs, negative places,
// schools without preferences (or the reverse) are errors with file:line:col and the JSON pointer.
bool parse_rank_spec(std::string_view json, const std::string& name, RankSpec* out, std::string* error);

// Rows in memory: a header and the rows' cells aligned with it (from any reader), with where each row was.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::uint64_t> row_numbers;  // line or sheet row of each row, for rejections (may be empty)
};

// The lottery value: lowercase hex SHA-256 of `seed + "|" + key`.
std::string lottery_value(std::string_view seed, std::string_view key);

struct Placement {
  std::uint64_t rank = 0;          // 1-based position in the priority order
  std::string key;
  std::string points;              // as written in the input
  std::string school;              // "" when no place
  int preference = 0;              // 1-based index of the preference admitted; 0 = none (or one pool)
  std::string lottery;             // the hex value
  std::uint64_t lottery_number = 0;  // 1-based position by lottery value among all ranked applicants
  std::string reason_zh, reason_en;  // the deciding reason(s), several joined by "；" / "; "
};

struct SchoolResult {
  std::string id, name;
  std::int64_t places = 0;
  std::int64_t admitted = 0;
  bool full = false;
  std::string cutoff;              // points of the last admitted applicant ("" when none admitted)
  std::int64_t tied_admitted = 0;  // admitted with points equal to the cut-off
  std::int64_t tied_refused = 0;   // refused here (when it was full) with points equal to the cut-off
  std::string settled_by;          // "" (no tie at the line), a key's column name, or "lottery"
  std::string settled_zh, settled_en;  // in words
};

struct Rejection {
  std::uint64_t row = 0;           // from Table::row_numbers (or the 1-based index when absent)
  std::string column;
  std::string reason;
};

struct RankResult {
  bool ok = false;
  std::string error;               // !ok: the table cannot be ranked at all (a column the spec names is missing)
  std::vector<Placement> placements;   // in rank order
  std::vector<SchoolResult> schools;   // in spec order (one entry named "pool" for one pool)
  std::vector<Rejection> rejections;   // rows not ranked, and why; rows in = placements + rejections
  std::uint64_t placed = 0;
};

// A key that is a valid ID number (any of its forms) makes the whole table unrankable (!ok, nothing placed):
// placements are published with each key and its lottery value, SHA-256 of seed|key, from which an ID number
// is recovered by trying the few billion numbers of its shape. Key applicants by an application number or a
// keyed hash (`eligo id --hash`); `allow_id_number_keys` ranks them anyway (`eligo rank --clear-pii`).
struct RankOptions {
  bool allow_id_number_keys = false;
};

RankResult rank(const RankSpec& spec, const Table& table);
RankResult rank(const RankSpec& spec, const Table& table, const RankOptions& options);

// The columns a spec reads: key, points, the order keys, preferences (each once, in that order).
std::vector<std::string> rank_columns(const RankSpec& spec);

// For the C and Python bindings (eligo_rank, eligo.rank): the spec's JSON text and the applicants as a JSON
// array of objects (or JSON Lines; numbers keep their exact text), read by the one record reader. *out_json:
// {"placed": n, "placements": [{rank, key, points, school, preference, lottery_number, lottery, reason_zh,
// reason_en}], "schools": [{school, name, places, admitted, full, cutoff, tied_admitted, tied_refused,
// settled_by, settled_zh, settled_en}], "rejected": [{row, column, reason}]}; rows in = placements + rejected.
// false and *error when the spec is wrong or the rows cannot be read at all.
bool rank_json(std::string_view spec_json, std::string rows_json, std::string* out_json, std::string* error);

// Writes the placements ("csv", "jsonl") or the whole result ("xlsx": placements, schools, rejected rows).
// Columns: rank, key, points, school, preference, lottery_number, lottery, reason_zh, reason_en.
bool write_placements(const RankResult& result, const std::string& format, const std::string& path, std::string* error);
bool write_schools(const RankResult& result, const std::string& format, const std::string& path, std::string* error);
// Rows not ranked: row, column, reason ("csv" or "jsonl").
bool write_rejections(const RankResult& result, const std::string& format, const std::string& path, std::string* error);

}  // namespace eligo::admission

// ---- Policy diff: who changes verdict, points or outputs when a pack changes (eligo diff) ----
//
//   eligo::admission::Differ d(old_pack, new_pack, options);
//   for (each applicant JSON, with its line) d.add(line, json);
//   eligo::admission::DiffResult r = d.finish();
//   r.verdict_changed, r.indicators[i].changed, r.movers[0].delta
// Both packs evaluate the same applicant text, each on its own date (a pack refuses a date outside its
// effective period, so the 2018 and 2021 Guangzhou tables are compared on 2021-11-15 and 2021-11-16).
// Memory stays flat in the population: only counts, sums and the top movers are kept. A decision that is an
// error (E2xxx) is counted in old_errors / new_errors with its first message; its points count as 0.
namespace eligo::admission {

struct DiffOptions {
  Date old_as_of, new_as_of;                    // evaluation dates (each pack must be in force on its own; for a
                                                // change of rules: the last day of the old, the first of the new)
  std::size_t top = 10;                         // movers kept (largest change in total points first)
  std::string key;                              // input path naming each applicant in movers ("" = line only)
  bool clear_pii = false;                       // movers' keys are masked like ID numbers (6+4) unless set
  const blacklist::Snapshot* blacklist = nullptr;
  BindOptions bind;                             // for add(line, json): --group, --unknown-fields
};

struct IndicatorChange {
  std::string id, label;
  bool in_old = false, in_new = false;
  std::uint64_t changed = 0, up = 0, down = 0;  // applicants whose points for it changed
  Decimal old_sum, new_sum;                     // points over the population
};

struct Mover {
  std::uint64_t line = 0;
  std::string key;
  std::string old_verdict, new_verdict;
  Decimal old_total, new_total, delta;
  std::vector<std::pair<std::string, Decimal>> items;  // indicator id → change, the non-zero ones
};

struct DiffResult {
  std::string old_pack, new_pack;               // "id version"
  std::uint64_t applicants = 0;
  std::uint64_t verdict_changed = 0, points_up = 0, points_down = 0, points_same = 0, outputs_changed = 0;
  std::map<std::string, std::uint64_t> transitions;  // "eligible → ineligible" → count (changed ones only)
  std::uint64_t old_errors = 0, new_errors = 0;
  std::string first_error;                      // "old, line 3: E2002 …"
  std::uint64_t rejected = 0;                   // rows not compared: unreadable or rejected by a pack (E3xxx)
  std::string first_rejected;                   // "line 7: …"
  Decimal old_total_sum, new_total_sum;
  std::vector<IndicatorChange> indicators;      // old pack's order, then those only in the new one
  std::vector<Mover> movers;
};

class Differ {
 public:
  Differ(const Pack& old_pack, const Pack& new_pack, DiffOptions options);
  ~Differ();
  // Each add() returns false when the row was rejected rather than compared: an input either pack rejects
  // (E3xxx — not a JSON object, a field of the wrong shape, an unknown field under "error"), as eligo eval
  // rejects it; *reason (if given) then says why, naming the pack when only one rejected it.
  bool add(std::uint64_t line, std::string_view applicant_json, std::string* reason = nullptr);
  // The applicant already bound by each pack (a CSV/xlsx row through Pack::bind_row, as eligo diff does).
  bool add(std::uint64_t line, Input& old_input, Input& new_input, std::string* reason = nullptr);
  // A row that could not be read: counted, never compared (rows read = applicants + rejected).
  void reject(std::uint64_t line, std::string_view reason);
  DiffResult finish();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

std::string diff_text(const DiffResult& r);
std::string diff_json(const DiffResult& r);
bool write_diff_workbook(const DiffResult& r, const std::string& path, std::string* error);

}  // namespace eligo::admission

// ---- Review round-trip (批量审核): department workbooks out, decisions back in (eligo review) ----
//
//   std::vector<eligo::admission::ReviewItem> items = {{"A001", "si", "社保", "人社", "12", "36", "30"}};
//   std::vector<eligo::admission::ReviewExport> files;
//   eligo::admission::export_review(items, "out/review", &files, &error);   // out/review/review-1.xlsx + manifest
//   ... staff fill the decision column in Excel ...
//   eligo::admission::ReviewImport in = eligo::admission::import_review("out/review", {"review-1.xlsx"});
//   eligo::admission::ReviewApplied done = eligo::admission::apply_review(in, scores, {"张三", "2026-11-29T10:00:00Z"});
//   done.scores[0].total     // the total less the points of items a department refused (不通过)
//
// export_review writes, per department, an .xlsx of its pending items: the key and item columns locked (sheet
// protection without a password: it guards against slips, not intent — the import checks every cell), a
// decision column restricted by data validation to 通过 / 不通过 / 退回, a comment column, and a hidden sheet
// "export" holding the export id. A manifest (review-export.json) in the same folder keeps every exported row.
// import_review reads the edited workbooks back through the one record reader (records::RecordReader, as
// eligo batch does) and accepts them all or none: a changed key or item (or an added row), a changed locked
// cell, a missing row, a decision outside the list, a workbook of another export — each is a problem naming
// the workbook, the row and the column, and every problem of every workbook is listed.
// apply_review applies accepted decisions to scored applicants: 不通过 removes the item's points, 通过 keeps
// them, 退回 keeps them and marks the applicant returned for more evidence (退回补正); each decision is a log
// entry (who, when, what changed). Keys are masked (6+4, like ID numbers) in problems and the log unless
// clear_pii.
namespace eligo::admission {

inline constexpr const char* kDecisionPass = "通过";
inline constexpr const char* kDecisionRefuse = "不通过";
inline constexpr const char* kDecisionReturn = "退回";

struct ReviewItem {
  std::string key, item, label, department, points;  // points as exact decimal text
  std::string declared, source;                      // optional: the applicant's and the source's values
};

struct ReviewExport {
  std::string department, export_id, file;           // file name inside the folder
  std::size_t items = 0;
};

// Writes <dir>/review-<n>.xlsx per department (in order of first appearance) and <dir>/review-export.json.
// The export id is the first 16 hex digits of the SHA-256 of the department and its rows, so the same items
// give the same files. false and *error when a file cannot be written, an item lacks key, item or
// department, its points are not a decimal, or two items share key and item.
bool export_review(const std::vector<ReviewItem>& items, const std::string& dir, std::vector<ReviewExport>* out,
                   std::string* error);

struct ReviewDecision {
  std::string department, key, item, label, points, decision, comment, workbook;  // decision "" = pending
  std::uint64_t row = 0;                                                          // sheet row
};

struct ReviewProblem {
  std::string workbook;
  std::uint64_t row = 0;   // sheet row; 0: the workbook (or file) as a whole
  std::string column;      // "C (decision 审核结论)"; "" when no one column
  std::string problem;
};
// "review-1.xlsx, row 5, column G (decision 审核结论): …"
std::string to_string(const ReviewProblem& p);

struct ReviewImport {
  bool ok = false;                           // no problems: the decisions may be applied
  std::vector<ReviewProblem> problems;
  std::vector<ReviewDecision> decisions;     // every exported row of the workbooks given, decided or not
  std::size_t decided = 0, pending = 0;      // rows with a decision / left blank
};

struct ReviewImportOptions {
  bool clear_pii = false;                    // keys in problems in clear (masked 6+4 by default)
};

// `dir` holds the manifest of the export the workbooks answer; workbooks need not cover every department.
ReviewImport import_review(const std::string& dir, const std::vector<std::string>& workbooks,
                           const ReviewImportOptions& options = {});

struct ReviewApplyOptions {
  std::string reviewer;                      // who imports (required)
  std::string at;                            // when (ISO 8601 text, e.g. 2026-11-29T10:00:00Z)
  bool clear_pii = false;
};

struct ReviewScore {
  std::string key;
  Decimal before, removed, total;            // total = before − removed (points of refused items)
  std::vector<std::string> refused, returned, pending;   // item ids
  std::string status;                        // "reviewed" (已审核), "returned" (退回补正), "pending" (待审核),
                                             // "not reviewed" (no exported item)
  std::string status_zh;
};

struct ReviewLogEntry {
  std::string at, reviewer, department, workbook, key, item, label, decision, comment;
  std::uint64_t row = 0;
  std::string points, before, after;         // the item's points; the applicant's total before and after
};

struct ReviewApplied {
  bool ok = false;
  std::vector<ReviewProblem> problems;       // a decision for a key not in the scores, a total not a decimal,
                                             // a key twice in the scores; nothing applied when any
  std::vector<ReviewScore> scores;           // in the order of the scores table
  std::vector<ReviewLogEntry> log;           // one per decided item (pending rows are not logged)
};

// `scores`: a table whose header holds `key_column` and `total_column` (e.g. eligo batch's results).
ReviewApplied apply_review(const ReviewImport& import, const Table& scores, const std::string& key_column,
                           const std::string& total_column, const ReviewApplyOptions& options);

// Final scores: key, total_before, removed, total, status, status_zh, refused, returned, pending (item ids
// joined by ";"); keys masked unless clear_pii. The log: at, reviewer, department, workbook, row, key, item,
// label, decision, comment, points, total_before, total_after. "csv", "jsonl" or "xlsx"; written atomically.
bool write_review_scores(const ReviewApplied& r, bool clear_pii, const std::string& format, const std::string& path,
                         std::string* error);
bool write_review_log(const ReviewApplied& r, const std::string& format, const std::string& path, std::string* error);
// The entries of an import log already at `path` (CSV, JSON Lines or xlsx, read by the one record reader), so
// that a later import keeps them: eligo review import puts them before its own and rewrites the log. true and
// none when there is no file; false and *error (the file, and the rows) when it is not such a log — another
// column or member, an unreadable row, a row number that is not one — so nothing of it is lost by rewriting.
bool read_review_log(const std::string& path, std::vector<ReviewLogEntry>* out, std::string* error);

}  // namespace eligo::admission

// ---- Automatic comparison (自动比对审核): what the applicant declared against the source data (eligo compare) ----
//
// A pack's `compare` section (read here, not by the compiler: docs/admission.md#compare) names pairs of a
// declared path and a source column, how to compare them and the department that reviews a mismatch:
//   "compare": {"version": 1, "key": "applicant.id_number", "source_key": "id_number", "items": [
//     {"id": "si_months", "label": "社保月数", "declared": "applicant.si_months", "source": "si_months",
//      "kind": "number", "tolerance": 0, "department": "人社局", "indicator": "social_insurance"}, …]}
//   eligo::admission::CompareSpec spec;
//   eligo::admission::parse_compare_spec(pack_text, "p.pack.json", &spec, &error);
//   eligo::admission::Comparer c(spec, &pack, source_table, options);
//   for (each applicant JSON, with its line) c.add(line, json);
//   eligo::admission::CompareResult r = c.finish();   // r.rows (applicant × item), r.departments, r.applicants
// Kinds: equal (text, or exact decimals when both are numbers), name (identity::normalize_name on both),
// date (within `days` days), number (within `tolerance`, exact decimals), period (declared [from, to] lies
// within the source [from, to]; an empty `to` is open: as_of).
namespace eligo::admission {

enum class CompareKind : std::uint8_t { equal, name, date, number, period };
const char* to_string(CompareKind kind);

struct CompareItem {
  std::string id, label;
  CompareKind kind = CompareKind::equal;
  std::vector<std::string> declared, source;  // one path / column; two (from, to) for period
  int days = 0;                               // date: the largest difference that still matches
  Decimal tolerance;                          // number: likewise
  std::string department;
  std::string indicator;                      // the points indicator the value feeds ("" = none)
  std::string pii;                            // "" or id_number, name, mobile, bank_card: masked in outputs
};

struct CompareSpec {
  std::string key;                            // declared path naming the applicant
  std::string source_key;                     // the source column naming the applicant
  std::vector<CompareItem> items;
};

// Reads the `compare` member of a pack's JSON text. false and *error (file:line:col: /compare/…: why) when
// it is absent or malformed: unknown members, an unknown kind, period without two paths, an id twice. With
// `pack` (the same pack compiled), also when the key or a declared path names no single value its inputs
// declare, or an indicator is not one of its points indicators.
bool parse_compare_spec(std::string_view pack_json, const std::string& name, CompareSpec* out, std::string* error,
                        const Pack* pack = nullptr);

enum class CompareVerdict : std::uint8_t { matched, mismatched, missing_source, missing_declared };
const char* to_string(CompareVerdict v);      // "matched", "mismatched", "missing in source", "missing declared"
const char* to_string_zh(CompareVerdict v);   // "一致", "不一致", "数据源无记录", "未申报"

// One comparison, without a pack: the values (one, or from and to for period) as text. `detail` says by how
// much ("差 6 天 / 6 days apart").
CompareVerdict compare_values(const CompareItem& item, const std::vector<std::string>& declared,
                              const std::vector<std::string>& source, Date as_of, std::string* detail);

struct CompareOptions {
  Date as_of;                                 // for the pack and open periods
  bool clear_pii = false;                     // keys and pii values in clear in the result
  bool keep_rows = true;                      // finish().rows holds every row; false: each add()'s rows are only
                                              // in last_rows() (hand them to a CompareWriter: flat memory)
};

struct CompareRow {
  std::uint64_t line = 0;
  std::string key;                            // clear: the to-do lists feed eligo review (see docs)
  const CompareItem* item = nullptr;
  CompareVerdict verdict = CompareVerdict::matched;
  std::string declared, source;               // shown (masked where pii unless clear_pii; period "from..to")
  std::string detail;
  std::string declared_points, source_points; // the indicator's points from the declared data and with the
                                              // source value put in its place; "" without an indicator
};

struct CompareCounts {
  std::uint64_t items = 0, matched = 0, mismatched = 0, missing_source = 0, missing_declared = 0;
};

struct CompareResult {
  std::vector<CompareRow> rows;                           // applicant × item, in input order
  std::vector<std::pair<std::string, CompareCounts>> departments;  // in spec order
  std::uint64_t applicants = 0;
  std::vector<Rejection> rejected;                        // applicant rows not compared, and why
  std::vector<Rejection> source_rejected;                 // source rows not used (a key twice, no key)
};

class Comparer {
 public:
  // `pack` may be null (no points); `source` holds source_key and every source column the items name.
  // The source is indexed by its key (move it in: it is the one table held in memory).
  Comparer(const CompareSpec& spec, const Pack* pack, Table source, CompareOptions options);
  ~Comparer();
  void add(std::uint64_t line, std::string_view applicant_json);
  void reject(Rejection r);                               // a row the reader could not read
  const std::vector<CompareRow>& last_rows() const;       // the rows of the last add() (none if it was rejected)
  std::vector<std::string> departments() const;           // in spec order (the to-do lists)
  CompareResult finish();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// Writes DIR/compare.csv (every row), DIR/applicants.csv, DIR/departments.csv, DIR/rejected.csv and one
// to-do list (待办) per department, DIR/todo/<department>.csv, of its mismatched and missing items in the
// columns eligo review export reads (key, item, label, department, points, declared, source). Atomically.
bool write_compare(const CompareResult& r, const std::string& dir, bool clear_pii, std::string* error);

// The same files written as the rows come (eligo compare over a population): open, add each applicant's rows
// (Comparer::last_rows()), finish with the result for departments.csv and rejected.csv. Each file appears
// whole on finish, or not at all.
class CompareWriter {
 public:
  CompareWriter();
  ~CompareWriter();
  bool open(const std::string& dir, const std::vector<std::string>& departments, bool clear_pii, std::string* error);
  void add(const std::vector<CompareRow>& rows);          // one applicant's rows (one line and key)
  bool finish(const CompareResult& r, std::string* error);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace eligo::admission
