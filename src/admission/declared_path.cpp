// The compare section's declared paths, split and checked against the compiled pack's inputs.
#include "admission/declared_path.hpp"

#include <cstdlib>

#include "compile/program.hpp"
#include "load/reporter.hpp"

namespace eligo::admission::detail {

std::vector<Step> split_path(const std::string& path) {
  std::vector<Step> steps;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    Step s;
    const std::size_t bracket = part.find('[');
    s.member = part.substr(0, bracket);
    steps.push_back(s);
    for (std::size_t b = bracket; b != std::string::npos; b = part.find('[', b + 1)) {
      Step idx;
      idx.index = std::strtol(part.c_str() + b + 1, nullptr, 10);
      steps.push_back(idx);
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return steps;
}

namespace {

std::string with_hint(std::string message, const std::string& word, const std::vector<std::string>& names) {
  const std::string near = load::closest(word, names);
  if (!near.empty()) return message + " (did you mean '" + near + "'?)";
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return message + " (" + (list.empty() ? "none" : list) + ")";
}

bool well_formed(const std::string& path) {
  // Members are non-empty; an index is digits in brackets; nothing else.
  bool member = false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '.') {
      if (!member) return false;
      member = false;
    } else if (c == '[') {
      if (!member) return false;
      std::size_t j = i + 1;
      while (j < path.size() && path[j] >= '0' && path[j] <= '9') ++j;
      if (j == i + 1 || j >= path.size() || path[j] != ']') return false;
      i = j;
      if (i + 1 < path.size() && path[i + 1] != '.' && path[i + 1] != '[') return false;
    } else if (c == ']') {
      return false;
    } else {
      member = true;
    }
  }
  return member || (!path.empty() && path.back() == ']');
}

}  // namespace

std::string declared_path_problem(const eligo::detail::Program& p, const std::string& path) {
  using eligo::detail::TKind;
  if (!well_formed(path)) return "'" + path + "' is not a path like applicant.field or group.list[0].field";
  const std::vector<Step> steps = split_path(path);
  std::vector<std::string> names;
  const eligo::detail::GroupInfo* group = nullptr;
  for (const auto& g : p.groups) {
    names.push_back(g.name);
    if (g.name == steps[0].member) group = &g;
  }
  if (!group) return with_hint("the pack has no input group '" + steps[0].member + "'", steps[0].member, names);
  std::string at = steps[0].member;
  std::int64_t record = group->record, type = -1;  // exactly one of the two is set (>= 0)
  for (std::size_t i = 1; i < steps.size(); ++i) {
    const Step& s = steps[i];
    if (s.index >= 0) {
      if (type < 0 || p.types[static_cast<std::size_t>(type)].kind != TKind::list)
        return "'" + at + "' is not a list: [" + std::to_string(s.index) + "] cannot follow it";
      type = p.types[static_cast<std::size_t>(type)].elem;
      at += "[" + std::to_string(s.index) + "]";
      continue;
    }
    if (record < 0) {
      if (p.types[static_cast<std::size_t>(type)].kind != TKind::record)
        return "'" + at + "' is not a record: it has no field '" + s.member + "'";
      record = p.types[static_cast<std::size_t>(type)].record;
    }
    const eligo::detail::RecordInfo& r = p.records[static_cast<std::size_t>(record)];
    const int f = r.find(s.member);
    if (f < 0) {
      names.clear();
      for (const auto& field : r.fields) names.push_back(field.name);
      return with_hint("'" + at + "' has no field '" + s.member + "'", s.member, names);
    }
    type = r.fields[static_cast<std::size_t>(f)].type;
    record = -1;
    at += "." + s.member;
  }
  if (record >= 0) return "'" + at + "' is an input group, not one value: name one of its fields";
  const TKind k = p.types[static_cast<std::size_t>(type)].kind;
  if (k == TKind::list) return "'" + at + "' is a list, not one value: name an item ([0]) or an item's field";
  if (k == TKind::record) return "'" + at + "' is a record, not one value: name one of its fields";
  return "";
}

}  // namespace eligo::admission::detail
