// A JSON tree that remembers where every node came from (line, column, byte offset).
//
// nlohmann/json is used for writing JSON, but it cannot say where a value was in the source, and rule-pack
// diagnostics must point at file:line:column. This reader also reports duplicate object keys (which JSON
// parsers usually resolve silently to the last one) and bounds nesting depth and sizes (TARGETS R1).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eligo::load {

struct SourcePos {
  std::uint32_t offset = 0;  // byte offset in the file
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in code points
};

struct JsonNode {
  enum class Kind : std::uint8_t { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  std::string text;  // string value (decoded), or the number's lexeme
  std::vector<JsonNode> items;                            // array
  std::vector<std::pair<std::string, JsonNode>> members;  // object, in source order
  std::vector<SourcePos> key_pos;                         // object: where each key starts
  SourcePos pos;                // first character of the value (the quote of a string)
  std::uint32_t end_offset = 0; // one past the last character
  bool escaped = false;         // string: the source spelling contains escapes

  bool is_object() const { return kind == Kind::object; }
  bool is_array() const { return kind == Kind::array; }
  bool is_string() const { return kind == Kind::string; }
  bool is_number() const { return kind == Kind::number; }
  bool is_bool() const { return kind == Kind::boolean; }
  bool is_null() const { return kind == Kind::null; }
  const JsonNode* find(std::string_view key) const;
};

const char* kind_name(JsonNode::Kind kind);

struct JsonLimits {
  std::uint32_t max_depth = 512;             // nesting of arrays and objects
  std::size_t max_string_bytes = 1 << 20;    // one string value
  std::size_t max_nodes = 4'000'000;         // values in one document
};

struct JsonError {
  SourcePos pos;
  std::string message;
  std::string code = "E1001";
};

struct JsonDuplicateKey {
  SourcePos pos;        // the second occurrence
  SourcePos first_pos;  // the first
  std::string key;
  std::string pointer;  // of the object holding them
};

struct JsonParseResult {
  bool ok = false;
  JsonNode root;
  JsonError error;                          // when !ok
  std::vector<JsonDuplicateKey> duplicates; // reported, the first occurrence is kept
};

JsonParseResult parse_json(std::string_view text, const JsonLimits& limits = {});

// RFC 6901 escaping of one reference token ("a/b" → "a~1b").
std::string pointer_token(std::string_view key);

// Maps an offset inside a decoded string value back to its source column, following escapes.
// `source` is the whole file; `node` a string node of it.
SourcePos string_offset_pos(std::string_view source, const JsonNode& node, std::size_t decoded_offset);

// Canonical JSON text: object keys sorted by bytes, no insignificant white space, numbers as written.
// Used for the pack hash, so formatting and key order do not change a pack's identity.
void write_canonical(const JsonNode& node, std::string* out);

}  // namespace eligo::load
