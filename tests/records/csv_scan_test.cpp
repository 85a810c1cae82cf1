// The CSV tokenizer reads 16 bytes at a time (records/csv_scan.hpp) and checks UTF-8 only in cells that
// have a byte above 0x7F. These tests hold it to the byte-by-byte rules: the two searches against a plain
// loop at every start and every position of the byte that ends them, in buffers allocated to their exact
// size (so that under AddressSanitizer a read past the end fails); and whole files read by RecordReader
// against a model of the CSV rules written here byte by byte — quotes, doubled quotes, CRLF, CR alone,
// a byte-order mark, line breaks inside quotes, non-ASCII and invalid UTF-8 — placed at every offset
// around the 16-byte loads, at the end of the file and across the reader's 1 MiB chunks.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "eligo/records.hpp"
#include "records/csv_scan.hpp"

using namespace eligo::records;

namespace {

// ---- the two searches against plain loops -------------------------------------------------------------

std::size_t plain_cell_end(const char* s, std::size_t from, std::size_t n, char delim, bool* high) {
  std::size_t i = from;
  for (; i < n && s[i] != delim && s[i] != '\n' && s[i] != '\r'; ++i)
    if (static_cast<unsigned char>(s[i]) >= 0x80) *high = true;
  return i;
}

std::size_t plain_quote(const char* s, std::size_t from, std::size_t n, std::uint64_t* newlines, bool* high) {
  std::size_t i = from;
  for (; i < n && s[i] != '"'; ++i) {
    if (s[i] == '\n') ++*newlines;
    if (static_cast<unsigned char>(s[i]) >= 0x80) *high = true;
  }
  return i;
}

// Every start of a buffer of exactly `text.size()` bytes on the heap: the same answers as the plain loops.
// Returns the first start that differs ("" when none).
std::string differs_at_some_start(const std::string& text, char delim) {
  const std::size_t n = text.size();
  std::unique_ptr<char[]> exact(new char[n ? n : 1]);
  for (std::size_t k = 0; k < n; ++k) exact[k] = text[k];
  for (std::size_t from = 0; from <= n; ++from) {
    bool h1 = false, h2 = false;
    const std::size_t e1 = detail::find_cell_end(exact.get(), from, n, delim, &h1);
    const std::size_t e2 = plain_cell_end(exact.get(), from, n, delim, &h2);
    std::uint64_t l1 = 0, l2 = 0;
    bool g1 = false, g2 = false;
    const std::size_t q1 = detail::find_quote(exact.get(), from, n, &l1, &g1);
    const std::size_t q2 = plain_quote(exact.get(), from, n, &l2, &g2);
    if (e1 != e2 || h1 != h2 || q1 != q2 || l1 != l2 || g1 != g2)
      return "length " + std::to_string(n) + ", from " + std::to_string(from) + ": cell end " + std::to_string(e1) +
             " vs " + std::to_string(e2) + ", high " + std::to_string(h1) + " vs " + std::to_string(h2) + "; quote " +
             std::to_string(q1) + " vs " + std::to_string(q2) + ", newlines " + std::to_string(l1) + " vs " +
             std::to_string(l2) + ", high " + std::to_string(g1) + " vs " + std::to_string(g2);
  }
  return "";
}

// ---- whole files against a model of the rules ----------------------------------------------------------

std::string trimmed(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

// One row from `t` at *i, byte by byte: the reader's rules, written without its searches.
bool model_row(const std::string& t, std::size_t* i, std::vector<std::string>* cells, std::uint64_t* newlines,
               bool* unclosed) {
  const std::size_t n = t.size();
  std::size_t p = *i;
  if (p >= n) return false;
  cells->clear();
  for (;;) {
    std::string cell;
    if (t[p] == '"') {
      ++p;
      for (;;) {
        if (p >= n) {
          *unclosed = true;
          break;
        }
        if (t[p] == '"') {
          if (p + 1 < n && t[p + 1] == '"') {
            cell += '"';
            p += 2;
            continue;
          }
          ++p;
          break;
        }
        if (t[p] == '\n') ++*newlines;
        cell += t[p++];
      }
      while (p < n && t[p] != ',' && t[p] != '\n' && t[p] != '\r') cell += t[p++];  // kept, not trimmed
    } else {
      const std::size_t s = p;
      while (p < n && t[p] != ',' && t[p] != '\n' && t[p] != '\r') ++p;
      cell = trimmed(t.substr(s, p - s));
    }
    cells->push_back(cell);
    if (p < n && t[p] == ',') {
      ++p;
      continue;
    }
    if (p < n && t[p] == '\r') {
      ++p;
      if (p < n && t[p] == '\n') ++p;
    } else if (p < n && t[p] == '\n') {
      ++p;
    }
    ++*newlines;
    *i = p;
    return true;
  }
}

// What a reader hands out, one line per row: "line: cells" or "line: problem (column)", then the blank count.
std::string render_row(std::uint64_t line, const std::vector<std::string>& cells) {
  std::string s = std::to_string(line) + ": row";
  for (const auto& c : cells) s += " [" + c + "]";
  return s;
}
std::string render_bad(std::uint64_t line, const std::string& problem, int column) {
  return std::to_string(line) + ": bad " + problem + " (column " + std::to_string(column) + ")";
}

// The model: a header "a,b,c" (after an optional byte-order mark), then `body`.
std::vector<std::string> model_read(const std::string& body) {
  std::vector<std::string> out;
  std::size_t i = 0;
  std::uint64_t line = 2, blank = 0;
  std::vector<std::string> cells;
  for (;;) {
    std::uint64_t newlines = 0;
    bool unclosed = false;
    if (!model_row(body, &i, &cells, &newlines, &unclosed)) break;
    const std::uint64_t at = line;
    line += newlines;
    if (cells.size() == 1 && trimmed(cells[0]).empty()) {
      ++blank;
      continue;
    }
    if (unclosed) {
      out.push_back(render_bad(at, "a quoted cell is not closed before the end of the file", -1));
    } else if (cells.size() != 3) {
      out.push_back(render_bad(at, "has " + std::to_string(cells.size()) + " fields, the header has 3", -1));
    } else {
      int column = -1;
      for (std::size_t c = 0; c < cells.size() && column < 0; ++c)
        if (!valid_utf8(cells[c])) column = static_cast<int>(c);
      if (column >= 0)
        out.push_back(render_bad(at, "not valid UTF-8 (if the file is GB18030 or GBK, give its encoding)", column));
      else
        out.push_back(render_row(at, cells));
    }
  }
  out.push_back("blank " + std::to_string(blank));
  return out;
}

std::vector<std::string> reader_read(const std::string& text) {
  std::vector<std::string> out;
  RecordReader reader;
  std::string error;
  if (!reader.open_text(text, "t.csv", {}, &error)) return {"error " + error};
  if (reader.header() != std::vector<std::string>{"a", "b", "c"}) return {"header differs"};
  for (;;) {
    const Next n = reader.next();
    if (n == Next::end) break;
    if (n == Next::error) return {"error " + reader.error()};
    if (n == Next::bad_row) {
      out.push_back(render_bad(reader.line(), reader.problem(), reader.problem_column()));
      continue;
    }
    std::vector<std::string> cells;
    for (auto c : reader.cells()) cells.emplace_back(c);
    out.push_back(render_row(reader.line(), cells));
  }
  out.push_back("blank " + std::to_string(reader.blank_lines()));
  return out;
}

void check_same(const std::string& body, bool bom = false) {
  const std::string text = (bom ? "\xEF\xBB\xBF" : "") + std::string("a,b,c\n") + body;
  const auto want = model_read(body);
  const auto got = reader_read(text);
  if (got != want) {
    std::string shown;  // the body with bytes that are not printable ASCII as \xHH
    for (const char ch : body) {
      const unsigned char c = static_cast<unsigned char>(ch);
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      shown += c >= 0x20 && c < 0x7F ? std::string(1, ch) : std::string(hex);
    }
    INFO("body: " << shown);
    CHECK(got == want);
  }
}

// Pieces that end, open or break a cell, or hold UTF-8 (valid, cut short, overlong, a surrogate, stray).
const std::vector<std::string> kSpecial = {
    ",", "\"", "\"\"", "\n", "\r", "\r\n", " ", "\t", "\xC3\xA9", "\xE5\xA7\x93", "\xF0\x9F\x98\x80",
    "\xFF", "\xC3", "\x80", "\xE5\xA7", "\xED\xA0\x80", "\xC0\xAF", "\xEF\xBB\xBF"};

}  // namespace

TEST_CASE("csv scan: the cell-end and quote searches agree with a plain loop at every start and position", "[records][csv]") {
  const std::string specials = std::string(",\n\r\"") + "\x80\xC3\xFF" + "a";
  for (std::size_t n = 0; n <= 48; ++n)
    for (std::size_t at = 0; at < n || (n == 0 && at == 0); ++at)
      for (const char s : specials) {
        std::string text(n, 'x');
        if (n) text[at] = s;
        const std::string d = differs_at_some_start(text, ',');
        if (!d.empty()) FAIL(d);
      }
  // Several stops, newlines and high bytes in one buffer; a tab as the delimiter.
  std::mt19937 rng(7);
  const std::string alphabet = std::string("aaaa,\n\r\"\t") + "\xC3\x80";
  for (int round = 0; round < 3000; ++round) {
    std::string text(rng() % 72, 'a');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    const std::string d = differs_at_some_start(text, round % 2 ? ',' : '\t');
    if (!d.empty()) FAIL(d);
  }
}

TEST_CASE("csv reader: each special piece at every offset around the 16-byte loads reads as the byte rules say", "[records][csv]") {
  for (const std::string& s : kSpecial)
    for (std::size_t p = 0; p <= 34; ++p)
      for (std::size_t q : {0, 1, 2, 3, 7, 13, 14, 15, 16, 17, 18, 30, 31, 32, 33})
        for (int ending = 0; ending < 4; ++ending)
          for (int quoted = 0; quoted < 2; ++quoted) {
            std::string cell = std::string(p, 'a') + s + std::string(q, 'b');
            if (quoted) cell = "\"" + cell + "\"";
            static const char* kEnd[] = {"", "\n", ",z,w", ",z,w\r\n"};
            // The piece in the first cell, then in the last cell of a second row.
            check_same(cell + kEnd[ending]);
            check_same("1,2,3\n" + std::string(p % 5, 'y') + ",m," + cell + kEnd[ending]);
          }
}

TEST_CASE("csv reader: random files of special pieces and runs read as the byte rules say", "[records][csv]") {
  std::mt19937 rng(2026);
  for (int round = 0; round < 20000; ++round) {
    std::string body;
    const std::size_t pieces = rng() % 24;
    for (std::size_t k = 0; k < pieces; ++k) {
      switch (rng() % 4) {
        case 0: body += std::string(1 + rng() % 20, static_cast<char>('a' + rng() % 3)); break;
        case 1: body += ","; break;
        case 2: body += rng() % 3 ? "\n" : "\r\n"; break;
        default: body += kSpecial[rng() % kSpecial.size()]; break;
      }
    }
    check_same(body, round % 5 == 0);
  }
}

TEST_CASE("csv reader: rows across the 1 MiB chunk boundary read as the byte rules say", "[records][csv]") {
  // Filler rows up to just before the first chunk's end, then rows with quotes, line breaks inside quotes,
  // CRLF, a lone CR and UTF-8 (valid and not) that straddle it at each of 40 offsets.
  const std::string tail =
      "\"q\"\"x\nyz\",\xE5\xA7\x93\xE5\xA7\x93,\"c\r\nd\"\r\n"
      "1,\xC3,3\r"
      "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9,  b  ,\"\"\n"
      "x,y,\"never closed\n";
  const std::size_t chunk = std::size_t{1} << 20;
  const std::size_t header = std::string("a,b,c\n").size();
  for (std::size_t shift = 0; shift < 40; ++shift) {
    std::string body;
    const std::string filler = "1234567890,abcdefghij,KLMNOPQRST\n";  // 33 bytes
    while (header + body.size() + filler.size() < chunk - 20 + shift) body += filler;
    body += std::string(chunk - 20 + shift - header - body.size(), 'p') + ",q,r\n";
    body += tail;
    INFO("shift " << shift);
    check_same(body);
  }
}
