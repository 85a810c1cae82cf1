// PII by shape: masks every run of free text that looks like a valid ID number, card or mobile, whatever
// field it came from (issue 10, R8). The rules are in include/eligo/identity.hpp and docs/identity.md.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <vector>

#include "eligo/identity.hpp"
#include "identity/text.hpp"

namespace eligo::identity {
namespace {

struct Cp {
  std::size_t begin = 0;  // byte offsets in the text
  std::size_t end = 0;
  char ch = 0;            // '0'-'9' for ASCII and full-width digits, 'X' for X/x/Ｘ/ｘ, ' ' or '-' for a
                          // separator, 'a' for another ASCII letter, 0 for anything else
};

char classify(char32_t cp) {
  if (cp >= '0' && cp <= '9') return static_cast<char>(cp);
  if (cp >= 0xFF10 && cp <= 0xFF19) return static_cast<char>('0' + (cp - 0xFF10));
  if (cp == 'X' || cp == 'x' || cp == 0xFF38 || cp == 0xFF58) return 'X';
  if (cp == ' ' || cp == '-') return static_cast<char>(cp);
  if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return 'a';
  return 0;
}

bool real_date(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

int number(const std::string& s, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) v = v * 10 + (s[at + i] - '0');
  return v;
}

bool all_digits(const std::string& s) {
  for (char c : s)
    if (!detail::is_digit(c)) return false;
  return true;
}

bool is_mobile(const std::string& d) { return d.size() == 11 && d[0] == '1' && d[1] >= '3' && all_digits(d); }

// What a run of digits (and a final X) is, judged by shape and check characters only.
std::optional<PiiKind> pii_kind(const std::string& d) {
  if (d.size() == 18 && all_digits(d.substr(0, 17)) && id_check_character(d.substr(0, 17)) == d[17])
    return PiiKind::id_number;  // GB 11643 MOD 11-2 (resident, permits, foreign 2023 form)
  if (!all_digits(d)) return std::nullopt;
  if (d.size() == 15 && real_date(1900 + number(d, 6, 2), number(d, 8, 2), number(d, 10, 2)))
    return PiiKind::id_number;  // GB 11643-1989: region + YYMMDD + sequence
  if (d.size() >= 16 && d.size() <= 19 && luhn_ok(d)) return PiiKind::bank_card;
  if (is_mobile(d)) return PiiKind::mobile;
  if ((d.size() == 13 && d.compare(0, 2, "86") == 0 && is_mobile(d.substr(2))) ||
      (d.size() == 15 && d.compare(0, 4, "0086") == 0 && is_mobile(d.substr(4))))
    return PiiKind::mobile;  // with the country code
  return std::nullopt;
}

struct Run {
  std::size_t first = 0, last = 0;  // indexes into the code points, inclusive
  std::string digits;
};

// The grouped ways people write these numbers: 3-4-4 mobiles, 4-4-4-4(-1..3) cards starting with 3-6 (the
// card schemes' first digits; "1000 2000 3000 4000" is a list of amounts), 6-8-4 ID numbers.
std::optional<PiiKind> grouped_kind(const std::vector<const Run*>& groups) {
  std::vector<std::size_t> len;
  std::string all;
  for (const Run* r : groups) {
    len.push_back(r->digits.size());
    all += r->digits;
  }
  if (len == std::vector<std::size_t>{3, 4, 4}) return is_mobile(all) ? std::optional(PiiKind::mobile) : std::nullopt;
  if (len == std::vector<std::size_t>{6, 8, 4})
    return pii_kind(all) == PiiKind::id_number ? std::optional(PiiKind::id_number) : std::nullopt;
  if (len.size() >= 4 && len.size() <= 5 && len[0] == 4 && len[1] == 4 && len[2] == 4 && len[3] == 4 &&
      (len.size() == 4 || len[4] <= 3) && all[0] >= '3' && all[0] <= '6' && all_digits(all) && luhn_ok(all))
    return PiiKind::bank_card;
  return std::nullopt;
}

}  // namespace

bool has_pii_run(std::string_view text, const MaskOptions& options) {
  return mask_pii_runs(text, options) != text;
}

std::string mask_pii_runs(std::string_view text, const MaskOptions& options) {
  // Fast path: fewer than 11 digits in all (full-width digits start with 0xEF) cannot hold a number.
  std::size_t digits = 0;
  bool wide = false;
  for (char c : text) {
    digits += detail::is_digit(c);
    wide |= static_cast<unsigned char>(c) == 0xEF;
  }
  if (digits < 11 && !wide) return std::string(text);

  std::vector<Cp> cps;
  cps.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    Cp c;
    c.begin = i;
    c.ch = classify(detail::next_code_point(text, i));
    c.end = i;
    cps.push_back(c);
  }
  auto is_digit_at = [&](std::size_t k) { return k < cps.size() && cps[k].ch >= '0' && cps[k].ch <= '9'; };

