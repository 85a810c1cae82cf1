// eligo/identity.hpp — Chinese identity numbers, credit codes, bank cards, mobiles, names and masking.
//
// Worked examples (every call returns a value; nothing here throws):
//
//   using namespace eligo::identity;
//   IdCheck id = check_id("11010519491231002x");            // lower-case x accepted
//   id.valid()                 == true
//   id.kind                    == IdKind::resident
//   id.canonical()             == "11010519491231002X"
//   id.birth_date->to_string() == "1949-12-31"
//   id.sex                     == Sex::female               // 17th digit 2 is even
//   region_name(id.region)     == "北京市 朝阳区"
//
//   check_id("610104620927690").canonical() == "610104196209276908"   // legacy 15 → 18
//   IdCheck bad = check_id("110105194912310021");
//   bad.problem == IdProblem::check_character;  bad.expected_check == 'X';  bad.found_check == '1'
//   describe(bad) == "check character is 1, expected X"
//   check_id("00000019491231002X").problem == IdProblem::region       // "region code 000000 does not exist …"
//   check_id("999999194912310021").kind == IdKind::foreign_permanent  // 9…: "province of first issue 99 …"
//   check_id("１１０１０５１９４９１２３１００２Ｘ").valid() == true         // full-width input, NFKC
//
//   check_credit_code("9144030071526726XG").valid() == true           // GB 32100 + organisation code
//   check_bank_card("6214832018989180").valid() == true;   // Luhn fails: a warning (luhn_ok == false)
//   check_mobile("+86 180 1234 1999").number() == "18012341999"
//
//   normalize_name("阿依古丽・买买提") == "阿依古丽·买买提"                // U+30FB → U+00B7
//   names_match("阿依古丽 • 买买提", "阿依古丽·买买提") == true
//   name_length("𠀀𠀁") == 2                                           // code points, not bytes
//
//   mask(PiiKind::id_number, "11010519491231002X") == "110105********002X"
//   mask(PiiKind::mobile, "18012341999")           == "180****1999"
//   mask(PiiKind::name, "段正淳")                   == "段**"
//   keyed_id_hash(key, "610104620927690") == keyed_id_hash(key, "610104196209276908")  // hex HMAC-SHA-256
//
// Defaults at a glance
//   | option                          | default   | meaning                                                   |
//   |---------------------------------|-----------|-----------------------------------------------------------|
//   | IdOptions::as_of                | today CST | birth dates after it are rejected; ages are counted to it |
//   | IdOptions::region_check         | province  | first two digits must name a province (see RegionCheck)   |
//   | IdOptions::accept_*             | true      | every kind of number is recognised                        |
//   | CreditCodeOptions::allowed      | empty     | codes accepted although they fail a check                 |
//   | MobileOptions::strict_prefixes  | false     | loose ^1[3-9]\d{9}$                                       |
//   | MaskOptions                     | 6+4, 6+4, 3+4, name 1 | kept head and tail code points                |
//
// The facts these functions rely on (standards, samples, what is uncertain) are in docs/identity.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/date.hpp"

