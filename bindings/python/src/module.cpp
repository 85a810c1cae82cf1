// _eligo: thin pybind11 shims over the C++ API. The Python facade (eligo/__init__.py) builds the
// user-facing objects; this module only moves strings across and releases the GIL for batches.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <charconv>
#include <deque>
#include <map>
#include <exception>
#include <fstream>
#include <mutex>
#include <thread>

#include "eligo/admission.hpp"
#include "eligo/batch.hpp"
#include "eligo/blacklist.hpp"
#include "eligo/identity.hpp"
#include "eligo/pack.hpp"
#include "eligo/payout.hpp"

namespace py = pybind11;

namespace {

struct Options {
  std::string group;                           // BindOptions::group
  std::optional<std::string> unknown_fields;   // "error" | "warn" | "ignore"
  std::optional<std::string> as_of;
  std::string lang = "zh-CN";
  std::optional<std::string> mode;
  bool explain = false;
  bool clear_pii = false;
  std::shared_ptr<const eligo::blacklist::Snapshot> blacklist;  // kept alive while the options live
};

eligo::EvalOptions to_eval_options(const Options& o) {
  eligo::EvalOptions eo;
  if (o.as_of) {
    eo.as_of = eligo::Date::parse(*o.as_of);
    if (!eo.as_of) throw py::value_error("as_of must be a date written YYYY-MM-DD, got '" + *o.as_of + "'");
  }
  if (o.lang != "zh-CN" && o.lang != "en") throw py::value_error("lang must be 'zh-CN' or 'en'");
  eo.lang = o.lang;
  if (o.mode) {
    if (*o.mode == "all") eo.mode = eligo::CheckMode::all;
    else if (*o.mode == "first_failure") eo.mode = eligo::CheckMode::first_failure;
    else throw py::value_error("mode must be 'first_failure' or 'all'");
  }
  eo.explain = o.explain;
  eo.clear_pii = o.clear_pii;
  eo.blacklist = o.blacklist.get();
  return eo;
}

// A Python callable as a data source: called with (source, group, input_json) and returning JSON text or None.
class PySource : public eligo::DataSource {
 public:
  PySource(py::function fn, std::string input) : fn_(std::move(fn)), input_(std::move(input)) {}
  std::optional<std::string> fetch(const eligo::SourceRequest& req) override {
    py::gil_scoped_acquire gil;
    py::object r = fn_(std::string(req.source), std::string(req.group), input_);
    if (r.is_none()) return std::nullopt;
    return r.cast<std::string>();
  }

