// Lookup tables: reference data a district keeps (subsidy amounts by category, seed 003's 数据库建表管理),
// declared under "tables", read at compile time from a CSV file or an SQLite table through the one record
// reader (src/records), typed by "columns" and indexed by "key". Read in expressions with
// lookup('name', key…).column and has_row('name', key…). A cell that is not of its column's type and a key
// given twice are located diagnostics in the table's own file; the rows are part of the pack hash.
#include <algorithm>

#include "compile/compiler_impl.hpp"
#include "eligo/records.hpp"

namespace eligo::compile {

namespace {

int code_points(std::string_view s) {
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The text of line `line` (1-based) of CSV `bytes`, and the column (code points, 1-based) and width of cell
// `index` on it. Cells are found by counting delimiters outside quotes.
void csv_cell_place(const std::string& bytes, std::uint32_t line, std::size_t index, std::string* text, int* column,
                    int* span) {
  std::size_t at = 0;
  for (std::uint32_t l = 1; l < line && at < bytes.size(); ++l) {
    const std::size_t nl = bytes.find('\n', at);
    at = nl == std::string::npos ? bytes.size() : nl + 1;
  }
  std::size_t end = bytes.find('\n', at);
  if (end == std::string::npos) end = bytes.size();
  *text = bytes.substr(at, end - at);
  if (!text->empty() && text->back() == '\r') text->pop_back();
  std::size_t cell = 0, start = 0;
  bool quoted = false;
  for (std::size_t i = 0; i <= text->size(); ++i) {
    const char c = i < text->size() ? (*text)[i] : ',';
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      if (cell == index) {
        *column = code_points(std::string_view(*text).substr(0, start)) + 1;
        *span = std::max(1, code_points(std::string_view(*text).substr(start, i - start)));
        return;
      }
      ++cell;
      start = i + 1;
    }
  }
  *column = 1;
  *span = 1;
}

}  // namespace

void Compiler::compile_tables(const JsonNode& n) {
  if (!expect_kind(n, JsonNode::Kind::object, "/tables", "\"tables\"")) return;
  const std::string what = tr("a lookup table", "查找表");
  for (const auto& [name, decl] : n.members) {
    const std::string pointer = ptr("/tables", name);
    detail::LookupTable table;
    table.name = name;
    // Keep the name known even when the declaration fails: no second "unknown table" error.
    auto give_up = [&] { p_->tables.push_back(std::move(table)); };
    if (!expect_kind(decl, JsonNode::Kind::object, pointer, what)) {
      give_up();
      continue;
    }
    check_keys(decl, pointer, {"file", "sqlite", "table", "key", "columns", "label", "note"}, what);
    const JsonNode* file_node = decl.find("file");
    const JsonNode* db_node = decl.find("sqlite");
    if ((file_node != nullptr) == (db_node != nullptr)) {
      rep_.at_node("E1103", decl, pointer,
                   tr("a lookup table names a CSV \"file\" or an \"sqlite\" database with its \"table\" (one of them)",
                      "查找表要写 CSV 文件 \"file\"，或 SQLite 数据库 \"sqlite\" 加 \"table\"（二者选一）"));
      give_up();
      continue;
    }
    const JsonNode* where = file_node ? file_node : db_node;
    const std::string where_ptr = ptr(pointer, file_node ? "file" : "sqlite");
    const std::string file = get_string(where, where_ptr, file_node ? "\"file\"" : "\"sqlite\"");
    std::string db_table;
    if (db_node) db_table = get_string(require_key(decl, "table", pointer, what), ptr(pointer, "table"), "\"table\"");
    // Key columns: a name or a list of names.
    std::vector<std::string> key_names;
    std::vector<const JsonNode*> key_nodes;
    std::vector<std::string> key_ptrs;
    if (const JsonNode* k = require_key(decl, "key", pointer, what)) {
      if (k->is_string()) {
        key_names.push_back(k->text);
        key_nodes.push_back(k);
        key_ptrs.push_back(ptr(pointer, "key"));
      } else if (expect_kind(*k, JsonNode::Kind::array, ptr(pointer, "key"), "\"key\"")) {
        for (std::size_t i = 0; i < k->items.size(); ++i) {
          const std::string s = get_string(&k->items[i], ptr(ptr(pointer, "key"), i), tr("a key column", "键列"));
          if (s.empty()) continue;
          key_names.push_back(s);
          key_nodes.push_back(&k->items[i]);
          key_ptrs.push_back(ptr(ptr(pointer, "key"), i));
        }
      }
      if (key_names.empty() || key_names.size() > 4) {
        rep_.at_node("E1102", *k, ptr(pointer, "key"),
                     tr("\"key\" names one to four columns", "\"key\" 要写一到四个列名"));
        key_names.clear();
      }
    }
    if (file.empty() || (db_node && db_table.empty()) || key_names.empty()) {
      give_up();
      continue;
    }
    if (!opt_.allow_outside_paths && !load::inside_pack_folder(lp_.dir, file)) {
      rep_.at_node("E1110", *where, where_ptr, outside_message("table file", file));
      give_up();
      continue;
    }
    // The rows, through the one record reader.
    const std::string path = load::resolve_relative(lp_.dir, file);
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::uint32_t> lines;
    std::string bytes, error, shown = path;  // `shown` names the rows' file in diagnostics
    if (file_node) {
      load::CsvTable csv;
      if (!load::read_csv(path, opt_.max_file_bytes, &csv, &error)) {
        rep_.at_node("E1109", *where, where_ptr,
                     tr("cannot use table '" + path + "': " + error, "无法使用表格文件 '" + path + "'：" + load::file_error_zh(error)));
        give_up();
        continue;
      }
      header = std::move(csv.header);
      rows = std::move(csv.rows);
      lines = std::move(csv.row_lines);
      bytes = std::move(csv.bytes);
      hash_input_ += "\n#lookup " + name + " " + file + "\n" + bytes;
    } else {
      shown = path + ":" + db_table;
      records::RecordReader reader;
      records::ReadOptions ro;
      ro.format = records::Format::sqlite;
      ro.table = db_table;
      bool ok = reader.open(path, ro, &error);
      if (ok) {
        header = reader.header();
        for (;;) {
          const records::Next next = reader.next();
          if (next == records::Next::end) break;
          if (next != records::Next::row) {
            error = next == records::Next::error ? reader.error()
                                                 : "row " + std::to_string(reader.line()) + ": " + reader.problem();
            ok = false;
            break;
          }
          rows.emplace_back(reader.cells().begin(), reader.cells().end());
          lines.push_back(static_cast<std::uint32_t>(reader.line()));
        }
      }
      if (!ok) {
        rep_.at_node("E1109", *where, where_ptr,
                     tr("cannot use table '" + shown + "': " + error, "无法使用数据表 '" + shown + "'：" + error));
        give_up();
        continue;
      }
      // The rows as read (not the database file's bytes, which change with vacuuming) enter the hash.
      hash_input_ += "\n#lookup " + name + " " + file + ":" + db_table + "\n";
      for (const auto& h : header) hash_input_ += h + '\x1f';
      for (const auto& r : rows) {
        hash_input_ += '\x1e';
        for (const auto& c : r) hash_input_ += c + '\x1f';
      }
    }
    auto columns_text = [&] {
      std::string cols;
      for (auto& h : header) cols += (cols.empty() ? "" : ", ") + h;
      return cols;
    };
    auto column_of = [&](const std::string& c) {
      auto it = std::find(header.begin(), header.end(), c);
      return it == header.end() ? -1 : static_cast<int>(it - header.begin());
    };
    auto no_column = [&](const JsonNode& at, const std::string& at_ptr, const std::string& c) {
      rep_.at_node("E1109", at, at_ptr,
                   tr("table '" + shown + "' has no column '" + c + "' (columns: " + columns_text() + ")",
                      "表格 '" + shown + "' 没有 '" + c + "' 列（已有的列：" + columns_text() + "）") +
                       did_you_mean(load::closest(c, header)));
    };
    // Column types: declared in "columns"; a column not declared is text.
    std::vector<std::uint32_t> types(header.size(), kStr);
    bool ok = true;
    if (const JsonNode* cols = decl.find("columns")) {
      if (expect_kind(*cols, JsonNode::Kind::object, ptr(pointer, "columns"), "\"columns\"")) {
        for (std::size_t i = 0; i < cols->members.size(); ++i) {
          const auto& [col, t] = cols->members[i];
          const std::string cp = ptr(ptr(pointer, "columns"), col);
          const int at = column_of(col);
          if (at < 0) {
            rep_.at_key("E1109", *cols, i, cp,
                        tr("table '" + shown + "' has no column '" + col + "' (columns: " + columns_text() + ")",
                           "表格 '" + shown + "' 没有 '" + col + "' 列（已有的列：" + columns_text() + "）") +
                            did_you_mean(load::closest(col, header)));
            ok = false;
            continue;
          }
          std::string s = t.is_string() ? t.text : "";
          const bool optional = s.size() > 1 && s.back() == '?';
          if (optional) s.pop_back();
          std::uint32_t type = kErr;
          if (s == "string") type = kStr;
          else if (s == "number") type = kNum;
          else if (s == "date") type = kDate;
          else if (s == "bool") type = kBool;
          if (type == kErr) {
            rep_.at_node("E1106", t, cp,
                         tr("a table column is \"string\", \"number\", \"date\" or \"bool\" (with '?' when a cell may be empty)",
                            "表格列的类型是 \"string\"、\"number\"、\"date\" 或 \"bool\"（单元格可以为空时加 '?'）"));
            ok = false;
            continue;
          }
          types[static_cast<std::size_t>(at)] = optional ? optional_of(type) : type;
        }
      }
    }
    for (std::size_t k = 0; k < key_names.size(); ++k) {
      const int at = column_of(key_names[k]);
      if (at < 0) {
        no_column(*key_nodes[k], key_ptrs[k], key_names[k]);
        ok = false;
        continue;
      }
      const std::uint32_t t = types[static_cast<std::size_t>(at)];
      if (p_->types[t].optional || kind(t) == TKind::boolean) {
        rep_.at_node("E1102", *key_nodes[k], key_ptrs[k],
                     tr("key column '" + key_names[k] + "' must be a string, number or date that every row has",
                        "键列 '" + key_names[k] + "' 必须是每行都有值的字符串、数字或日期"));
        ok = false;
        continue;
      }
      table.key.push_back(static_cast<std::uint32_t>(at));
    }
    if (!ok) {
      give_up();
      continue;
    }
    // The row record type.
    detail::RecordInfo rec;
    for (std::size_t c = 0; c < header.size(); ++c)
      rec.fields.push_back({header[c], types[c], Pii::none, {}, p_->intern_path("lookup('" + name + "')." + header[c])});
    p_->records.push_back(std::move(rec));
    TypeInfo rt;
    rt.kind = TKind::record;
    rt.record = static_cast<std::uint32_t>(p_->records.size() - 1);
    table.type = add_type(rt);
    table.width = static_cast<std::uint32_t>(header.size());
    // The cells, typed.
    const std::string file_ptr = where_ptr;
    auto cell_error = [&](const char* code, std::size_t r, std::size_t c, const std::string& en, const std::string& zh) {
      std::string text;
      int column = 0, span = 0;
      if (file_node) csv_cell_place(bytes, lines[r], c, &text, &column, &span);
      rep_.in_other_file(code, shown, static_cast<int>(lines[r]), file_node ? column : 0, text, span, file_ptr,
                         tr(en, zh));
    };
    table.cells.reserve(rows.size() * header.size());
    std::vector<char> key_ok(rows.size(), 1);  // rows whose key cells were read: checked for duplicates
    auto is_key = [&](std::size_t c) { return std::find(table.key.begin(), table.key.end(), c) != table.key.end(); };
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (std::size_t c = 0; c < header.size(); ++c) {
        const std::string& cell = rows[r][c];
        const std::uint32_t t = types[c];
        const std::string col = "'" + header[c] + "'";
        Value v;
        if (cell.empty() && kind(t) != TKind::string) {
          if (p_->types[t].optional) {
            v = Value::null();
          } else {
            cell_error("E1220", r, c, "column " + col + " is empty; declare it \"" + type_name(t) + "?\" if a row may leave it empty",
                       "列 " + col + " 为空；如果允许为空，请声明为 \"" + type_name(t) + "?\"");
            ok = false;
            key_ok[r] &= !is_key(c);
          }
        } else if (kind(t) == TKind::number) {
          if (auto d = Decimal::parse(cell)) v = Value::number(*d);
          else {
            cell_error("E1220", r, c, "column " + col + ": '" + cell + "' is not a number", "列 " + col + "：'" + cell + "' 不是数字");
            ok = false;
            key_ok[r] &= !is_key(c);
          }
        } else if (kind(t) == TKind::date) {
          if (auto d = Date::parse(cell)) v = Value::of_date(*d);
          else {
            cell_error("E1220", r, c, "column " + col + ": '" + cell + "' is not a date (YYYY-MM-DD)",
                       "列 " + col + "：'" + cell + "' 不是日期（YYYY-MM-DD）");
            ok = false;
            key_ok[r] &= !is_key(c);
          }
        } else if (kind(t) == TKind::boolean) {
          if (cell == "true" || cell == "false") v = Value::boolean(cell == "true");
          else {
            cell_error("E1220", r, c, "column " + col + ": '" + cell + "' is not true or false",
                       "列 " + col + "：'" + cell + "' 不是 true 或 false");
            ok = false;
            key_ok[r] &= !is_key(c);
          }
        } else {
          v = string_value(cell);
        }
        table.cells.push_back(v);
      }
    }
    for (std::size_t r = 0; r < rows.size(); ++r) table.rows.push_back(Value::record(table.cells.data() + r * table.width));
    for (std::size_t r = 0; r < rows.size(); ++r)
      if (key_ok[r]) table.order.push_back(static_cast<std::uint32_t>(r));
    auto key_cmp = [&](std::uint32_t a, std::uint32_t b) {
      for (std::uint32_t k : table.key) {
        const int c = detail::values_compare(table.rows[a].items[k], table.rows[b].items[k]);
        if (c != 0) return c;
      }
      return 0;
    };
    std::stable_sort(table.order.begin(), table.order.end(), [&](std::uint32_t a, std::uint32_t b) { return key_cmp(a, b) < 0; });
    for (std::size_t i = 1; i < table.order.size(); ++i) {
      const std::uint32_t first = table.order[i - 1], again = table.order[i];
      if (key_cmp(first, again) != 0) continue;
      std::string key;
      for (std::uint32_t k : table.key) key += (key.empty() ? "" : ", ") + header[k] + " = " + rows[again][k];
      const std::string where_first =
          tr((file_node ? "line " : "row ") + std::to_string(lines[first]), "第 " + std::to_string(lines[first]) + " 行");
      cell_error("E1221", again, table.key[0],
                 "table '" + name + "' has the key (" + key + ") twice: " + where_first + " has it too",
                 "查找表 '" + name + "' 的键（" + key + "）重复：" + where_first + "也是这个键");
      ok = false;
    }
    if (!ok) {
      give_up();
      continue;
    }
    p_->tables.push_back(std::move(table));
  }
}

