// eligo/batch.hpp — a whole population through a pack: record files in, results, rejected rows, a summary
// and payout orders out (the engine behind `eligo batch` and Python's eligo.batch).
//
//   eligo::batch::Options o;
//   o.inputs = {"residents.csv"};               // read by records::RecordReader: CSV, JSON Lines, JSON, xlsx
//   o.out = "out/";                             // a folder: results.csv, rejected.csv, summary.json/.txt
//   o.eval.as_of = eligo::Date::parse("2024-04-01");
//   o.by = "community";                         // summary per value of this column
//   o.payout.path = "orders.csv";               // the eligible rows as payout orders `eligo reconcile` reads
//   o.payout.amount = "amount"; o.payout.policy = "siji-huimin"; o.payout.period = "2024-Q2";
//   eligo::batch::Summary s;
//   std::string error;
//   if (!eligo::batch::run(pack, o, &s, &error)) { std::cerr << error; return 2; }   // nothing written
//   s.rows == s.results + s.rejected            // always: every row read is a result or a rejected row
//   std::cout << s.to_text("zh-CN");
//
// What it promises (docs/batch.md):
//   - Every row is read by the one reader and bound by the pack (Pack::layout/bind_row for tabular files,
//     Pack::bind for JSON); a row the reader cannot read or whose data the pack refuses (E3xxx) is a
//     rejected row with its file, line, field and reason; every other row is a result.
//   - Streamed: rows go through in chunks on `threads` workers and are written in input order; memory is
//     flat in the number of rows except for duplicate detection (24 bytes per result row; off with
//     Duplicates::off) and the payout order spool (about 24 bytes per order).
//   - Output files appear atomically (temporary name, then rename) and only when the whole run succeeded.
//   - The key column (the person's ID) is masked (110105********002X) unless clear_pii, or replaced by
//     identity::keyed_id_hash when id_hash_key is set; reasons and errors are masked likewise.
//   - The same person twice (the same ID after normalisation: 15→18 digits, full-width, lower-case x) is
//     reported, and by default every row of that person is held back from the payout orders with the reason.
//
// Options and their defaults:
//   | option              | default                 | meaning                                              |
//   |---------------------|-------------------------|------------------------------------------------------|
//   | inputs              | —                       | record files, read in order                          |
//   | read                | detect format, utf-8    | records::ReadOptions for every input                 |
//   | bind                | the pack's record group | BindOptions (group, unknown_fields)                  |
//   | eval                | as_of today (UTC+8)     | EvalOptions                                          |
//   | key                 | the ID field            | the field naming the person; "" takes the first     |
//   |                     |                         | cn_id field of the record group                      |
//   | out                 | —                       | a folder (ends in '/' or exists) or a results file   |
//   | format              | by extension, else csv  | csv, jsonl or xlsx                                   |
//   | only                | every verdict           | write only results of this verdict                   |
//   | by                  | ""                      | a column (or field path) to group the summary by     |
//   | duplicates          | hold                    | hold: all rows of the ID held back; first: the first |
//   |                     |                         | row stays; off: not detected                         |
//   | threads             | hardware threads        | workers evaluating chunks of rows                    |
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "eligo/date.hpp"
#include "eligo/decimal.hpp"
#include "eligo/pack.hpp"
#include "eligo/records.hpp"

