// The dashboard page assembled from the compiled-in web/ sources and the installed ECharts.
#include "core/json_dump.hpp"
#include "dashboard/page.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "payout/atomic_file.hpp"

namespace eligo::dashboard {

// Generated from web/ by cmake/embed_text.cmake (web_assets.cpp in the build folder).
extern const char kDashboardHtml[];
extern const char kDashboardJs[];

namespace {

constexpr std::string_view kScriptsMarker = "<!--ELIGO:SCRIPTS-->";

std::string with_scripts(std::string_view scripts) {
  std::string page = kDashboardHtml;
  const std::size_t at = page.find(kScriptsMarker);
  page.replace(at, kScriptsMarker.size(), scripts);
  return page;
}

// JSON inside <script type="application/json">: no "<" at all, so neither "</script" nor "<!--" can end or
// bend the element; \u003c is the same string to JSON.parse.
std::string script_safe_json(const nlohmann::ordered_json& j) {
  const std::string text = eligo::json_dump(j);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

bool contains_ci(std::string_view hay, std::string_view needle) {
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && std::tolower(static_cast<unsigned char>(hay[i + k])) == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

}  // namespace

std::string echarts_path() {
  if (const char* env = std::getenv("ELIGO_ECHARTS_JS"); env && *env) return env;
  // An installed program: PREFIX/bin/eligo finds PREFIX/share/eligo/echarts/echarts.min.js.
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path installed = self.parent_path() / ELIGO_ECHARTS_JS_FROM_BINDIR;
    if (std::filesystem::is_regular_file(installed, ec)) return installed.lexically_normal().string();
  }
  return ELIGO_ECHARTS_JS_DEFAULT;
}

bool load_echarts(Echarts* out, std::string* error) {
  out->path = echarts_path();
  std::ifstream f(out->path, std::ios::binary);
  if (!f) {
    *error = "Apache ECharts is not installed: no file " + out->path +
             " (run scripts/bootstrap, which installs the pinned echarts from npm into web/node_modules, or set "
             "ELIGO_ECHARTS_JS to an echarts.min.js)";
    return false;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  out->js = ss.str();
  if (out->js.empty() || contains_ci(out->js, "</script") || out->js.find("<!--") != std::string::npos) {
    *error = out->path + " is empty or cannot be inlined in a page (it holds \"</script\" or \"<!--\")";
    return false;
  }
  return true;
}

std::string offline_page(const nlohmann::ordered_json& payout_view, const Echarts& echarts) {
  std::string scripts;
  scripts += "<script>";
  scripts += echarts.js;
  scripts += "</script>\n<script type=\"application/json\" id=\"eligo-payouts\">";
  scripts += script_safe_json(payout_view);
  scripts += "</script>\n<script>";
  scripts += kDashboardJs;
  scripts += "</script>";
  return with_scripts(scripts);
}

std::string served_page() {
  return with_scripts(
      "<script src=\"/dashboard/echarts.min.js\"></script>\n<script src=\"/dashboard/dashboard.js\"></script>");
}

std::string_view page_script() { return kDashboardJs; }

bool write_file_atomically(const std::string& path, std::string_view bytes, std::string* error) {
  payout::detail::AtomicFile f;
  if (!f.open(path, error)) return false;
  f.write(bytes);
  return f.commit(error);
}

}  // namespace eligo::dashboard
