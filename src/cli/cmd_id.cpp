// eligo id — validate and explain Chinese ID numbers, credit codes, bank cards and mobiles; or mask them.
// Output format is documented in docs/identity.md ("The eligo id command").
#include <cstdlib>
#include <istream>
#include <optional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "core/json_dump.hpp"
#include "cli/commands.hpp"
#include "eligo/identity.hpp"

namespace eligo::cli {
namespace {

namespace id = eligo::identity;

constexpr const char* kHelp =
    "usage: eligo id [options] CHECK...        (no CHECK: one per line of standard input)\n"
    "       eligo id --mask [--kind KIND] [--head N] [--tail N] VALUE...\n"
    "       ELIGO_HASH_KEY=... eligo id --hash VALUE...\n"
    "\n"
    "For each value prints the detected kind, 'valid' or 'invalid: <reason>', and the extracted fields.\n"
    "Numbers are echoed masked (first 6 + last 4) unless --reveal is given.\n"
    "\n"
    "options:\n"
    "  --format text|json        output format (json: one object per line); default text\n"
    "  --lang en|zh              language of the reasons; default en\n"
    "  --as-of YYYY-MM-DD        evaluation date for birth dates and ages; default today (UTC+8)\n"
    "  --region-check none|province|known   how strictly region codes are checked; default province\n"
    "  --allow CODE              accept this credit code although it fails a check (repeatable)\n"
    "  --strict-mobile           check mobile prefixes against the built-in allocation list\n"
    "  --reveal                  print numbers in clear text instead of masked\n"
    "  --mask                    mask each value instead of checking it\n"
    "  --kind KIND               what the values are, instead of detecting it: to check, id, credit_code,\n"
    "                            card or mobile; with --mask, id, card, mobile or name (default: detected;\n"
    "                            non-ASCII = name)\n"
    "  --head N, --tail N        with --mask: kept leading / trailing characters\n"
    "  --hash                    print the keyed hash (HMAC-SHA-256, hex) of each ID instead; the key is\n"
    "                            read from the environment variable ELIGO_HASH_KEY, never from arguments\n"
    "\n"
    "exit status: 0 all valid (or masked), 1 some value invalid, 2 usage error\n";

struct Settings {
  bool json = false;
  bool zh = false;
  bool reveal = false;
  bool mask = false;
  bool hash = false;
  std::optional<id::IdHasher> hasher;
  std::string mask_kind;
  int head = -1;
  int tail = -1;
  id::IdentifyOptions identify;
};

std::string shown(const Settings& settings, id::PiiKind kind, std::string_view text) {
  return settings.reveal ? std::string(text) : id::mask(kind, text);
}

std::string pad6(int code) {
  std::string s = std::to_string(code);
  while (s.size() < 6) s.insert(s.begin(), '0');
  return s;
}

// Fields as ordered key/value pairs; text output prints them as key=value, JSON as an object.
using Fields = std::vector<std::pair<std::string, nlohmann::json>>;

void add_region(Fields& fields, int region, bool known) {
  fields.emplace_back("region", pad6(region));
  const std::string name = id::region_name(region);
  if (!name.empty()) fields.emplace_back("region_name", name);
  if (!known) fields.emplace_back("region_known", false);
}

struct Answer {
  std::string kind;     // "id", "credit_code", ...
  std::string subkind;  // IdKind for ids
  bool valid = false;
  std::string problem;
  std::string reason;
  Fields fields;
};

Answer answer(const Settings& settings, const id::Identified& r) {
  Answer a;
  a.kind = id::to_string(r.kind);
  a.valid = r.valid();
  const std::string_view lang = settings.zh ? "zh" : "en";
  switch (r.kind) {
    case id::NumberKind::id: {
      const id::IdCheck& c = r.id;
      a.subkind = id::to_string(c.kind);
      a.problem = id::to_string(c.problem);
      a.reason = id::describe(c, lang);
      if (c.canonical().size() == 18 && c.canonical() != c.normalized())
        a.fields.emplace_back("canonical", shown(settings, id::PiiKind::id_number, c.canonical()));
      if (c.birth_date) {
        a.fields.emplace_back("birth_date", c.birth_date->to_string());
        const Date as_of = settings.identify.id.as_of ? *settings.identify.id.as_of : id::today_in_china();
        a.fields.emplace_back("age", years_between(*c.birth_date, as_of));
      }
      if (c.century_guessed) a.fields.emplace_back("century_guessed", true);
      if (c.sex != id::Sex::unknown) a.fields.emplace_back("sex", id::to_string(c.sex));
      const bool layout_read = c.problem != id::IdProblem::empty && c.problem != id::IdProblem::length &&
                               c.problem != id::IdProblem::characters;
      if (layout_read) add_region(a.fields, c.region, c.region_known);
      if (c.nationality[0] != '\0') {
        a.fields.emplace_back("nationality", c.nationality);
        const std::string_view country = c.kind == id::IdKind::foreign_permanent
                                             ? id::country_by_numeric(c.nationality)
                                             : id::country_by_alpha3(c.nationality);
        if (!country.empty()) a.fields.emplace_back("country", std::string(country));
      }
      break;
    }
    case id::NumberKind::credit_code: {
      const id::CreditCodeCheck& c = r.credit_code;
      a.problem = id::to_string(c.problem);
      a.reason = id::describe(c, lang);
      if (c.code.size() == 18) {
        a.fields.emplace_back("registering_authority", std::string(1, c.registering_authority()));
        a.fields.emplace_back("entity_type", std::string(1, c.entity_type()));
        if (c.problem != id::CreditCodeProblem::characters) {
          add_region(a.fields, c.region, c.region_known);
          a.fields.emplace_back("organization_code", std::string(c.organization_code()));
        }
      }
      if (c.allowed) a.fields.emplace_back("allowed", true);
      break;
    }
    case id::NumberKind::bank_card: {
      const id::BankCardCheck& c = r.bank_card;
      a.problem = id::to_string(c.problem);
      a.reason = id::describe(c, lang);
      if (!c.number.empty()) {
        a.fields.emplace_back("bin", std::string(c.bin()));
        a.fields.emplace_back("digits", static_cast<int>(c.number.size()));
        a.fields.emplace_back("luhn", c.luhn_ok ? "ok" : "fail");
      }
      break;
    }
    case id::NumberKind::mobile: {
      const id::MobileCheck& c = r.mobile;
      a.problem = id::to_string(c.problem);
      a.reason = id::describe(c, lang);
      if (c.had_country_code) a.fields.emplace_back("country_code", "+86");
      if (!c.national.empty()) a.fields.emplace_back("number", shown(settings, id::PiiKind::mobile, c.national));
      break;
    }
    case id::NumberKind::unknown:
      a.problem = "unknown";
      a.reason = settings.zh ? "不是身份证号码、统一社会信用代码、银行卡号或手机号码"
                             : "not an ID number, credit code, bank card or mobile number";
      break;
  }
  return a;
}

id::PiiKind pii_kind_of(const Settings& settings, std::string_view value) {
  const std::string& k = settings.mask_kind;
  if (k == "id") return id::PiiKind::id_number;
  if (k == "card") return id::PiiKind::bank_card;
  if (k == "mobile") return id::PiiKind::mobile;
  if (k == "name") return id::PiiKind::name;
  for (unsigned char c : value)
    if (c >= 0x80) return id::PiiKind::name;
  switch (id::identify(value).kind) {
    case id::NumberKind::bank_card: return id::PiiKind::bank_card;
    case id::NumberKind::mobile: return id::PiiKind::mobile;
    default: return id::PiiKind::id_number;
  }
}

std::string masked(const Settings& settings, std::string_view value) {
  const id::PiiKind kind = pii_kind_of(settings, value);
  id::MaskOptions options;
  if (settings.head >= 0) {
    options.id_head = options.card_head = options.mobile_head = options.name_head = settings.head;
  }
  if (settings.tail >= 0) options.id_tail = options.card_tail = options.mobile_tail = settings.tail;
  return id::mask(kind, value, options);
}

// Echo of the input for the first column: masked like the kind it was detected as.
std::string echo(const Settings& settings, const id::Identified& r, std::string_view value) {
  if (settings.reveal) return std::string(value);
  switch (r.kind) {
    case id::NumberKind::bank_card: return id::mask(id::PiiKind::bank_card, value);
    case id::NumberKind::mobile: return id::mask(id::PiiKind::mobile, value);
    case id::NumberKind::credit_code: return std::string(id::normalize_id(value));  // public register data
    default: return id::mask(id::PiiKind::id_number, value);
  }
}

// --kind for checks: the kind to check as; unknown = detect.
id::NumberKind check_kind(const std::string& kind) {
  if (kind == "id") return id::NumberKind::id;
  if (kind == "credit_code") return id::NumberKind::credit_code;
  if (kind == "card") return id::NumberKind::bank_card;
  if (kind == "mobile") return id::NumberKind::mobile;
  return id::NumberKind::unknown;
}

// Returns true when the value was valid (or masked).
bool process(const Settings& settings, std::string_view value, Io& io) {
  if (settings.hash) {
    const std::string digest = settings.hasher->hash(value);
    if (settings.json) {
      io.out << eligo::json_dump(nlohmann::ordered_json{{"input", id::mask(id::PiiKind::id_number, value)}, {"hash", digest}}) << '\n';
    } else {
      io.out << digest << '\n';
    }
    return !digest.empty();
  }
  if (settings.mask) {
    const std::string out = masked(settings, value);
    if (settings.json) {
      io.out << eligo::json_dump(nlohmann::ordered_json{{"kind", id::to_string(pii_kind_of(settings, value))}, {"masked", out}}) << '\n';
    } else {
      io.out << out << '\n';
    }
    return true;
  }
  const id::Identified r = id::identify_as(check_kind(settings.mask_kind), value, settings.identify);
  const Answer a = answer(settings, r);
  const std::string input = echo(settings, r, value);
  if (settings.json) {
    nlohmann::ordered_json j;
    j["input"] = input;
    j["kind"] = a.kind;
    if (!a.subkind.empty()) j["id_kind"] = a.subkind;
    j["valid"] = a.valid;
    j["problem"] = a.problem;
    j["reason"] = a.reason;
    nlohmann::ordered_json fields = nlohmann::ordered_json::object();
    for (const auto& [key, v] : a.fields) fields[key] = v;
    j["fields"] = fields;
    if (r.also != id::NumberKind::unknown) j["also"] = id::to_string(r.also);
    io.out << eligo::json_dump(j) << '\n';
  } else {
    io.out << input << "  " << a.kind;
    if (!a.subkind.empty()) io.out << ':' << a.subkind;
    io.out << "  " << (a.valid ? a.reason : "invalid: " + a.reason);
    for (const auto& [key, v] : a.fields) {
      io.out << "  " << key << '=';
      if (v.is_string()) {
        const std::string& s = v.get_ref<const std::string&>();
        if (s.find(' ') != std::string::npos) {
          io.out << '"' << s << '"';
        } else {
          io.out << s;
        }
      } else if (v.is_boolean()) {
        io.out << (v.get<bool>() ? "yes" : "no");
      } else {
        io.out << eligo::json_dump(v);
      }
    }
    if (r.also != id::NumberKind::unknown)
      io.out << "  also=" << id::to_string(r.also) << (settings.zh ? "（也可读作此类号码）" : " (the other reading)");
    io.out << '\n';
  }
  return a.valid;
}

bool parse_int(const std::string& text, int& out) {
  if (text.empty() || text.size() > 3) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  out = std::stoi(text);
  return true;
}

}  // namespace

int cmd_id(const Args& args, Io& io) {
  Settings settings;
  std::vector<std::string> values;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) {
        io.err << "eligo id: " << arg << " needs a value\n";
        return false;
      }
      out = args[++i];
      return true;
    };
    std::string v;
    if (arg == "--help" || arg == "-h") {
      io.out << kHelp;
      return 0;
    } else if (arg == "--format") {
      if (!value(v)) return 2;
      if (v != "text" && v != "json") {
        io.err << "eligo id: --format must be text or json\n";
        return 2;
      }
      settings.json = v == "json";
    } else if (arg == "--lang") {
      if (!value(v)) return 2;
      if (v != "en" && v != "zh") {
        io.err << "eligo id: --lang must be en or zh\n";
        return 2;
      }
      settings.zh = v == "zh";
    } else if (arg == "--as-of") {
      if (!value(v)) return 2;
      const auto date = Date::parse(v);
      if (!date) {
        io.err << "eligo id: --as-of needs a date YYYY-MM-DD\n";
        return 2;
      }
      settings.identify.id.as_of = *date;
    } else if (arg == "--region-check") {
      if (!value(v)) return 2;
      if (v == "none") {
        settings.identify.id.region_check = id::RegionCheck::none;
      } else if (v == "province") {
        settings.identify.id.region_check = id::RegionCheck::province;
      } else if (v == "known") {
        settings.identify.id.region_check = id::RegionCheck::known_code;
      } else {
        io.err << "eligo id: --region-check must be none, province or known\n";
        return 2;
      }
    } else if (arg == "--allow") {
      if (!value(v)) return 2;
      settings.identify.credit_code.allowed.push_back(v);
    } else if (arg == "--strict-mobile") {
      settings.identify.mobile.strict_prefixes = true;
    } else if (arg == "--reveal") {
      settings.reveal = true;
    } else if (arg == "--mask") {
      settings.mask = true;
    } else if (arg == "--hash") {
      settings.hash = true;
    } else if (arg == "--kind") {
      if (!value(v)) return 2;
      if (v != "id" && v != "credit_code" && v != "card" && v != "mobile" && v != "name") {
        io.err << "eligo id: --kind must be id, credit_code, card, mobile or name\n";
        return 2;
      }
      settings.mask_kind = v;
    } else if (arg == "--head" || arg == "--tail") {
      if (!value(v)) return 2;
      int n = 0;
      if (!parse_int(v, n)) {
        io.err << "eligo id: " << arg << " needs a number 0-999\n";
        return 2;
      }
      (arg == "--head" ? settings.head : settings.tail) = n;
    } else if (arg == "--") {
      values.insert(values.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    } else if (arg.size() > 1 && arg[0] == '-' && arg[1] == '-') {
      io.err << "eligo id: unknown option " << arg << "\n\n" << kHelp;
      return 2;
    } else {
      values.push_back(arg);
    }
  }

  if (!settings.mask && settings.mask_kind == "name") {
    io.err << "eligo id: --kind name is for --mask only (names are not checked)\n";
    return 2;
  }
  if (settings.mask && settings.mask_kind == "credit_code") {
    io.err << "eligo id: --kind credit_code is for checks only (credit codes are public, not masked)\n";
    return 2;
  }
  if (settings.hash) {
    const char* key = std::getenv("ELIGO_HASH_KEY");
    if (key == nullptr || *key == '\0') {
      io.err << "eligo id: --hash needs the key in the environment variable ELIGO_HASH_KEY\n";
      return 2;
    }
    settings.hasher.emplace(key);
  }
  bool all_valid = true;
  if (!values.empty()) {
    for (const std::string& value : values) all_valid = process(settings, value, io) && all_valid;
  } else {
    std::string line;
    while (std::getline(io.in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      all_valid = process(settings, line, io) && all_valid;
    }
  }
  return all_valid ? 0 : 1;
}

}  // namespace eligo::cli
