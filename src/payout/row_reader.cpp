// RowReader: RFC 4180 CSV (quotes, doubled quotes, CRLF, newlines inside quotes) and JSON Lines (flat
// objects; numbers keep their exact text), read in chunks so memory does not grow with the file.
#include "payout/row_reader.hpp"

#include <cstring>
#include <nlohmann/json.hpp>

namespace eligo::payout::detail {
namespace {

constexpr std::size_t kMaxRow = std::size_t{16} << 20;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  // ASCII fast path, eight bytes at a time.
  while (i + 8 <= n) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (w & 0x8080808080808080ull) break;
    i += 8;
  }
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    char32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (int k = 1; k < len; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = cp << 6 | (d & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

// Top-level scalars of one JSON object; nested values are marked so the row can be rejected.
class FlatObject : public nlohmann::json_sax<nlohmann::json> {
 public:
  FlatObject(const std::vector<std::string>& columns, std::vector<std::string>* values, std::vector<bool>* seen)
      : columns_(columns), values_(values), seen_(seen) {}
  bool null() override { return scalar(""); }
  bool boolean(bool v) override { return scalar(v ? "true" : "false"); }
  bool number_integer(number_integer_t v) override { return scalar(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return scalar(std::to_string(v)); }
  bool number_float(number_float_t, const string_t& text) override { return scalar(text); }
  bool string(string_t& v) override { return scalar(v); }
  bool binary(binary_t&) override { return scalar(""); }
  bool start_object(std::size_t) override {
    if (depth_ == 1) nested_key_ = key_;
    ++depth_;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 0) not_object_ = true;
    if (depth_ == 1) nested_key_ = key_;
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool key(string_t& k) override {
    if (depth_ == 1) key_ = k;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    error_position_ = position;
    return false;
  }
  bool not_object_ = false;
  std::string nested_key_;
  std::size_t error_position_ = 0;

 private:
  bool scalar(std::string_view v) {
    if (depth_ == 0) {
      not_object_ = true;
      return true;
    }
    if (depth_ != 1) return true;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i] == key_) {
        (*values_)[i].assign(v);
        (*seen_)[i] = true;
      }
    }
    return true;
  }
  const std::vector<std::string>& columns_;
  std::vector<std::string>* values_;
  std::vector<bool>* seen_;
  int depth_ = 0;
  std::string key_;
};

}  // namespace

bool RowReader::open(const std::string& path, const SourceMapping& mapping, const std::vector<std::string>& fields,
                     const std::vector<bool>& required, std::string* error) {
  path_ = path;
  fields_ = fields;
  for (const std::string& f : fields) columns_.push_back(mapping.column(f));
  delimiter_ = mapping.delimiter;
  std::string format = mapping.format;
  if (format.empty() || format == "auto") {
    const auto ends_with = [&](std::string_view ext) {
      return path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
    };
    format = ends_with(".jsonl") || ends_with(".ndjson") || ends_with(".json") ? "jsonl" : "csv";
  }
  jsonl_ = format == "jsonl";
  if (!text_.open(path, mapping.encoding, error)) return false;
  values_.assign(fields.size(), std::string_view());
  json_values_.assign(fields.size(), std::string());
  if (jsonl_) return true;
  // The header row: every required column must be there.
  for (;;) {
    std::size_t p = pos_;
    std::uint64_t newlines = 0;
    bool unclosed = false;
    const Parse r = parse_csv(&p, &newlines, &unclosed);
    if (r == Parse::need_more) {
      if (!fill()) {
        if (!error_.empty()) {
          *error = error_;
          return false;
        }
      }
      continue;
    }
    pos_ = p;
    line_ += newlines;
    if (r == Parse::blank) {
      if (eof_ && pos_ >= buf_.size()) {
        *error = path + ": the file is empty (no header row)";
        return false;
      }
      continue;
    }
    break;
  }
  header_size_ = cells_.size();
  std::string missing, present;
  for (std::size_t c = 0; c < cells_.size(); ++c) present += (c ? ", " : "") + std::string(trim(cells_[c]));
  for (std::size_t f = 0; f < fields.size(); ++f) {
    int found = -1;
    for (std::size_t c = 0; c < cells_.size(); ++c)
      if (trim(cells_[c]) == columns_[f]) found = static_cast<int>(c);
    column_index_.push_back(found);
    if (found < 0 && required[f])
      missing += (missing.empty() ? "" : ", ") + std::string("'") + columns_[f] + "' (" + fields[f] + ")";
  }
  if (!missing.empty()) {
    *error = path + ": the header lacks the column" + (missing.find(',') != std::string::npos ? "s " : " ") + missing +
             "; it has: " + present + " (map the columns with --mapping)";
    return false;
  }
  header_done_ = true;
  return true;
}

