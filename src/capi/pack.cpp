// Compiling packs and evaluating applicants, one at a time or a JSON Lines batch on several threads.
#include <algorithm>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "capi/handles.hpp"
#include "eligo/records.hpp"

using eligo::capi::copy_out;
using eligo::capi::guard;

namespace {

// Bridges a C callback to eligo::DataSource for one evaluation.
class CSource : public eligo::DataSource {
 public:
  CSource(eligo_source_fn fn, void* user, std::string input) : fn_(fn), user_(user), input_(std::move(input)) {}
  std::optional<std::string> fetch(const eligo::SourceRequest& req) override {
    eligo_source_reply reply;
    const std::string source(req.source), group(req.group);
    const int rc = fn_(user_, source.c_str(), group.c_str(), input_.c_str(), &reply);
    if (rc != 0) throw std::runtime_error("the host's source returned " + std::to_string(rc));
    if (!reply.set) return std::nullopt;
    return std::move(reply.json);
  }

 private:
  eligo_source_fn fn_;
  void* user_;
  std::string input_;
};

eligo_status finish_compile(eligo::CompileResult r, eligo_pack** out_pack, eligo_diagnostics** out_diagnostics) {
  auto* d = new eligo_diagnostics();
  d->diagnostics = std::move(r.diagnostics);
  d->text = d->diagnostics.to_string();
  if (out_diagnostics) *out_diagnostics = d;
  else delete d;
  if (!r.pack) return ELIGO_ERROR_COMPILE;
  *out_pack = new eligo_pack{std::move(*r.pack)};
  return ELIGO_OK;
}

}  // namespace

extern "C" {

ELIGO_API eligo_status eligo_pack_compile_file_lang(const char* path, const char* lang, eligo_pack** out_pack,
                                                    eligo_diagnostics** out_diagnostics) {
  if (out_pack) *out_pack = nullptr;
  if (out_diagnostics) *out_diagnostics = nullptr;
  if (!path || !out_pack) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    eligo::CompileOptions options;
    options.lang = lang ? lang : "";
    return finish_compile(eligo::compile_file(path, options), out_pack, out_diagnostics);
  });
}

ELIGO_API eligo_status eligo_pack_compile_file(const char* path, eligo_pack** out_pack,
                                               eligo_diagnostics** out_diagnostics) {
  return eligo_pack_compile_file_lang(path, nullptr, out_pack, out_diagnostics);
}

ELIGO_API eligo_status eligo_pack_compile_text_lang(const char* json, size_t length, const char* virtual_path,
                                                    const char* lang, eligo_pack** out_pack,
                                                    eligo_diagnostics** out_diagnostics) {
  if (out_pack) *out_pack = nullptr;
  if (out_diagnostics) *out_diagnostics = nullptr;
  if (!json || !out_pack) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    eligo::CompileOptions options;
    options.lang = lang ? lang : "";
    return finish_compile(eligo::compile_text(std::string_view(json, length), virtual_path ? virtual_path : "<memory>",
                                              options),
                          out_pack, out_diagnostics);
  });
}

ELIGO_API eligo_status eligo_pack_compile_text(const char* json, size_t length, const char* virtual_path,
                                               eligo_pack** out_pack, eligo_diagnostics** out_diagnostics) {
  return eligo_pack_compile_text_lang(json, length, virtual_path, nullptr, out_pack, out_diagnostics);
}

ELIGO_API void eligo_pack_destroy(eligo_pack* pack) { delete pack; }

ELIGO_API const char* eligo_pack_id(const eligo_pack* p) { return p ? p->pack.id().c_str() : ""; }
ELIGO_API const char* eligo_pack_version(const eligo_pack* p) { return p ? p->pack.version().c_str() : ""; }
ELIGO_API const char* eligo_pack_hash(const eligo_pack* p) { return p ? p->pack.hash().c_str() : ""; }

