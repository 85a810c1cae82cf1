// eligo::LivePackSet: the version in force by date, and reloads while other threads select and evaluate.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "eligo/pack.hpp"

using namespace eligo;
namespace fs = std::filesystem;

namespace {

std::string pack_text(int version, const char* from, const char* require) {
  return std::string("{\"pack\": \"t.live\", \"version\": \"") + std::to_string(version) +
         "\", \"effective\": {\"from\": \"" + from +
         "\"}, \"inputs\": {\"a\": {\"fields\": {\"x\": \"number\"}}}, \"checks\": [{\"id\": \"c\", \"require\": \"" +
         require + "\", \"reason\": {\"en\": \"x too small\"}}]}";
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("eligo-live-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::create_directories(path / "sub");
  }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("pack_files takes a folder's packs and its subfolders', each folder's sorted", "[compile][packset]") {
  TempDir d;
  write(d.path / "b.pack.json", "{}");
  write(d.path / "a.pack.json", "{}");
  write(d.path / "notes.json", "{}");
  write(d.path / "sub" / "c.pack.json", "{}");
  const auto files = pack_files({d.path.string()});
  REQUIRE(files.size() == 3);
  CHECK(files[0] == (d.path / "a.pack.json").string());
  CHECK(files[1] == (d.path / "b.pack.json").string());
  CHECK(files[2] == (d.path / "sub" / "c.pack.json").string());
}

TEST_CASE("a reload that fails keeps the set in use, one that works replaces it", "[compile][packset][reload]") {
  TempDir d;
  write(d.path / "v1.pack.json", pack_text(1, "2024-01-01", "a.x > 1"));
  LivePackSet live({d.path.string()});
  CHECK(live.current() == nullptr);
  Diagnostics diags;
  REQUIRE(live.reload(&diags));
  const auto first = live.current();
  CHECK(live.generation() == 1);
  write(d.path / "sub" / "v2.pack.json", pack_text(2, "2025-01-01", "a.y > 2"));
  Diagnostics broken;
  CHECK_FALSE(live.reload(&broken));
  CHECK(broken.to_string().find("E1203") != std::string::npos);
  CHECK(live.current() == first);
  CHECK(live.generation() == 1);
  write(d.path / "sub" / "v2.pack.json", pack_text(2, "2025-01-01", "a.x > 2"));
  REQUIRE(live.reload(nullptr));
  CHECK(live.generation() == 2);
  CHECK(live.current()->select("t.live", *Date::parse("2025-06-01"))->version() == "2");
  CHECK(first->select("t.live", *Date::parse("2025-06-01"))->version() == "1");  // the old snapshot is intact
  write(d.path / "v2-copy.pack.json", pack_text(2, "2025-01-01", "a.x > 2"));
  Diagnostics twice;
  CHECK_FALSE(live.reload(&twice));
  CHECK(twice.to_string().find("E1005") != std::string::npos);
}

TEST_CASE("concurrent: threads select and evaluate while another reloads", "[compile][packset][concurrent]") {
  TempDir d;
  write(d.path / "v.pack.json", pack_text(1, "2024-01-01", "a.x > 1"));
  LivePackSet live({d.path.string()});
  REQUIRE(live.reload(nullptr));
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0}, evaluated{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      EvalOptions o;
      o.as_of = Date::parse("2025-06-01");
      while (!stop.load()) {
        const auto set = live.current();
        const Pack* p = set->select("t.live", *o.as_of);
        if (!p) {
          ++wrong;
          continue;
        }
        // Version n requires x > n: x = 2 is eligible under version 1 only.
        const Decision dec = p->evaluate(std::string_view("{\"a\": {\"x\": 2}}"), o);
        const bool eligible = dec.verdict == Verdict::eligible;
        if (eligible != (p->version() == "1")) ++wrong;
        ++evaluated;
      }
    });
  for (int n = 2; n <= 6; ++n) {
    write(d.path / "v.pack.json", pack_text(n, "2024-01-01", (std::string("a.x > ") + std::to_string(n)).c_str()));
    CHECK(live.reload(nullptr));
  }
  stop = true;
  for (auto& t : readers) t.join();
  CHECK(wrong.load() == 0);
  CHECK(evaluated.load() > 0);
  CHECK(live.generation() == 6);
}
