// One-line reasons, in English or Chinese. They name only the part at fault, never the whole number.
#include <cstdio>
#include <string>

#include "eligo/identity.hpp"
#include "identity/text.hpp"

namespace eligo::identity {
namespace {

std::string show_char(char32_t cp) {
  if (cp >= 0x21 && cp < 0x7F) return std::string(1, static_cast<char>(cp));
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(cp));
  return buffer;
}

std::string pad(int value, int width) {
  std::string s = std::to_string(value);
  while (static_cast<int>(s.size()) < width) s.insert(s.begin(), '0');
  return s;
}

// Birth-date field of the normalised text (digits only, so no more than the date itself is shown).
// Empty when the result does not hold the field (e.g. an IdCheck built by hand).
std::string date_field(const IdCheck& r) {
  const std::string_view s = r.normalized();
  std::size_t at = 6, size = 8;
  if (r.kind == IdKind::resident_legacy) size = 6;
  if (r.kind == IdKind::foreign_permanent_legacy) at = 7, size = 6;
  if (s.size() < at + size) return "";
  const std::string field(s.substr(at, size));
  for (char c : field)
    if (!detail::is_digit(c)) return "";
  return field;
}

std::string region_reason(const IdCheck& r, bool zh) {
  const std::string code = pad(r.region, 6);
  const int province = r.region / 10000;
  switch (r.kind) {
    case IdKind::hk_macau_taiwan_permit:
      return zh ? "居住证地区码应为 810000、820000 或 830000，实为 " + code
                : "residence-permit region code must be 810000, 820000 or 830000, not " + code;
    case IdKind::foreign_permanent:
      return zh ? "首次受理地省份代码 " + pad(province, 2) + " 不存在"
                : "province of first issue " + pad(province, 2) + " does not exist";
    case IdKind::foreign_permanent_legacy:
      return zh ? "受理地代码 " + pad(r.region / 100, 4) + " 不存在"
                : "issuing region " + pad(r.region / 100, 4) + " does not exist";
    default:
      break;
  }
  if (province == 71 || (province >= 81 && province <= 83))
    return zh ? "地区码 " + code + " 不用于公民身份号码（港澳台居民持居住证）"
              : "region code " + code + " is not used in citizens' numbers (Hong Kong, Macau and Taiwan residents hold residence permits)";
  if (!province_exists(province) || province > 65)
    return zh ? "地区码 " + code + " 不存在（无省级代码 " + pad(province, 2) + "）"
              : "region code " + code + " does not exist (no province " + pad(province, 2) + ")";
  return zh ? "地区码 " + code + " 不在 GB/T 2260 代码表中"
            : "region code " + code + " is not in the GB/T 2260 table";
}

}  // namespace

std::string describe(const IdCheck& r, std::string_view language) {
  const bool zh = language == "zh" || language == "zh-CN";
  switch (r.problem) {
    case IdProblem::none:
      return zh ? "有效" : "valid";
    case IdProblem::empty:
      return zh ? "为空" : "empty";
    case IdProblem::length:
      return zh ? "长度为 " + std::to_string(r.length) + " 位，应为 18 位（旧号码 15 位）"
                : "length is " + std::to_string(r.length) + " characters, expected 18 (or 15 for a legacy number)";
    case IdProblem::characters: {
      const std::string rule =
          r.kind == IdKind::foreign_permanent_legacy
              ? (zh ? "应为 3 个字母加 12 位数字" : "three letters then twelve digits")
              : r.kind == IdKind::resident_legacy ? (zh ? "只能是数字" : "digits only")
                                                  : (zh ? "只能是数字，末位可为 X" : "digits only, X only as the last");
      return zh ? "第 " + std::to_string(r.position) + " 位字符“" + show_char(r.found_char) + "”不允许（" + rule + "）"
                : "character " + std::to_string(r.position) + " ('" + show_char(r.found_char) + "') is not allowed: " + rule;
    }
    case IdProblem::region:
      return region_reason(r, zh);
    case IdProblem::nationality:
      return zh ? std::string("国籍代码 ") + r.nationality + " 不是 ISO 3166-1 国家代码"
                : std::string("nationality code ") + r.nationality + " is not an ISO 3166-1 country";
    case IdProblem::birth_date: {
      const std::string field = date_field(r);
      bool real = false;
      if (field.size() == 8) {
        real = Date::from_ymd(std::stoi(field.substr(0, 4)), std::stoi(field.substr(4, 2)), std::stoi(field.substr(6, 2)))
                   .has_value();
      } else if (field.size() == 6) {
        const int year = (r.kind == IdKind::resident_legacy ? 1900 : 2000) + std::stoi(field.substr(0, 2));
        real = Date::from_ymd(year, std::stoi(field.substr(2, 2)), std::stoi(field.substr(4, 2))).has_value() ||
               Date::from_ymd(year - 100, std::stoi(field.substr(2, 2)), std::stoi(field.substr(4, 2))).has_value();
      }
      const std::string shown = field.empty() ? "" : " " + field;
      if (real)
        return zh ? "出生日期" + shown + " 晚于评估日期" : "birth date" + shown + " is after the evaluation date";
      return zh ? "出生日期" + shown + " 不是有效日期" : "birth date" + shown + " is not a calendar date";
    }
    case IdProblem::check_character:
      return zh ? std::string("校验码为 ") + r.found_check + "，应为 " + r.expected_check
                : std::string("check character is ") + r.found_check + ", expected " + r.expected_check;
  }
  return "";
}