Lowered Compiler::lower_lookup(const Ast* a, const ExprCtx& ctx, bool has_row) {
  const std::string& f = a->text;
  const auto& args = a->kids;
  const Ast* name = args.empty() ? nullptr : args[0].get();
  if (!name || name->kind != Ast::Kind::string) {
    err(ctx, name ? name : a, "E1219",
        tr(f + "() takes the table's name written in the rule, then its key values, like " + f + "('subsidy', kind)",
           f + "() 的第一个参数是直接写出的查找表名，后面是键的值，如 " + f + "('subsidy', kind)"));
    return {0, kErr};
  }
  std::int32_t index = -1;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < p_->tables.size(); ++i) {
    names.push_back(p_->tables[i].name);
    if (p_->tables[i].name == name->text) index = static_cast<std::int32_t>(i);
  }
  if (index < 0) {
    err(ctx, name, "E1219", tr("unknown lookup table '" + name->text + "'", "未知的查找表 '" + name->text + "'") +
                                did_you_mean(load::closest(name->text, names)));
    return {0, kErr};
  }
  const detail::LookupTable& t = p_->tables[static_cast<std::size_t>(index)];
  if (t.key.empty()) return {0, kErr};  // its declaration already failed
  const detail::RecordInfo& rec = p_->records[p_->types[t.type].record];
  std::string key_list;
  for (std::uint32_t k : t.key) key_list += (key_list.empty() ? "" : ", ") + rec.fields[k].name;
  if (args.size() - 1 != t.key.size()) {
    err(ctx, a, "E1205",
        tr(f + "('" + t.name + "', …) takes " + std::to_string(t.key.size()) + " key value" + (t.key.size() == 1 ? "" : "s") +
               " (" + key_list + "), got " + std::to_string(args.size() - 1),
           f + "('" + t.name + "', …) 需要 " + std::to_string(t.key.size()) + " 个键值（" + key_list + "），这里给了 " +
               std::to_string(args.size() - 1) + " 个"));
    return {0, kErr};
  }
  std::vector<std::uint32_t> nodes;
  for (std::size_t i = 1; i < args.size(); ++i) {
    Lowered x = lower(args[i].get(), ctx);
    if (!x.ok()) return x;
    const detail::FieldInfo& col = rec.fields[t.key[i - 1]];
    if (!same_kind(x.type, col.type) || kind(x.type) == TKind::null) {
      err(ctx, args[i].get(), "E1206",
          tr("key column '" + col.name + "' of table '" + t.name + "' is a " + type_name(col.type) + ", not " + type_name(x.type),
             "查找表 '" + t.name + "' 的键列 '" + col.name + "' 是 " + type_name(col.type) + "，不是 " + type_name(x.type)));
      return {0, kErr};
    }
    nodes.push_back(x.node);
  }
  Node n;
  n.op = Op::Call;
  n.sub = static_cast<std::uint8_t>(has_row ? Builtin::has_row : Builtin::lookup);
  n.b = static_cast<std::uint32_t>(p_->args.size());
  n.c = static_cast<std::uint32_t>(nodes.size());
  n.d = static_cast<std::uint32_t>(index);
  n.type = has_row ? kBool : t.type;
  for (auto x : nodes) p_->args.push_back(x);
  return fold({emit(n, ctx, a), n.type}, ctx, a);
}

}  // namespace eligo::compile
