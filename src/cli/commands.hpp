// The eligo command-line tool: one function per subcommand, each in src/cli/cmd_<name>.cpp.
// Arguments exclude the program and subcommand names. Exit codes: 0 ok, 1 the input was judged and
// failed (diagnostics, failing cases), 2 usage or I/O errors.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace eligo::cli {

struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool out_is_terminal = false;
};

using Args = std::vector<std::string>;

int cmd_id(const Args& args, Io& io);  // cmd_id.cpp — identity checks and masking

}  // namespace eligo::cli
