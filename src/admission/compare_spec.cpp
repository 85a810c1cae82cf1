// The pack's `compare` section (docs/admission.md#compare), read from the pack's own JSON text with the
// loader's position-keeping parser; the compiler skips the section (src/compile/compiler.cpp lists it).
#include <set>

#include "admission/declared_path.hpp"
#include "admission/spec_reader.hpp"
#include "eligo/admission.hpp"
#include "load/reporter.hpp"

namespace eligo::admission {

using detail::JsonNode;
using detail::Reader;

const char* to_string(CompareKind kind) {
  switch (kind) {
    case CompareKind::equal: return "equal";
    case CompareKind::name: return "name";
    case CompareKind::date: return "date";
    case CompareKind::number: return "number";
    case CompareKind::period: return "period";
  }
  return "equal";
}

bool parse_compare_spec(std::string_view pack_json, const std::string& name, CompareSpec* out, std::string* error,
                        const Pack* pack) {
  Reader r{name, error};
  const load::JsonParseResult parsed = load::parse_json(pack_json);
  if (!parsed.ok) return r.fail(parsed.error.pos, "", parsed.error.message);
  const JsonNode& root = parsed.root;
  if (!root.is_object()) return r.fail(root, "", "a rule pack must be a JSON object");
  const JsonNode* c = root.find("compare");
  if (!c) return r.fail(root, "", "the pack has no 'compare' section (docs/admission.md#compare)");
  if (!c->is_object()) return r.fail(*c, "/compare", "must be an object {\"key\", \"source_key\", \"items\"}");
  if (!r.only(*c, "/compare", {"version", "key", "source_key", "items", "title"})) return false;
  if (const JsonNode* v = c->find("version"); v && (!v->is_number() || v->text != "1"))
    return r.fail(*v, "/compare/version", "this eligo reads compare version 1");
  CompareSpec spec;
  const JsonNode* key = c->find("key");
  const JsonNode* source_key = c->find("source_key");
  if (!key || !source_key)
    return r.fail(*c, "/compare", "'key' (the declared path naming the applicant) and 'source_key' (the source column) are required");
  if (!r.string(key, "/compare/key", &spec.key) || !r.string(source_key, "/compare/source_key", &spec.source_key))
    return false;
  // With the compiled pack: every declared path names one value its inputs declare (a misspelt path would
  // otherwise read as "missing declared" for every applicant), every indicator is one of its indicators.
  auto declared_ok = [&](const JsonNode& at, const std::string& pointer, const std::string& path) {
    if (!pack) return true;
    const std::string why = detail::declared_path_problem(pack->program(), path);
    return why.empty() || r.fail(at, pointer, why);
  };
  if (!declared_ok(*key, "/compare/key", spec.key)) return false;
  const JsonNode* items = c->find("items");
  if (!items || !items->is_array() || items->items.empty())
    return r.fail(items ? *items : *c, "/compare/items", "'items' must be a non-empty array of comparisons");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < items->items.size(); ++i) {
    const JsonNode& o = items->items[i];
    const std::string p = "/compare/items/" + std::to_string(i);
    if (!o.is_object()) return r.fail(o, p, "must be an object {\"id\", \"declared\", \"source\", \"kind\", \"department\"}");
    if (!r.only(o, p, {"id", "label", "declared", "source", "kind", "days", "tolerance", "department", "indicator", "pii"}))
      return false;
    CompareItem item;
    for (const char* required : {"id", "declared", "source", "department"})
      if (!o.find(required)) return r.fail(o, p, std::string("'") + required + "' is required");
    if (!r.string(o.find("id"), p + "/id", &item.id) || !r.string(o.find("department"), p + "/department", &item.department))
      return false;
    if (!ids.insert(item.id).second) return r.fail(*o.find("id"), p + "/id", "item '" + item.id + "' is already listed");
    item.label = item.id;
    if (const JsonNode* l = o.find("label")) {
      if (l->is_object()) {
        if (!r.only(*l, p + "/label", {"zh-CN", "en"})) return false;
        const JsonNode* z = l->find("zh-CN") ? l->find("zh-CN") : l->find("en");
        if (z && !r.string(z, p + "/label", &item.label)) return false;
      } else if (!r.string(l, p + "/label", &item.label)) {
        return false;
      }
    }
    if (const JsonNode* k = o.find("kind")) {
      std::string kind;
      if (!r.string(k, p + "/kind", &kind)) return false;
      if (kind == "equal") item.kind = CompareKind::equal;
      else if (kind == "name") item.kind = CompareKind::name;
      else if (kind == "date") item.kind = CompareKind::date;
      else if (kind == "number") item.kind = CompareKind::number;
      else if (kind == "period") item.kind = CompareKind::period;
      else return r.fail(*k, p + "/kind", "must be \"equal\", \"name\", \"date\", \"number\" or \"period\"");
    }
    const std::size_t want = item.kind == CompareKind::period ? 2 : 1;
    for (const char* side : {"declared", "source"}) {
      const JsonNode* n = o.find(side);
      std::vector<std::string>& to = std::string(side) == "declared" ? item.declared : item.source;
      const std::string sp = p + "/" + side;
      if (n->is_string() && want == 1) {
        if (n->text.empty()) return r.fail(*n, sp, "must not be empty");
        if (&to == &item.declared && !declared_ok(*n, sp, n->text)) return false;
        to.push_back(n->text);
      } else if (n->is_array() && n->items.size() == want) {
        for (std::size_t j = 0; j < want; ++j) {
          std::string s;
          if (!r.string(&n->items[j], sp + "/" + std::to_string(j), &s)) return false;
          if (&to == &item.declared && !declared_ok(n->items[j], sp + "/" + std::to_string(j), s)) return false;
          to.push_back(s);
        }
      } else {
        return r.fail(*n, sp, want == 2 ? "a period takes two: [from, to]" : "must be one path or column (a string)");
      }
      for (const auto& s : to)
        if (s.empty()) return r.fail(*n, sp, "must not be empty");
    }
    if (const JsonNode* d = o.find("days")) {
      if (item.kind != CompareKind::date) return r.fail(*d, p + "/days", "'days' is for kind \"date\"");
      if (!d->is_number() || d->text.find_first_of(".eE-") != std::string::npos || d->text.size() > 6)
        return r.fail(*d, p + "/days", "must be a whole number of days, 0 or more");
      item.days = std::stoi(d->text);
    }
    if (const JsonNode* t = o.find("tolerance")) {
      if (item.kind != CompareKind::number) return r.fail(*t, p + "/tolerance", "'tolerance' is for kind \"number\"");
      const auto v = (t->is_number() || t->is_string()) ? Decimal::parse(t->text) : std::nullopt;
      if (!v || v->is_negative()) return r.fail(*t, p + "/tolerance", "must be a decimal number, 0 or more");
      item.tolerance = *v;
    }
    if (const JsonNode* ind = o.find("indicator")) {
      if (!r.string(ind, p + "/indicator", &item.indicator)) return false;
      if (pack) {
        const std::vector<std::string> known = pack->indicator_ids();
        bool found = false;
        for (const auto& k : known) found = found || k == item.indicator;
        if (!found) {
          std::string why = "the pack has no points indicator '" + item.indicator + "'";
          const std::string near = load::closest(item.indicator, known);
          if (!near.empty()) {
            why += " (did you mean '" + near + "'?)";
          } else {
            std::string list;
            for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
            why += " (" + (list.empty() ? std::string("it has none") : "indicators: " + list) + ")";
          }
          return r.fail(*ind, p + "/indicator", why);
        }
      }
    }
    if (const JsonNode* pii = o.find("pii")) {
      if (!r.string(pii, p + "/pii", &item.pii)) return false;
      if (item.pii != "id_number" && item.pii != "name" && item.pii != "mobile" && item.pii != "bank_card")
        return r.fail(*pii, p + "/pii", "must be \"id_number\", \"name\", \"mobile\" or \"bank_card\"");
    }
    spec.items.push_back(std::move(item));
  }
  *out = std::move(spec);
  return true;
}

}  // namespace eligo::admission
