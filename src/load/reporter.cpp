#include "load/reporter.hpp"

#include <algorithm>

namespace eligo::load {
namespace {

int code_points(std::string_view s) {
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string Reporter::line_text(std::uint32_t offset) const {
  if (offset > src_.size()) return "";
  // Line starts are indexed once: scanning for them per diagnostic is quadratic on a long line.
  if (line_starts_.empty()) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < src_.size(); ++i)
      if (src_[i] == '\n') line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
  }
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const std::size_t b = *(it - 1);
  const std::size_t e = it == line_starts_.end() ? src_.size() : *it - 1;
  // A minified pack has one huge line: the caret line would not help, and copying it for every
  // diagnostic would cost memory in proportion to (diagnostics × file size).
  if (e - b > 400) return "";
  std::string line(src_.substr(b, e - b));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void Reporter::at_pos(const char* code, SourcePos pos, int span, const std::string& pointer, std::string message,
                      Severity severity) {
  Diagnostic d;
  d.code = code;
  d.severity = severity;
  d.file = file_;
  d.line = static_cast<int>(pos.line);
  d.column = static_cast<int>(pos.column);
  d.pointer = pointer;
  d.message = std::move(message);
  d.source_line = line_text(pos.offset);
  d.span = std::max(1, span);
  if (severity == Severity::error) ++errors_;
  out_->items.push_back(std::move(d));
}

void Reporter::at_node(const char* code, const JsonNode& node, const std::string& pointer, std::string message,
                       Severity severity) {
  std::uint32_t end = node.end_offset > node.pos.offset ? node.end_offset : node.pos.offset + 1;
  std::string_view text = src_.substr(node.pos.offset, end - node.pos.offset);
  const std::size_t nl = text.find('\n');
  if (nl != std::string_view::npos) text = text.substr(0, nl);
  at_pos(code, node.pos, code_points(text), pointer, std::move(message), severity);
}

void Reporter::at_key(const char* code, const JsonNode& object, std::size_t index, const std::string& pointer,
                      std::string message, Severity severity) {
  const SourcePos pos = index < object.key_pos.size() ? object.key_pos[index] : object.pos;
  const int span = index < object.members.size() ? code_points(object.members[index].first) + 2 : 1;
  at_pos(code, pos, span, pointer, std::move(message), severity);
}

void Reporter::in_string(const char* code, const JsonNode& str, const std::string& pointer, std::size_t begin,
                         std::size_t end, std::string message, Severity severity) {
  const SourcePos b = string_offset_pos(src_, str, begin);
  const SourcePos e = string_offset_pos(src_, str, std::max(end, begin + 1));
  const int span = b.line == e.line ? static_cast<int>(e.column - b.column) : 1;
  at_pos(code, b, span, pointer, std::move(message), severity);
}

void Reporter::in_other_file(const char* code, const std::string& file, int line, int column, std::string source_line,
                             int span, const std::string& pointer, std::string message, Severity severity) {
  Diagnostic d;
  d.code = code;
  d.severity = severity;
  d.file = file;
  d.line = line;
  d.column = column;
  d.pointer = pointer;
  d.message = std::move(message);
  d.source_line = std::move(source_line);
  d.span = std::max(1, span);
  if (severity == Severity::error) ++errors_;
  out_->items.push_back(std::move(d));
}

void Reporter::at_file(const char* code, std::string message, Severity severity) {
  Diagnostic d;
  d.code = code;
  d.severity = severity;
  d.file = file_;
  d.message = std::move(message);
  if (severity == Severity::error) ++errors_;
  out_->items.push_back(std::move(d));
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  // A candidate the word is the start of is the likeliest meaning ('applicant.hukou' → 'applicant.hukou_district').
  if (word.size() >= 3) {
    std::string shortest;
    for (const auto& c : candidates)
      if (c.size() > word.size() && c.compare(0, word.size(), word) == 0 && (shortest.empty() || c.size() < shortest.size()))
        shortest = c;
    if (!shortest.empty()) return shortest;
  }
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const auto& c : candidates) {
    // Edit distance with adjacent transpositions ('knid' → 'kind' is one edit), three rows.
    std::vector<std::size_t> before(c.size() + 1), prev(c.size() + 1), cur(c.size() + 1);
    for (std::size_t j = 0; j <= c.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= c.size(); ++j) {
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (word[i - 1] == c[j - 1] ? 0 : 1)});
        if (i > 1 && j > 1 && word[i - 1] == c[j - 2] && word[i - 2] == c[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
      }
      std::swap(before, prev);
      std::swap(prev, cur);
    }
    const std::size_t d = prev[c.size()];
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  // Plausible typos only: at most a third of the word changed, or the word is a prefix of the candidate.
  if (!best.empty() && best_d * 3 <= std::max<std::size_t>(word.size(), 3)) return best;
  // Else a candidate the word starts with, of 4 characters or more ('admitted' → 'admit'): the longest. Only
  // after the typos: 'applicant.nmae' means 'applicant.name', not the group 'applicant' it starts with.
  std::string longest;
  for (const auto& c : candidates)
    if (c.size() >= 4 && c.size() < word.size() && word.compare(0, c.size(), c) == 0 && c.size() > longest.size())
      longest = c;
  return longest;
}

}  // namespace eligo::load
