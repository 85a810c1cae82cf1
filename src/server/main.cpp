// eligo-server — rule packs over HTTP. docs/server.md describes the routes and every configuration key.
//
//   eligo-server --packs rules --listen 127.0.0.1:8080          a folder of packs, no keys, loopback only
//   eligo-server --config /etc/eligo/server.json                everything from the file
//   eligo-server --hash-key < key.txt                           the SHA-256 to put in the keys file
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <thread>

#include "eligo/audit.hpp"
#include "server/api_keys.hpp"
#include "server/config.hpp"
#include "server/http_server.hpp"
#include "server/http_source.hpp"
#include "server/dashboard.hpp"
#include "server/pack_registry.hpp"
#include "server/service.hpp"

namespace {

constexpr const char* kUsage =
    "usage: eligo-server [--config FILE] [--listen HOST:PORT] [--packs PATH]...\n"
    "       eligo-server --hash-key          (reads a key on stdin, prints its SHA-256 for the keys file)\n"
    "  --config FILE      the JSON configuration (docs/server.md documents every key)\n"
    "  --listen HOST:PORT overrides \"listen\" (port 0 picks a free port; the chosen one is printed)\n"
    "  --packs PATH       overrides \"packs\": a folder of packs (and its subfolders), or a .pack.json file;\n"
    "                     repeat for several\n"
    "  --reports DIR      overrides \"reports\": the dashboard's reconciliation reports, one subfolder each as\n"
    "                     written by eligo reconcile --out (docs/dashboard.md)\n"
    "A non-loopback address needs API keys (\"api_keys\").\n";

// Polls the packs folders and reloads on a change, or at once on SIGHUP. A reload that fails leaves the
// serving set alone; its diagnostics go to stderr and /v1/status.
class Reloader {
 public:
  Reloader(eligo::server::Service& service, const eligo::server::ReloadConfig& config)
      : service_(service), config_(config) {}
  void start() {
    last_ = service_.registry().fingerprint();
    thread_ = std::thread([this] { loop(); });
  }
  void sighup() {
    std::lock_guard<std::mutex> lock(mu_);
    hup_ = true;
    cv_.notify_one();
  }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
      cv_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(config_.poll_ms), [&] { return stop_ || hup_; });
      if (stop_) break;
      const bool hup = hup_;
      hup_ = false;
      lock.unlock();
      const std::string fp = service_.registry().fingerprint();
      if (hup || (config_.watch && fp != last_)) {
        last_ = fp;
        const bool ok = service_.registry().reload(hup ? "SIGHUP" : "watch");
        service_.metrics().reload(ok);
        const auto st = service_.registry().status();
        if (ok) {
          std::cerr << "eligo-server: reloaded packs (" << (hup ? "SIGHUP" : "change") << "), generation "
                    << service_.registry().current()->generation << "\n";
        } else {
          std::cerr << "eligo-server: reload failed; still serving generation "
                    << service_.registry().current()->generation << "\n"
                    << st.diagnostics.to_string(false);
        }
      }
      lock.lock();
    }
  }

  eligo::server::Service& service_;
  eligo::server::ReloadConfig config_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool hup_ = false, stop_ = false;
  std::string last_;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace eligo::server;
  Config config;
  std::string config_path, listen;
  std::vector<std::string> packs;
  std::string reports;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) {
        std::cerr << "eligo-server: " << a << " needs a value\n" << kUsage;
        std::exit(2);
      }
      *out = argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--hash-key") {
      std::string key;
      std::getline(std::cin, key);
      if (key.empty()) {
        std::cerr << "eligo-server: --hash-key reads the key on standard input\n";
        return 2;
      }
      std::cout << sha256_hex(key) << "\n";
      return 0;
    } else if (a == "--config") {
      value(&config_path);
    } else if (a == "--listen") {
      value(&listen);
    } else if (a == "--reports") {
      value(&reports);
    } else if (a == "--packs") {
      std::string p;
      value(&p);
      packs.push_back(p);
    } else {
      std::cerr << "eligo-server: unknown argument '" << a << "'\n" << kUsage;
      return 2;
    }
  }
  std::string error;
  if (!config_path.empty() && !load_config(config_path, &config, &error)) {
    std::cerr << "eligo-server: " << error << "\n";
    return 2;
  }
  if (!listen.empty()) config.listen = listen;
  if (!packs.empty()) config.packs = packs;
  if (!reports.empty()) config.reports = reports;
  std::string host;
  std::uint16_t port = 0;
  if (!split_host_port(config.listen, &host, &port)) {
    std::cerr << "eligo-server: listen '" << config.listen << "' is not HOST:PORT\n";
    return 2;
  }
  if (config.packs.empty()) {
    std::cerr << "eligo-server: no packs to serve (--packs DIR or \"packs\" in the config)\n" << kUsage;
    return 2;
  }
  ApiKeys keys;
  if (!config.api_keys.empty() && !keys.load(config.api_keys, &error)) {
    std::cerr << "eligo-server: " << error << "\n";
    return 2;
  }
  if (keys.empty() && !is_loopback(host)) {
    std::cerr << "eligo-server: refusing to listen on " << host
              << " without API keys: anyone who can reach it could evaluate applicants. Configure \"api_keys\" or "
                 "listen on 127.0.0.1.\n";
    return 2;
  }
  std::shared_ptr<HttpSources> sources;
  if (!config.sources.empty()) {
    sources = HttpSources::create(config.sources, &error);
    if (!sources) {
      std::cerr << "eligo-server: " << error << "\n";
      return 2;
    }
  }
  auto registry = std::make_shared<PackRegistry>(config.packs);
  if (!registry->reload("start")) {
    std::cerr << "eligo-server: the packs do not compile; not starting\n" << registry->status().diagnostics.to_string();
    return 1;
  }
  std::shared_ptr<eligo::audit::Writer> audit;
  if (!config.decision_log.path.empty()) {
    const char* key = std::getenv(config.decision_log.hmac_key_env.c_str());
    if (!key || !*key) {
      std::cerr << "eligo-server: the decision log needs its input-hash key in the environment variable "
                << config.decision_log.hmac_key_env << "\n";
      return 2;
    }
    eligo::audit::WriterOptions wo;
    wo.path = config.decision_log.path;
    wo.hmac_key = key;
    wo.rotate_bytes = config.decision_log.rotate_bytes;
    audit = eligo::audit::Writer::open(wo, &error);
    if (!audit) {
      std::cerr << "eligo-server: " << error << "\n";
      return 2;
    }
  }
  const unsigned threads = config.threads ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  Service service(config, std::move(keys), registry);
  if (audit) service.set_decision_log(audit);
  if (sources) service.set_sources(sources);
  std::cerr << "eligo-server: " << service.dashboard().describe() << "\n";
  if (!config.decision_log.path.empty() &&
      !service.dashboard().decisions().seed_from_log(config.decision_log.path, &error)) {
    // The log itself is checked by the writer and `eligo audit verify`; the dashboard only counts from it.
    std::cerr << "eligo-server: the dashboard could not count the decision log: " << error << "\n";
  }
  HttpServer server(service);
  if (!server.listen(host, port, &error)) {
    std::cerr << "eligo-server: " << error << "\n";
    return 2;
  }
  const auto snapshot = registry->current();
  std::cout << "eligo-server: listening on http://" << (host.find(':') != std::string::npos ? "[" + host + "]" : host)
            << ":" << server.port() << " (" << snapshot->set.ids().size() << " packs, " << snapshot->set.packs().size()
            << " versions, " << threads << " threads)" << std::endl;
  Reloader reloader(service, config.reload);
  reloader.start();
  server.run(threads, [&] { reloader.sighup(); });
  reloader.stop();
  std::cout << "eligo-server: stopped" << std::endl;
  return 0;
}
