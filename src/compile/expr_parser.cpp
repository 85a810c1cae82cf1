#include "compile/expr_parser.hpp"

#include <cctype>

namespace eligo::compile {
namespace {

enum class Tok : std::uint8_t { end, number, string, ident, op, error };

struct Token {
  Tok kind = Tok::end;
  std::string text;
  std::uint32_t begin = 0, end = 0;
};

struct Failure {
  ParseError error;
};

// What policy staff type on a Chinese keyboard where the language wants ASCII: the full-width form or the
// Chinese word, and what to write instead. Longest first, so "大于等于" wins over "大于".
struct Lookalike {
  const char* text;
  const char* ascii;
  bool word;  // a Chinese word for an operator, not a full-width character
};
const Lookalike kLookalikes[] = {
    {"大于等于", ">=", true}, {"小于等于", "<=", true}, {"不等于", "!=", true}, {"并且", "and", true},
    {"或者", "or", true},     {"等于", "==", true},     {"大于", ">", true},    {"小于", "<", true},
    {"且", "and", true},      {"或", "or", true},       {"非", "not", true},    {"（", "(", false},
    {"）", ")", false},       {"‘", "'", false},        {"’", "'", false},      {"“", "\"", false},
    {"”", "\"", false},       {"，", ",", false},       {"＝＝", "==", false},  {"＝", "==", false},
    {"≥", ">=", false},       {"≤", "<=", false},       {"≠", "!=", false},     {"＞", ">", false},
    {"＜", "<", false},       {"＋", "+", false},       {"－", "-", false},     {"＊", "*", false},
    {"×", "*", false},        {"／", "/", false},       {"÷", "/", false},      {"［", "[", false},
    {"］", "]", false},       {"【", "[", false},       {"】", "]", false},     {"。", ".", false},
    {"．", ".", false},       {"？？", "??", false},    {"！", "not", false},   {"％", "%", false},
    {"０", "0", false},       {"１", "1", false},       {"２", "2", false},     {"３", "3", false},
    {"４", "4", false},       {"５", "5", false},       {"６", "6", false},     {"７", "7", false},
    {"８", "8", false},       {"９", "9", false},       {"　", " ", false},
};

class Lexer {
 public:
  Lexer(std::string_view s, bool zh) : s_(s), zh_(zh) {}
  std::string tr(std::string en, std::string zh) const { return zh_ ? std::move(zh) : std::move(en); }

