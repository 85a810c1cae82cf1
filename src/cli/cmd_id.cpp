// Placeholder until the identity module lands (issue 3); replaced by the real command.
#include <ostream>

#include "cli/commands.hpp"

namespace eligo::cli {
int cmd_id(const Args&, Io& io) {
  io.err << "eligo id: the identity module has not landed yet\n";
  return 2;
}
}  // namespace eligo::cli
