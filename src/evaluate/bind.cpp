// Binds applicant JSON to a Program's declared inputs: each group becomes a record of slots, each value is
// checked against its declared type. A value of the wrong type is a data error naming the field; the field
// is then missing, so the checks that need it say so instead of guessing.
#include <algorithm>

#include "eligo/identity.hpp"
#include "evaluate/evaluator.hpp"
#include "load/json_tree.hpp"

namespace eligo::detail {
namespace {

using load::JsonNode;

struct Binder {
  const Program& p;
  Arena& arena;
  std::vector<DataError>* errors;

  // Path text for an error: the field's path with list indexes filled in ("a.b[2].c").
  std::string where(std::uint32_t path, const std::vector<std::uint32_t>& indexes) const {
    const std::string& t = p.paths[path];
    std::string s;
    std::size_t k = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '[' && i + 1 < t.size() && t[i + 1] == ']' && k < indexes.size()) {
        s += "[" + std::to_string(indexes[k++]) + "]";
        ++i;
      } else {
        s.push_back(t[i]);
      }
    }
    return s;
  }
  void error(const char* code, std::uint32_t path, const std::vector<std::uint32_t>& idx, std::string msg) {
    errors->push_back(DataError{code, where(path, idx), std::move(msg)});
  }
  // The value as quoted in an error: never for a field holding personal data.
  std::string quote(std::uint32_t path, const std::string& text) const {
    for (const auto& r : p.records)
      for (const auto& f : r.fields)
        if (f.path == path && f.pii != Pii::none) return "the value";
    return "'" + (text.size() > 64 ? text.substr(0, 64) + "…" : text) + "'";
  }

  Value bind(std::uint32_t type, const JsonNode& j, std::uint32_t path, std::vector<std::uint32_t>& idx) {
    const TypeInfo& t = p.types[type];
    if (j.is_null()) return t.optional ? Value::null() : Value::missing(path);
    switch (t.kind) {
      case TKind::string: {
        if (!j.is_string()) {
          error("E3001", path, idx, std::string("expected a string, got a ") + load::kind_name(j.kind));
          return Value::missing(path);
        }
        if (t.enum_id >= 0) {
          const auto& values = p.enums[static_cast<std::size_t>(t.enum_id)];
          if (std::find(values.begin(), values.end(), j.text) == values.end()) {
            std::string list;
            for (auto& v : values) list += (list.empty() ? "" : ", ") + v;
            error("E3002", path, idx, quote(path, j.text) + " is not one of: " + list);
            return Value::missing(path);
          }
        }
        if (t.cn_id) {
          // Validated and normalised on input (full-width digits, lower-case x, 15 → 18 digits); the
          // reason never holds the number itself.
          const identity::IdCheck c = identity::check_id(j.text);
          if (!c.valid()) {
            error("E3003", path, idx, "not a valid ID number: " + identity::describe(c, "en"));
            return Value::missing(path);
          }
          const std::string_view canon = c.canonical();
          return Value::string(arena.copy(canon), static_cast<std::uint32_t>(canon.size()));
        }
        return Value::string(arena.copy(j.text), static_cast<std::uint32_t>(j.text.size()));
      }
      case TKind::number: {
        if (!j.is_number() && !j.is_string()) {
          error("E3001", path, idx, std::string("expected a number, got a ") + load::kind_name(j.kind));
          return Value::missing(path);
        }
        auto d = Decimal::parse(j.text);
        if (!d) {
          error("E3001", path, idx, quote(path, j.text) + " is not a plain decimal number");
          return Value::missing(path);
        }
        return Value::number(*d);
      }
      case TKind::boolean:
        if (!j.is_bool()) {
          error("E3001", path, idx, std::string("expected true or false, got a ") + load::kind_name(j.kind));
          return Value::missing(path);
        }
        return Value::boolean(j.boolean);
      case TKind::date: {
        auto d = j.is_string() ? Date::parse(j.text) : std::nullopt;
        if (!d) {
          error("E3001", path, idx,
                j.is_string() ? quote(path, j.text) + " is not a date (YYYY-MM-DD, a real calendar day)"
                              : std::string("expected a date string, got a ") + load::kind_name(j.kind));
          return Value::missing(path);
        }
        return Value::of_date(*d);
      }
      case TKind::list: {
        if (!j.is_array()) {
          error("E3001", path, idx, std::string("expected a list, got a ") + load::kind_name(j.kind));
          return Value::missing(path);
        }
        Value* items = arena.make_array<Value>(j.items.size());
        const std::uint32_t elem_path = path;
        for (std::size_t i = 0; i < j.items.size(); ++i) {
          idx.push_back(static_cast<std::uint32_t>(i));
          items[i] = bind(t.elem, j.items[i], elem_path, idx);
          idx.pop_back();
        }
        return Value::list(items, static_cast<std::uint32_t>(j.items.size()));
      }
      case TKind::record: return bind_record(t.record, j, path, idx);
      case TKind::null: return Value::null();
    }
    return Value::missing(path);
  }

