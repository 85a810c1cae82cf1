// Text → amount, date and status, as banks and platforms write them.
#include <array>

#include "eligo/payout.hpp"

namespace eligo::payout {
namespace {

std::string_view trim_spaces(std::string_view s) {
  for (;;) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
      s.remove_prefix(1);
    } else if (s.size() >= 3 && s.substr(0, 3) == "\xE3\x80\x80") {  // U+3000 ideographic space
      s.remove_prefix(3);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
      s.remove_suffix(1);
    } else if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE3\x80\x80") {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

}  // namespace

std::optional<Decimal> parse_amount(std::string_view text) {
  std::string_view s = trim_spaces(text);
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  for (std::string_view sign : {"\xC2\xA5", "\xEF\xBF\xA5", "RMB", "CNY"}) {  // ¥ ￥
    if (starts_with(s, sign)) {
      s.remove_prefix(sign.size());
      break;
    }
  }
  if (ends_with(s, "\xE5\x85\x83")) s.remove_suffix(3);  // 元
  s = trim_spaces(s);
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    if (negative) return std::nullopt;
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s.front() == '.' || s.front() == ',') return std::nullopt;
  // Grouping commas: only in the integer part, groups of exactly three digits after the first.
  std::string plain;
  plain.reserve(s.size() + 1);
  if (negative) plain += '-';
  const std::size_t dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  if (whole.find(',') != std::string_view::npos) {
    std::size_t group = 0;
    bool first = true;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      if (whole[i] == ',') {
        if ((first && (group == 0 || group > 3)) || (!first && group != 3)) return std::nullopt;
        first = false;
        group = 0;
        continue;
      }
      ++group;
      plain += whole[i];
    }
    if (group != 3) return std::nullopt;
  } else {
    plain.append(whole);
  }
  if (dot != std::string_view::npos) {
    const std::string_view frac = s.substr(dot);
    if (frac.find(',') != std::string_view::npos) return std::nullopt;
    plain.append(frac);
  }
  return Decimal::parse(plain);
}

std::optional<Date> parse_date_prefix(std::string_view text) {
  const std::string_view s = trim_spaces(text);
  auto digits = [&](std::size_t from, std::size_t n) {
    if (from + n > s.size()) return false;
    for (std::size_t i = from; i < from + n; ++i)
      if (s[i] < '0' || s[i] > '9') return false;
    return true;
  };
  auto num = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  std::size_t end;
  int y, m, d;
  if (digits(0, 4) && s.size() >= 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4] && digits(5, 2) &&
      digits(8, 2)) {
    y = num(0, 4);
    m = num(5, 2);
    d = num(8, 2);
    end = 10;
  } else if (digits(0, 8)) {
    y = num(0, 4);
    m = num(4, 2);
    d = num(6, 2);
    end = 8;
    if (s.size() > 8 && s[8] >= '0' && s[8] <= '9') return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (end < s.size() && s[end] != ' ' && s[end] != 'T') return std::nullopt;
  return Date::from_ymd(y, m, d);
}

std::optional<Status> parse_status(std::string_view text, const SourceMapping& mapping) {
  const std::string_view s = trim_spaces(text);
  for (const auto& [value, status] : mapping.status_values)
    if (value == s) return status;
  const std::string lower = lower_ascii(s);
  for (const auto& [value, status] : mapping.status_values)
    if (lower_ascii(value) == lower) return status;
  static const std::array<std::pair<const char*, Status>, 27> kBuiltIn = {{
      {"success", Status::success},   {"succeeded", Status::success}, {"successful", Status::success},
      {"ok", Status::success},        {"s", Status::success},         {"成功", Status::success},
      {"交易成功", Status::success},  {"支付成功", Status::success},  {"已支付", Status::success},
      {"failed", Status::failed},     {"fail", Status::failed},       {"failure", Status::failed},
      {"f", Status::failed},          {"error", Status::failed},      {"失败", Status::failed},
      {"交易失败", Status::failed},   {"支付失败", Status::failed},   {"returned", Status::returned},
      {"return", Status::returned},   {"refunded", Status::returned}, {"r", Status::returned},
      {"退票", Status::returned},     {"已退票", Status::returned},   {"退回", Status::returned},
      {"退汇", Status::returned},     {"已退回", Status::returned},   {"bounced", Status::returned},
  }};
  for (const auto& [value, status] : kBuiltIn)
    if (lower == value) return status;
  return std::nullopt;
}

}  // namespace eligo::payout
