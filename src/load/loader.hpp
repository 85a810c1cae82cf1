// The load stage: read a pack file and the CSV tables it names, parse the JSON keeping positions, and
// report what makes the files unusable (unreadable, too large, malformed JSON, duplicate keys).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "eligo/diagnostic.hpp"
#include "load/json_tree.hpp"

namespace eligo::load {

struct LoadedPack {
  std::string file;  // as given
  std::string dir;   // folder of the file, for relative table paths ("" = current)
  std::string text;
  JsonParseResult json;
};

// Reads and parses. `out->json.ok` is false when the JSON could not be read; diagnostics say why.
// `zh`: messages in Chinese.
bool load_pack_file(const std::string& path, std::size_t max_bytes, std::uint32_t max_depth, LoadedPack* out,
                    Diagnostics* diagnostics, bool zh = false);
void load_pack_text(std::string text, const std::string& virtual_path, std::uint32_t max_depth, LoadedPack* out,
                    Diagnostics* diagnostics, bool zh = false);

struct CsvTable {
  std::string file;
  std::string bytes;  // the file as read, for the pack hash
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::uint32_t> row_lines;  // 1-based line of each row
};

// RFC 4180 CSV, UTF-8 (a BOM is skipped). false with *error on malformed input.
bool read_csv(const std::string& path, std::size_t max_bytes, CsvTable* out, std::string* error);

// The Chinese wording of an error from reading a file or table (read_csv, load_pack_file); unknown wordings
// come back unchanged.
std::string file_error_zh(const std::string& en);

// Joins a path relative to a pack's folder.
std::string resolve_relative(const std::string& dir, const std::string& path);
// Whether `path` (as written in the pack, absolute or relative to `dir`) stays inside the pack's folder
// `dir` ("" = the current folder) once "..", "." and symbolic links are resolved (issue 10 item 4).
bool inside_pack_folder(const std::string& dir, const std::string& path);

}  // namespace eligo::load
