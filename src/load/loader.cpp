#include "eligo/records.hpp"
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

// The JSON reader words its errors in English ("expected X, found Y"); this is the Chinese for each.
std::string json_error_zh(const std::string& en) {
  auto found = [&](const std::string& head, const std::string& zh) -> std::string {
    if (en.rfind(head + ", found ", 0) != 0) return "";
    std::string what = en.substr(head.size() + 8);
    if (what == "end of file") what = "文件结尾";
    return zh + "，却是 " + what;
  };
  static const std::pair<const char*, const char*> kFound[] = {
      {"expected a value", "这里应是一个值"},
      {"expected a key in double quotes", "这里应是写在英文双引号里的键"},
      {"expected ':' after the key", "键后面应有 ':'"},
      {"expected ',' or '}' in an object", "对象中这里应有 ',' 或 '}'"},
      {"expected ',' or ']' in an array", "数组中这里应有 ',' 或 ']'"},
  };
  for (const auto& [head, zh] : kFound)
    if (std::string s = found(head, zh); !s.empty()) return s;
  static const std::pair<const char*, const char*> kExact[] = {
      {"trailing comma before '}'", "'}' 前多了一个逗号"},
      {"trailing comma before ']'", "']' 前多了一个逗号"},
      {"incomplete \\u escape", "\\u 转义不完整"},
      {"bad hex digit in \\u escape", "\\u 转义中有不是十六进制的数字"},
      {"unterminated string", "字符串没有结束的双引号"},
      {"unpaired surrogate in \\u escape", "\\u 转义中的代理项不成对"},
      {"line break inside a string (write \\n)", "字符串中间换行了（换行请写 \\n）"},
      {"control character inside a string", "字符串中有控制字符"},
      {"invalid UTF-8", "不是有效的 UTF-8 编码（请把文件另存为 UTF-8）"},
      {"a number needs digits", "数字缺少数位"},
      {"a number may not start with 0", "数字不能以 0 开头"},
      {"a number needs digits after '.'", "数字的 '.' 后面缺少数位"},
      {"a number needs digits in its exponent", "数字的指数缺少数位"},
      {"a number longer than 64 characters", "数字超过 64 个字符"},
  };
  for (const auto& [e, zh] : kExact)
    if (en == e) return zh;
  if (en.rfind("unexpected ", 0) == 0 && en.size() > 40 &&
      en.compare(en.size() - 28, 28, " after the end of the document") == 0)
    return "文档结束后多出了 " + en.substr(11, en.size() - 11 - 28);
  if (en.rfind("nesting deeper than ", 0) == 0) return "嵌套超过 " + en.substr(20, en.find(' ', 20) - 20) + " 层";
  if (en.rfind("unknown escape ", 0) == 0) return "未知的转义 " + en.substr(15);
  return en;
}

// Full-width punctuation where JSON wants ASCII (typed with a Chinese input method): the ASCII to use.
std::string full_width_hint(const std::string& message, bool zh) {
  static const std::pair<const char*, const char*> kPunct[] = {
      {"“", "\""}, {"”", "\""}, {"，", ","}, {"：", ":"}, {"｛", "{"}, {"｝", "}"}, {"［", "["}, {"］", "]"}, {"　", " "},
      {"‘", "\""}, {"’", "\""}, {"【", "["}, {"】", "]"}};
  for (const auto& [fw, ascii] : kPunct) {
    const std::string quoted = std::string("'") + fw + "'";
    if (message.size() >= quoted.size() && message.compare(message.size() - quoted.size(), quoted.size(), quoted) == 0)
      return zh ? std::string("（全角的 '") + fw + "'：请改用半角的 '" + ascii + "'，切换到英文输入法）"
                : std::string(" (full-width '") + fw + "': write the ASCII '" + ascii + "')";
  }
  return "";
}

void parse_into(LoadedPack* out, std::uint32_t max_depth, Diagnostics* diagnostics, bool zh) {
  JsonLimits limits;
  limits.max_depth = max_depth;
  out->json = parse_json(out->text, limits);
  Reporter rep(out->file, out->text, diagnostics, zh);
  if (!out->json.ok) {
    const std::string& m = out->json.error.message;
    rep.at_pos(out->json.error.code.c_str(), out->json.error.pos, 1, "",
               rep.tr("malformed JSON: " + m, "JSON 格式错误：" + json_error_zh(m)) + full_width_hint(m, zh));
    return;
  }
  for (const auto& d : out->json.duplicates) {
    rep.at_pos("E1004", d.pos, static_cast<int>(d.key.size()) + 2, d.pointer + "/" + pointer_token(d.key),
               rep.tr("duplicate key '" + d.key + "' (first at line " + std::to_string(d.first_pos.line) +
                          "); the first one is used",
                      "键 '" + d.key + "' 重复（第一次出现在第 " + std::to_string(d.first_pos.line) + " 行）；只用第一个"));
  }
}

}  // namespace

