// The public face of compilation: compile_file / compile_text, Pack accessors, Input, PackSet.
#include <algorithm>
#include <filesystem>
#include <mutex>

#include "compile/compiler.hpp"
#include "eligo/pack.hpp"
#include "evaluate/bind.hpp"
#include "explain/render.hpp"

namespace eligo {

struct PackAccess {
  static Pack make(std::shared_ptr<const detail::Program> p) {
    Pack pack;
    pack.program_ = std::move(p);
    return pack;
  }
};

CompileResult compile_file(const std::string& path, const CompileOptions& options) {
  CompileResult r;
  r.diagnostics.lang = diagnostics_lang(options.lang);
  load::LoadedPack lp;
  if (!load::load_pack_file(path, options.max_file_bytes, options.max_json_depth, &lp, &r.diagnostics,
                            r.diagnostics.lang == "zh-CN"))
    return r;
  auto program = compile::compile_pack(lp, options, &r.diagnostics);
  if (program && !r.diagnostics.has_errors()) r.pack = PackAccess::make(std::move(program));
  return r;
}

CompileResult compile_text(std::string_view json, const std::string& virtual_path, const CompileOptions& options) {
  CompileResult r;
  r.diagnostics.lang = diagnostics_lang(options.lang);
  load::LoadedPack lp;
  load::load_pack_text(std::string(json), virtual_path, options.max_json_depth, &lp, &r.diagnostics,
                       r.diagnostics.lang == "zh-CN");
  if (!lp.json.ok) return r;
  auto program = compile::compile_pack(lp, options, &r.diagnostics);
  if (program && !r.diagnostics.has_errors()) r.pack = PackAccess::make(std::move(program));
  return r;
}

const std::string& Pack::id() const { return program_->pack_id; }
const std::string& Pack::version() const { return program_->version; }
const std::string& Pack::hash() const { return program_->hash; }
const std::string& Pack::file() const { return program_->file; }
std::optional<Date> Pack::effective_from() const { return program_->effective_from; }
std::optional<Date> Pack::effective_until() const { return program_->effective_until; }
std::vector<std::string> Pack::test_files() const { return program_->tests; }
std::vector<std::string> Pack::indicator_ids() const {
  std::vector<std::string> ids;
  if (program_->has_scores)
    for (const auto& i : program_->indicators) ids.push_back(i.id);
  return ids;
}
std::vector<std::string> Pack::output_names() const {
  std::vector<std::string> names;
  for (const auto& o : program_->outputs) names.push_back(o.name);
  return names;
}
bool Pack::in_force(Date as_of) const {
  return !(program_->effective_from && as_of < *program_->effective_from) &&
         !(program_->effective_until && as_of > *program_->effective_until);
}

Input Pack::bind(std::string_view json, const BindOptions& options) const {
  Input in;
  detail::bind_json(*program_, json, in.impl_.get(), options);
  return in;
}

void Pack::bind(std::string_view json, Input* input, const BindOptions& options) const {
  detail::bind_json(*program_, json, input->impl_.get(), options);
}

std::optional<RowLayout> Pack::layout(const std::vector<std::string>& columns, const BindOptions& options,
                                      std::string* error) const {
  auto data = std::make_shared<detail::RowLayoutData>();
  if (!detail::make_layout(*program_, columns, options, data.get(), error)) return std::nullopt;
  RowLayout layout;
  layout.impl_ = std::move(data);
  return layout;
}

void Pack::bind_row(const RowLayout& layout, const std::vector<std::string_view>& cells, Input* input) const {
  // Text cells; a small fixed buffer keeps the common widths allocation-free.
  Cell buffer[64];
  std::vector<Cell> heap;
  Cell* c = buffer;
  if (cells.size() > 64) {
    heap.resize(cells.size());
    c = heap.data();
  }
  for (std::size_t i = 0; i < cells.size(); ++i) {
    c[i].kind = Cell::Kind::text;
    c[i].text = cells[i];
  }
  bind_row(layout, c, cells.size(), input);
}

void Pack::bind_row(const RowLayout& layout, const Cell* cells, std::size_t count, Input* input) const {
  if (!layout.impl_ || layout.impl_->program != program_.get()) {
    input->impl_->program = program_.get();
    input->impl_->errors.assign(1, DataError{"E2008", "", "the row layout was made for another pack"});
    return;
  }
  detail::bind_row(*layout.impl_, cells, count, input->impl_.get());
}

std::size_t RowLayout::columns() const { return impl_ ? impl_->columns.size() : 0; }
const std::vector<std::string>& RowLayout::ignored() const {
  static const std::vector<std::string> none;
  return impl_ ? impl_->ignored : none;
}
int RowLayout::column_of(std::string_view path) const {
  if (!impl_) return -1;
  const detail::Program& p = *impl_->program;
  for (std::size_t c = 0; c < impl_->columns.size(); ++c) {
    const auto& col = impl_->columns[c];
    if (col.kind != detail::RowLayoutData::Kind::field) continue;
    const auto& g = p.groups[col.group];
    if (p.paths[p.records[g.record].fields[static_cast<std::size_t>(col.field)].path] == path) return static_cast<int>(c);
  }
  return -1;
}

Input::Input() : impl_(std::make_unique<detail::BoundInput>()) {}
Input::~Input() = default;
Input::Input(Input&&) noexcept = default;
Input& Input::operator=(Input&&) noexcept = default;
const std::vector<DataError>& Input::errors() const { return impl_->errors; }
const std::vector<DataError>& Input::warnings() const { return impl_->warnings; }

std::string Input::text(std::string_view path) const {
  const detail::Program* p = impl_->program;
  if (!p) return "";
  const std::size_t dot = path.find('.');
  if (dot == std::string_view::npos) return "";
  for (std::size_t g = 0; g < p->groups.size(); ++g) {
    if (p->groups[g].name != path.substr(0, dot) || impl_->state[g] != detail::BoundInput::State::bound) continue;
    const int slot = p->records[p->groups[g].record].find(path.substr(dot + 1));
    if (slot < 0) return "";
    const detail::Value& v = impl_->groups[g].items[slot];
    if (v.absent() || v.kind == detail::VKind::list || v.kind == detail::VKind::record) return "";
    return explain::render_plain(v, detail::Pii::none, true);
  }
  return "";
}

std::vector<std::string> pack_files(const std::vector<std::string>& roots) {
  namespace fs = std::filesystem;
  auto is_pack = [](const fs::path& p) {
    const std::string name = p.filename().string();
    return name.size() > 10 && name.compare(name.size() - 10, 10, ".pack.json") == 0;
  };
  std::vector<std::string> files;
  for (const auto& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
      files.push_back(root);
      continue;
    }
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(root, ec)) entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    for (const auto& e : entries) {
      if (fs::is_regular_file(e, ec) && is_pack(e)) {
        files.push_back(e.string());
      } else if (fs::is_directory(e, ec)) {
        std::vector<fs::path> inner;
        for (const auto& f : fs::directory_iterator(e, ec))
          if (f.is_regular_file(ec) && is_pack(f.path())) inner.push_back(f.path());
        std::sort(inner.begin(), inner.end());
        for (const auto& f : inner) files.push_back(f.string());
      }
    }
  }
  return files;
}

