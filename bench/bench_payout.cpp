// Payout reconciliation at scale (TARGETS P6): 1 M and 10 M orders against as many bank records.
// Data is generated in memory (tests/payout/synthetic.hpp: ~30% of orders carry a fault) and, for the file
// case, written to CSV under /tmp first. Results are checked against the generator before timing.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "../tests/payout/synthetic.hpp"
#include "eligo/payout.hpp"

namespace {

using namespace eligo;
using namespace payout_test;

const SynData& data(std::size_t n) {
  static std::map<std::size_t, SynData> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, synthesize(n, 2024)).first;
  return it->second;
}

double rss_mib() {
  long pages = 0, resident = 0;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

payout::Options options(const SynData& d) {
  payout::Options o;
  o.cutoff = d.cutoff;
  return o;
}

void verify(const SynData& d, const payout::Report& r) {
  if (r.order_count() != d.orders.size() || r.record_count() != d.records.size()) std::abort();
  for (std::size_t i = 0; i < d.orders.size(); i += 97) {
    const auto k = r.find_order(d.orders[i].order_no);
    if (!k || r.order_class(*k) != d.orders[i].expected) {
      std::fprintf(stderr, "bench_payout: %s misclassified\n", d.orders[i].order_no.c_str());
      std::abort();
    }
  }
  for (std::size_t i = 0; i < d.records.size(); i += 97) {
    const auto k = r.find_record(d.records[i].serial_no);
    if (!k || r.record_class(*k) != d.records[i].expected) std::abort();
  }
}

// Orders and records already in memory (as a host application holds them): add_* + run().
void BM_Reconcile_InMemory(benchmark::State& state) {
  const SynData& d = data(static_cast<std::size_t>(state.range(0)));
  const auto op = shuffled_perm(d.orders.size(), 1), rp = shuffled_perm(d.records.size(), 2);
  verify(d, load(d, op, rp, options(d)).run());
  double grown = 0;
  for (auto _ : state) {
    const double before = rss_mib();
    payout::Report r = load(d, op, rp, options(d)).run();
    grown = rss_mib() - before;
    benchmark::DoNotOptimize(r.summary().orders.total.count);
  }
  state.counters["orders"] = static_cast<double>(d.orders.size());
  state.counters["records"] = static_cast<double>(d.records.size());
  state.counters["report_MiB"] = grown;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.orders.size() + d.records.size()));
}

std::string write_csv(const SynData& d, const std::string& dir) {
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir + "/orders.csv", std::ios::binary);
    f << "order_no,policy,period,payee_id,payee_name,account,amount,created,community\n";
    for (const SynOrder& o : d.orders)
      f << o.order_no << ',' << o.policy << ',' << o.period << ',' << o.payee_id << ',' << o.name << ','
        << o.account << ',' << o.amount.to_string() << ',' << o.created.to_string() << ',' << o.community << '\n';
  }
  {
    std::ofstream f(dir + "/bank.csv", std::ios::binary);
    f << "serial_no,order_no,payee_id,account,name,amount,status,value_date,failure_reason\n";
    for (const SynRecord& r : d.records)
      f << r.serial_no << ',' << r.order_no << ',' << r.payee_id << ',' << r.account << ',' << r.name << ','
        << r.amount.to_string() << ',' << payout::to_string(r.status) << ',' << r.value_date.to_string() << ','
        << r.reason << '\n';
  }
  return dir;
}

// CSV files → loaders → run(): what `eligo reconcile` does before writing its report.
void BM_Reconcile_FromCsv(benchmark::State& state) {
  const SynData& d = data(static_cast<std::size_t>(state.range(0)));
  const std::string dir = write_csv(d, "/tmp/eligo_bench_payout_" + std::to_string(state.range(0)));
  const payout::Mapping m = payout::default_mapping();
  const auto run = [&] {
    payout::Reconciliation rec(options(d));
    std::string error;
    if (!payout::load_orders(dir + "/orders.csv", m.orders, rec, nullptr, &error) ||
        !payout::load_records(dir + "/bank.csv", m.bank, rec, nullptr, &error)) {
      std::fprintf(stderr, "bench_payout: %s\n", error.c_str());
      std::abort();
    }
    return rec.run();
  };
  verify(d, run());
  for (auto _ : state) {
    payout::Report r = run();
    benchmark::DoNotOptimize(r.summary().orders.total.count);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.orders.size() + d.records.size()));
  std::filesystem::remove_all(dir);
}

// The report files (CSV, JSON Lines, summaries; the workbook separately).
void BM_Reconcile_WriteReport(benchmark::State& state) {
  const SynData& d = data(static_cast<std::size_t>(state.range(0)));
  const payout::Report r = load(d, identity_perm(d.orders.size()), identity_perm(d.records.size()), options(d)).run();
  const std::string dir = "/tmp/eligo_bench_payout_out_" + std::to_string(::getpid());
  payout::WriteOptions w;
  w.workbook = state.range(1) != 0;
  for (auto _ : state) {
    std::string error;
    if (!payout::write_report(r, dir, w, &error)) std::abort();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.orders.size() + d.records.size()));
  std::filesystem::remove_all(dir);
}

}  // namespace

BENCHMARK(BM_Reconcile_InMemory)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Reconcile_FromCsv)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Reconcile_WriteReport)->Args({1000000, 0})->Args({1000000, 1})->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
