#include "load/loader.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "load/reporter.hpp"

namespace eligo::load {
namespace {

bool read_file(const std::string& path, std::size_t max_bytes, std::string* out, std::string* error) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *error = "cannot open the file";
    return false;
  }
  f.seekg(0, std::ios::end);
  const std::streamoff size = f.tellg();
  if (size < 0) {
    *error = "cannot read the file";
    return false;
  }
  if (static_cast<std::size_t>(size) > max_bytes) {
    *error = "the file is " + std::to_string(size) + " bytes, more than the limit of " + std::to_string(max_bytes);
    return false;
  }
  f.seekg(0);
  out->resize(static_cast<std::size_t>(size));
  if (size > 0 && !f.read(&(*out)[0], size)) {
    *error = "cannot read the file";
    return false;
  }
  return true;
}

std::string dir_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

void parse_into(LoadedPack* out, std::uint32_t max_depth, Diagnostics* diagnostics) {
  JsonLimits limits;
  limits.max_depth = max_depth;
  out->json = parse_json(out->text, limits);
  Reporter rep(out->file, out->text, diagnostics);
  if (!out->json.ok) {
    rep.at_pos(out->json.error.code.c_str(), out->json.error.pos, 1, "", "malformed JSON: " + out->json.error.message);
    return;
  }
  for (const auto& d : out->json.duplicates) {
    rep.at_pos("E1004", d.pos, static_cast<int>(d.key.size()) + 2, d.pointer + "/" + pointer_token(d.key),
               "duplicate key '" + d.key + "' (first at line " + std::to_string(d.first_pos.line) +
                   "); the first one is used");
  }
}

}  // namespace

std::string resolve_relative(const std::string& dir, const std::string& path) {
  if (path.empty() || path[0] == '/' || dir.empty()) return path;
  return dir + "/" + path;
}

bool inside_pack_folder(const std::string& dir, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // weakly_canonical resolves the symbolic links of the part that exists and normalises the rest.
  const fs::path base = fs::weakly_canonical(fs::absolute(dir.empty() ? fs::path(".") : fs::path(dir), ec), ec);
  if (ec) return false;
  const fs::path target = fs::weakly_canonical(fs::absolute(resolve_relative(dir, path), ec), ec);
  if (ec) return false;
  auto b = base.begin(), t = target.begin();
  for (; b != base.end(); ++b, ++t) {
    if (b->empty() && std::next(b) == base.end()) break;  // a trailing separator
    if (t == target.end() || *b != *t) return false;
  }
  return true;
}

bool load_pack_file(const std::string& path, std::size_t max_bytes, std::uint32_t max_depth, LoadedPack* out,
                    Diagnostics* diagnostics) {
  out->file = path;
  out->dir = dir_of(path);
  std::string error;
  if (!read_file(path, max_bytes, &out->text, &error)) {
    Reporter(path, "", diagnostics).at_file("E1002", error);
    out->json.ok = false;
    return false;
  }
  parse_into(out, max_depth, diagnostics);
  return out->json.ok;
}

void load_pack_text(std::string text, const std::string& virtual_path, std::uint32_t max_depth, LoadedPack* out,
                    Diagnostics* diagnostics) {
  out->file = virtual_path;
  out->dir = dir_of(virtual_path);
  out->text = std::move(text);
  parse_into(out, max_depth, diagnostics);
}

bool read_csv(const std::string& path, std::size_t max_bytes, CsvTable* out, std::string* error) {
  out->file = path;
  if (!read_file(path, max_bytes, &out->bytes, error)) return false;
  const std::string& s = out->bytes;
  std::size_t i = s.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  std::uint32_t line = 1;
  std::vector<std::string> row;
  std::string field;
  bool in_quotes = false, any = false;
  std::uint32_t row_line = 1;
  auto end_row = [&]() {
    row.push_back(std::move(field));
    field.clear();
    if (!(row.size() == 1 && row[0].empty())) {  // blank lines are skipped
      if (out->header.empty()) {
        out->header = std::move(row);
      } else {
        out->rows.push_back(std::move(row));
        out->row_lines.push_back(row_line);
      }
    }
    row.clear();
    any = false;
  };
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (!any) {
      row_line = line;
      any = true;
    }
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty()) {
        *error = "line " + std::to_string(line) + ": a quote inside an unquoted field";
        return false;
      }
      in_quotes = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      end_row();
      ++line;
    } else if (c != '\r') {
      field.push_back(c);
    }
  }
  if (in_quotes) {
    *error = "line " + std::to_string(row_line) + ": unterminated quoted field";
    return false;
  }
  if (any) end_row();
  if (out->header.empty()) {
    *error = "the file is empty (a header row is needed)";
    return false;
  }
  for (std::size_t r = 0; r < out->rows.size(); ++r) {
    if (out->rows[r].size() != out->header.size()) {
      *error = "line " + std::to_string(out->row_lines[r]) + ": " + std::to_string(out->rows[r].size()) +
               " fields, the header has " + std::to_string(out->header.size());
      return false;
    }
  }
  return true;
}

}  // namespace eligo::load