ELIGO_API eligo_status eligo_pack_evaluate(const eligo_pack* pack, const char* input_json, size_t length,
                                           const eligo_options* options, char** out_result_json) {
  if (out_result_json) *out_result_json = nullptr;
  if (!pack || !input_json || !out_result_json) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    static const eligo_options kDefaults;
    const eligo_options& o = options ? *options : kDefaults;
    eligo::EvalOptions eo = o.options;
    const std::string_view input(input_json, length);
    CSource source(o.source, o.source_user_data, o.source ? std::string(input) : std::string());
    if (o.source) eo.sources = &source;
    // Per-thread input and decision storage, reused from call to call; a source callback that calls
    // back into eligo on the same thread (re-entry) gets fresh storage instead.
    thread_local eligo::Input reusable_in;
    thread_local eligo::Decision reusable_d;
    thread_local bool busy = false;
    std::unique_ptr<eligo::Input> own_in;
    std::unique_ptr<eligo::Decision> own_d;
    if (busy) {
      own_in = std::make_unique<eligo::Input>();
      own_d = std::make_unique<eligo::Decision>();
    }
    eligo::Input& in = own_in ? *own_in : reusable_in;
    eligo::Decision& d = own_d ? *own_d : reusable_d;
    struct Busy {
      bool& b;
      bool was;
      explicit Busy(bool& x) : b(x), was(x) { b = true; }
      ~Busy() { b = was; }
    } busy_guard(busy);
    pack->pack.bind(input, &in, o.bind);
    pack->pack.evaluate(in, eo, &d);
    *out_result_json = copy_out(d.to_json());
    return d.verdict == eligo::Verdict::error ? ELIGO_ERROR_EVALUATION : ELIGO_OK;
  });
}

ELIGO_API eligo_status eligo_pack_evaluate_batch(const eligo_pack* pack, const char* input_jsonl, size_t length,
                                                 const eligo_options* options, char** out_results_jsonl) {
  if (out_results_jsonl) *out_results_jsonl = nullptr;
  if (!pack || !input_jsonl || !out_results_jsonl) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    static const eligo_options kDefaults;
    const eligo_options& o = options ? *options : kDefaults;
    // Rows of JSON Lines through the common reader (a BOM skipped, blank lines skipped, each line its own
    // row), with their 1-based line numbers.
    struct Line {
      std::uint64_t number;
      std::string text;
      std::string problem;  // the reader's: the line cannot be read (not UTF-8)
    };
    std::vector<Line> lines;
    {
      eligo::records::RecordReader reader;
      eligo::records::ReadOptions ro;
      ro.format = eligo::records::Format::jsonl;
      std::string error;
      if (!reader.open_text(std::string(input_jsonl, length), "<input>", ro, &error)) return ELIGO_ERROR_INVALID_ARGUMENT;
      for (;;) {
        const eligo::records::Next n = reader.next();
        if (n == eligo::records::Next::end || n == eligo::records::Next::error) break;
        if (n == eligo::records::Next::row) lines.push_back({reader.line(), std::string(reader.json()), {}});
        else lines.push_back({reader.line(), {}, reader.problem()});
      }
    }
    // One date for the whole batch, read once: a batch across midnight judges every row on the same day (R5).
    eligo::EvalOptions batch_options = o.options;
    if (!batch_options.as_of) batch_options.as_of = eligo::today_cst();
    std::vector<std::string> results(lines.size());
    const std::size_t hw = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t threads = std::min<std::size_t>(o.threads > 0 ? static_cast<std::size_t>(o.threads) : hw,
                                                      std::max<std::size_t>(1, lines.size() / 64));
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work_body = [&](std::size_t begin, std::size_t end) {
      const eligo::EvalOptions& eo = batch_options;
      eligo::Decision d;
      eligo::Input in;
      for (std::size_t i = begin; i < end; ++i) {
        if (!lines[i].problem.empty()) {
          results[i] = "{\"line\":" + std::to_string(lines[i].number) +
                       ",\"verdict\":\"error\",\"error\":{\"code\":\"E3000\",\"message\":\"" + lines[i].problem + "\"}}";
          continue;
        }
        pack->pack.bind(lines[i].text, &in, o.bind);
        pack->pack.evaluate(in, eo, &d);
        std::string j = d.to_json();
        // Each result names its input line, so results can be joined back to rows.
        j.insert(1, "\"line\":" + std::to_string(lines[i].number) + ",");
        results[i] = std::move(j);
      }
    };
    auto work = [&](std::size_t begin, std::size_t end) {
      try {
        work_body(begin, end);
      } catch (...) {  // rethrown after the join, inside guard(): nothing escapes a thread
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    };
    if (threads <= 1) {
      work(0, lines.size());
    } else {
      std::vector<std::thread> pool;
      const std::size_t chunk = (lines.size() + threads - 1) / threads;
      for (std::size_t t = 0; t < threads; ++t) {
        const std::size_t b = t * chunk, e = std::min(lines.size(), b + chunk);
        if (b < e) pool.emplace_back(work, b, e);
      }
      for (auto& th : pool) th.join();
    }
    if (failure) std::rethrow_exception(failure);
    std::string out;
    std::size_t total = 0;
    for (const auto& r : results) total += r.size() + 1;
    out.reserve(total);
    for (const auto& r : results) {
      out += r;
      out += '\n';
    }
    *out_results_jsonl = copy_out(out);
    return ELIGO_OK;
  });
}

}  // extern "C"