std::string file_error_zh(const std::string& en) {
  std::string s = en, prefix;
  if (s.rfind("line ", 0) == 0 && s.find(": ") != std::string::npos) {
    const std::size_t colon = s.find(": ");
    prefix = "第 " + s.substr(5, colon - 5) + " 行：";
    s = s.substr(colon + 2);
  }
  if (s == "cannot open the file") return prefix + "无法打开该文件（路径是否写错？）";
  if (s == "cannot read the file") return prefix + "无法读取该文件";
  if (s == "a quote inside an unquoted field") return prefix + "未加引号的字段中出现了引号";
  if (s == "unterminated quoted field") return prefix + "引号字段没有结束的引号";
  if (s == "the file is empty (a header row is needed)") return prefix + "文件是空的（需要表头行）";
  if (s.rfind("the file is ", 0) == 0 && s.find(" bytes, more than the limit of ") != std::string::npos) {
    const std::size_t b = s.find(" bytes");
    return prefix + "文件有 " + s.substr(12, b - 12) + " 字节，超过上限 " + s.substr(s.rfind(' ') + 1);
  }
  if (s.find(" fields, the header has ") != std::string::npos) {
    const std::size_t f = s.find(" fields");
    return prefix + "有 " + s.substr(0, f) + " 个字段，表头有 " + s.substr(s.rfind(' ') + 1) + " 个";
  }
  return en;
}

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
                    Diagnostics* diagnostics, bool zh) {
  out->file = path;
  out->dir = dir_of(path);
  std::string error;
  if (!read_file(path, max_bytes, &out->text, &error)) {
    Reporter rep(path, "", diagnostics, zh);
    rep.at_file("E1002", rep.tr(error, file_error_zh(error)));
    out->json.ok = false;
    return false;
  }
  parse_into(out, max_depth, diagnostics, zh);
  return out->json.ok;
}

void load_pack_text(std::string text, const std::string& virtual_path, std::uint32_t max_depth, LoadedPack* out,
                    Diagnostics* diagnostics, bool zh) {
  out->file = virtual_path;
  out->dir = dir_of(virtual_path);
  out->text = std::move(text);
  parse_into(out, max_depth, diagnostics, zh);
}

bool read_csv(const std::string& path, std::size_t max_bytes, CsvTable* out, std::string* error) {
  // The bytes are kept for the pack hash; the rows come from the common record reader (src/records), so a
  // pack table is read by the same rules as every other CSV file. A table is all or nothing: any bad row
  // is an error.
  out->file = path;
  if (!read_file(path, max_bytes, &out->bytes, error)) return false;
  records::RecordReader reader;
  records::ReadOptions options;
  options.format = records::Format::csv;
  const std::string prefix = path + ": ";
  const auto strip = [&](std::string e) { return e.rfind(prefix, 0) == 0 ? e.substr(prefix.size()) : e; };
  if (!reader.open_text(out->bytes, path, options, error)) {
    *error = strip(*error);
    if (*error == "the file is empty (a CSV file needs a header row)") *error = "the file is empty (a header row is needed)";
    return false;
  }
  out->header = reader.header();
  for (;;) {
    const records::Next n = reader.next();
    if (n == records::Next::end) break;
    if (n == records::Next::error) {
      *error = strip(reader.error());
      return false;
    }
    if (n == records::Next::bad_row) {
      std::string why = reader.problem();
      if (why.rfind("has ", 0) == 0) why = why.substr(4);  // "3 fields, the header has 2"
      if (why == "a quoted cell is not closed before the end of the file") why = "unterminated quoted field";
      *error = "line " + std::to_string(reader.line()) + ": " + why;
      return false;
    }
    out->rows.emplace_back(reader.cells().begin(), reader.cells().end());
    out->row_lines.push_back(static_cast<std::uint32_t>(reader.line()));
  }
  return true;
}

}  // namespace eligo::load
