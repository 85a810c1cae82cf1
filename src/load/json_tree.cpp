#include "load/json_tree.hpp"
#include "records/utf8.hpp"

#include <algorithm>
#include <cstdio>

namespace eligo::load {

const JsonNode* JsonNode::find(std::string_view key) const {
  for (const auto& m : members)
    if (m.first == key) return &m.second;
  return nullptr;
}

const char* kind_name(JsonNode::Kind kind) {
  switch (kind) {
    case JsonNode::Kind::null: return "null";
    case JsonNode::Kind::boolean: return "boolean";
    case JsonNode::Kind::number: return "number";
    case JsonNode::Kind::string: return "string";
    case JsonNode::Kind::array: return "array";
    case JsonNode::Kind::object: return "object";
  }
  return "value";
}

std::string pointer_token(std::string_view key) {
  std::string s;
  for (char c : key) {
    if (c == '~') s += "~0";
    else if (c == '/') s += "~1";
    else s += c;
  }
  return s;
}

namespace {

struct Failure {
  SourcePos pos;
  std::string message;
  std::string code;
};

class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits, JsonParseResult* result)
      : s_(text), limits_(limits), result_(result) {}

  void run() {
    skip_ws();
    parse_value(&result_->root, 0);
    skip_ws();
    if (i_ < s_.size()) fail("unexpected " + describe_here() + " after the end of the document");
  }

 private:
  std::string_view s_;
  const JsonLimits& limits_;
  JsonParseResult* result_;
  std::size_t i_ = 0;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;
  std::size_t nodes_ = 0;
  // The path to the value being parsed, materialised as a JSON pointer only when a duplicate key needs it.
  struct Step {
    const std::string* key;
    std::size_t index;
  };
  std::vector<Step> path_;

  std::string pointer() const {
    std::string p;
    for (const Step& st : path_) p += "/" + (st.key ? pointer_token(*st.key) : std::to_string(st.index));
    return p;
  }

  // Column in code points, counted on from the last position asked for on this line: positions are
  // asked for in increasing order, so a long single-line document stays linear.
  mutable std::size_t col_from_ = 0;
  mutable std::uint32_t col_ = 1;
  SourcePos here() const {
    if (col_from_ < line_start_ || col_from_ > i_) {
      col_from_ = line_start_;
      col_ = 1;
    }
    for (; col_from_ < i_ && col_from_ < s_.size(); ++col_from_)
      if ((static_cast<unsigned char>(s_[col_from_]) & 0xC0) != 0x80) ++col_;
    return SourcePos{static_cast<std::uint32_t>(i_), line_, col_};
  }

  [[noreturn]] void fail(const std::string& msg, const std::string& code = "E1001") {
    throw Failure{here(), msg, code};
  }

  std::string describe_here() const {
    if (i_ >= s_.size()) return "end of file";
    const unsigned char c = static_cast<unsigned char>(s_[i_]);
    if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
    // A whole UTF-8 character is shown as itself: a full-width '，' or '“' is what policy staff will recognise.
    const std::size_t len = c >= 0xF0 && c < 0xF8 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    bool whole = len > 0 && i_ + len <= s_.size();
    for (std::size_t k = 1; whole && k < len; ++k) whole = (static_cast<unsigned char>(s_[i_ + k]) & 0xC0) == 0x80;
    if (whole) return "'" + std::string(s_.substr(i_, len)) + "'";
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
    return buf;
  }