namespace eligo::identity {

enum class Sex : std::uint8_t { unknown, male, female };
const char* to_string(Sex sex);  // "unknown", "male", "female"

// ─── Administrative regions (GB/T 2260) ────────────────────────────────────────────────────────────────
// The table ships inside the library (data/regions/gb2260.csv, compiled in); it holds current codes and the
// historical codes of every revision since 2002-12. Codes abolished earlier are unknown to it.

struct Region {
  int code = 0;                 // six digits, e.g. 110105
  std::string_view name;        // "朝阳区"
  std::string_view province;    // "北京市"
  std::string_view prefecture;  // "市辖区" ("" for province-level rows and when unknown)
  bool current = false;         // false: abolished or renumbered (still valid in old ID numbers)
  std::string_view last_seen;   // newest revision listing it, "YYYYMM"
};

// The row for an exact six-digit code; nullopt when the table does not know it.
std::optional<Region> find_region(int code);
// True when the first two digits name a province-level division (11…65, 71, 81, 82).
bool province_exists(int two_digits);
// "北京市 朝阳区" (province, prefecture unless it is "市辖区"/"县", county); for an unknown code the
// province's name alone; "" when even the province is unknown.
std::string region_name(int code);
// Number of rows in the table (for diagnostics and tests).
std::size_t region_count();

// ─── Resident ID numbers and the numbers that share their layout ────────────────────────────────────────

enum class IdKind : std::uint8_t {
  unknown,                   // not recognisably any kind below (problem says why)
  resident,                  // 居民身份证号码, GB 11643-1999, 18 characters
  resident_legacy,           // GB 11643-1989, 15 digits, no check character (canonical() gives the 18 form)
  hk_macau_taiwan_permit,    // 港澳台居民居住证: resident layout with region 810000 / 820000 / 830000
  foreign_permanent,         // 外国人永久居留身份证 since 2023-12: 18 characters starting with 9
  foreign_permanent_legacy,  // older 15-character form: ISO alpha-3 nationality first
};
const char* to_string(IdKind kind);  // the enumerator's name, e.g. "resident_legacy"

enum class IdProblem : std::uint8_t {
  none,             // valid
  empty,            // nothing but whitespace
  length,           // not 15 or 18 characters after normalisation
  characters,       // a character not allowed at `position`
  region,           // region (or province of issue) does not exist; permits must be exactly x10000
  nationality,      // foreign forms: unknown ISO 3166-1 country
  birth_date,       // not a calendar date, or after IdOptions::as_of
  check_character,  // wrong check character: see expected_check / found_check
};
const char* to_string(IdProblem problem);  // the enumerator's name

enum class RegionCheck : std::uint8_t {
  none,        // accept any six digits
  province,    // the first two digits must be a province (default: old numbers carry codes abolished
               // before 2002 that no shipped table knows, and they are genuine)
  known_code,  // the whole code must be in the shipped table (current or historical since 2002); rejects
               // some genuine numbers issued under older codes — use for recently issued numbers only
};

struct IdOptions {
  // The evaluation date: a birth date after it is rejected and ages are counted to it. Unset: the current
  // date in China Standard Time (UTC+8) at the call.
  std::optional<Date> as_of;
  // How strictly the region code is checked (see RegionCheck).
  RegionCheck region_check = RegionCheck::province;
  // Accept 15-digit GB 11643-1989 numbers (converted to 18 in canonical()).
  bool accept_legacy = true;
  // Accept 港澳台居民居住证 numbers (810000/820000/830000). When false they are reported as a region problem.
  bool accept_permits = true;
  // Accept both forms of the foreign permanent-residence ID. When false, 9xxxxx… fails the province check
  // and the alpha-3 form fails on characters.
  bool accept_foreign = true;
};

// The answer for one number. Fields after `problem` are filled for the parts that were read successfully,
// so a number with a bad check character still reports its birth date, sex and region.
struct IdCheck {
  IdKind kind = IdKind::unknown;
  IdProblem problem = IdProblem::empty;
  std::uint8_t position = 0;   // characters: 1-based position (in the normalised text) of the first bad one
  char32_t found_char = 0;     // characters: the character at `position`
  int length = 0;              // code points after normalisation (for the length problem)
  char expected_check = 0;     // check_character: the character the number should end with
  char found_check = 0;        // check_character: the character it does end with
  int region = 0;              // six-digit region code (foreign 2023 form: province of first issue × 10000)
  bool region_known = false;   // the exact region code is in the shipped table
  std::optional<Date> birth_date;
  bool century_guessed = false;  // foreign legacy form: YYMMDD, century chosen as documented
  Sex sex = Sex::unknown;
  char nationality[4] = {};    // foreign forms: ISO alpha-3 ("KAZ") or numeric ("398") text, NUL-terminated

  bool valid() const { return problem == IdProblem::none; }
  // The input after trimming, NFKC and upper-casing (what the checks read). Empty when longer than 18.
  std::string_view normalized() const { return {normalized_, normalized_size_}; }
  // The canonical number: the 18-character form for resident numbers (15-digit input converted, once
  // its date is valid), otherwise the normalised text. Empty when not available.
  std::string_view canonical() const { return {canonical_, canonical_size_}; }

