// eligo test PACK... — runs the cases each pack names under "tests" (docs/rule-language.md §8) and shows
// what differs for each failing case. The case's as_of chooses among the loaded versions of the pack.
// --coverage reports, per pack version, the checks, table rows, `if` branches and caps the cases reached.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <stdexcept>

#include "cli/commands.hpp"
#include "eligo/blacklist.hpp"
#include "eligo/coverage.hpp"
#include "eligo/pack.hpp"

namespace eligo::cli {

namespace {

using json = nlohmann::json;

// The data sources a case describes: listed sources answer with their object (null: no record); a
// source not listed is unavailable.
class CaseSources : public DataSource {
 public:
  explicit CaseSources(const json& sources) : sources_(sources) {}
  std::optional<std::string> fetch(const SourceRequest& req) override {
    if (!sources_.is_object() || !sources_.contains(std::string(req.source)))
      throw std::runtime_error("unavailable in this case");
    const json& v = sources_[std::string(req.source)];
    if (v.is_null()) return std::nullopt;
    return v.dump();
  }

 private:
  const json& sources_;
};

// The blacklist a case describes ("blacklist": [{"id", "scopes", "reason_code", "reason_text", "source",
// "listed_on", "from", "until"}]); a case without one evaluates against an empty list.
std::shared_ptr<const blacklist::Snapshot> case_blacklist(const json& c, std::string* error) {
  blacklist::Builder builder;
  if (c.contains("blacklist")) {
    for (const auto& e : c["blacklist"]) {
      blacklist::Entry entry;
      entry.key = e.value("id", "");
      entry.scopes = e.value("scopes", std::vector<std::string>{"*"});
      entry.reason_code = e.value("reason_code", "");
      entry.reason_text = e.value("reason_text", "");
      entry.source = e.value("source", "");
      const auto listed = Date::parse(e.value("listed_on", ""));
      if (!listed) {
        *error = "a blacklist entry needs listed_on (YYYY-MM-DD)";
        return nullptr;
      }
      entry.listed_on = *listed;
      if (e.contains("from")) entry.from = Date::parse(e["from"].get<std::string>());
      if (e.contains("until")) entry.until = Date::parse(e["until"].get<std::string>());
      if (auto problem = builder.add(entry)) {
        *error = "blacklist entry: " + problem->why;
        return nullptr;
      }
    }
  }
  return builder.build();
}

std::string as_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// Compares numbers as exact decimals: 86 == "86" == "86.0".
bool same_number(const json& want, const std::string& got) {
  const std::string w = as_text(want);
  auto a = Decimal::parse(w), b = Decimal::parse(got);
  if (a && b) return *a == *b;
  return w == got;
}

std::string list_text(const std::vector<std::string>& v) {
  json j = v;
  return j.dump();
}

void compare_case(const json& expect, const Decision& d, std::vector<std::string>* diffs) {
  auto diff = [&](const std::string& what, const std::string& want, const std::string& got) {
    diffs->push_back(what + ":\n        expected " + want + "\n        got      " + got);
  };
  if (expect.contains("error")) {
    const std::string got = d.error ? d.error->code : "(none)";
    if (as_text(expect["error"]) != got) diff("error", as_text(expect["error"]), got + (d.error ? " " + d.error->message : ""));
  } else if (d.error) {
    diffs->push_back("unexpected error[" + d.error->code + "] " + d.error->message);
  }
  if (expect.contains("verdict") && as_text(expect["verdict"]) != verdict_name(d.verdict))
    diff("verdict", as_text(expect["verdict"]), verdict_name(d.verdict));
  std::vector<std::string> failed, missing, reasons;
  for (const auto& c : d.checks) {
    if (c.status == CheckStatus::failed) {
      failed.emplace_back(c.id);
      reasons.push_back(c.reason);
    }
    for (const auto& m : c.missing)
      if (std::find(missing.begin(), missing.end(), m) == missing.end()) missing.push_back(m);
  }
  for (const auto& it : d.items)
    for (const auto& m : it.missing)
      if (std::find(missing.begin(), missing.end(), m) == missing.end()) missing.push_back(m);
  if (expect.contains("failed") && expect["failed"].get<std::vector<std::string>>() != failed)
    diff("failed", expect["failed"].dump(), list_text(failed));
  if (expect.contains("missing")) {
    auto want = expect["missing"].get<std::vector<std::string>>();
    auto got = missing;
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    if (want != got) diff("missing", expect["missing"].dump(), list_text(missing));
  }
  if (expect.contains("reasons") && expect["reasons"].get<std::vector<std::string>>() != reasons)
    diff("reasons", json(expect["reasons"]).dump(-1, ' ', false), json(reasons).dump(-1, ' ', false));
  if (expect.contains("total")) {
    if (!d.scored || !same_number(expect["total"], d.total.to_string()))
      diff("total", as_text(expect["total"]), d.scored ? d.total.to_string() : "(no score)");
  }
  if (expect.contains("points")) {
    for (const auto& [id, want] : expect["points"].items()) {
      auto it = std::find_if(d.items.begin(), d.items.end(), [&id = id](const ItemResult& r) { return r.id == id; });
      if (it == d.items.end()) diff("points of " + id, as_text(want), "(no such indicator)");
      else if (!same_number(want, it->points.to_string())) diff("points of " + id, as_text(want), it->points.to_string() + "  (" + item_status_name(it->status) + ")");
    }
  }
  if (expect.contains("outputs")) {
    for (const auto& [name, want] : expect["outputs"].items()) {
      auto it = std::find_if(d.outputs.begin(), d.outputs.end(), [&name = name](const OutputResult& o) { return o.name == name; });
      const std::string got = it == d.outputs.end() ? "(not computed)" : (it->missing.empty() ? it->value : "(missing)");
      const bool same = want.is_null() ? (it == d.outputs.end() || !it->missing.empty()) : (as_text(want) == got);
      if (!same) diff("output " + name, want.is_null() ? "null" : as_text(want), got);
    }
  }
  if (expect.contains("data_errors")) {
    std::vector<std::string> got;
    for (const auto& e : d.data_errors) got.push_back(e.path);
    if (expect["data_errors"].get<std::vector<std::string>>() != got) diff("data_errors", expect["data_errors"].dump(), list_text(got));
  }
  if (expect.contains("blacklist_hits")) {
    std::vector<std::string> got;
    for (const auto& h : d.blacklist_hits) got.push_back(h.reason_code);
    if (expect["blacklist_hits"].get<std::vector<std::string>>() != got)
      diff("blacklist_hits (reason codes)", expect["blacklist_hits"].dump(), list_text(got));
  }
  if (expect.contains("sources_called")) {
    std::vector<std::string> got;
    for (const auto& c : d.sources_called) got.push_back(c.source);
    if (expect["sources_called"].get<std::vector<std::string>>() != got)
      diff("sources_called", expect["sources_called"].dump(), list_text(got));
  }
}

}  // namespace

int cmd_test(const Args& args, Io& io) {
  Options opt;
  std::string error;
  if (!parse_options(args, {"coverage-json"}, {"help", "verbose", "allow-outside-paths", "coverage", "full-coverage"},
                     &opt, &error) ||
      opt.has("help") || opt.positional.empty()) {
    if (!error.empty()) io.err << "eligo test: " << error << "\n";
    (opt.has("help") ? io.out : io.err)
        << "usage: eligo test [--verbose] [--allow-outside-paths] [--coverage] [--coverage-json FILE]\n"
           "                  [--full-coverage] PACK...\n"
           "  Runs the cases named by each pack's \"tests\"; exit 1 when any fails.\n"
           "  --coverage            print, per pack version, the checks (passed/failed/needs_evidence seen),\n"
           "                        table rows, if branches and caps the cases reached\n"
           "  --coverage-json FILE  write the same as JSON ({\"packs\": [...]}); - for standard output\n"
           "  --full-coverage       exit 1 unless every check was seen passed and failed and every table\n"
           "                        row was reached (implies --coverage)\n";
    return opt.has("help") ? 0 : 2;
  }
  const bool verbose = opt.has("verbose");
  const bool want_full = opt.has("full-coverage");
  const bool counting = want_full || opt.has("coverage") || opt.has("coverage-json");
  // One Coverage per pack version, in the order the versions were first loaded.
  std::vector<std::unique_ptr<Coverage>> coverages;
  auto coverage_of = [&](const Pack& p) -> Coverage* {
    for (auto& c : coverages)
      if (&c->pack().program() == &p.program()) return c.get();
    coverages.push_back(std::make_unique<Coverage>(p));
    return coverages.back().get();
  };
  std::vector<PackSet> sets;  // kept alive: the coverages report on their packs after the run
  sets.reserve(opt.positional.size());
  int passed = 0, failed = 0;
  bool unusable = false;
  for (const auto& path : opt.positional) {
    sets.emplace_back();
    PackSet& set = sets.back();
    Diagnostics diags;
    if (!set.load(path, &diags, [&] { CompileOptions c; c.allow_outside_paths = opt.has("allow-outside-paths"); return c; }())) {
      io.out << diags.to_string();
      unusable = true;
      continue;
    }
    if (counting)
      for (const auto& p : set.packs()) coverage_of(p);  // every version is reported, even one no case selects
    std::set<std::string> seen;
    for (const auto& owner : set.packs()) {
      for (const auto& file : owner.test_files()) {
        if (!seen.insert(file).second) continue;
        std::string text;
        if (!read_text(file, io, &text, &error)) {
          io.out << "error: " << error << "\n";
          unusable = true;
          continue;
        }
        json doc;
        try {
          doc = json::parse(text);
        } catch (const json::exception& e) {
          io.out << "error: " << file << ": malformed JSON: " << e.what() << "\n";
          unusable = true;
          continue;
        }
        if (!doc.contains("cases") || !doc["cases"].is_array()) {
          io.out << "error: " << file << ": expected {\"cases\": [...]}\n";
          unusable = true;
          continue;
        }
        io.out << file << "\n";
        std::size_t index = 0;
        for (const auto& c : doc["cases"]) {
          ++index;
          try {
          const std::string name = c.contains("name") && c["name"].is_string() ? c["name"].get<std::string>()
                                                                              : "case " + std::to_string(index);
          auto as_of = Date::parse(c.value("as_of", ""));
          if (!as_of) {
            io.out << "  FAIL " << name << "\n      as_of is missing or not a date\n";
            ++failed;
            continue;
          }
          const Pack* pack = set.select(owner.id(), *as_of);
          if (!pack) pack = &owner;  // evaluating outside every window reports E2002
          const json sources = c.value("sources", json::object());
          CaseSources src(sources);
          std::string bl_error;
          const auto snapshot = case_blacklist(c, &bl_error);
          if (!snapshot) {
            io.out << "  FAIL " << name << "\n      " << bl_error << "\n";
            ++failed;
            continue;
          }
          EvalOptions eo;
          eo.as_of = *as_of;
          eo.sources = &src;
          eo.blacklist = snapshot.get();
          eo.lang = c.value("lang", "zh-CN");
          if (c.contains("mode")) eo.mode = c["mode"] == "all" ? CheckMode::all : CheckMode::first_failure;
          if (counting) eo.coverage = coverage_of(*pack);
          const Decision d = pack->evaluate(c.value("input", json::object()).dump(), eo);
          std::vector<std::string> diffs;
          compare_case(c.value("expect", json::object()), d, &diffs);
          if (diffs.empty()) {
            ++passed;
            if (verbose) io.out << "  ok   " << name << "\n";
          } else {
            ++failed;
            io.out << "  FAIL " << name << "  (" << pack->id() << " " << pack->version() << ")\n";
            for (const auto& df : diffs) io.out << "      " << df << "\n";
          }
          } catch (const json::exception& e) {
            // A malformed case is that case's failure, not the end of the run.
            ++failed;
            io.out << "  FAIL case " << index << " of " << file << ": malformed case: " << e.what() << "\n";
          }
        }
      }
    }
  }
  io.out << passed << " passed, " << failed << " failed\n";
  bool short_of_full = false;
  if (counting) {
    for (const auto& c : coverages) {
      if (opt.has("coverage") || want_full) io.out << c->to_text();
      short_of_full |= !c->full();
    }
    if (opt.has("coverage-json")) {
      std::string doc = "{\"packs\":[";
      for (std::size_t i = 0; i < coverages.size(); ++i) doc += (i ? "," : "") + coverages[i]->to_json();
      doc += "]}\n";
      const std::string file = opt.get("coverage-json");
      if (file == "-") {
        io.out << doc;
      } else {
        std::ofstream f(file, std::ios::binary);
        if (!(f << doc)) {
          io.err << "eligo test: cannot write " << file << "\n";
          return 2;
        }
      }
    }
  }
  if (unusable) return 2;
  if (failed) return 1;
  return want_full && short_of_full ? 1 : 0;
}

}  // namespace eligo::cli