  Token next() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    Token t;
    t.begin = static_cast<std::uint32_t>(i_);
    if (i_ >= s_.size()) {
      t.kind = Tok::end;
      t.end = t.begin;
      return t;
    }
    const char c = s_[i_];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
      // "1..5" is a range, not a decimal point.
      if (i_ + 1 < s_.size() && s_[i_] == '.' && std::isdigit(static_cast<unsigned char>(s_[i_ + 1]))) {
        ++i_;
        while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
      }
      t.kind = Tok::number;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) ++i_;
      t.kind = Tok::ident;
    } else if (c == '\'' || c == '"') {
      ++i_;
      std::string v;
      while (true) {
        if (i_ >= s_.size())
          throw Failure{{t.begin, static_cast<std::uint32_t>(i_),
                         tr("unterminated string literal", "字符串没有结束的引号") + closing_quote_hint(c, t.begin)}};
        if (s_[i_] == '\\' && i_ + 1 < s_.size()) {
          v.push_back(s_[i_ + 1]);
          i_ += 2;
          continue;
        }
        if (s_[i_] == c) {
          ++i_;
          break;
        }
        v.push_back(s_[i_++]);
      }
      t.kind = Tok::string;
      t.text = std::move(v);
      t.end = static_cast<std::uint32_t>(i_);
      return t;
    } else {
      static const char* kOps[] = {"==", "!=", "<=", ">=", "->", "??", "..", "<", ">", "+", "-", "*", "/",
                                   "%", "(", ")", "[", "]", ",", "."};
      for (const char* op : kOps) {
        const std::size_t n = std::char_traits<char>::length(op);
        if (s_.compare(i_, n, op) == 0) {
          i_ += n;
          t.kind = Tok::op;
          break;
        }
      }
      if (t.kind != Tok::op) {
        // The character's bytes as far as they are there: a lead byte announces 2-4, but invalid UTF-8 may
        // end the text or break off early, and the error range must stay inside the text (fuzz_expr).
        std::size_t n = 1;
        const unsigned char u = static_cast<unsigned char>(c);
        const std::size_t want = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
        while (n < want && i_ + n < s_.size() && (static_cast<unsigned char>(s_[i_ + n]) & 0xC0) == 0x80) ++n;
        std::string ch(s_.substr(i_, n));
        if (c == '=')
          throw Failure{{t.begin, t.begin + 1, tr("'=' is not an operator here; write '==' to compare",
                                                  "'=' 在这里不是运算符；比较是否相等请写 '=='")}};
        if (c == '&' || c == '|')
          throw Failure{{t.begin, t.begin + 1, tr(std::string("write 'and' / 'or' instead of '") + c + "'",
                                                  std::string("请用 'and' / 'or'，不要用 '") + c + "'")}};
        if (c == '!') throw Failure{{t.begin, t.begin + 1, tr("write 'not' instead of '!'", "请用 'not'，不要用 '!'")}};
        for (const Lookalike& l : kLookalikes) {
          const std::size_t len = std::char_traits<char>::length(l.text);
          if (s_.compare(i_, len, l.text) != 0) continue;
          const std::string seen(s_.substr(i_, len));
          const std::uint32_t end = static_cast<std::uint32_t>(i_ + len);
          if (l.word)
            throw Failure{{t.begin, end, tr("'" + seen + "' is not an operator: write '" + l.ascii + "'",
                                            "'" + seen + "' 不是运算符：请写 '" + l.ascii + "'")}};
          const bool quote = l.ascii[0] == '\'' || l.ascii[0] == '"';
          const std::string ascii = "'" + std::string(l.ascii) + "'";
          throw Failure{{t.begin, end, tr("full-width '" + seen + "': write the ASCII " + (quote ? "quote " + std::string(l.ascii) : ascii) + " instead",
                                          "全角字符 '" + seen + "'：请改用半角的" + (quote ? "引号 " + std::string(l.ascii) : " " + ascii) + "（切换到英文输入法）")}};
        }
        throw Failure{{t.begin, static_cast<std::uint32_t>(i_ + n),
                       tr("unexpected character '" + ch + "'", "不认识的字符 '" + ch + "'")}};
      }
    }
    t.end = static_cast<std::uint32_t>(i_);
    if (t.kind != Tok::string) t.text.assign(s_.substr(t.begin, t.end - t.begin));
    return t;
  }

 private:
  // A string opened with an ASCII quote and closed with a full-width one runs to the end: say so.
  std::string closing_quote_hint(char quote, std::size_t from) const {
    const std::string_view rest = s_.substr(from);
    for (const char* q : {"’", "‘", "”", "“"})
      if (rest.find(q) != std::string_view::npos)
        return tr(std::string(" (it seems closed with the full-width '") + q + "': close it with the ASCII quote " + quote + ")",
                  std::string("（看起来用了全角的 '") + q + "' 来结束：请改用半角引号 " + quote + " 结束）");
    return "";
  }
  std::string_view s_;
  bool zh_;
  std::size_t i_ = 0;
};

bool is_keyword(const std::string& s) {
  return s == "and" || s == "or" || s == "not" || s == "in" || s == "if" || s == "then" || s == "else" ||
         s == "true" || s == "false" || s == "null";
}

class Parser {
 public:
  Parser(std::string_view text, std::uint32_t max_depth, bool zh)
      : lex_(text, zh), text_(text), max_depth_(max_depth), zh_(zh) {
    advance();
    advance();
  }

  std::unique_ptr<Ast> parse_all() {
    auto e = expr();
    if (tok_.kind != Tok::end)
      fail(tok_, tr("unexpected '" + tok_.text + "' after the end of the expression", "表达式结束后多出了 '" + tok_.text + "'"));
    return e;
  }

 private:
  Lexer lex_;
  std::string_view text_;
  std::uint32_t max_depth_;
  bool zh_;
  std::uint32_t depth_ = 0;
  std::string tr(std::string en, std::string zh) const { return zh_ ? std::move(zh) : std::move(en); }
  Token tok_, ahead_;

