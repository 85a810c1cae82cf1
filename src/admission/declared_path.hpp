// The compare section's declared paths ("applicant.housing[0].from"): split into steps, and checked against
// the inputs the pack declares, so a misspelt path is an error in the pack, not a column of "missing declared".
#pragma once

#include <string>
#include <vector>

namespace eligo::detail {
struct Program;
}

namespace eligo::admission::detail {

struct Step {
  std::string member;
  long index = -1;  // >= 0: an item of a list; the member is then empty
};

std::vector<Step> split_path(const std::string& path);

// "" when `path` names one value the pack's inputs declare (a group's field, through records and list items
// by index); otherwise why not, with the names that are there ("'applicant' has no field 'si_monts' (did you
// mean 'si_months'?)").
std::string declared_path_problem(const eligo::detail::Program& program, const std::string& path);

}  // namespace eligo::admission::detail
