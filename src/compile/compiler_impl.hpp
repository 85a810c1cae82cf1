// The compiler's working state, shared by the files of the compile stage. Each file holds one job:
//
//   compiler.cpp    the driver: the pack header, the order of the sections, the pack hash
//   structure.cpp   reading the JSON structure: keys, kinds, strings, numbers, dates, ids
//   types.cpp       resolution of types: declared input fields and records, type ids
//   resolve.cpp     resolution of names: lets (and their cycles), named lists, groups and fields
//   lower.cpp       lowering expressions to IR: literals, operators, comparisons, 'in'
//   lower_call.cpp  lowering function calls and quantifiers with their lambdas
//   fold.cpp        IR building, constant folding and the flow of personal data through the IR
//   tables.cpp      decision tables: row tests, hit policies, overlap and coverage
//   points.cpp      scores: indicators, points, per-count points, groups and the total
//   checks.cpp      checks, their reason templates, and outputs
//   parameters.cpp  dated parameters and scales, and param() / scale() in expressions
//   lookup.cpp      lookup tables read from CSV or SQLite, and lookup() / has_row() in expressions
//   lint.cpp        warnings (W13xx) for packs that compile, silenced per pack with "lint"
//
// Internal to src/compile: nothing outside the stage includes this header.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compile/expr_parser.hpp"
#include "compile/program.hpp"
#include "eligo/pack.hpp"
#include "load/loader.hpp"
#include "load/reporter.hpp"

namespace eligo::compile {

using detail::Builtin;
using detail::GroupInfo;
using detail::Localized;
using detail::Node;
using detail::Op;
using detail::Pii;
using detail::Program;
using detail::Quantifier;
using detail::TKind;
using detail::TypeInfo;
using detail::Value;
using detail::VKind;
using load::JsonNode;

constexpr std::uint32_t kErr = UINT32_MAX;  // the type of an expression that already failed
// Fixed type ids, set up first by Compiler::run.
constexpr std::uint32_t kNull = 0, kBool = 1, kNum = 2, kStr = 3, kDate = 4, kDateOpt = 5, kStrOpt = 6, kNumOpt = 7;

// Where an expression string sits, for diagnostics and run-time errors.
struct ExprCtx {
  const JsonNode* node = nullptr;
  std::string pointer;
  std::uint32_t base = 0;  // offset of the parsed text inside the string value (table row tests)
  std::uint32_t expr = 0;  // index into Program::exprs
};

struct Lowered {
  std::uint32_t node = 0;
  std::uint32_t type = kErr;
  bool ok() const { return type != kErr; }
};

struct NamedList {
  std::uint32_t list = 0;  // index into value_lists
  std::uint32_t type = kStr;
  const JsonNode* decl = nullptr;
  std::string pointer;
  bool used = false;  // for W1303
};

// A lint warning found while lowering, reported only when the pack compiles (lint.cpp).
struct PendingWarning {
  const char* code;
  const JsonNode* node;
  std::string pointer;
  std::int64_t begin = -1, end = -1;  // inside a string value; -1: the whole value
  std::string en, zh;
};

struct LetDecl {
  std::string name;
  const JsonNode* node = nullptr;
  std::string pointer;
  int state = 0;  // 0 not lowered, 1 lowering, 2 done
  Lowered result;
  bool referenced = false;  // read by some expression (W1301 otherwise)
};

class Compiler {
 public:
  Compiler(const load::LoadedPack& lp, const CompileOptions& opt, Diagnostics* diags)
      : lp_(lp), opt_(opt), rep_(lp.file, lp.text, diags, diags->lang == "zh-CN"), p_(std::make_shared<Program>()),
        diags_(diags) {}

  std::shared_ptr<Program> run();

 private:
  const load::LoadedPack& lp_;
  const CompileOptions& opt_;
  load::Reporter rep_;
  std::shared_ptr<Program> p_;
  std::string hash_input_;
  const Diagnostics* diags_;  // also holds the load stage's problems (a duplicate key stops lint too)
  std::map<std::string, NamedList> named_lists_;
  std::vector<LetDecl> lets_;
  std::vector<std::pair<std::string, std::pair<std::uint32_t, std::uint32_t>>> scope_;  // locals: name → slot, type
  std::set<std::string> check_ids_, indicator_ids_;
  std::vector<PendingWarning> warnings_;
  std::set<std::string> lint_ignore_;     // codes silenced by the pack's "lint": {"ignore": [...]}
  const Ast* declaring_ = nullptr;        // the let being declared (its own name is not a use)
  bool chinese_dates_ = false;            // "date_format": "chinese" (reasons in zh-CN write 2024年4月1日)