  void skip_ws() {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '\n') {
        ++line_;
        ++i_;
        line_start_ = i_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++i_;
      } else {
        break;
      }
    }
  }

  void parse_value(JsonNode* n, std::uint32_t depth) {
    if (++nodes_ > limits_.max_nodes) fail("the document has more than " + std::to_string(limits_.max_nodes) + " values", "E1003");
    n->pos = here();
    if (i_ >= s_.size()) fail("expected a value, found end of file");
    const char c = s_[i_];
    if (c == '{' || c == '[') {
      if (depth >= limits_.max_depth)
        fail("nesting deeper than " + std::to_string(limits_.max_depth) + " levels", "E1003");
      if (c == '{') parse_object(n, depth);
      else parse_array(n, depth);
    } else if (c == '"') {
      n->kind = JsonNode::Kind::string;
      parse_string(&n->text, &n->escaped);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      n->kind = JsonNode::Kind::number;
      parse_number(&n->text);
    } else if (s_.compare(i_, 4, "true") == 0) {
      n->kind = JsonNode::Kind::boolean;
      n->boolean = true;
      i_ += 4;
    } else if (s_.compare(i_, 5, "false") == 0) {
      n->kind = JsonNode::Kind::boolean;
      i_ += 5;
    } else if (s_.compare(i_, 4, "null") == 0) {
      n->kind = JsonNode::Kind::null;
      i_ += 4;
    } else {
      fail("expected a value, found " + describe_here());
    }
    n->end_offset = static_cast<std::uint32_t>(i_);
  }

  void parse_object(JsonNode* n, std::uint32_t depth) {
    n->kind = JsonNode::Kind::object;
    ++i_;
    skip_ws();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return;
    }
    while (true) {
      skip_ws();
      if (i_ >= s_.size() || s_[i_] != '"') fail("expected a key in double quotes, found " + describe_here());
      const SourcePos kpos = here();
      std::string key;
      bool esc;
      parse_string(&key, &esc);
      skip_ws();
      if (i_ >= s_.size() || s_[i_] != ':') fail("expected ':' after the key, found " + describe_here());
      ++i_;
      skip_ws();
      JsonNode value;
      path_.push_back({&key, 0});
      parse_value(&value, depth + 1);
      path_.pop_back();
      auto dup = std::find_if(n->members.begin(), n->members.end(), [&](const auto& m) { return m.first == key; });
      if (dup != n->members.end()) {
        result_->duplicates.push_back(
            {kpos, n->key_pos[static_cast<std::size_t>(dup - n->members.begin())], key, pointer()});
      } else {
        n->members.emplace_back(std::move(key), std::move(value));
        n->key_pos.push_back(kpos);
      }
      skip_ws();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        skip_ws();
        if (i_ < s_.size() && s_[i_] == '}') fail("trailing comma before '}'");
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return;
      }
      fail("expected ',' or '}' in an object, found " + describe_here());
    }
  }

  void parse_array(JsonNode* n, std::uint32_t depth) {
    n->kind = JsonNode::Kind::array;
    ++i_;
    skip_ws();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return;
    }
    while (true) {
      skip_ws();
      n->items.emplace_back();
      path_.push_back({nullptr, n->items.size() - 1});
      parse_value(&n->items.back(), depth + 1);
      path_.pop_back();
      skip_ws();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        skip_ws();
        if (i_ < s_.size() && s_[i_] == ']') fail("trailing comma before ']'");
        continue;
      }
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return;
      }
      fail("expected ',' or ']' in an array, found " + describe_here());
    }
  }

  
  std::uint32_t hex4() {
    if (i_ + 4 > s_.size()) fail("incomplete \\u escape");
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else { --i_; fail("bad hex digit in \\u escape"); }
    }
    return v;
  }

  // Validates UTF-8 as it copies: rule text must be readable text.
  void parse_string(std::string* out, bool* escaped) {
    *escaped = false;
    ++i_;  // opening quote
    const std::size_t start = i_;
    while (true) {
      if (i_ >= s_.size()) fail("unterminated string");
      if (i_ - start > limits_.max_string_bytes)
        fail("a string longer than " + std::to_string(limits_.max_string_bytes) + " bytes", "E1003");
      const unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return;
      }
      if (c == '\\') {
        *escaped = true;
        ++i_;
        if (i_ >= s_.size()) fail("unterminated string");
        const char e = s_[i_++];
        switch (e) {
          case '"': out->push_back('"'); break;
          case '\\': out->push_back('\\'); break;
          case '/': out->push_back('/'); break;
          case 'b': out->push_back('\b'); break;
          case 'f': out->push_back('\f'); break;
          case 'n': out->push_back('\n'); break;
          case 'r': out->push_back('\r'); break;
          case 't': out->push_back('\t'); break;
          case 'u': {
            std::uint32_t cp = hex4();
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              if (i_ + 2 <= s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
                i_ += 2;
                const std::uint32_t lo = hex4();
                if (lo < 0xDC00 || lo > 0xDFFF) fail("unpaired surrogate in \\u escape");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              } else {
                fail("unpaired surrogate in \\u escape");
              }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              fail("unpaired surrogate in \\u escape");
            }
            records::detail::append_utf8(out, cp);
            break;
          }
          default: --i_; fail(std::string("unknown escape '\\") + e + "'");
        }
        continue;
      }
      if (c < 0x20) fail(c == '\n' ? "line break inside a string (write \\n)" : "control character inside a string");
      if (c < 0x80) {
        out->push_back(static_cast<char>(c));
        ++i_;
        continue;
      }
      const int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
      if (len == 0 || i_ + len > s_.size()) fail("invalid UTF-8");
      for (int k = 1; k < len; ++k)
        if ((static_cast<unsigned char>(s_[i_ + k]) & 0xC0) != 0x80) fail("invalid UTF-8");
      out->append(s_.data() + i_, static_cast<std::size_t>(len));
      i_ += static_cast<std::size_t>(len);
    }
  }

  void parse_number(std::string* out) {
    const std::size_t start = i_;
    if (s_[i_] == '-') ++i_;
    if (i_ >= s_.size() || s_[i_] < '0' || s_[i_] > '9') fail("a number needs digits");
    if (s_[i_] == '0' && i_ + 1 < s_.size() && s_[i_ + 1] >= '0' && s_[i_ + 1] <= '9')
      fail("a number may not start with 0");
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (i_ >= s_.size() || s_[i_] < '0' || s_[i_] > '9') fail("a number needs digits after '.'");
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (i_ >= s_.size() || s_[i_] < '0' || s_[i_] > '9') fail("a number needs digits in its exponent");
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    }
    if (i_ - start > 64) fail("a number longer than 64 characters", "E1003");
    out->assign(s_.data() + start, i_ - start);
  }
};