std::string describe(const CreditCodeCheck& r, std::string_view language) {
  const bool zh = language == "zh" || language == "zh-CN";
  auto failure = [&](CreditCodeProblem problem) -> std::string {
    switch (problem) {
      case CreditCodeProblem::none: return zh ? "有效" : "valid";
      case CreditCodeProblem::empty: return zh ? "为空" : "empty";
      case CreditCodeProblem::length: {
        const std::string n = std::to_string(detail::code_point_count(r.code));
        return zh ? "长度为 " + n + " 位，应为 18 位" : "length is " + n + " characters, expected 18";
      }
      case CreditCodeProblem::characters:
        return zh ? "第 " + std::to_string(r.position) + " 位字符不允许（0-9 与除 I、O、S、V、Z 外的大写字母；第 3-8 位只能是数字）"
                  : "character " + std::to_string(r.position) +
                        " is not allowed (0-9 and A-Z without I, O, S, V, Z; positions 3-8 digits only)";
      case CreditCodeProblem::organization_code:
        return zh ? std::string("组织机构代码校验码为 ") + r.found_check + "，应为 " + r.expected_check
                  : std::string("organisation code check character is ") + r.found_check + ", expected " + r.expected_check;
      case CreditCodeProblem::check_character:
        return zh ? std::string("校验码为 ") + r.found_check + "，应为 " + r.expected_check
                  : std::string("check character is ") + r.found_check + ", expected " + r.expected_check;
    }
    return "";
  };
  if (r.allowed)
    return zh ? "有效（在允许名单中；" + failure(r.failed_check) + "）"
              : "valid (on the allow-list; " + failure(r.failed_check) + ")";
  return failure(r.problem);
}

std::string describe(const BankCardCheck& r, std::string_view language) {
  const bool zh = language == "zh" || language == "zh-CN";
  switch (r.problem) {
    case BankCardProblem::none:
      if (r.luhn_ok) return zh ? "有效" : "valid";
      return zh ? "有效（警告：Luhn 校验不通过，部分真实银联卡如此）"
                : "valid (warning: fails the Luhn check, as some real UnionPay cards do)";
    case BankCardProblem::empty:
      return zh ? "为空" : "empty";
    case BankCardProblem::characters:
      return zh ? "第 " + std::to_string(r.position) + " 位字符不是数字" : "character " + std::to_string(r.position) + " is not a digit";
    case BankCardProblem::length: {
      const std::string n = std::to_string(r.number.size());
      return zh ? "共 " + n + " 位数字，应为 16-19 位" : n + " digits, expected 16 to 19";
    }
  }
  return "";
}

std::string describe(const MobileCheck& r, std::string_view language) {
  const bool zh = language == "zh" || language == "zh-CN";
  switch (r.problem) {
    case MobileProblem::none:
      return zh ? "有效" : "valid";
    case MobileProblem::empty:
      return zh ? "为空" : "empty";
    case MobileProblem::characters:
      return zh ? "第 " + std::to_string(r.position) + " 位字符不是数字" : "character " + std::to_string(r.position) + " is not a digit";
    case MobileProblem::length: {
      const std::string n = std::to_string(r.national.size());
      return zh ? "共 " + n + " 位数字，应为 11 位" : n + " digits, expected 11";
    }
    case MobileProblem::prefix: {
      const std::string head = r.national.substr(0, 3);
      return zh ? "号段 " + head + " 不是手机号段" : "prefix " + head + " is not a mobile prefix";
    }
  }
  return "";
}

}  // namespace eligo::identity