 private:
  py::function fn_;
  std::string input_;
};

// Runs fn(begin, end) over [0, n) on up to `threads` threads (0: one per core; at least 64 items each).
// An exception in a worker is rethrown here after every thread has joined: none escapes a thread.
template <typename F>
void run_parallel(std::size_t n, int threads, F&& fn) {
  std::size_t t = threads > 0 ? static_cast<std::size_t>(threads) : std::max(1u, std::thread::hardware_concurrency());
  t = std::min(t, std::max<std::size_t>(1, n / 64));
  if (t <= 1) {
    fn(std::size_t{0}, n);
    return;
  }
  std::exception_ptr failure;
  std::mutex m;
  std::vector<std::thread> pool;
  const std::size_t chunk = (n + t - 1) / t;
  try {
    for (std::size_t k = 0; k < t; ++k) {
      const std::size_t b = k * chunk, e = std::min(n, b + chunk);
      if (b >= e) continue;
      pool.emplace_back([&, b, e] {
        try {
          fn(b, e);
        } catch (...) {
          std::lock_guard<std::mutex> lock(m);
          if (!failure) failure = std::current_exception();
        }
      });
    }
  } catch (...) {
    for (auto& th : pool) th.join();
    throw;
  }
  for (auto& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
}

py::dict diagnostic_dict(const eligo::Diagnostic& d) {
  py::dict x;
  x["code"] = d.code;
  x["severity"] = eligo::severity_name(d.severity);
  x["file"] = d.file;
  x["line"] = d.line;
  x["column"] = d.column;
  x["pointer"] = d.pointer;
  x["message"] = d.message;
  x["text"] = eligo::format_diagnostic(d, true);
  return x;
}

py::tuple compile_result(eligo::CompileResult r) {
  py::list diags;
  for (const auto& d : r.diagnostics.items) diags.append(diagnostic_dict(d));
  py::object pack = r.pack ? py::cast(std::move(*r.pack)) : py::none();
  return py::make_tuple(pack, diags, r.diagnostics.to_string());
}

eligo::BindOptions to_bind_options(const Options& o) {
  eligo::BindOptions b;
  b.group = o.group;
  if (o.unknown_fields) {
    if (*o.unknown_fields == "error") b.unknown_fields = eligo::UnknownFields::error;
    else if (*o.unknown_fields == "warn") b.unknown_fields = eligo::UnknownFields::warn;
    else if (*o.unknown_fields == "ignore") b.unknown_fields = eligo::UnknownFields::ignore;
    else throw py::value_error("unknown_fields is 'error', 'warn' or 'ignore'");
  }
  return b;
}

// One DataFrame column, read where it lies: NumPy buffers are read by the workers without the GIL; object
// columns are turned into cells once, with the GIL, before they start (str cells view the str's UTF-8).
struct ColumnData {
  char kind = 'o';  // o object, i int64, f float64, b bool, d date (int64 days since 1970-01-01, mask = NaT)
  const std::int64_t* i64 = nullptr;
  const double* f64 = nullptr;
  const bool* b8 = nullptr;
  const bool* mask = nullptr;
  std::vector<eligo::Cell> cells;  // object columns
  std::deque<std::string> texts;   // what non-str objects render to
};

// A float as Python's repr writes it (the shortest text that reads back as the same double, "1000.0" for a
// whole number), so a float column binds exactly as the same value given one by one (eligo._plain).
std::string float_text(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

eligo::Cell cell_at(const ColumnData& c, std::size_t row, std::string* scratch) {
  eligo::Cell cell;
  switch (c.kind) {
    case 'o': return c.cells[row];
    case 'i':
      cell.kind = eligo::Cell::Kind::number;
      cell.number = eligo::Decimal::from_int(c.i64[row]);
      return cell;
    case 'b':
      cell.kind = eligo::Cell::Kind::boolean;
      cell.boolean = c.b8[row];
      return cell;
    case 'd':
      if (c.mask && c.mask[row]) return cell;
      cell.kind = eligo::Cell::Kind::date;
      cell.date = eligo::Date::from_days(static_cast<std::int32_t>(c.i64[row]));
      return cell;
    case 'f': {
      const double v = c.f64[row];
      if (v != v) return cell;  // NaN: missing
      // The shortest text that reads back as the same double — 0.1 stays 0.1 — then exact decimal.
      scratch->assign(float_text(v));
      cell.kind = eligo::Cell::Kind::text;
      cell.text = *scratch;
      return cell;
    }
  }
  return cell;
}

void read_object_column(const py::array& a, ColumnData* c) {
  const std::size_t n = static_cast<std::size_t>(a.size());
  c->cells.resize(n);
  PyObject* const* items = static_cast<PyObject* const*>(a.data());
  const py::object decimal_type = py::module_::import("decimal").attr("Decimal");
  const py::object date_type = py::module_::import("datetime").attr("date");
  for (std::size_t r = 0; r < n; ++r) {
    PyObject* o = items[r];
    eligo::Cell& cell = c->cells[r];
    if (PyUnicode_Check(o)) {
      Py_ssize_t len = 0;
      const char* p = PyUnicode_AsUTF8AndSize(o, &len);
      if (!p) throw py::error_already_set();
      cell.kind = eligo::Cell::Kind::text;
      cell.text = std::string_view(p, static_cast<std::size_t>(len));
    } else if (o == Py_None) {
    } else if (PyBool_Check(o)) {
      cell.kind = eligo::Cell::Kind::boolean;
      cell.boolean = o == Py_True;
    } else if (PyFloat_Check(o)) {
      const double v = PyFloat_AsDouble(o);
      if (v == v) {
        c->texts.push_back(float_text(v));
        cell.kind = eligo::Cell::Kind::text;
        cell.text = c->texts.back();
      }
    } else {
      py::handle h(o);
      std::string text;
      if (PyList_Check(o) || PyDict_Check(o) || PyTuple_Check(o)) {
        // A list or record given as Python objects: its JSON text, the way a CSV cell would hold it.
        text = py::module_::import("eligo").attr("_to_json")(h).cast<std::string>();
      } else if (py::isinstance(h, date_type)) {
        text = py::str(h.attr("isoformat")()).cast<std::string>().substr(0, 10);  // a datetime's day
      } else if (PyLong_Check(o) || py::isinstance(h, decimal_type)) {
        text = py::str(py::module_::import("builtins").attr("format")(h, "f")).cast<std::string>();
      } else {
        // pandas NA / NaT and anything else with no value: missing; the rest as their text.
        const std::string type = py::str(h.get_type().attr("__name__")).cast<std::string>();
        if (type == "NAType" || type == "NaTType") continue;
        text = py::str(h).cast<std::string>();
      }
      c->texts.push_back(std::move(text));
      cell.kind = eligo::Cell::Kind::text;
      cell.text = c->texts.back();
    }
  }
}

void join_to(std::string* s, std::string_view part, const char* sep) {
  if (!s->empty()) *s += sep;
  *s += part;
}

// What a batch shows of one decision, for evaluate_columns and evaluate_rows alike: the verdict, the total,
// the failed checks and their reasons, the missing facts (each once, checks' then indicators'), the error.
struct RowSummary {
  const char* verdict = "error";
  std::optional<std::string> total;
  std::string failed, reasons, missing, error;
};

void summarize(const eligo::Decision& d, RowSummary* r) {
  r->verdict = eligo::verdict_name(d.verdict);
  if (d.scored && d.verdict != eligo::Verdict::error) r->total = d.total.to_string();
  std::vector<std::string_view> seen;
  auto note = [&](std::string_view m) {
    if (std::find(seen.begin(), seen.end(), m) == seen.end()) seen.push_back(m);
  };
  for (const auto& c : d.checks) {
    if (c.status == eligo::CheckStatus::failed) {
      join_to(&r->failed, c.id, ",");
      join_to(&r->reasons, c.reason, "；");
    }
    for (const auto& m : c.missing) note(m);
  }
  for (const auto& it : d.items)
    for (const auto& m : it.missing) note(m);
  for (auto m : seen) join_to(&r->missing, m, ",");
  if (d.error) r->error = d.error->code;
}

}  // namespace

PYBIND11_MODULE(_eligo, m) {
  m.doc() = "eligo's native core; use the 'eligo' package, not this module.";

  py::class_<Options>(m, "Options")
      .def(py::init<>())
      .def_readwrite("as_of", &Options::as_of)
      .def_readwrite("group", &Options::group)
      .def_readwrite("unknown_fields", &Options::unknown_fields)
      .def_readwrite("lang", &Options::lang)
      .def_readwrite("mode", &Options::mode)
      .def_readwrite("explain", &Options::explain)
      .def_readwrite("clear_pii", &Options::clear_pii)
      .def_readwrite("blacklist", &Options::blacklist);

  namespace bl = eligo::blacklist;
  py::class_<bl::Snapshot, std::shared_ptr<bl::Snapshot>>(m, "Blacklist")
      .def_property_readonly("version", &bl::Snapshot::version)
      .def_property_readonly("hash", &bl::Snapshot::hash)
      .def("__len__", &bl::Snapshot::size)
      .def("check", [](const bl::Snapshot& s, const std::string& id, const std::string& scope, const std::string& as_of) {
        auto day = eligo::Date::parse(as_of);
        if (!day) throw py::value_error("as_of must be YYYY-MM-DD");
        py::list out;
        const py::object loads = py::module_::import("json").attr("loads");
        for (const auto& e : s.check(id, scope, *day)) out.append(loads(bl::entry_json(e)));
        return out;
      });
  m.def("blacklist_load", [](const std::string& path, std::optional<std::string> mapping_json) {
    bl::LoadOptions options;
    if (mapping_json) {
      std::string error;
      auto mapping = bl::Mapping::from_json(*mapping_json, &error);
      if (!mapping) throw py::value_error("mapping: " + error);
      options.mapping = *mapping;
    }
    bl::Builder builder;
    bl::LoadReport r;
    {
      py::gil_scoped_release nogil;
      r = bl::load_file(path, builder, options);
    }
    if (!r.ok()) throw py::value_error(path + ": " + r.error);
    std::vector<std::string> errors;
    for (const auto& e : r.errors) errors.push_back(bl::format(e));
    auto snapshot = std::const_pointer_cast<bl::Snapshot>(builder.build());
    py::dict report;
    report["rows"] = r.rows;
    report["accepted"] = r.accepted;
    report["rejected"] = r.rejected;
    report["entries"] = snapshot->size();
    report["errors"] = errors;
    return py::make_tuple(snapshot, report);
  });
  m.def("blacklist_open_db", [](const std::string& path, std::optional<std::string> hash_key) {
    // Store::open would create an empty store: a misspelt path would list no one.
    if (!std::ifstream(path)) throw py::value_error(path + ": no such store");
    std::string error;
    auto store = bl::Store::open(path, &error);
    std::shared_ptr<const bl::Snapshot> snapshot;
    if (store) snapshot = store->snapshot(hash_key, &error);
    if (!snapshot) throw py::value_error(path + ": " + error);
    return std::const_pointer_cast<bl::Snapshot>(snapshot);
  });

  py::class_<eligo::Pack>(m, "Pack")
      .def_property_readonly("id", &eligo::Pack::id)
      .def_property_readonly("version", &eligo::Pack::version)
      .def_property_readonly("hash", &eligo::Pack::hash)
      .def_property_readonly("file", &eligo::Pack::file)
      .def_property_readonly("effective_from",
                             [](const eligo::Pack& p) -> std::optional<std::string> {
                               if (!p.effective_from()) return std::nullopt;
                               return p.effective_from()->to_string();
                             })
      .def_property_readonly("effective_until",
                             [](const eligo::Pack& p) -> std::optional<std::string> {
                               if (!p.effective_until()) return std::nullopt;
                               return p.effective_until()->to_string();
                             })
      .def("evaluate",
           [](const eligo::Pack& pack, const std::string& input, const Options& o, py::object sources) {
             eligo::EvalOptions eo = to_eval_options(o);
             const eligo::BindOptions bo = to_bind_options(o);
             if (sources.is_none()) {
               py::gil_scoped_release nogil;
               return pack.evaluate(input, eo, bo).to_json();
             }
             PySource src(sources.cast<py::function>(), input);
             eo.sources = &src;
             py::gil_scoped_release nogil;  // re-acquired inside PySource::fetch
             return pack.evaluate(input, eo, bo).to_json();
           })
      .def("evaluate_batch",
           [](const eligo::Pack& pack, const std::vector<std::string>& inputs, const Options& o, int threads) {
             eligo::EvalOptions eo = to_eval_options(o);
             if (!eo.as_of) eo.as_of = eligo::today_cst();  // one date for the whole batch
             std::vector<std::string> out(inputs.size());
             {
               py::gil_scoped_release nogil;
               run_parallel(inputs.size(), threads, [&](std::size_t b, std::size_t e) {
                 eligo::Decision d;
                 eligo::Input in;
                 const eligo::BindOptions bo = to_bind_options(o);
                 for (std::size_t i = b; i < e; ++i) {
                   pack.bind(inputs[i], &in, bo);
                   pack.evaluate(in, eo, &d);
                   out[i] = d.to_json();
                 }
               });
             }
             return out;
           },
           py::arg("inputs"), py::arg("options"), py::arg("threads") = 0)
      // The columnar batch (docs/python.md): DataFrame columns read where they lie, bound through a row layout,
      // evaluated on all cores with the GIL released; returns a dict of result columns (lists).
      .def("evaluate_columns",
           [](const eligo::Pack& pack, const std::vector<std::string>& names, const std::vector<py::tuple>& columns,
              std::size_t n, const Options& o, int threads, bool decisions) {
             eligo::EvalOptions eo = to_eval_options(o);
             if (!eo.as_of) eo.as_of = eligo::today_cst();  // one date for the whole batch
             std::string error;
             const auto layout = pack.layout(names, to_bind_options(o), &error);
             if (!layout) throw py::value_error(error);
             std::vector<ColumnData> cols(columns.size());
             std::vector<py::array> keep;  // the arrays stay alive (and so the str objects) while workers read
             for (std::size_t c = 0; c < columns.size(); ++c) {
               const std::string kind = columns[c][0].cast<std::string>();
               py::array a = columns[c][1].cast<py::array>();
               if (static_cast<std::size_t>(a.size()) != n) throw py::value_error("a column of another length");
               cols[c].kind = kind[0];
               if (kind == "o") {
                 read_object_column(a, &cols[c]);
               } else if (kind == "i" || kind == "d") {
                 cols[c].i64 = static_cast<const std::int64_t*>(a.data());
                 if (kind == "d") {
                   py::array m = columns[c][2].cast<py::array>();
                   cols[c].mask = static_cast<const bool*>(m.data());
                   keep.push_back(m);
                 }
               } else if (kind == "f") {
                 cols[c].f64 = static_cast<const double*>(a.data());
               } else if (kind == "b") {
                 cols[c].b8 = static_cast<const bool*>(a.data());
               } else {
                 throw py::value_error("unknown column kind " + kind);
               }
               keep.push_back(a);
             }
             const std::vector<std::string> indicator_ids = pack.indicator_ids();
             const std::vector<std::string> output_names = pack.output_names();
             struct Out : RowSummary {
               std::string data_errors, decision;
               std::vector<std::optional<std::string>> points, outputs;
             };
             std::vector<Out> rows(n);
             {
               py::gil_scoped_release nogil;
               run_parallel(n, threads, [&](std::size_t b, std::size_t e) {
                 eligo::Decision d;
                 eligo::Input in;
                 std::vector<eligo::Cell> cells(cols.size());
                 std::vector<std::string> scratch(cols.size());
                 for (std::size_t i = b; i < e; ++i) {
                   for (std::size_t c = 0; c < cols.size(); ++c) cells[c] = cell_at(cols[c], i, &scratch[c]);
                   pack.bind_row(*layout, cells.data(), cells.size(), &in);
                   pack.evaluate(in, eo, &d);
                   Out& r = rows[i];
                   summarize(d, &r);
                   r.points.assign(indicator_ids.size(), std::nullopt);
                   for (std::size_t k = 0; k < d.items.size() && k < r.points.size(); ++k)
                     r.points[k] = d.items[k].points.to_string();
                   r.outputs.assign(output_names.size(), std::nullopt);
                   for (std::size_t k = 0; k < d.outputs.size() && k < r.outputs.size(); ++k)
                     if (d.outputs[k].missing.empty()) r.outputs[k] = d.outputs[k].value;
                   for (const auto& de : d.data_errors)
                     join_to(&r.data_errors, de.code + " " + (de.path.empty() ? "" : de.path + ": ") + de.message, "\n");
                   if (decisions) r.decision = d.to_json();
                 }
               });
             }
             py::dict out;
             py::list verdict, total, failed, reasons, missing, err, data_errors, decision;
             for (auto& r : rows) {
               verdict.append(py::str(r.verdict));
               total.append(r.total ? py::object(py::str(*r.total)) : py::object(py::none()));
               failed.append(py::str(r.failed));
               reasons.append(py::str(r.reasons));
               missing.append(py::str(r.missing));
               err.append(py::str(r.error));
               data_errors.append(py::str(r.data_errors));
               if (decisions) decision.append(py::str(r.decision));
             }
             out["verdict"] = verdict;
             out["total"] = total;
             out["failed"] = failed;
             out["reasons"] = reasons;
             out["missing"] = missing;
             out["error"] = err;
             out["data_errors"] = data_errors;
             if (decisions) out["decision"] = decision;
             // One column per indicator's points and per output; None where the decision has none.
             py::dict pts, outs;
             for (std::size_t k = 0; k < indicator_ids.size(); ++k) {
               py::list col;
               for (auto& r : rows) col.append(r.points[k] ? py::object(py::str(*r.points[k])) : py::object(py::none()));
               pts[py::str(indicator_ids[k])] = col;
             }
             for (std::size_t k = 0; k < output_names.size(); ++k) {
               py::list col;
               for (auto& r : rows) col.append(r.outputs[k] ? py::object(py::str(*r.outputs[k])) : py::object(py::none()));
               outs[py::str(output_names[k])] = col;
             }
             out["points"] = pts;
             out["outputs"] = outs;
             out["ignored"] = layout->ignored();
             return out;
           },
           py::arg("names"), py::arg("columns"), py::arg("n"), py::arg("options"), py::arg("threads") = 0,
           py::arg("decisions") = false)
      // The batch with the summary columns computed natively (no JSON parsing per row in Python):
      // a list of (verdict, total or None, failed, reasons, missing, error code, decision JSON).
      .def("evaluate_rows",
           [](const eligo::Pack& pack, const std::vector<std::string>& inputs, const Options& o, int threads) {
             eligo::EvalOptions eo = to_eval_options(o);
             if (!eo.as_of) eo.as_of = eligo::today_cst();
             struct Row : RowSummary {
               std::string decision;
             };
             std::vector<Row> rows(inputs.size());
             {
               py::gil_scoped_release nogil;
               auto work = [&](std::size_t b, std::size_t e) {
                 eligo::Decision d;
                 eligo::Input in;
                 const eligo::BindOptions bo = to_bind_options(o);
                 for (std::size_t i = b; i < e; ++i) {
                   pack.bind(inputs[i], &in, bo);
                   pack.evaluate(in, eo, &d);
                   Row& r = rows[i];
                   summarize(d, &r);
                   r.decision = d.to_json();
                 }
               };
               run_parallel(inputs.size(), threads, work);
             }
             py::list out;
             for (auto& r : rows)
               out.append(py::make_tuple(r.verdict, r.total ? py::object(py::str(*r.total)) : py::object(py::none()),
                                         r.failed, r.reasons, r.missing, r.error, r.decision));
             return out;
           },
           py::arg("inputs"), py::arg("options"), py::arg("threads") = 0);

  // A folder of packs (or one file) as a PackSet: select() is the CLI's version choice by date.
  // eligo.batch (docs/batch.md): the same engine as `eligo batch`, files in and out, the GIL released while it
  // runs (re-acquired only to call `progress`). Returns the summary JSON; ValueError for bad options, OSError
  // for an unusable input or output (nothing is written then).
  m.def("batch",
        [](const eligo::Pack& pack, const std::vector<std::string>& inputs, const std::string& out, const Options& o,
           const std::map<std::string, std::string>& x, const std::vector<std::string>& joins, py::object progress) {
          eligo::batch::Options b;
          b.inputs = inputs;
          b.joins = joins;
          b.out = out;
          b.eval = to_eval_options(o);
          if (!b.eval.as_of) b.eval.as_of = eligo::today_cst();
          b.bind = to_bind_options(o);
          b.clear_pii = o.clear_pii;
          const auto get = [&](const char* k) {
            const auto it = x.find(k);
            return it == x.end() ? std::string() : it->second;
          };
          if (!get("input_format").empty()) {
            const auto f = eligo::records::parse_format(get("input_format"));
            if (!f) throw py::value_error("input_format is 'jsonl', 'json', 'csv' or 'xlsx'");
            b.read.format = *f;
          }
          if (!get("encoding").empty()) b.read.encoding = get("encoding");
          b.read.sheet = get("sheet");
          b.key = get("key");
          b.id_hash_key = get("id_hash_key");
          b.by = get("by");
          b.format = get("format");
          b.summary_json = get("summary");
          if (!get("only").empty()) {
            bool found = false;
            for (int v = 0; v < 4; ++v)
              if (get("only") == eligo::verdict_name(static_cast<eligo::Verdict>(v))) {
                b.only = static_cast<eligo::Verdict>(v);
                found = true;
              }
            if (!found) throw py::value_error("only is 'eligible', 'ineligible', 'needs_evidence' or 'error'");
          }
          const std::string dup = get("duplicates").empty() ? "hold" : get("duplicates");
          if (dup == "hold") b.duplicates = eligo::batch::Duplicates::hold;
          else if (dup == "first") b.duplicates = eligo::batch::Duplicates::first;
          else if (dup == "off") b.duplicates = eligo::batch::Duplicates::off;
          else throw py::value_error("duplicates is 'hold', 'first' or 'off'");
          if (!get("threads").empty()) b.threads = static_cast<unsigned>(std::stoul(get("threads")));
          b.payout.path = get("payout_orders");
          b.payout.amount = get("amount");
          b.payout.policy = get("policy");
          b.payout.period = get("period");
          b.payout.name = get("payee_name");
          b.payout.account = get("account");
          b.payout.community = get("community");
          if (!get("created").empty()) {
            b.payout.created = eligo::Date::parse(get("created"));
            if (!b.payout.created) throw py::value_error("created must be a date written YYYY-MM-DD");
          }
          if (!progress.is_none())
            b.progress = [progress](const eligo::batch::Progress& p) {
              py::gil_scoped_acquire gil;
              py::dict d;
              d["rows"] = p.rows;
              d["bytes"] = p.bytes;
              d["total_bytes"] = p.total_bytes;
              d["seconds"] = p.seconds;
              d["done"] = p.done;
              progress(d);
            };
          eligo::batch::Summary summary;
          std::string error;
          bool ok = false;
          {
            py::gil_scoped_release nogil;
            ok = eligo::batch::run(pack, b, &summary, &error);
          }
          if (!ok) {
            PyErr_SetString(PyExc_OSError, error.c_str());
            throw py::error_already_set();
          }
          return summary.to_json();
        });

  py::class_<eligo::PackSet>(m, "PackSet")
      .def_property_readonly("packs", &eligo::PackSet::packs)
      .def_property_readonly("ids", &eligo::PackSet::ids)
      .def("select",
           [](const eligo::PackSet& set, const std::string& id, std::optional<std::string> as_of) {
             std::optional<eligo::Date> day = eligo::today_cst();
             if (as_of) {
               day = eligo::Date::parse(*as_of);
               if (!day) throw py::value_error("as_of must be a date written YYYY-MM-DD, got '" + *as_of + "'");
             }
             std::string why;
             const eligo::Pack* p = set.select(id, *day, &why);
             if (!p) throw py::key_error(why);
             return *p;
           },
           py::arg("id"), py::arg("as_of") = py::none());
  m.def("load_set", [](const std::string& path, const std::string& lang) {
    eligo::CompileOptions options;
    options.lang = lang;
    eligo::PackSet set;
    eligo::Diagnostics diags;
    const bool ok = set.load(path, &diags, options);
    py::list list;
    for (const auto& d : diags.items) list.append(diagnostic_dict(d));
    py::object native = ok ? py::cast(std::move(set)) : py::none();
    return py::make_tuple(native, list, diags.to_string());
  }, py::arg("path"), py::arg("lang") = "");
  m.def("compile_file", [](const std::string& path, const std::string& lang) {
    eligo::CompileOptions options;
    options.lang = lang;
    return compile_result(eligo::compile_file(path, options));
  }, py::arg("path"), py::arg("lang") = "");
  m.def("compile_text", [](const std::string& text, const std::string& name, const std::string& lang) {
    eligo::CompileOptions options;
    options.lang = lang;
    return compile_result(eligo::compile_text(text, name, options));
  });
  m.def("id_check", [](const std::string& text, std::optional<std::string> as_of) {
    eligo::identity::IdOptions opt;
    if (as_of) {
      opt.as_of = eligo::Date::parse(*as_of);
      if (!opt.as_of) throw py::value_error("as_of must be YYYY-MM-DD");
    }
    const auto c = eligo::identity::check_id(text, opt);
    py::dict d;
    d["kind"] = eligo::identity::to_string(c.kind);
    d["valid"] = c.valid();
    d["problem"] = eligo::identity::to_string(c.problem);
    d["reason"] = eligo::identity::describe(c, "en");
    d["canonical"] = c.valid() ? std::string(c.canonical()) : std::string();
    d["birth_date"] = c.birth_date ? c.birth_date->to_string() : std::string();
    d["sex"] = eligo::identity::to_string(c.sex);
    d["region"] = c.region;
    d["region_name"] = eligo::identity::region_name(c.region);
    return d;
  });
  m.def("mask", [](const std::string& kind, const std::string& text) {
    using eligo::identity::PiiKind;
    PiiKind k;
    if (kind == "id_number") k = PiiKind::id_number;
    else if (kind == "bank_card") k = PiiKind::bank_card;
    else if (kind == "mobile") k = PiiKind::mobile;
    else if (kind == "name") k = PiiKind::name;
    else throw py::value_error("kind must be 'id_number', 'bank_card', 'mobile' or 'name'");
    return eligo::identity::mask(k, text);
  });
  m.def("reconcile", [](const std::string& request_json) {
    // The same request as the C API's eligo_reconcile; the heavy work runs without the GIL.
    eligo::payout::FilesRequest r;
    const auto req = py::module_::import("json").attr("loads")(request_json).cast<py::dict>();
    auto get = [&](const char* k) { return req.contains(k) ? req[k].cast<std::string>() : std::string(); };
    r.orders = get("orders");
    r.bank = get("bank");
    r.out_dir = get("out");
    r.registry = get("registry");
    r.exclusions = get("exclude");
    std::string error;
    if (req.contains("mapping")) {
      const std::string mapping = py::module_::import("json").attr("dumps")(req["mapping"]).cast<std::string>();
      if (!eligo::payout::parse_mapping(mapping, &r.mapping, &error)) throw py::value_error("mapping: " + error);
    }
    if (req.contains("cutoff") && !req["cutoff"].is_none()) {
      r.options.cutoff = eligo::Date::parse(req["cutoff"].cast<std::string>());
      if (!r.options.cutoff) throw py::value_error("cutoff must be YYYY-MM-DD");
    }
    if (req.contains("window")) r.options.fallback_window_days = req["window"].cast<int>();
    if (req.contains("fallback")) r.options.fallback = req["fallback"].cast<bool>();
    if (req.contains("clear_pii")) r.options.clear_pii = req["clear_pii"].cast<bool>();
    if (req.contains("workbook")) r.write.workbook = req["workbook"].cast<bool>();
    eligo::payout::FilesResult out;
    bool ok;
    {
      py::gil_scoped_release nogil;
      ok = eligo::payout::reconcile_files(r, &out, &error);
    }
    if (!ok) throw py::value_error(error);
    py::dict rows;
    rows["orders"] = out.orders.rows;
    rows["bank"] = out.bank.rows;
    rows["registry"] = out.registry.rows;
    rows["exclusions"] = out.exclusions.rows;
    return py::make_tuple(rows, out.summary_json);
  });
  m.def("rank", [](const std::string& spec_json, std::string rows_json) {
    // eligo::admission::rank_json, as the C API's eligo_rank; the ranking runs without the GIL.
    std::string out, error;
    bool ok;
    {
      py::gil_scoped_release nogil;
      ok = eligo::admission::rank_json(spec_json, std::move(rows_json), &out, &error);
    }
    if (!ok) throw py::value_error(error);
    return out;
  });
  m.def("names_match", &eligo::identity::names_match);
  m.def("normalize_name", &eligo::identity::normalize_name);
}