namespace eligo::batch {

enum class Duplicates : std::uint8_t { hold, first, off };

// The eligible rows as payout orders (docs/payout.md's order columns, read back by `eligo reconcile`).
struct PayoutOrders {
  std::string path;            // "" writes none
  std::string amount;          // the output holding the amount (rows without a positive amount are counted)
  std::string policy;          // the order's policy id
  std::string period;          // "2024-Q2"
  std::optional<Date> created; // the orders' issue date; default: as_of
  std::string name;            // field path of the payee's name (optional)
  std::string account;         // field path of the account (optional)
  std::string community;       // field path or column of the community (optional; default: `by`)
};

struct Progress {
  std::uint64_t rows = 0;          // read so far
  std::uint64_t bytes = 0;         // of all inputs read so far
  std::uint64_t total_bytes = 0;   // of all inputs (0 when unknown, e.g. stdin)
  double seconds = 0;
  bool done = false;
};

struct Options {
  std::vector<std::string> inputs;
  records::ReadOptions read;
  // Related tables, "NAME=PATH:KEY" (`--join`, docs/batch.md): each record gets the rows whose KEY equals its
  // key field (normalised as IDs are) as the list NAME. The tables are held in memory; records stream.
  std::vector<std::string> joins;
  BindOptions bind;
  EvalOptions eval;
  std::string key;
  std::string id_hash_key;          // non-empty: the key column is keyed_id_hash(key, ID) instead of masked
  bool clear_pii = false;           // key, reasons and errors in clear
  std::optional<Verdict> only;
  std::string by;
  Duplicates duplicates = Duplicates::hold;
  std::string out;
  std::string format;               // "" by out's extension
  std::string summary_json;         // also write the summary JSON here ("" none; a folder out gets summary.json)
  unsigned threads = 0;
  std::size_t chunk_rows = 2048;    // rows handed to a worker at once
  PayoutOrders payout;
  std::function<void(const Progress&)> progress;  // called from the calling thread, about every chunk
};

// Counts and sums for all rows or for one value of `by`.
struct Tally {
  std::uint64_t results = 0;
  std::uint64_t verdicts[4] = {0, 0, 0, 0};          // by Verdict
  std::map<std::string, std::uint64_t> failed;       // ineligible rows by their first failing check
  std::map<std::string, Decimal> sums;               // numeric outputs summed over eligible rows
  std::uint64_t held_back = 0;                       // eligible rows held back as duplicates
};

struct InputFile {
  std::string path;
  std::uint64_t rows = 0, rejected = 0, blank_lines = 0;
};

struct Duplicate {
  std::string key;                                   // masked (or clear / keyed hash, as the key column)
  std::vector<std::pair<std::uint32_t, std::uint64_t>> rows;  // (input index, line)
};

// A joined table after the run (src/batch/join.hpp's JoinReport, counted, never silent).
struct JoinSummary {
  std::string name, file, key;
  std::uint64_t rows = 0, keys = 0, missing_key = 0, bad_rows = 0;
  std::uint64_t matched_keys = 0, unmatched_keys = 0, unmatched_rows = 0;
  std::vector<std::string> problems;  // located, never quoting a key or a cell
  std::string text;                   // one line for people
};

struct Summary {
  std::string pack_id, pack_version, pack_hash;
  Date as_of;
  std::vector<InputFile> inputs;
  std::uint64_t rows = 0;           // read (good and bad)
  std::uint64_t results = 0;        // decided rows (rows == results + rejected)
  std::uint64_t written = 0;        // results written (all of them unless `only`)
  std::uint64_t rejected = 0;
  std::uint64_t with_data_errors = 0;  // results decided despite data errors (not E3xxx)
  Tally all;
  std::string by;
  std::map<std::string, Tally> groups;
  std::vector<std::string> numeric_outputs;        // the outputs whose values were numbers in every result
  std::vector<Duplicate> duplicates;               // each ID seen more than once, rows in input order
  std::uint64_t duplicate_rows = 0, held_back = 0; // rows of duplicated IDs; rows held back from payout
  bool key_found = true;                           // false: no key field, so no duplicate detection
  std::string key_path;
  // Payout orders.
  std::string orders_path;
  std::uint64_t orders = 0, orders_held_back = 0, orders_without_amount = 0;
  Decimal orders_amount;
  std::vector<JoinSummary> joins;
  std::vector<std::string> files;                  // written, in order
  double seconds = 0;

  std::string to_text(const std::string& lang = "zh-CN") const;
  std::string to_json() const;      // "format": "eligo.batch/1", amounts as exact strings
};

// Runs the batch. false and *error (naming the file, never quoting PII) when an input is unusable or an
// output cannot be written; no output file then appears. Bad rows never fail the run.
bool run(const Pack& pack, const Options& options, Summary* summary, std::string* error);

// A stable payout order number for (policy, period, ID): "<period>-<16 hex of SHA-256>". The ID is
// normalised first (15→18 digits, full-width, lower-case x), so both forms of one ID give one number.
std::string order_number(std::string_view policy, std::string_view period, std::string_view id);

}  // namespace eligo::batch