void write_string(std::string_view s, std::string* out) {
  out->push_back('"');
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"') *out += "\\\"";
    else if (c == '\\') *out += "\\\\";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      *out += buf;
    } else {
      out->push_back(ch);
    }
  }
  out->push_back('"');
}

}  // namespace

JsonParseResult parse_json(std::string_view text, const JsonLimits& limits) {
  JsonParseResult r;
  // A UTF-8 byte order mark is tolerated: editors on Windows write one.
  std::size_t skip = text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  Parser p(text.substr(skip), limits, &r);
  try {
    p.run();
    r.ok = true;
  } catch (const Failure& f) {
    r.ok = false;
    r.error.pos = f.pos;
    r.error.pos.offset += static_cast<std::uint32_t>(skip);
    r.error.message = f.message;
    r.error.code = f.code;
    r.root = JsonNode{};
  }
  return r;
}

SourcePos string_offset_pos(std::string_view source, const JsonNode& node, std::size_t decoded_offset) {
  SourcePos p = node.pos;
  std::size_t i = node.pos.offset + 1;  // after the quote
  std::size_t decoded = 0;
  p.column += 1;
  while (i < source.size() && decoded < decoded_offset && source[i] != '"') {
    const unsigned char c = static_cast<unsigned char>(source[i]);
    std::size_t src_len = 1, out_len = 1;
    if (c == '\\' && i + 1 < source.size()) {
      if (source[i + 1] == 'u') {
        src_len = 6;
        out_len = 1;  // approximate: one code point, counted as its UTF-8 length below
        std::uint32_t cp = 0;
        for (std::size_t k = i + 2; k < i + 6 && k < source.size(); ++k) {
          const char h = source[k];
          cp = cp * 16 + static_cast<std::uint32_t>(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
        }
        out_len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          src_len = 12;
          out_len = 4;
        }
      } else {
        src_len = 2;
      }
    } else if (c >= 0x80) {
      src_len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      out_len = src_len;
    }
    i += src_len;
    decoded += out_len;
    p.column += 1;
  }
  p.offset = static_cast<std::uint32_t>(i);
  return p;
}

void write_canonical(const JsonNode& n, std::string* out) {
  switch (n.kind) {
    case JsonNode::Kind::null: *out += "null"; break;
    case JsonNode::Kind::boolean: *out += n.boolean ? "true" : "false"; break;
    case JsonNode::Kind::number: *out += n.text; break;
    case JsonNode::Kind::string: write_string(n.text, out); break;
    case JsonNode::Kind::array:
      out->push_back('[');
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        if (i) out->push_back(',');
        write_canonical(n.items[i], out);
      }
      out->push_back(']');
      break;
    case JsonNode::Kind::object: {
      std::vector<const std::pair<std::string, JsonNode>*> sorted;
      for (const auto& m : n.members) sorted.push_back(&m);
      std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
      out->push_back('{');
      for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i) out->push_back(',');
        write_string(sorted[i]->first, out);
        out->push_back(':');
        write_canonical(sorted[i]->second, out);
      }
      out->push_back('}');
      break;
    }
  }
}

}  // namespace eligo::load
