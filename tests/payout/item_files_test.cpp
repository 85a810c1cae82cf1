// WriteOptions::items: the per-item files in one format only are the same bytes as those written beside
// the other format, the other pair is not written (and one left by an earlier report is removed), and the
// rest of the report does not change.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "eligo/payout.hpp"
#include "payout/synthetic.hpp"

using namespace eligo;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const std::filesystem::path& dir, payout::ItemFiles items) {
  const payout_test::SynData d = payout_test::synthesize(400, 5);
  payout::Reconciliation rec = payout_test::load(d, payout_test::identity_perm(d.orders.size()),
                                                 payout_test::identity_perm(d.records.size()), payout::Options{});
  payout::WriteOptions w;
  w.workbook = false;
  w.items = items;
  std::string error;
  const bool written = payout::write_report(rec.run(), dir.string(), w, &error);
  INFO(error);
  REQUIRE(written);
}

}  // namespace

TEST_CASE("payout report: item files in one format are the bytes written beside the other, and only they", "[payout][files]") {
  const auto root = std::filesystem::temp_directory_path() / ("eligo_payout_items_" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  write(root / "both", payout::ItemFiles::csv_and_jsonl);
  const char* kItems[] = {"orders.csv", "records.csv", "orders.jsonl", "records.jsonl"};
  for (const char* f : kItems) REQUIRE(std::filesystem::file_size(root / "both" / f) > 1000);

  // Into folders that already hold a whole report (the pair not asked for must go).
  std::filesystem::copy(root / "both", root / "csv");
  std::filesystem::copy(root / "both", root / "jsonl");
  write(root / "csv", payout::ItemFiles::csv);
  write(root / "jsonl", payout::ItemFiles::jsonl);
  for (int k = 0; k < 4; ++k) {
    const bool is_csv = k < 2;
    INFO(kItems[k]);
    CHECK(std::filesystem::exists(root / "csv" / kItems[k]) == is_csv);
    CHECK(std::filesystem::exists(root / "jsonl" / kItems[k]) == !is_csv);
    CHECK(slurp(root / (is_csv ? "csv" : "jsonl") / kItems[k]) == slurp(root / "both" / kItems[k]));
  }
  for (const char* f : {"summary.txt", "summary.json", "rejected.csv", "unclaimed.csv"}) {
    INFO(f);
    CHECK(slurp(root / "csv" / f) == slurp(root / "both" / f));
    CHECK(slurp(root / "jsonl" / f) == slurp(root / "both" / f));
  }
  std::filesystem::remove_all(root);
}