  // Internal storage behind normalized() / canonical(); fixed buffers keep the check allocation-free.
  char normalized_[19] = {};
  std::uint8_t normalized_size_ = 0;
  char canonical_[19] = {};
  std::uint8_t canonical_size_ = 0;
};

// Classifies and validates a resident ID, 港澳台 permit or foreign permanent-residence number.
IdCheck check_id(std::string_view text, const IdOptions& options = {});
// check_id(text, options).valid().
bool id_valid(std::string_view text, const IdOptions& options = {});
// Trim, NFKC (full-width → ASCII), upper-case ASCII letters. No validation; invalid UTF-8 becomes U+FFFD.
std::string normalize_id(std::string_view text);
// The ISO 7064 MOD 11-2 check character for 17 digits, or '\0' when `first17` is not 17 ASCII digits.
char id_check_character(std::string_view first17);
// 15-digit legacy number → 18 characters ("19" inserted, check character appended). nullopt unless the
// input normalises to 15 digits with a real calendar date.
std::optional<std::string> id_15_to_18(std::string_view legacy);
// Age in full years (周岁) on `on` for a number whose birth date could be read; nullopt otherwise.
std::optional<int> id_age(std::string_view text, Date on, const IdOptions& options = {});
// Today in China Standard Time (UTC+8): the default IdOptions::as_of.
Date today_in_china();

// The old 15-character foreign permanent-residence layout, kept in one place because it comes from an
// open-source parser, not from the issuing authority: alpha-3 nationality (1-3) · 4-digit issuing region
// (4-7, a GB/T 2260 prefecture without its last two digits) · YYMMDD birth date (8-13) · sex/sequence digit
// (14, odd male) · ICAO 9303 7-3-1 check digit over 1-14 (15). Used by check_id; exposed for tests.
IdCheck check_foreign_legacy(std::string_view normalized15, const IdOptions& options);

// ISO 3166-1 lookups (data/iso3166/countries.csv, compiled in). "" when unknown.
std::string_view country_by_alpha3(std::string_view alpha3);
std::string_view country_by_numeric(std::string_view numeric3);

// ─── Unified social credit codes (GB 32100-2015) ────────────────────────────────────────────────────────

enum class CreditCodeProblem : std::uint8_t {
  none,               // valid (or failing but on CreditCodeOptions::allowed: see `allowed`)
  empty,              // nothing but whitespace
  length,             // not 18 characters
  characters,         // outside 0-9 A-Z minus I O S V Z, or a non-digit in the region code (3-8)
  organization_code,  // the embedded 9-character organisation code (9-17) fails its own check
  check_character,    // wrong final check character
};
const char* to_string(CreditCodeProblem problem);

struct CreditCodeOptions {
  // Codes accepted as valid although they fail a check (e.g. early Fujian pilot codes such as
  // 91350100M0001TGQXM). Compared after normalisation, so case and full-width forms do not matter.
  std::vector<std::string> allowed;
};

struct CreditCodeCheck {
  CreditCodeProblem problem = CreditCodeProblem::empty;
  bool allowed = false;           // valid only because it is on the allow-list (the failed check is kept
                                  // in `failed_check`)
  CreditCodeProblem failed_check = CreditCodeProblem::none;  // what an allowed code failed
  std::uint8_t position = 0;      // characters: 1-based position of the first bad one
  char expected_check = 0;        // check_character / organization_code: the expected character
  char found_check = 0;           // … and the one found
  int region = 0;                 // positions 3-8 when they are digits
  bool region_known = false;      // that region is in the shipped table
  std::string code;               // normalised text (trimmed, NFKC, upper-case)

  bool valid() const { return problem == CreditCodeProblem::none; }
  char registering_authority() const { return code.size() == 18 ? code[0] : 0; }  // 登记管理部门
  char entity_type() const { return code.size() == 18 ? code[1] : 0; }            // 机构类别
  std::string_view organization_code() const {                                     // 组织机构代码
    return code.size() == 18 ? std::string_view(code).substr(8, 9) : std::string_view();
  }
};

CreditCodeCheck check_credit_code(std::string_view text, const CreditCodeOptions& options = {});
bool credit_code_valid(std::string_view text, const CreditCodeOptions& options = {});
// The GB 32100 check character for 17 valid characters; '\0' otherwise.
char credit_code_check_character(std::string_view first17);
// The GB 11714 organisation-code check character for 8 characters (digits or letters); '\0' otherwise.
char organization_code_check_character(std::string_view first8);

// ─── Bank cards ─────────────────────────────────────────────────────────────────────────────────────────

enum class BankCardProblem : std::uint8_t {
  none,        // valid; a Luhn failure is only a warning (luhn_ok)
  empty,       // nothing but whitespace
  characters,  // something other than digits, spaces and hyphens
  length,      // fewer than 16 or more than 19 digits
};
const char* to_string(BankCardProblem problem);

struct BankCardCheck {
  BankCardProblem problem = BankCardProblem::empty;
  std::uint8_t position = 0;  // characters: 1-based position (in the normalised text) of the first bad one
  bool luhn_ok = false;       // WARNING only: some real UnionPay debit cards fail Luhn
  std::string number;         // the digits alone (spaces and hyphens removed)

