// The allocation spec (JSON, version 1; docs/admission.md): read with positions so every mistake points at
// file:line:col and its JSON pointer.
#include <map>
#include <set>

#include "eligo/admission.hpp"
#include "admission/spec_reader.hpp"

namespace eligo::admission {
using load::JsonNode;
using detail::Reader;

bool parse_rank_spec(std::string_view json, const std::string& name, RankSpec* out, std::string* error) {
  Reader r{name, error};
  const load::JsonParseResult parsed = load::parse_json(json);
  if (!parsed.ok)
    return r.fail(parsed.error.pos, "", parsed.error.message);
  if (!parsed.duplicates.empty()) {
    const auto& d = parsed.duplicates.front();
    return r.fail(d.pos, d.pointer, "member '" + d.key + "' is given twice");
  }
  const JsonNode& root = parsed.root;
  if (!root.is_object()) return r.fail(root, "", "the spec must be a JSON object");
  if (!r.only(root, "", {"version", "seed", "key", "points", "order", "preferences", "separator", "schools", "places", "title"}))
    return false;
  RankSpec spec;
  if (const JsonNode* v = root.find("version")) {
    if (!v->is_number() || v->text != std::to_string(kRankSpecVersion))
      return r.fail(*v, "/version", "this eligo reads spec version " + std::to_string(kRankSpecVersion));
  }
  const JsonNode* seed = root.find("seed");
  if (!seed) return r.fail(root, "", "'seed' is required: the published lottery seed");
  if (!r.string(seed, "/seed", &spec.seed)) return false;
  if (const JsonNode* k = root.find("key"); k && !r.string(k, "/key", &spec.key)) return false;
  const JsonNode* order = root.find("order");
  if (!order || !order->is_array() || order->items.empty())
    return r.fail(order ? *order : root, "/order", "'order' must be a non-empty array of {\"by\": column, \"desc\": bool}");
  std::set<std::string> seen_by;
  for (std::size_t i = 0; i < order->items.size(); ++i) {
    const JsonNode& o = order->items[i];
    const std::string p = "/order/" + std::to_string(i);
    if (!o.is_object()) return r.fail(o, p, "must be an object {\"by\": column}");
    if (!r.only(o, p, {"by", "desc", "type", "label"})) return false;
    OrderKey key;
    const JsonNode* by = o.find("by");
    if (!by) return r.fail(o, p, "'by' (the column) is required");
    if (!r.string(by, p + "/by", &key.by)) return false;
    if (!seen_by.insert(key.by).second) return r.fail(*by, p + "/by", "column '" + key.by + "' is already in the order");
    if (const JsonNode* d = o.find("desc")) {
      if (!d->is_bool()) return r.fail(*d, p + "/desc", "must be true or false");
      key.desc = d->boolean;
    }
    if (const JsonNode* t = o.find("type")) {
      std::string type;
      if (!r.string(t, p + "/type", &type)) return false;
      if (type == "number") key.type = KeyType::number;
      else if (type == "date") key.type = KeyType::date;
      else if (type == "text") key.type = KeyType::text;
      else return r.fail(*t, p + "/type", "must be \"number\", \"date\" or \"text\"");
    }
    key.label_zh = key.label_en = key.by;
    if (const JsonNode* l = o.find("label")) {
      if (!l->is_object()) return r.fail(*l, p + "/label", "must be {\"zh-CN\": …, \"en\": …}");
      if (!r.only(*l, p + "/label", {"zh-CN", "en"})) return false;
      if (const JsonNode* z = l->find("zh-CN"); z && !r.string(z, p + "/label/zh-CN", &key.label_zh)) return false;
      if (const JsonNode* e = l->find("en"); e && !r.string(e, p + "/label/en", &key.label_en)) return false;
    }
    spec.order.push_back(std::move(key));
  }
  spec.points = spec.order.front().by;
  if (const JsonNode* pts = root.find("points"); pts && !r.string(pts, "/points", &spec.points)) return false;
  if (const JsonNode* pref = root.find("preferences"); pref && !r.string(pref, "/preferences", &spec.preferences))
    return false;
  if (const JsonNode* sep = root.find("separator"); sep && !r.string(sep, "/separator", &spec.separator)) return false;
  const JsonNode* schools = root.find("schools");
  const JsonNode* places = root.find("places");
  if (!spec.preferences.empty()) {
    if (!schools || !schools->is_array() || schools->items.empty())
      return r.fail(schools ? *schools : root, "/schools", "with 'preferences', 'schools' must list the schools and their places");
    if (places) return r.fail(*places, "/places", "'places' is for one pool; with preferences give each school's places");
    std::map<std::string, std::size_t> ids;
    for (std::size_t i = 0; i < schools->items.size(); ++i) {
      const JsonNode& s = schools->items[i];
      const std::string p = "/schools/" + std::to_string(i);
      if (!s.is_object()) return r.fail(s, p, "must be an object {\"id\": …, \"places\": …}");
      if (!r.only(s, p, {"id", "places", "name"})) return false;
      School school;
      const JsonNode* id = s.find("id");
      const JsonNode* n = s.find("places");
      if (!id || !n) return r.fail(s, p, "'id' and 'places' are required");
      if (!r.string(id, p + "/id", &school.id) || !r.count(n, p + "/places", &school.places)) return false;
      if (school.id.find(spec.separator) != std::string::npos)
        return r.fail(*id, p + "/id", "a school ID must not contain the separator '" + spec.separator + "'");
      if (const JsonNode* nm = s.find("name"); nm && !r.string(nm, p + "/name", &school.name)) return false;
      if (!ids.emplace(school.id, i).second)
        return r.fail(*id, p + "/id", "school '" + school.id + "' is already listed at /schools/" + std::to_string(ids[school.id]));
      spec.schools.push_back(std::move(school));
    }
  } else {
    if (schools) return r.fail(*schools, "/schools", "'schools' needs 'preferences' (the column of each applicant's 志愿)");
    if (!places) return r.fail(root, "", "without 'preferences', 'places' (the size of the one pool) is required");
    if (!r.count(places, "/places", &spec.places)) return false;
  }
  *out = std::move(spec);
  return true;
}

}  // namespace eligo::admission