  // Maximal runs of digits; a run takes a following X (an ID's check character) unless a letter or digit
  // follows it.
  std::vector<Run> runs;
  for (std::size_t k = 0; k < cps.size();) {
    if (!is_digit_at(k)) {
      ++k;
      continue;
    }
    Run r;
    r.first = k;
    while (is_digit_at(k)) r.digits += cps[k++].ch;
    if (k < cps.size() && cps[k].ch == 'X' &&
        !(k + 1 < cps.size() && (cps[k + 1].ch == 'a' || cps[k + 1].ch == 'X' || is_digit_at(k + 1)))) {
      r.digits += 'X';
      ++k;
    }
    r.last = k - 1;
    runs.push_back(std::move(r));
  }

  // Byte ranges to mask, in order, with their kind.
  struct Span {
    std::size_t begin, end;
    PiiKind kind;
  };
  std::vector<Span> spans;
  std::vector<bool> taken(runs.size(), false);
  // A run inside a hex digest (a token of 32+ hex characters with a letter among them) is part of the
  // digest, not a number: masking it would corrupt the hash.
  auto is_hex = [&](std::size_t k) {
    const std::size_t b = cps[k].begin;
    const char c = cps[k].end == b + 1 ? text[b] : 0;
    return detail::is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  for (std::size_t i = 0; i < runs.size(); ++i) {
    std::size_t lo = runs[i].first, hi = runs[i].last + 1;
    while (lo > 0 && is_hex(lo - 1)) --lo;
    while (hi < cps.size() && is_hex(hi)) ++hi;
    if (hi - lo >= 32 && (lo < runs[i].first || hi > runs[i].last + 1)) taken[i] = true;
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (taken[i]) continue;
    if (const auto kind = pii_kind(runs[i].digits)) {
      spans.push_back({cps[runs[i].first].begin, cps[runs[i].last].end, *kind});
      taken[i] = true;
    }
  }
  // Grouped forms: runs separated by exactly one space or hyphen, longest grouping first.
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (taken[i]) continue;
    std::vector<const Run*> chain{&runs[i]};
    for (std::size_t j = i + 1; j < runs.size() && chain.size() < 5; ++j) {
      const Run& prev = runs[j - 1];
      if (taken[j] || runs[j].first != prev.last + 2) break;
      const char sep = cps[prev.last + 1].ch;
      if (sep != ' ' && sep != '-') break;
      chain.push_back(&runs[j]);
    }
    for (std::size_t n = chain.size(); n >= 3; --n) {
      const std::vector<const Run*> groups(chain.begin(), chain.begin() + static_cast<std::ptrdiff_t>(n));
      if (const auto kind = grouped_kind(groups)) {
        spans.push_back({cps[runs[i].first].begin, cps[runs[i + n - 1].last].end, *kind});
        for (std::size_t t = i; t < i + n; ++t) taken[t] = true;
        break;
      }
    }
  }
  if (spans.empty()) return std::string(text);
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });

  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (const Span& s : spans) {
    out.append(text.substr(at, s.begin - at));
    out += mask(s.kind, text.substr(s.begin, s.end - s.begin), options);
    at = s.end;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace eligo::identity