  bool valid() const { return problem == BankCardProblem::none; }
  std::string_view bin() const {  // issuer identification: the first six digits
    return number.size() >= 6 ? std::string_view(number).substr(0, 6) : std::string_view();
  }
};

BankCardCheck check_bank_card(std::string_view text);
bool luhn_ok(std::string_view digits);  // false for anything but ASCII digits

// ─── Mobile numbers ─────────────────────────────────────────────────────────────────────────────────────

enum class MobileProblem : std::uint8_t {
  none,        // valid
  empty,       // nothing but whitespace
  characters,  // something other than digits, spaces and hyphens after the country code
  length,      // not 11 digits
  prefix,      // does not match ^1[3-9] (loose) or is not on the prefix list (strict)
};
const char* to_string(MobileProblem problem);

struct MobileOptions {
  // Check the first three digits against `prefixes` instead of the loose ^1[3-9]\d{9}$.
  bool strict_prefixes = false;
  // Allowed three-digit prefixes for the strict check; empty means the built-in list (default_mobile_prefixes).
  std::vector<std::string> prefixes;
};

struct MobileCheck {
  MobileProblem problem = MobileProblem::empty;
  std::uint8_t position = 0;      // characters: 1-based position of the first bad one
  bool had_country_code = false;  // a leading +86 or 0086 was removed
  std::string national;           // the digits after the country code

  bool valid() const { return problem == MobileProblem::none; }
  std::string_view number() const { return national; }
};

MobileCheck check_mobile(std::string_view text, const MobileOptions& options = {});
// The built-in allocated prefixes (as of 2024; allocations change, so pass your own for a strict check).
const std::vector<std::string>& default_mobile_prefixes();

// ─── Names ──────────────────────────────────────────────────────────────────────────────────────────────

// NFKC, then every look-alike of the name separator dot (U+30FB, U+FF65, U+2022, U+2027, U+2219, U+22C5,
// U+0387, U+2E31, U+A78F, U+1427, U+FF0E, U+2024, U+FE52, ".") becomes U+00B7 MIDDLE DOT, and whitespace
// (every Unicode White_Space character, plus U+200B, U+2060, U+FEFF) is removed. Invalid UTF-8 becomes
// U+FFFD. Keep the original for display: compatibility ideographs are changed by every normal form.
std::string normalize_name(std::string_view text);
// Number of Unicode code points (each invalid UTF-8 byte counts as one).
std::size_t name_length(std::string_view utf8);
// normalize_name(a) == normalize_name(b), and neither is empty.
bool names_match(std::string_view a, std::string_view b);

// ─── Masking and keyed hashing ──────────────────────────────────────────────────────────────────────────

enum class PiiKind { id_number, bank_card, mobile, name };
const char* to_string(PiiKind kind);

struct MaskOptions {  // kept lengths, in code points; negative values count as 0
  int id_head = 6;      // ID numbers: leading characters kept (the region code)
  int id_tail = 4;      // ID numbers: trailing characters kept
  int card_head = 6;    // bank cards: leading digits kept (the BIN)
  int card_tail = 4;    // bank cards: trailing digits kept
  int mobile_head = 3;  // mobiles: leading digits kept (after an optional +86/0086, which is kept as is)
  int mobile_tail = 4;  // mobiles: trailing digits kept
  int name_head = 1;    // names: leading characters kept (the surname, usually); no tail is kept
  char32_t mask_char = U'*';  // replaces each hidden code point; an invalid code point falls back to '*'
};

// Masks for display and logs. Works on any input (malformed, short, non-ASCII) without throwing; counts
// code points, never bytes; a value too short to keep head+tail is fully masked.
// Surrounding whitespace is trimmed; for ID numbers, cards and mobiles inner spaces and hyphens are dropped
// first (so "6214 8320 …" masks like "62148320…"). Invalid UTF-8 bytes count as one code point each and
// come out as U+FFFD when kept.
std::string mask(PiiKind kind, std::string_view text, const MaskOptions& options = {});

// PII by shape (R8): masks, in free text, every run that has the shape of PII whatever field it came
// from, each with mask() of its kind:
//   - a valid ID number: 17 digits + the GB 11643 MOD 11-2 check character (resident, 港澳台 permits,
//     foreign 2023 form), or 15 digits whose 7th-12th form a real YYMMDD date (GB 11643-1989);
//   - a Luhn-valid run of 16-19 digits (a bank card);
//   - a mobile: 11 digits matching 1[3-9]…, also after a glued 86 / 0086.
// A run is a maximal sequence of digits (ASCII or full-width), with a final X/x/Ｘ after 17 digits; runs
// inside longer digit sequences are not split. Grouped forms with single spaces or hyphens are masked too:
// 3-4-4 mobiles, 4-4-4-4(-1..3) cards starting 3-6, 6-8-4 IDs. Dates, amounts and short codes are left alone.
// Every text eligo writes for people goes through it unless the caller asked for clear text: data errors
// (E3xxx), reasons, --explain traces, CLI messages on stderr. The server's errors and logs must call it
// too. Allocation-free fast path when the text holds fewer than 11 digits.
//   mask_pii_runs("户籍地：11010519491231002X")   == "户籍地：110105********002X"
//   mask_pii_runs("card 6222 0212 3456 7890 128") == "card 622202*********0128"
//   mask_pii_runs("2024-05-01, 3000.50 元")      == "2024-05-01, 3000.50 元"
std::string mask_pii_runs(std::string_view text, const MaskOptions& options = {});
// mask_pii_runs(text) != text: the text holds a run of that shape.
bool has_pii_run(std::string_view text, const MaskOptions& options = {});

// HMAC-SHA-256 of the normalised ID (a 15-digit legacy number with a real date is first converted to 18
// characters, so both forms join), as 64 lower-case hex characters. Nothing else is checked, so the hash
// of a number never depends on the evaluation date or the options.
// Returns "" only if libcrypto fails.
std::string keyed_id_hash(std::string_view key, std::string_view id_text);

// The same hash for many IDs under one key: the HMAC key schedule is prepared once, so each hash costs
// about one SHA-256 pass. hash() may be called from several threads at once.
class IdHasher {
 public:
  explicit IdHasher(std::string_view key);
  ~IdHasher();
  IdHasher(IdHasher&&) noexcept;
  IdHasher& operator=(IdHasher&&) noexcept;
  IdHasher(const IdHasher&) = delete;
  IdHasher& operator=(const IdHasher&) = delete;

