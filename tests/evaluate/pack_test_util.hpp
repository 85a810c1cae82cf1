// Shared by the evaluation tests: compile a pack that must compile, and options on a given day.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "eligo/pack.hpp"

namespace eligo::test {

inline Pack compile_ok(const std::string& text) {
  CompileResult r = compile_text(text, "test.pack.json");
  INFO(r.diagnostics.to_string());
  REQUIRE(r.pack.has_value());
  return *r.pack;
}

inline EvalOptions on(const char* date) {
  EvalOptions o;
  o.as_of = Date::parse(date);
  return o;
}

}  // namespace eligo::test