bool PackSet::load(const std::string& path, Diagnostics* diagnostics, const CompileOptions& options) {
  return load(std::vector<std::string>{path}, diagnostics, options);
}

bool PackSet::load(const std::vector<std::string>& paths, Diagnostics* diagnostics, const CompileOptions& options) {
  diagnostics->lang = diagnostics_lang(options.lang);
  const bool zh = diagnostics->lang == "zh-CN";
  const std::vector<std::string> files = pack_files(paths);
  if (files.empty()) {
    Diagnostic d;
    d.code = "E1002";
    d.file = paths.empty() ? std::string("(no path)") : paths.front();
    d.message = zh ? "这个文件夹里没有 *.pack.json 文件" : "no *.pack.json file in this folder";
    diagnostics->items.push_back(d);
    return false;
  }
  bool ok = true;
  const std::size_t first = packs_.size();
  for (const auto& f : files) {
    CompileResult r = compile_file(f, options);
    diagnostics->items.insert(diagnostics->items.end(), r.diagnostics.items.begin(), r.diagnostics.items.end());
    if (r.pack) add(std::move(*r.pack));
    else ok = false;
  }
  // Two files claiming one id and version would leave select() to choose by file order.
  for (std::size_t i = 0; i < packs_.size(); ++i)
    for (std::size_t k = std::max(i + 1, first); k < packs_.size(); ++k)
      if (packs_[i].id() == packs_[k].id() && packs_[i].version() == packs_[k].version()) {
        Diagnostic d;
        d.code = "E1005";
        d.file = packs_[k].file();
        d.message = zh ? "包 " + packs_[k].id() + " 的版本 " + packs_[k].version() + " 也在 " + packs_[i].file() + " 中"
                       : "pack " + packs_[k].id() + " version " + packs_[k].version() + " is also in " +
                             packs_[i].file();
        diagnostics->items.push_back(d);
        ok = false;
      }
  return ok;
}

struct LivePackSet::State {
  std::mutex mu;         // guards current and generation
  std::mutex reload_mu;  // one reload at a time
  std::shared_ptr<const PackSet> current;
  std::uint64_t generation = 0;
};

LivePackSet::LivePackSet(std::vector<std::string> paths, CompileOptions options)
    : paths_(std::move(paths)), options_(std::move(options)), state_(std::make_shared<State>()) {}

bool LivePackSet::reload(Diagnostics* diagnostics) {
  std::lock_guard<std::mutex> one(state_->reload_mu);
  auto next = std::make_shared<PackSet>();
  Diagnostics local;
  Diagnostics* d = diagnostics ? diagnostics : &local;
  if (!next->load(paths_, d, options_)) return false;
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->current = std::move(next);
  ++state_->generation;
  return true;
}

std::shared_ptr<const PackSet> LivePackSet::current() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->current;
}

std::uint64_t LivePackSet::generation() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->generation;
}

void PackSet::add(Pack pack) { packs_.push_back(std::move(pack)); }

std::vector<std::string> PackSet::ids() const {
  std::vector<std::string> ids;
  for (const auto& p : packs_)
    if (std::find(ids.begin(), ids.end(), p.id()) == ids.end()) ids.push_back(p.id());
  return ids;
}

const Pack* PackSet::select(std::string_view id, Date as_of, std::string* why) const {
  const Pack* best = nullptr;
  std::string versions;
  for (const auto& p : packs_) {
    if (p.id() != id) continue;
    versions += (versions.empty() ? "" : "; ") + p.version() + " " +
                (p.effective_from() ? p.effective_from()->to_string() : std::string("…")) + ".." +
                (p.effective_until() ? p.effective_until()->to_string() : std::string("…"));
    if (!p.in_force(as_of)) continue;
    const Date from = p.effective_from() ? *p.effective_from() : Date::from_days(INT32_MIN);
    const Date best_from = best && best->effective_from() ? *best->effective_from() : Date::from_days(INT32_MIN);
    if (!best || from > best_from) best = &p;
  }
  if (!best && why) {
    *why = versions.empty() ? "no pack '" + std::string(id) + "' is loaded"
                            : "no version of " + std::string(id) + " is in force on " + as_of.to_string() +
                                  " (versions: " + versions + ")";
  }
  return best;
}

}  // namespace eligo