bool RowReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  if (buf_.size() > kMaxRow) {
    error_ = path_ + ": a row starting at line " + std::to_string(line_) +
             " is longer than 16 MiB (an unclosed quote?)";
    return false;
  }
  if (!text_.read(&buf_)) {
    if (!text_.error().empty()) {
      error_ = text_.error();
      return false;
    }
    eof_ = true;
    return false;
  }
  return true;
}

RowReader::Parse RowReader::parse_csv(std::size_t* pos, std::uint64_t* newlines, bool* unclosed) {
  cells_.clear();
  unescaped_.clear();
  std::size_t i = *pos;
  const std::size_t n = buf_.size();
  if (i >= n) return eof_ ? Parse::blank : Parse::need_more;
  for (;;) {
    if (i < n && buf_[i] == '"') {
      // Quoted field: up to the closing quote; doubled quotes are one quote.
      std::size_t j = i + 1;
      bool doubled = false;
      for (;;) {
        if (j >= n) {
          if (!eof_) return Parse::need_more;
          *unclosed = true;
          break;
        }
        if (buf_[j] == '"') {
          if (j + 1 >= n && !eof_) return Parse::need_more;
          if (j + 1 < n && buf_[j + 1] == '"') {
            doubled = true;
            j += 2;
            continue;
          }
          break;
        }
        if (buf_[j] == '\n') ++*newlines;
        ++j;
      }
      std::string_view inner(buf_.data() + i + 1, (j < n ? j : n) - i - 1);
      if (doubled) {
        std::string v;
        v.reserve(inner.size());
        for (std::size_t k = 0; k < inner.size(); ++k) {
          v += inner[k];
          if (inner[k] == '"' && k + 1 < inner.size() && inner[k + 1] == '"') ++k;
        }
        unescaped_.push_back(std::move(v));
        inner = unescaped_.back();
      }
      i = j < n ? j + 1 : n;
      // Text between the closing quote and the delimiter is kept, as spreadsheets do.
      std::size_t k = i;
      while (k < n && buf_[k] != delimiter_ && buf_[k] != '\n' && buf_[k] != '\r') ++k;
      if (k >= n && !eof_) return Parse::need_more;
      if (k > i) {
        unescaped_.push_back(std::string(inner) + std::string(buf_.data() + i, k - i));
        inner = unescaped_.back();
      }
      i = k;
      cells_.push_back(inner);
    } else {
      std::size_t k = i;
      while (k < n && buf_[k] != delimiter_ && buf_[k] != '\n' && buf_[k] != '\r') ++k;
      if (k >= n && !eof_) return Parse::need_more;
      cells_.emplace_back(buf_.data() + i, k - i);
      i = k;
    }
    if (i < n && buf_[i] == delimiter_) {
      ++i;
      continue;
    }
    // End of the row: "\r\n", "\n", a lone "\r", or the end of the file.
    if (i < n && buf_[i] == '\r') {
      if (i + 1 >= n && !eof_) return Parse::need_more;
      ++i;
      if (i < n && buf_[i] == '\n') ++i;
    } else if (i < n && buf_[i] == '\n') {
      ++i;
    }
    ++*newlines;
    break;
  }
  *pos = i;
  if (cells_.size() == 1 && trim(cells_[0]).empty()) return Parse::blank;
  return Parse::ok;
}