  std::string hash(std::string_view id_text) const;  // == keyed_id_hash(key, id_text); "" if libcrypto fails

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ─── Any of the above ───────────────────────────────────────────────────────────────────────────────────

enum class NumberKind : std::uint8_t { unknown, id, credit_code, bank_card, mobile };
const char* to_string(NumberKind kind);  // "unknown", "id", "credit_code", "bank_card", "mobile"

struct Identified {
  NumberKind kind = NumberKind::unknown;
  IdCheck id;                   // kind == id
  CreditCodeCheck credit_code;  // kind == credit_code
  BankCardCheck bank_card;      // kind == bank_card
  MobileCheck mobile;           // kind == mobile
  // Another kind the same text also passes as, for the caller to mention: an 18-digit number whose first six
  // digits are a known region code is reported as an ID (invalid, with its reason) even when it passes Luhn,
  // and also == bank_card says so. unknown when there is no other reading.
  NumberKind also = NumberKind::unknown;
  bool valid() const;
};

struct IdentifyOptions {
  IdOptions id;                   // used for ID numbers
  CreditCodeOptions credit_code;  // used for credit codes
  MobileOptions mobile;           // used for mobile numbers
};

// Guesses what `text` is and checks it as that. The guess prefers a kind whose check passes; among
// failing candidates it uses the shape (documented in docs/identity.md, "Detection").
Identified identify(std::string_view text, const IdentifyOptions& options = {});
// Checks `text` as the kind the caller says it is (no guessing): for a column known to hold ID numbers, a
// mistyped one is reported as an invalid ID, never as a valid card. kind == unknown is identify().
Identified identify_as(NumberKind kind, std::string_view text, const IdentifyOptions& options = {});

// ─── Reasons ────────────────────────────────────────────────────────────────────────────────────────────
// One-line reason for a result, "valid" when valid. Never contains the full number: only the part at
// fault (region code, date field, a single character and its position). Language: "en" or "zh".
std::string describe(const IdCheck& check, std::string_view language = "en");
std::string describe(const CreditCodeCheck& check, std::string_view language = "en");
std::string describe(const BankCardCheck& check, std::string_view language = "en");
std::string describe(const MobileCheck& check, std::string_view language = "en");

}  // namespace eligo::identity
