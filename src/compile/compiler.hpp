// The compile stage: a loaded pack's JSON → an immutable Program. Checks the structure against the rule
// language (docs/rule-language.md), parses and type-checks every expression against the declared inputs,
// resolves names to slots, checks tables (overlap, coverage) and `let` cycles, and folds constants.
// Every problem is reported; compilation never stops at the first.
#pragma once

#include <memory>

#include "compile/program.hpp"
#include "eligo/pack.hpp"
#include "load/loader.hpp"

namespace eligo::compile {

// nullptr when there were errors (all of them in *diagnostics).
std::shared_ptr<detail::Program> compile_pack(const load::LoadedPack& loaded, const CompileOptions& options,
                                      Diagnostics* diagnostics);

}  // namespace eligo::compile