bool RowReader::check_utf8() {
  if (!text_.utf8()) return true;  // converted by ICU: valid by construction
  for (std::size_t f = 0; f < values_.size(); ++f) {
    if (!valid_utf8(values_[f])) {
      problem_field_ = fields_[f];
      problem_ = "not valid UTF-8 (if the file is GB18030, say so in the mapping's \"encoding\")";
      return false;
    }
  }
  return true;
}

RowReader::Next RowReader::next() { return jsonl_ ? next_jsonl() : next_csv(); }

RowReader::Next RowReader::next_csv() {
  for (;;) {
    std::size_t p = pos_;
    std::uint64_t newlines = 0;
    bool unclosed = false;
    const Parse r = parse_csv(&p, &newlines, &unclosed);
    if (r == Parse::need_more) {
      if (!fill() && !error_.empty()) return Next::error;
      continue;
    }
    if (r == Parse::blank && p == pos_) return Next::end;  // nothing left
    row_line_ = line_;
    pos_ = p;
    line_ += newlines;
    if (r == Parse::blank) continue;
    for (std::size_t f = 0; f < fields_.size(); ++f)
      values_[f] = column_index_[f] >= 0 && static_cast<std::size_t>(column_index_[f]) < cells_.size()
                       ? trim(cells_[column_index_[f]])
                       : std::string_view();
    if (unclosed) {
      problem_field_.clear();
      problem_ = "a quoted field is not closed before the end of the file";
      return Next::bad_row;
    }
    if (cells_.size() != header_size_) {
      problem_field_.clear();
      problem_ = "has " + std::to_string(cells_.size()) + " fields, the header has " + std::to_string(header_size_);
      return Next::bad_row;
    }
    if (!check_utf8()) return Next::bad_row;
    return Next::row;
  }
}

RowReader::Next RowReader::next_jsonl() {
  for (;;) {
    std::size_t nl = buf_.find('\n', pos_);
    if (nl == std::string::npos) {
      if (!eof_) {
        if (!fill() && !error_.empty()) return Next::error;
        continue;
      }
      if (pos_ >= buf_.size()) return Next::end;
      nl = buf_.size();
    }
    std::string_view line(buf_.data() + pos_, nl - pos_);
    pos_ = nl < buf_.size() ? nl + 1 : nl;
    row_line_ = line_++;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    std::vector<bool> seen(fields_.size(), false);
    FlatObject sax(columns_, &json_values_, &seen);
    const bool ok = nlohmann::json::sax_parse(line, &sax, nlohmann::json::input_format_t::json, false);
    for (std::size_t f = 0; f < fields_.size(); ++f) values_[f] = seen[f] ? trim(json_values_[f]) : std::string_view();
    problem_field_.clear();
    if (!ok) {
      // The parser's own message may quote the offending text (an ID number, say): only the position is kept.
      problem_ = "not valid JSON near byte " + std::to_string(sax.error_position_);
      return Next::bad_row;
    }
    if (sax.not_object_) {
      problem_ = "not a JSON object";
      return Next::bad_row;
    }
    if (!sax.nested_key_.empty()) {
      bool wanted = false;
      for (const std::string& c : columns_) wanted = wanted || c == sax.nested_key_;
      if (wanted) {
        for (std::size_t f = 0; f < fields_.size(); ++f)
          if (columns_[f] == sax.nested_key_) problem_field_ = fields_[f];
        problem_ = "an object or array, not a single value";
        return Next::bad_row;
      }
    }
    return Next::row;
  }
}

}  // namespace eligo::payout::detail
