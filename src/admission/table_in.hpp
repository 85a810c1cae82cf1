// Tables in: the columns an admission command needs, read from a CSV, JSON Lines, JSON, xlsx or SQLite file
// through the one record reader (include/eligo/records.hpp). Not a parser of its own.
#pragma once

#include <string>
#include <vector>

#include "eligo/admission.hpp"

namespace eligo::admission::detail {

struct ReadOptions {
  std::string format = "auto";   // auto (by extension, records::detect_format), csv, jsonl, json, xlsx, sqlite
  std::string encoding = "utf-8";
  std::string sheet;             // xlsx: "" = the first
  // The file must hold exactly the columns asked for (a header with another column is an error; a JSON
  // record with another member is a bad row): for a file read back to be rewritten, where anything the
  // table does not hold would be lost.
  bool exact = false;
};

// The output format a path's extension names (.csv, .jsonl/.ndjson/.json, .xlsx); "" for anything else.
std::string format_of(const std::string& path);

// Reads `columns` into `out` (header = columns, cells aligned; an optional column absent from the file reads
// as ""); rows the reader cannot read are added to `bad` with their line or sheet row. false and *error
// (naming the file) when the file is unusable or lacks a required column. `optional` may be shorter.
bool read_table(const std::string& path, const ReadOptions& options, const std::vector<std::string>& columns,
                Table* out, std::vector<Rejection>* bad, std::string* error, const std::vector<bool>& optional = {});
// The same over text in memory; `name` names it in messages and, with format auto, gives the format.
bool read_table_text(std::string text, const std::string& name, const ReadOptions& options,
                     const std::vector<std::string>& columns, Table* out, std::vector<Rejection>* bad,
                     std::string* error, const std::vector<bool>& optional = {});

}  // namespace eligo::admission::detail
