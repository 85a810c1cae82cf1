// Placeholder: 'eligo reconcile' arrives with its module (see the open issue); until then it says so.
#include <ostream>

#include "cli/commands.hpp"

namespace eligo::cli {
int cmd_reconcile(const Args&, Io& io) {
  io.err << "eligo reconcile: not available yet in this build\n";
  return 2;
}
}  // namespace eligo::cli