  Value bind_record(std::uint32_t record, const JsonNode& j, std::uint32_t path, std::vector<std::uint32_t>& idx) {
    if (!j.is_object()) {
      error("E3001", path, idx, std::string("expected an object, got a ") + load::kind_name(j.kind));
      return Value::missing(path);
    }
    const RecordInfo& rec = p.records[record];
    Value* fields = arena.make_array<Value>(rec.fields.size());
    for (std::size_t f = 0; f < rec.fields.size(); ++f) {
      const FieldInfo& fi = rec.fields[f];
      const JsonNode* v = j.find(fi.name);
      fields[f] = v ? bind(fi.type, *v, fi.path, idx) : Value::missing(fi.path);
    }
    return Value::record(fields);
  }
};

}  // namespace

bool bind_group_json(const Program& program, std::uint32_t group, std::string_view json, BoundInput* in,
                     std::vector<DataError>* errors) {
  load::JsonLimits limits;
  limits.max_depth = 64;
  auto parsed = load::parse_json(json, limits);
  const GroupInfo& g = program.groups[group];
  if (!parsed.ok || !parsed.root.is_object()) {
    errors->push_back(DataError{"E3000", g.name,
                                parsed.ok ? "expected an object" : "malformed JSON: " + parsed.error.message});
    in->state[group] = BoundInput::State::absent;
    return false;
  }
  Binder b{program, in->arena, errors};
  std::vector<std::uint32_t> idx;
  in->groups[group] = b.bind_record(g.record, parsed.root, g.path, idx);
  in->state[group] = BoundInput::State::bound;
  return true;
}

void bind_json(const Program& program, std::string_view json, BoundInput* out) {
  out->program = &program;
  out->arena.reset();
  out->errors.clear();
  out->source_errors.clear();
  const std::size_t n = program.groups.size();
  out->groups.assign(n, Value());
  out->state.assign(n, BoundInput::State::absent);
  out->given.assign(n, 0);
  load::JsonLimits limits;
  limits.max_depth = 64;
  auto parsed = load::parse_json(json, limits);
  if (!parsed.ok) {
    out->errors.push_back(DataError{"E3000", "", "the input is not valid JSON: line " + std::to_string(parsed.error.pos.line) +
                                                     ", column " + std::to_string(parsed.error.pos.column) + ": " +
                                                     parsed.error.message});
  } else if (!parsed.root.is_object()) {
    out->errors.push_back(DataError{"E3000", "", "the input must be a JSON object of groups"});
  }
  Binder b{program, out->arena, &out->errors};
  std::vector<std::uint32_t> idx;
  for (std::size_t g = 0; g < n; ++g) {
    const GroupInfo& gi = program.groups[g];
    const JsonNode* j = parsed.ok && parsed.root.is_object() ? parsed.root.find(gi.name) : nullptr;
    if (j && j->is_null()) {
      // Given as null up front: the host already knows there is no record; its source is not asked.
      out->state[g] = BoundInput::State::absent;
      out->given[g] = 1;
    } else if (j) {
      out->groups[g] = b.bind_record(gi.record, *j, gi.path, idx);
      out->state[g] = out->groups[g].kind == VKind::record ? BoundInput::State::bound : BoundInput::State::absent;
      out->given[g] = 1;
    } else if (!gi.source.empty()) {
      out->state[g] = BoundInput::State::unbound;
    }
  }
}

}  // namespace eligo::detail