  void advance() {
    tok_ = std::move(ahead_);
    ahead_ = lex_.next();
  }
  [[noreturn]] void fail(const Token& t, std::string msg) {
    static const std::string kFoundEnd = "，却是 表达式的结尾";
    if (const std::size_t at = msg.find(kFoundEnd); at != std::string::npos) msg.replace(at, kFoundEnd.size(), "，表达式却已结束");
    throw Failure{{t.begin, t.end > t.begin ? t.end : t.begin + 1, std::move(msg)}};
  }
  bool is_op(const char* op) const { return tok_.kind == Tok::op && tok_.text == op; }
  bool is_kw(const char* kw) const { return tok_.kind == Tok::ident && tok_.text == kw; }
  void expect_op(const char* op, const char* what) {
    if (!is_op(op)) {
      std::string zh_what = what;
      if (zh_what == "to close the argument list") zh_what = "来结束参数列表";
      else if (zh_what == "to close '('") zh_what = "来配对 '('";
      else if (zh_what == "to close the range") zh_what = "来结束区间";
      else if (zh_what == "to close the list") zh_what = "来结束列表";
      fail(tok_, tr(std::string("expected '") + op + "' " + what + ", found " + describe(tok_),
                    std::string("这里应有 '") + op + "' " + zh_what + "，却是 " + describe(tok_)));
    }
    advance();
  }
  std::string describe(const Token& t) const {
    if (t.kind == Tok::end) return tr("the end of the expression", "表达式的结尾");
    return "'" + t.text + "'";
  }

  // Chains like a + b + c build left-deep trees: each link counts toward the depth limit, because
  // lowering and freeing the tree recurse once per link.
  struct ChainGuard {
    Parser* p;
    std::uint32_t links = 0;
    explicit ChainGuard(Parser* parser) : p(parser) {}
    void link(const Token& t) {
      ++links;
      if (++p->depth_ > p->max_depth_)
        throw Failure{{t.begin, t.end, p->tr("expression nested deeper than " + std::to_string(p->max_depth_) + " levels",
                                             "表达式嵌套超过 " + std::to_string(p->max_depth_) + " 层"), "E1213"}};
    }
    ~ChainGuard() { p->depth_ -= links; }
  };

  struct DepthGuard {
    Parser* p;
    explicit DepthGuard(Parser* parser, const Token& t) : p(parser) {
      if (++p->depth_ > p->max_depth_)
        throw Failure{{t.begin, t.end, p->tr("expression nested deeper than " + std::to_string(p->max_depth_) + " levels",
                                             "表达式嵌套超过 " + std::to_string(p->max_depth_) + " 层"), "E1213"}};
    }
    ~DepthGuard() { --p->depth_; }
  };

  std::unique_ptr<Ast> node(Ast::Kind k, std::uint32_t b, std::uint32_t e, std::string text = {}) {
    auto a = std::make_unique<Ast>();
    a->kind = k;
    a->begin = b;
    a->end = e;
    a->text = std::move(text);
    return a;
  }
  std::unique_ptr<Ast> binary(std::string op, std::unique_ptr<Ast> l, std::unique_ptr<Ast> r) {
    auto a = node(Ast::Kind::binary, l->begin, r->end, std::move(op));
    a->kids.push_back(std::move(l));
    a->kids.push_back(std::move(r));
    return a;
  }

  std::unique_ptr<Ast> expr() {
    DepthGuard g(this, tok_);
    if (is_kw("if")) {
      const std::uint32_t b = tok_.begin;
      advance();
      auto c = expr();
      if (!is_kw("then")) fail(tok_, 
                                   tr("expected 'then' after the condition of 'if', found " + describe(tok_),
                                      "'if' 的条件后应有 'then'，却是 " + describe(tok_)));
      advance();
      auto t = expr();
      if (!is_kw("else")) fail(tok_, 
                                   tr("expected 'else' (every 'if' needs one), found " + describe(tok_),
                                      "这里应有 'else'（每个 'if' 都要有），却是 " + describe(tok_)));
      advance();
      auto e = expr();
      auto a = node(Ast::Kind::cond, b, e->end);
      a->kids.push_back(std::move(c));
      a->kids.push_back(std::move(t));
      a->kids.push_back(std::move(e));
      return a;
    }
    // A lambda: IDENT -> expr
    if (tok_.kind == Tok::ident && !is_keyword(tok_.text) && ahead_.kind == Tok::op && ahead_.text == "->") {
      Token param = tok_;
      advance();
      advance();
      auto body = expr();
      auto a = node(Ast::Kind::lambda, param.begin, body->end, param.text);
      a->kids.push_back(std::move(body));
      return a;
    }
    return coalesce();
  }

