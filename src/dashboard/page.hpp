// The dashboard page: web/dashboard.html + web/dashboard.js (compiled into the program) and Apache ECharts
// from the installed npm package (scripts/bootstrap; never committed, never fetched at run time).
//
//   Echarts ec;
//   if (!dashboard::load_echarts(&ec, &error)) …            // says where it looked and how to install it
//   std::string html = dashboard::offline_page(view, ec);   // one file: page, script, ECharts and data
//   dashboard::write_file_atomically("report.html", html, &error);
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace eligo::dashboard {

struct Echarts {
  std::string path;     // the file it was read from
  std::string js;       // echarts.min.js
};

// Where echarts.min.js is looked for: $ELIGO_ECHARTS_JS when set; else, for an installed program, the copy
// installed beside the packs (PREFIX/share/eligo/echarts/echarts.min.js, found from the program's own
// folder PREFIX/bin); else the path CMake found at configure time (ELIGO_ECHARTS_JS, by default
// web/node_modules/echarts/dist/echarts.min.js in the source tree).
std::string echarts_path();
// Reads it. false and *error naming the path and how to install it when it is absent or unreadable, or
// when it cannot be inlined in a page (it holds "</script" or "<!--").
bool load_echarts(Echarts* out, std::string* error);

// The payout view (payout_view.hpp) as one self-contained HTML file: nothing is loaded from outside.
std::string offline_page(const nlohmann::ordered_json& payout_view, const Echarts& echarts);
// The page eligo-server serves at /dashboard: ECharts from /dashboard/echarts.min.js, the script from
// /dashboard/dashboard.js, data from /v1/dashboard/... (docs/dashboard.md).
std::string served_page();
// web/dashboard.js as compiled in.
std::string_view page_script();

// Written under a temporary name beside `path` and renamed into place.
bool write_file_atomically(const std::string& path, std::string_view bytes, std::string* error);

}  // namespace eligo::dashboard