  static std::string ptr(const std::string& base, const std::string& key) { return base + "/" + load::pointer_token(key); }
  static std::string ptr(const std::string& base, std::size_t i) { return base + "/" + std::to_string(i); }
  // E1110: a file named by the pack leads outside the pack's folder.
  std::string outside_message(const char* what, const std::string& file) const {
    return tr(std::string(what) + " '" + file + "' is outside the pack's folder (after resolving '..' and symbolic " +
                  "links); a pack reads only its own files unless CompileOptions::allow_outside_paths " +
                  "(--allow-outside-paths) is set",
              std::string(std::string(what) == "test file"    ? "测试文件"
                          : std::string(what) == "table file" ? "查找表文件"
                                                              : "列表文件") +
                  " '" + file +
                  "' 在规则包所在文件夹之外（已解析 '..' 和符号链接）；规则包只能读取自己文件夹里的文件，"
                  "除非设置了 CompileOptions::allow_outside_paths（--allow-outside-paths）");
  }

  // ---- wording (structure.cpp) ------------------------------------------------------------------------
  // Every message is written in both languages at the place it is made; the reporter keeps one.
  std::string tr(std::string en, std::string zh) const { return rep_.tr(std::move(en), std::move(zh)); }
  // A part of the pack named in a message ("a check", "\"when\""), in the language asked for.
  std::string noun(const std::string& what) const;
  // " (did you mean 'x'?)", or "" when nothing is near.
  std::string did_you_mean(const std::string& near) const;

  // ---- structure (structure.cpp) ----------------------------------------------------------------------
  void check_keys(const JsonNode& obj, const std::string& pointer, const std::vector<std::string>& allowed,
                  const std::string& what);
  bool expect_kind(const JsonNode& n, JsonNode::Kind kind, const std::string& pointer, const std::string& what);
  const JsonNode* require_key(const JsonNode& obj, const std::string& key, const std::string& pointer,
                              const std::string& what);
  std::string get_string(const JsonNode* n, const std::string& pointer, const std::string& what);
  // Text: a string, or {"zh-CN": …, "en": …}.
  Localized get_text(const JsonNode* n, const std::string& pointer, const std::string& what);
  std::optional<Decimal> get_decimal(const JsonNode* n, const std::string& pointer, const std::string& what);
  bool get_bool(const JsonNode* n, const std::string& pointer, const std::string& what);
  std::optional<Date> get_date(const JsonNode* n, const std::string& pointer, const std::string& what);
  Pii get_pii(const JsonNode* n, const std::string& pointer);
  // The "id" of a check or indicator: required, and unique among its kind (E1107).
  std::string unique_id(const JsonNode& obj, const std::string& pointer, std::set<std::string>* seen,
                        const std::string& kind);
  // An optional boolean expression such as "when": its root node, or -1 when absent.
  std::int32_t optional_condition(const JsonNode& obj, const char* key, const std::string& pointer);
  // An error inside an expression string, underlining the AST node `a`.
  void err(const ExprCtx& ctx, const Ast* a, const char* code, std::string msg);
  std::uint32_t add_expr_source(const JsonNode& n, const std::string& pointer);

  // ---- types (types.cpp) ------------------------------------------------------------------------------
  std::uint32_t add_type(TypeInfo t);
  std::uint32_t optional_of(std::uint32_t t);
  std::uint32_t required_of(std::uint32_t t);
  std::uint32_t list_of(std::uint32_t elem);
  TKind kind(std::uint32_t t) const { return p_->types[t].kind; }
  std::string type_name(std::uint32_t t) const;
  // Same kind of value (optional and enum-ness ignored); null matches anything.
  bool same_kind(std::uint32_t a, std::uint32_t b) const;
  // Parses a type declaration; `path` names the field for path ids and labels.
  std::uint32_t parse_type(const JsonNode& n, const std::string& pointer, const std::string& path, Pii* pii,
                           Localized* label);
  std::uint32_t parse_record(const JsonNode& fields, const std::string& pointer, const std::string& path);
  void compile_inputs(const JsonNode& n);
  void compile_binding(const JsonNode& root);