  std::unique_ptr<Ast> coalesce() {
    auto l = or_expr();
    ChainGuard chain(this);
    while (is_op("??")) {
      chain.link(tok_);
      advance();
      l = binary("??", std::move(l), or_expr());
    }
    return l;
  }
  std::unique_ptr<Ast> or_expr() {
    auto l = and_expr();
    ChainGuard chain(this);
    while (is_kw("or")) {
      chain.link(tok_);
      advance();
      l = binary("or", std::move(l), and_expr());
    }
    return l;
  }
  std::unique_ptr<Ast> and_expr() {
    auto l = not_expr();
    ChainGuard chain(this);
    while (is_kw("and")) {
      chain.link(tok_);
      advance();
      l = binary("and", std::move(l), not_expr());
    }
    return l;
  }
  std::unique_ptr<Ast> not_expr() {
    if (is_kw("not")) {
      DepthGuard g(this, tok_);
      const std::uint32_t b = tok_.begin;
      advance();
      auto x = not_expr();
      auto a = node(Ast::Kind::unary, b, x->end, "not");
      a->kids.push_back(std::move(x));
      return a;
    }
    return comparison();
  }
  std::unique_ptr<Ast> comparison() {
    auto l = additive();
    if (tok_.kind == Tok::op && (tok_.text == "==" || tok_.text == "!=" || tok_.text == "<" || tok_.text == "<=" ||
                                 tok_.text == ">" || tok_.text == ">=")) {
      std::string op = tok_.text;
      advance();
      auto r = additive();
      auto a = binary(std::move(op), std::move(l), std::move(r));
      if (tok_.kind == Tok::op && (tok_.text == "==" || tok_.text == "<" || tok_.text == ">" || tok_.text == "<=" ||
                                   tok_.text == ">=" || tok_.text == "!="))
        fail(tok_, tr("comparisons do not chain: write 'a < b and b < c'", "比较不能连写：请写成 'a < b and b < c'"));
      return a;
    }
    bool negated = false;
    if (is_kw("not") && ahead_.kind == Tok::ident && ahead_.text == "in") {
      negated = true;
      advance();
    }
    if (is_kw("in")) {
      advance();
      auto r = additive();
      auto a = node(Ast::Kind::in, l->begin, r->end, "in");
      a->negated = negated;
      a->kids.push_back(std::move(l));
      a->kids.push_back(std::move(r));
      return a;
    }
    if (negated) fail(tok_, tr("expected 'in' after 'not'", "'not' 后面这里应有 'in'"));
    return l;
  }
  std::unique_ptr<Ast> additive() {
    auto l = multiplicative();
    ChainGuard chain(this);
    while (is_op("+") || is_op("-")) {
      chain.link(tok_);
      std::string op = tok_.text;
      advance();
      l = binary(std::move(op), std::move(l), multiplicative());
    }
    return l;
  }
  std::unique_ptr<Ast> multiplicative() {
    auto l = unary();
    ChainGuard chain(this);
    while (is_op("*") || is_op("/") || is_op("%")) {
      chain.link(tok_);
      std::string op = tok_.text;
      advance();
      l = binary(std::move(op), std::move(l), unary());
    }
    return l;
  }
  std::unique_ptr<Ast> unary() {
    if (is_op("-")) {
      DepthGuard g(this, tok_);
      const std::uint32_t b = tok_.begin;
      advance();
      auto x = unary();
      // Fold a negative literal right here so "-2" is one number.
      if (x->kind == Ast::Kind::number && x->text[0] != '-') {
        x->text = "-" + x->text;
        x->begin = b;
        return x;
      }
      auto a = node(Ast::Kind::unary, b, x->end, "-");
      a->kids.push_back(std::move(x));
      return a;
    }
    return postfix();
  }
  std::unique_ptr<Ast> postfix() {
    auto e = primary();
    ChainGuard chain(this);
    while (true) {
      if (is_op(".")) {
        chain.link(tok_);
        advance();
        if (tok_.kind != Tok::ident) fail(tok_, 
                                                tr("expected a field name after '.', found " + describe(tok_),
                                                   "'.' 后面应是字段名，却是 " + describe(tok_)));
        auto m = node(Ast::Kind::member, e->begin, tok_.end, tok_.text);
        m->kids.push_back(std::move(e));
        e = std::move(m);
        advance();
      } else if (is_op("(")) {
        if (e->kind != Ast::Kind::name) fail(tok_, tr("only a function name can be called", "只有函数名后面才能加括号调用"));
        DepthGuard g(this, tok_);
        advance();
        auto call = node(Ast::Kind::call, e->begin, e->end, e->text);
        if (!is_op(")")) {
          while (true) {
            call->kids.push_back(expr());
            if (is_op(",")) {
              advance();
              continue;
            }
            break;
          }
        }
        call->end = tok_.end;
        expect_op(")", "to close the argument list");
        e = std::move(call);
      } else {
        return e;
      }
    }
  }
  std::unique_ptr<Ast> primary() {
    const Token t = tok_;
    switch (t.kind) {
      case Tok::number: advance(); return node(Ast::Kind::number, t.begin, t.end, t.text);
      case Tok::string: advance(); return node(Ast::Kind::string, t.begin, t.end, t.text);
      case Tok::ident:
        if (t.text == "true" || t.text == "false") {
          advance();
          return node(Ast::Kind::boolean, t.begin, t.end, t.text);
        }
        if (t.text == "null") {
          advance();
          return node(Ast::Kind::null, t.begin, t.end, t.text);
        }
        if (is_keyword(t.text)) fail(t, tr("'" + t.text + "' cannot start an expression", "表达式不能以 '" + t.text + "' 开头"));
        advance();
        return node(Ast::Kind::name, t.begin, t.end, t.text);
      case Tok::op:
        if (t.text == "(") {
          DepthGuard g(this, t);
          advance();
          auto e = expr();
          expect_op(")", "to close '('");
          return e;
        }
        if (t.text == "[") {
          DepthGuard g(this, t);
          advance();
          auto list = node(Ast::Kind::list, t.begin, t.end);
          if (!is_op("]")) {
            auto first = expr();
            if (is_op("..")) {
              advance();
              auto hi = expr();
              auto r = node(Ast::Kind::range, t.begin, hi->end);
              r->kids.push_back(std::move(first));
              r->kids.push_back(std::move(hi));
              r->end = tok_.end;
              expect_op("]", "to close the range");
              return r;
            }
            list->kids.push_back(std::move(first));
            while (is_op(",")) {
              advance();
              list->kids.push_back(expr());
            }
          }
          list->end = tok_.end;
          expect_op("]", "to close the list");
          return list;
        }
        fail(t, tr("expected a value, found '" + t.text + "'", "这里应是一个值，却是 '" + t.text + "'"));
      case Tok::end: fail(t, tr("expected a value, found the end of the expression", "这里应是一个值，表达式却结束了"));
      default: fail(t, tr("expected a value", "这里应是一个值"));
    }
  }
};

}  // namespace

ParseResult parse_expression(std::string_view text, std::uint32_t max_depth, bool zh) {
  ParseResult r;
  try {
    Parser p(text, max_depth, zh);
    r.ast = p.parse_all();
  } catch (const Failure& f) {
    r.error = f.error;
    r.ast.reset();
  }
  return r;
}

UnaryTest split_unary_test(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  static const char* kOps[] = {"==", "!=", "<=", ">=", "<", ">"};
  for (const char* op : kOps) {
    const std::size_t n = std::char_traits<char>::length(op);
    if (text.compare(i, n, op) == 0) return UnaryTest{op, static_cast<std::uint32_t>(i + n)};
  }
  return UnaryTest{"", 0};
}

}  // namespace eligo::compile
