// eligo — command-line front end. Dispatches to one function per subcommand (commands.hpp).
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/masked_stream.hpp"
#include "dashboard/page.hpp"
#include "eligo/version.hpp"

#if __has_include(<boost/version.hpp>)
#include <boost/version.hpp>  // header-only use: the version eligo-server is built against
#endif

namespace {

constexpr const char* kUsage =
    "usage: eligo <command> [args]\n"
    "\n"
    "commands:\n"
    "  check PACK...     compile rule packs and print every problem (exit 1 on errors)\n"
    "  eval PACK --input FILE [--as-of DATE] [--explain] [--lang zh-CN|en] [--format text|json]\n"
    "                    evaluate applicants (a JSON object, or JSON Lines) against a pack\n"
    "  test PACK...      run the test cases of rule packs (exit 1 on a failing case)\n"
    "  id CHECK...       validate and explain Chinese ID numbers, credit codes, cards, mobiles\n"
    "  blacklist import|check|stats ...   credit blacklists (SQLite store)\n"
    "  reconcile --orders O --bank B --out DIR ...   payout orders against bank payment records\n"
    "  rank --spec S --input A --out P ...   school places by points: rank, allocate, reasons\n"
    "  diff OLD NEW --input P --as-of D ...  who changes verdict, points or outputs between two packs\n"
    "  compare PACK --declared A --source S --as-of D --out DIR   declared against source data (自动比对)\n"
    "  review export|import ...   department review workbooks (批量审核) out and back in\n"
    "  audit verify LOG  check a decision log's hash chain (exit 1 on an edited, deleted or moved line)\n"
    "  batch PACK --input F... --out FILE|DIR ...   a population: results, rejected rows, summary, payout orders\n"
    "\n"
    "eligo <command> --help shows the options of one command; eligo --version the build.\n";

void print_version(std::ostream& out) {
  const eligo::BuildInfo b = eligo::build_info();
  out << "eligo " << b.version << " (" << b.build_type << " build, " << b.compiler << ")\n"
      << "ICU " << b.icu << ", SQLite " << b.sqlite << ", " << b.openssl << "\n";
#if defined(BOOST_VERSION)
  out << "Boost " << BOOST_VERSION / 100000 << "." << BOOST_VERSION / 100 % 1000 << "." << BOOST_VERSION % 100
      << " (headers, for eligo-server)\n";
#else
  out << "Boost: none (not found at build time)\n";
#endif
  const std::string echarts = eligo::dashboard::echarts_path();
  std::error_code ec;
  out << "ECharts for the dashboard: " << echarts
      << (std::filesystem::is_regular_file(echarts, ec) ? "" : " (missing: set ELIGO_ECHARTS_JS)") << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    print_version(std::cout);
    return 0;
  }
  const std::string command = argv[1];
  eligo::cli::Args args(argv + 2, argv + argc);
  // Messages for people on standard error: PII by shape masked, unless clear text was asked for.
  bool clear = false;
  for (const auto& a : args) clear |= a == "--clear-pii" || a == "--reveal";
  eligo::cli::MaskingBuf masking(std::cerr);
  std::ostream masked_err(&masking);
  eligo::cli::Io io{std::cin, std::cout, clear ? std::cerr : masked_err, isatty(STDOUT_FILENO) != 0, isatty(STDERR_FILENO) != 0};
  if (command == "check") return eligo::cli::cmd_check(args, io);
  if (command == "eval") return eligo::cli::cmd_eval(args, io);
  if (command == "test") return eligo::cli::cmd_test(args, io);
  if (command == "id") return eligo::cli::cmd_id(args, io);
  if (command == "blacklist") return eligo::cli::cmd_blacklist(args, io);
  if (command == "reconcile") return eligo::cli::cmd_reconcile(args, io);
  if (command == "rank") return eligo::cli::cmd_rank(args, io);
  if (command == "diff") return eligo::cli::cmd_diff(args, io);
  if (command == "review") return eligo::cli::cmd_review(args, io);
  if (command == "compare") return eligo::cli::cmd_compare(args, io);
  if (command == "audit") return eligo::cli::cmd_audit(args, io);
  if (command == "batch") return eligo::cli::cmd_batch(args, io);
  std::cerr << "eligo: unknown command '" << command << "'\n\n" << kUsage;
  return 2;
}
