#include "explain/render.hpp"

#include <unicode/numberformatter.h>

#include <memory>
#include <vector>

#include "eligo/identity.hpp"
#include "evaluate/fast_eval.hpp"

namespace eligo::explain {
namespace {

using detail::Pii;
using detail::Value;
using detail::VKind;

std::string mask_pii(std::string_view s, Pii pii, bool clear) {
  if (clear) return std::string(s);
  // Not declared PII: masked by shape all the same (a valid ID number in a district field, R8).
  if (pii == Pii::none) return identity::mask_pii_runs(s);
  identity::PiiKind k = identity::PiiKind::id_number;
  switch (pii) {
    case Pii::id_number: k = identity::PiiKind::id_number; break;
    case Pii::bank_card: k = identity::PiiKind::bank_card; break;
    case Pii::mobile: k = identity::PiiKind::mobile; break;
    case Pii::name: k = identity::PiiKind::name; break;
    case Pii::none: break;
  }
  return identity::mask(k, s);
}

// ICU formatters are immutable and thread-safe once built, and costly to build (locale data, a mutex):
// one per language and fraction-digit count, built once. The scale decides the fraction digits, so the
// digits written are kept exactly, never rounded through binary floating point.
struct NumberFormatters {
  std::vector<icu::number::LocalizedNumberFormatter> by_scale;
  explicit NumberFormatters(const icu::Locale& locale) {
    // MIN2: no separator in four-digit numbers (a year, 2021), grouping from 10,000 on.
    const auto base = icu::number::NumberFormatter::withLocale(locale).grouping(UNUM_GROUPING_MIN2);
    for (int s = 0; s <= Decimal::max_scale; ++s)
      by_scale.push_back(base.precision(icu::number::Precision::minMaxFraction(s, s)));
  }
};

const icu::number::LocalizedNumberFormatter& number_formatter(std::string_view lang, int scale) {
  static const NumberFormatters zh(icu::Locale("zh", "CN"));
  static const NumberFormatters en(icu::Locale("en", "US"));
  return (lang == "en" ? en : zh).by_scale[static_cast<std::size_t>(scale)];
}

std::string format_number(const Decimal& d, std::string_view lang) {
  const std::string exact = d.to_string();
  UErrorCode status = U_ZERO_ERROR;
  auto f = number_formatter(lang, d.scale())
               .formatDecimal(icu::StringPiece(exact.data(), static_cast<int32_t>(exact.size())), status);
  if (U_FAILURE(status)) return exact;
  std::string out;
  f.toString(status).toUTF8String(out);
  return U_FAILURE(status) ? exact : out;
}

void json_string(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"') *out += "\\\"";
    else if (c == '\\') *out += "\\\\";
    else if (c < 0x20) {
      static const char* hex = "0123456789abcdef";
      *out += "\\u00";
      out->push_back(hex[c >> 4]);
      out->push_back(hex[c & 15]);
    } else out->push_back(ch);
  }
  out->push_back('"');
}

}  // namespace

std::string reason_date(Date date, std::string_view lang, bool chinese) {
  if (!chinese || lang == "en") return date.to_string();
  int y, m, d;
  date.ymd(&y, &m, &d);
  return std::to_string(y) + "年" + std::to_string(m) + "月" + std::to_string(d) + "日";
}

std::string render_for_reason(const Value& v, std::string_view lang, Pii pii, bool clear_pii, bool chinese_dates) {
  const bool zh = lang != "en";
  switch (v.kind) {
    case VKind::missing: return zh ? "（缺失）" : "(missing)";
    case VKind::null: return zh ? "无" : "none";
    case VKind::boolean: return v.b ? (zh ? "是" : "yes") : (zh ? "否" : "no");
    case VKind::number: {
      // A whole number with the shape of an ID, card or mobile is written masked and ungrouped. Fraction
      // digits are never PII: 0.000000000000000001 is an amount, not an ID number.
      if (!clear_pii && v.num.scale() == 0) {
        const std::string exact = v.num.to_string();
        if (std::string masked = identity::mask_pii_runs(exact); masked != exact) return masked;
      }
      return format_number(v.num, lang);
    }
    case VKind::string: return mask_pii(v.sv(), pii, clear_pii);
    case VKind::date: return reason_date(v.as_date(), lang, chinese_dates);
    case VKind::list: return zh ? "共" + std::to_string(v.n) + "项" : std::to_string(v.n) + (v.n == 1 ? " item" : " items");
    case VKind::record: return zh ? "（记录）" : "(record)";
  }
  return "";
}

std::string render_plain(const Value& v, Pii pii, bool clear_pii) {
  switch (v.kind) {
    case VKind::missing: return "(missing)";
    case VKind::null: return "null";
    case VKind::boolean: return v.b ? "true" : "false";
    case VKind::number:
      return clear_pii || v.num.scale() != 0 ? v.num.to_string() : identity::mask_pii_runs(v.num.to_string());
    case VKind::string: return mask_pii(v.sv(), pii, clear_pii);
    case VKind::date: return v.as_date().to_string();
    case VKind::list: return "[" + std::to_string(v.n) + (v.n == 1 ? " item]" : " items]");
    case VKind::record: return "(record)";
  }
  return "";
}

