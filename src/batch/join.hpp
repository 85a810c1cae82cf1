// Joins for `eligo batch` (issue 13, the 数据处理 step): a related table keyed by a column becomes a list of
// the record, e.g. each resident's relief certificates from the civil-affairs table.
//
//   eligo::batch::JoinSpec spec;
//   std::string error;
//   if (!eligo::batch::JoinSpec::parse("civil_affairs.certificates=civil.sqlite:certificates:id_number",
//                                      &spec, &error)) { ... }     // "--join" text: NAME=PATH:KEY
//   eligo::batch::JoinIndex certificates;
//   if (!certificates.load(spec, {}, &error)) { ... }             // reads the whole related table
//   // per record (any thread): the record's key cell → the related rows as a JSON array
//   std::string_view list = certificates.find(record_id_text).json;     // "[]" when none
//   // the record's header gets one more column, spec.name, and each row that cell: Pack::layout resolves
//   // "civil_affairs.certificates" as a list field given as JSON text, Pack::bind_row binds it strictly.
//   // after the last record:
//   eligo::batch::JoinReport r = certificates.report();           // rows without a record, without a key
//
// The spec: NAME=PATH:KEY. NAME is the column the related rows become (a list field the pack declares,
// "civil_affairs.certificates", or a list field of the record group, "certificates"); PATH is anything
// records::RecordReader opens (stays.csv, stays.jsonl, stays.xlsx, civil.sqlite:certificates); KEY the
// related table's key column (a JSON row's top-level member). PATH is what lies between the first '=' and the
// last ':'.
//
// Each related row becomes one element of the list, a JSON object of its columns without the key column:
// tabular files give every cell as a JSON string (the binder coerces text to dates, numbers, enums as it does
// for CSV cells, docs/data-in.md) and an empty cell as null; a JSON row is its object with the key member
// taken out. Elements keep the file's order. A column the list's element type does not declare is refused
// by the binder (strict shape) for each record that has such a row, with the field's path.
//
// Keys are compared after normalize_key(): ID numbers as identity::keyed_id_hash normalises them (trim,
// NFKC so full-width digits and Ｘ become ASCII, upper-case x, 15-digit legacy numbers converted to 18), so
// "１１０１…", "110105…x" and the 15-digit form of one person meet. Other keys are trimmed and NFKC'd the same way.
//
// Counted and reported, never silent (JoinReport): related rows the reader could not read (bad rows, with
// their line), rows whose key cell is missing or empty, and — after the records — rows whose key no record
// asked for. A record key asked for twice (the same person twice in the records) is seen by the caller:
// find() says whether the key was asked for before (Match::first), and normalize_key() is the same
// normalisation the caller can use to find duplicates among records that have no related rows.
//
// Memory: the related table is held in memory, the records stream past it. Per distinct key about 100 bytes
// plus the JSON text of its rows (about the size of the rows in CSV plus the column names once per row):
// 1 M certificate rows of ~60 bytes take ~200 MB. Records never add to it. find() allocates nothing for a key already in
// plain ASCII (18 characters, digits and X/x); other forms are normalised first.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "eligo/records.hpp"

namespace eligo::batch {

struct JoinSpec {
  std::string name;  // the column the related rows become: a list field path
  std::string path;  // what records::RecordReader opens
  std::string key;   // the related table's key column

  // Parses "NAME=PATH:KEY". false and *error ("--join certificates=civil.sqlite: ... needs NAME=FILE:KEY_COLUMN")
  // when a part is missing.
  static bool parse(std::string_view text, JoinSpec* out, std::string* error);
};

// The text a key is compared by (see above). "" for a key that is empty once trimmed.
std::string normalize_key(std::string_view text);

struct JoinReport {
  JoinSpec spec;
  std::string file;                  // the reader's name for the related table (file, or file:table)
  std::uint64_t rows = 0;            // related rows read: indexed + missing_key + bad_rows
  std::uint64_t indexed = 0;         // rows held under a key
  std::uint64_t keys = 0;            // distinct keys
  std::uint64_t missing_key = 0;     // rows whose key cell is missing or empty
  std::uint64_t bad_rows = 0;        // rows the reader could not read
  std::uint64_t blank_lines = 0;
  // After the records: keys no record asked for, and their rows.
  std::uint64_t unmatched_keys = 0;
  std::uint64_t unmatched_rows = 0;
  std::uint64_t matched_keys = 0;    // keys asked for at least once
  std::uint64_t repeated_lookups = 0;  // finds of a key already asked for (the same person twice)
  // Located problems, the first 20 of each kind, never quoting a key or a cell:
  //   "stays.csv: line 7: column 'admit': not valid UTF-8", "stays.csv: line 9: no key (column 'id_number' is empty)"
  std::vector<std::string> problems;
  // Lines (the first row of each key) of rows no record asked for, the first 20 in file order.
  std::vector<std::uint64_t> unmatched_lines;

  // One line for people: "certificates (civil.sqlite:certificates by id_number): 1200 rows, 1000 keys;
  // 3 rows without a key; 1 bad row; 40 rows (38 keys) without a record".
  std::string to_text() const;
};

class JoinIndex {
 public:
  struct Match {
    std::string_view json;   // the related rows as a JSON array ("[]" when none)
    std::uint32_t rows = 0;  // how many
    bool first = true;       // false when this key was asked for before
  };

  JoinIndex();
  ~JoinIndex();
  JoinIndex(const JoinIndex&) = delete;
  JoinIndex& operator=(const JoinIndex&) = delete;

  // Reads the whole related table through records::RecordReader (`read` as for any input; its format is
  // still detected by PATH unless set). false and *error naming the file when the file is unusable or has
  // no KEY column (the error lists the columns); bad rows and rows without a key are counted, not errors.
  bool load(const JoinSpec& spec, const records::ReadOptions& read, std::string* error);

  // The related rows of a record whose key cell is `record_key` (normalised here). Thread-safe after load;
  // counts the key as asked for.
  Match find(std::string_view record_key) const;
  // The same for a key already normalised with normalize_key() (saves normalising twice).
  Match find_normalized(std::string_view key) const;

  const JoinSpec& spec() const;
  // Counts so far; the unmatched counts are meaningful once every record has been looked up.
  JoinReport report() const;

 private:
  struct Entry {
    std::string key;   // normalised; the index's key views it
    std::string json;  // "[{...},{...}]"
    std::uint32_t rows = 0;
    std::uint64_t first_line = 0;
    mutable std::atomic<std::uint32_t> lookups{0};
  };
  JoinSpec spec_;
  JoinReport loaded_;
  std::unordered_map<std::string_view, std::unique_ptr<Entry>> index_;
};

}  // namespace eligo::batch
