// Reading the admission specs (rank spec, the pack's compare section) with positions: every mistake points at
// file:line:col and its JSON pointer.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "load/json_tree.hpp"

namespace eligo::admission::detail {

using load::JsonNode;

struct Reader {
  std::string name;
  std::string* error;
  bool fail(const JsonNode& at, const std::string& pointer, const std::string& message) {
    return fail(at.pos, pointer, message);
  }
  bool fail(const load::SourcePos& pos, const std::string& pointer, const std::string& message) {
    *error = name + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": " +
             (pointer.empty() ? "/" : pointer) + ": " + message;
    return false;
  }
  bool only(const JsonNode& obj, const std::string& pointer, std::initializer_list<const char*> allowed) {
    for (std::size_t i = 0; i < obj.members.size(); ++i) {
      bool known = false;
      for (const char* a : allowed) known = known || obj.members[i].first == a;
      if (!known) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        return fail(i < obj.key_pos.size() ? obj.key_pos[i] : obj.members[i].second.pos,
                    pointer + "/" + load::pointer_token(obj.members[i].first),
                    "unknown member '" + obj.members[i].first + "' (allowed: " + list + ")");
      }
    }
    return true;
  }
  bool string(const JsonNode* n, const std::string& pointer, std::string* out, bool non_empty = true) {
    if (!n->is_string()) return fail(*n, pointer, std::string("must be a string, not ") + load::kind_name(n->kind));
    if (non_empty && n->text.empty()) return fail(*n, pointer, "must not be empty");
    *out = n->text;
    return true;
  }
  bool count(const JsonNode* n, const std::string& pointer, std::int64_t* out) {
    if (!n->is_number() || n->text.find_first_of(".eE-") != std::string::npos || n->text.size() > 12)
      return fail(*n, pointer, "must be a whole number of places, 0 or more");
    *out = std::stoll(n->text);
    return true;
  }
};

}  // namespace eligo::admission::detail