std::string render_json(const Value& v) {
  std::string s;
  switch (v.kind) {
    case VKind::missing:
    case VKind::null: return "null";
    case VKind::boolean: return v.b ? "true" : "false";
    case VKind::number: json_string(v.num.to_string(), &s); return s;
    case VKind::string: json_string(v.sv(), &s); return s;
    case VKind::date: json_string(v.as_date().to_string(), &s); return s;
    case VKind::list:
      s = "[";
      for (std::uint32_t i = 0; i < v.n; ++i) s += (i ? "," : "") + render_json(v.items[i]);
      return s + "]";
    case VKind::record: return "{}";
  }
  return "null";
}

std::string fill_template(detail::Evaluator& ev, const detail::Template& t, std::string_view lang, bool clear_pii) {
  std::string out;
  for (const auto& part : t.parts) {
    if (part.expr < 0) {
      out += part.text;
      continue;
    }
    Value v;
    // blacklist_reasons() called here writes its listing dates as this reason writes any date.
    ev.reason_dates_chinese = t.chinese_dates && lang != "en";
    try {
      v = ev.eval(static_cast<std::uint32_t>(part.expr));
    } catch (const detail::EvalFailure&) {
      v = Value::missing(0);
    }
    ev.reason_dates_chinese = false;
    out += render_for_reason(v, lang, part.pii, clear_pii, t.chinese_dates);
  }
  return out;
}

void append_number_for_reason(std::int64_t coefficient, int scale, std::string* out) {
  std::uint64_t mag = coefficient < 0 ? 0 - static_cast<std::uint64_t>(coefficient) : static_cast<std::uint64_t>(coefficient);
  char digits[24];  // least significant first; at least scale + 1 of them (0.05: "500")
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + mag % 10);
    mag /= 10;
  } while (mag != 0);
  while (n < scale + 1) digits[n++] = '0';
  const int whole = n - scale;  // integer digits
  char buf[48];  // sign, 19 digits and 6 separators, point, 18 fraction digits
  int k = 0;
  if (coefficient < 0) buf[k++] = '-';
  for (int i = n - 1; i >= scale; --i) {
    buf[k++] = digits[i];
    const int after = i - scale;  // integer digits still to come
    if (whole >= 5 && after > 0 && after % 3 == 0) buf[k++] = ',';
  }
  if (scale > 0) {
    buf[k++] = '.';
    for (int i = scale - 1; i >= 0; --i) buf[k++] = digits[i];
  }
  out->append(buf, static_cast<std::size_t>(k));
}

void append_for_reason(const detail::Fast& f, std::string_view lang, Pii pii, bool clear_pii, bool chinese_dates,
                       std::string* out) {
  if (f.kind == detail::FKind::number && f.scale >= 0 && f.scale <= Decimal::max_scale) {
    // render_for_reason masks a whole number only when mask_pii_runs changes its digits, and that needs 11
    // digits or more (src/identity/mask_runs.cpp: no ID, card or mobile number is shorter).
    constexpr std::int64_t kTenDigits = 10'000'000'000;
    if (clear_pii || f.scale != 0 || (f.i < kTenDigits && f.i > -kTenDigits)) {
      append_number_for_reason(f.i, f.scale, out);
      return;
    }
  } else if (f.kind == detail::FKind::string) {
    // mask_pii(…, Pii::none) is mask_pii_runs, which leaves a text of fewer than 11 ASCII digits and no
    // full-width character (lead byte 0xEF) as it is.
    const std::string_view s(f.s, f.n);
    if (clear_pii) {
      out->append(s);
      return;
    }
    if (pii == Pii::none) {
      std::size_t digits = 0;
      bool wide = false;
      for (char c : s) {
        digits += c >= '0' && c <= '9';
        wide |= static_cast<unsigned char>(c) == 0xEF;
      }
      if (digits < 11 && !wide) {
        out->append(s);
        return;
      }
    }
  }
  *out += render_for_reason(detail::to_value(f), lang, pii, clear_pii, chinese_dates);
}

std::string render_item(const detail::Program& p, std::uint32_t type, const Value& v, bool clear_pii) {
  if (v.kind != VKind::record || type >= p.types.size() || p.types[type].kind != detail::TKind::record)
    return render_plain(v, Pii::none, clear_pii);
  const auto& rec = p.records[p.types[type].record];
  std::string s = "{";
  for (std::size_t i = 0; i < rec.fields.size(); ++i) {
    const auto& f = rec.fields[i];
    const Value& x = v.items[i];
    // a personal field is masked as its kind
    s += (i ? ", " : "") + f.name + ": " +
         (f.pii != Pii::none ? render_plain(x, f.pii, clear_pii) : render_item(p, f.type, x, clear_pii));
  }
  return s + "}";
}

std::string node_text(const detail::Program& p, std::uint32_t node) {
  if (node >= p.nodes.size() || p.nodes[node].src >= p.spans.size()) return "";
  const auto& span = p.spans[p.nodes[node].src];
  if (span.expr >= p.exprs.size()) return "";
  const auto& e = p.exprs[span.expr];
  if (span.begin > span.end || span.end > e.text.size()) return "";
  return e.text.substr(span.begin, span.end - span.begin);
}

detail::Pii pii_of_path(const detail::Program& p, std::uint32_t path) {
  for (const auto& r : p.records)
    for (const auto& f : r.fields)
      if (f.path == path) return f.pii;
  for (const auto& l : p.lets)
    if (l.path == path) return l.pii;
  return Pii::none;
}

}  // namespace eligo::explain