  // ---- IR building and folding (fold.cpp) -------------------------------------------------------------
  std::uint32_t emit(Node n, const ExprCtx& ctx, const Ast* a);
  Lowered constant(const Value& v, std::uint32_t type, const ExprCtx& ctx, const Ast* a);
  Value string_value(const std::string& s);
  bool is_const(std::uint32_t node) const { return p_->nodes[node].op == Op::Const; }
  const Value& const_value(std::uint32_t node) const { return p_->constants[p_->nodes[node].a]; }
  // True when a pure node's operands are all constants.
  bool operands_const(const Node& n) const;
  // Replaces a pure node whose operands are all constants by its value.
  Lowered fold(Lowered l, const ExprCtx& ctx, const Ast* a);
  std::uint32_t new_local() { return p_->local_count++; }
  // The kind of personal data a value may carry, followed through lets, branches, defaults and function
  // arguments: shown anywhere, such a value is masked unless the caller asked for clear text.
  Pii pii_of(std::uint32_t node, int depth = 0) const;

  // ---- names (resolve.cpp) ----------------------------------------------------------------------------
  Lowered lower_name(const Ast* a, const ExprCtx& ctx);
  Lowered lower_member(const Ast* a, const ExprCtx& ctx);
  std::string dotted(const Ast* a) const;
  void compile_lists(const JsonNode& n);
  void compile_lets(const JsonNode& n);

  // ---- expressions (lower.cpp, lower_call.cpp) --------------------------------------------------------
  Lowered compile_expr(const JsonNode& n, const std::string& pointer, TKind want, const std::string& what);
  Lowered compile_text_as(const JsonNode& n, const std::string& pointer, const std::string& text, std::uint32_t base,
                          const std::function<Lowered(const Ast*, const ExprCtx&)>& fn);
  Lowered lower(const Ast* a, const ExprCtx& ctx);
  Lowered lower_expect(const Ast* a, const ExprCtx& ctx, TKind k, const std::string& what);
  static std::string kind_word(TKind k);
  Lowered lower_binary(const Ast* a, const ExprCtx& ctx);
  Lowered lower_in(const Ast* a, const ExprCtx& ctx);
  Lowered lower_call(const Ast* a, const ExprCtx& ctx);
  Lowered lower_lambda(const Ast* a, const ExprCtx& ctx, std::uint32_t elem_type, std::uint32_t* slot);
  Lowered compare(const std::string& op, Lowered l, Lowered r, const Ast* la, const Ast* ra, const Ast* whole,
                  const ExprCtx& ctx);
  void check_enum_literal(std::uint32_t enum_type, const Ast* lit_ast, const Value& lit, const ExprCtx& ctx,
                          const std::string& what);

  // ---- sections ---------------------------------------------------------------------------------------
  void compile_header(const JsonNode& root);                                             // compiler.cpp
  void compile_checks(const JsonNode& n);                                                // checks.cpp
  void compile_outputs(const JsonNode& n);                                               // checks.cpp
  detail::LocalizedTemplate compile_reason(const JsonNode* n, const std::string& pointer);  // checks.cpp
  detail::Template compile_template(const JsonNode& n, const std::string& pointer);     // checks.cpp
  void compile_scores(const JsonNode& n);                                                // points.cpp
  void compile_indicator(const JsonNode& n, const std::string& pointer);                 // points.cpp
  std::uint32_t compile_points(const JsonNode* n, const std::string& pointer, const std::string& what);  // points.cpp
  void compile_groups(const JsonNode& n);                                                // points.cpp
  void compile_total(const JsonNode& n);                                                 // points.cpp
  // A decision table. With `values`, it is an output's table: rows give a "value" of any one type (lowered
  // into `values`, the otherwise row's last) instead of "points", and only the 'first' hit policy is taken.
  void compile_table(const JsonNode& n, const std::string& pointer, detail::IndicatorInfo* ind,
                     std::vector<Lowered>* values = nullptr);                            // tables.cpp
  // An output written as a table: its rows lowered into one chain of 'if' (the first row that matches).
  Lowered compile_output_table(const JsonNode& n, const std::string& pointer,             // tables.cpp
                               std::vector<detail::OutputInfo::TableRow>* rows);
  void compile_parameters(const JsonNode& n);                                            // parameters.cpp
  void compile_lint(const JsonNode& n);                                                  // lint.cpp
  // Lint warnings of a pack that compiles: unused lets, groups, lists, and those found while lowering.
  void lint();                                                                           // lint.cpp
  void warn_in_expr(const char* code, const ExprCtx& ctx, const Ast* a, std::string en, std::string zh);  // lint.cpp
  // param('name'[, date]) and scale('name', amount[, date]).
  Lowered lower_parameter(const Ast* a, const ExprCtx& ctx, bool scale);                  // parameters.cpp
  void compile_tables(const JsonNode& n);                                                 // lookup.cpp
  // lookup('table', key…) and has_row('table', key…).
  Lowered lower_lookup(const Ast* a, const ExprCtx& ctx, bool has_row);                   // lookup.cpp
};

}  // namespace eligo::compile
