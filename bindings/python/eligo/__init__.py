"""eligo: rule packs compiled once, applicants evaluated many times.

    import eligo
    pack = eligo.load("rules/major-illness/major-illness.pack.json")      # eligo.RuleError on a broken pack
    rules = eligo.load("rules/gz-points")     # a folder: a PackSet, evaluate() picks the version in force on as_of
    r = pack.evaluate({"applicant": {...}}, as_of="2024-05-01", lang="zh-CN")
    r.verdict        # "eligible" | "ineligible" | "needs_evidence" | "error"
    r.reasons        # reasons of the failing checks, values filled in, PII masked
    r.score          # decimal.Decimal total for a points pack, else None
    r.items          # per-indicator breakdown (dicts with id, points as Decimal, how, department…)
    r.to_dict()      # the whole decision, as eligo's JSON

    df = pack.evaluate_batch(dataframe_or_list_of_dicts, as_of="2024-05-01")   # GIL released, all cores

A DataFrame's columns are named "group.field" ("applicant.birth_date"); NaN/None cells are missing facts.
Amounts and points are decimal.Decimal: never binary floating point.
"""
from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import json as _json
from typing import Any, Callable, Iterable, Mapping, Optional

from . import _eligo

__all__ = ["RuleError", "Pack", "PackSet", "Result", "Blacklist", "reconcile", "rank", "batch", "load", "compile", "id_check", "mask", "names_match", "normalize_name",
           "BATCH_COLUMNS"]

# The columns evaluate_batch always returns, in order; then "decision" when asked for, then one
# "points.<indicator>" column per indicator and one "output.<name>" column per output of the pack.
BATCH_COLUMNS = ["verdict", "total", "failed", "reasons", "missing", "error", "data_errors"]


class RuleError(Exception):
    """A rule pack has errors. `.diagnostics` lists them (dicts: code, severity, file, line, column, pointer,
    message, text); str() is every diagnostic formatted with its caret line."""

    def __init__(self, text: str, diagnostics: list):
        super().__init__(text)
        self.diagnostics = diagnostics


class Result:
    """One decision. Attributes are read from the decision JSON (`to_dict()`)."""

    def __init__(self, decision_json: str):
        self._json = decision_json
        self._d = _json.loads(decision_json, parse_float=_decimal.Decimal)

    @property
    def verdict(self) -> str:
        return self._d["verdict"]

    @property
    def reasons(self) -> list:
        return [c["reason"] for c in self._d["checks"] if c["status"] == "failed"]

    @property
    def failed(self) -> list:
        return [c["id"] for c in self._d["checks"] if c["status"] == "failed"]

    @property
    def missing(self) -> list:
        seen = []
        for c in self._d["checks"] + self._d.get("score", {}).get("items", []):
            for m in c.get("missing", []):
                if m not in seen:
                    seen.append(m)
        return seen

    @property
    def score(self) -> Optional[_decimal.Decimal]:
        s = self._d.get("score")
        return _decimal.Decimal(s["total"]) if s and self.verdict != "error" else None

    @property
    def items(self) -> list:
        items = []
        for it in self._d.get("score", {}).get("items", []):
            it = dict(it)
            it["points"] = _decimal.Decimal(it["points"])
            items.append(it)
        return items

    @property
    def outputs(self) -> dict:
        return {k: v.get("value") for k, v in self._d.get("outputs", {}).items()}

    @property
    def error(self) -> Optional[dict]:
        return self._d.get("error")

    @property
    def data_errors(self) -> list:
        return self._d.get("data_errors", [])

    def to_dict(self) -> dict:
        return _json.loads(self._json)

    def to_json(self) -> str:
        return self._json

    def __repr__(self) -> str:
        return f"<eligo.Result {self.verdict} {self._d['pack']['id']} {self._d['pack']['version']}>"


def _plain(value: Any) -> Any:
    """JSON-ready form of a cell: dates as YYYY-MM-DD, Decimals as exact strings, numpy scalars as Python."""
    if value is None or value is _PD_NA or value is _PD_NAT:
        return None
    if isinstance(value, _decimal.Decimal):
        return format(value, "f")  # plain notation: eligo does not read exponents (1E-7)
    if isinstance(value, (_dt.datetime,)):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if hasattr(value, "isoformat") and hasattr(value, "to_pydatetime"):  # pandas.Timestamp
        return value.to_pydatetime().date().isoformat()
    if isinstance(value, float):
        if value != value:  # NaN: a missing fact
            return None
        return _decimal.Decimal(repr(value))  # the shortest text that round-trips, not the binary value
    if hasattr(value, "item") and not isinstance(value, (list, dict, str, bytes)):  # numpy scalar
        return _plain(value.item())
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _missing_markers():
    try:
        import pandas as pd
        return pd.NA, pd.NaT
    except ImportError:  # pandas is optional for single evaluations
        return object(), object()


_PD_NA, _PD_NAT = _missing_markers()


def _encode(value: Any) -> Any:
    if isinstance(value, _decimal.Decimal):
        return format(value, "f")
    raise TypeError(f"cannot send {type(value).__name__} to eligo")


def _frame_to_json(df) -> list:
    """Each row of a DataFrame with "group.field" columns as applicant JSON; missing cells are left out.
    Column names are split once; plain strings and ints skip the per-cell conversion."""
    cols = []
    for key in df.columns:
        group, _, field = str(key).partition(".")
        cols.append((group, field) if field else (None, group))
    texts = []
    for values in df.itertuples(index=False, name=None):
        out: dict = {}
        for (group, field), value in zip(cols, values):
            if type(value) not in (str, int):
                value = _plain(value)
                if value is None:
                    continue
            if group is None:
                out[field] = value
            else:
                out.setdefault(group, {})[field] = value
        texts.append(_json.dumps(out, ensure_ascii=False, default=_encode))
    return texts


def _to_json(applicant: Any) -> str:
    if isinstance(applicant, (str, bytes)):
        return applicant.decode() if isinstance(applicant, bytes) else applicant
    return _json.dumps(_plain(applicant), ensure_ascii=False, default=_encode)


class Blacklist:
    """A credit blacklist snapshot (immutable) that rules consult with blacklisted(id, scope).

        bl = eligo.Blacklist.load("list.csv")              # or Blacklist.open_db("list.sqlite")
        bl.report                                          # rows, accepted, rejected, entries, errors (masked)
        bl.check("610104620927690", "points", "2024-05-01")  # matching entries, keys masked
        pack.evaluate(applicant, as_of=..., blacklist=bl)
    """

    def __init__(self, native, report=None):
        self._native = native
        self.report = report or {}

    @classmethod
    def load(cls, path: str, mapping: Optional[Mapping] = None) -> "Blacklist":
        native, report = _eligo.blacklist_load(str(path), None if mapping is None else _json.dumps(mapping))
        return cls(native, report)

    @classmethod
    def open_db(cls, path: str, hash_key: Optional[str] = None) -> "Blacklist":
        return cls(_eligo.blacklist_open_db(str(path), hash_key))

    version = property(lambda self: self._native.version)
    hash = property(lambda self: self._native.hash)

    def __len__(self) -> int:
        return len(self._native)

    def check(self, id_or_key: str, scope: str, as_of) -> list:
        if isinstance(as_of, (_dt.date, _dt.datetime)):
            as_of = as_of.strftime("%Y-%m-%d")
        return self._native.check(id_or_key, scope, as_of)


def _options(as_of=None, lang="zh-CN", mode=None, explain=False, clear_pii=False, blacklist=None, group=None,
             unknown_fields=None) -> "_eligo.Options":
    o = _eligo.Options()
    o.group = group or ""
    o.unknown_fields = unknown_fields
    o.blacklist = None if blacklist is None else blacklist._native
    if isinstance(as_of, (_dt.date, _dt.datetime)):
        as_of = as_of.strftime("%Y-%m-%d")
    o.as_of = as_of
    o.lang = lang
    o.mode = mode
    o.explain = explain
    o.clear_pii = clear_pii
    return o


class Pack:
    """A compiled rule pack: immutable, shareable between threads."""

    def __init__(self, native):
        self._native = native

    id = property(lambda self: self._native.id)
    version = property(lambda self: self._native.version)
    hash = property(lambda self: self._native.hash)
    file = property(lambda self: self._native.file)
    effective_from = property(lambda self: self._native.effective_from)    # "YYYY-MM-DD" or None
    effective_until = property(lambda self: self._native.effective_until)  # "YYYY-MM-DD" or None

    def evaluate(self, applicant: Any, *, as_of=None, lang: str = "zh-CN", mode: Optional[str] = None,
                 explain: bool = False, clear_pii: bool = False,
                 sources: Optional[Callable[[str, str, dict], Optional[Mapping]]] = None,
                 blacklist: Optional[Blacklist] = None, group: Optional[str] = None,
                 unknown_fields: Optional[str] = None) -> Result:
        """Evaluates one applicant (a dict of input groups, or its JSON text; with `group`, a flat record of
        that group). Keys the pack does not declare reject the input (verdict "error", E3004) unless
        unknown_fields is "warn" or "ignore" (docs/data-in.md).

        `sources(source, group, applicant_dict)` is called the first time the rules read a group declared
        with "source"; return the group's dict, or None when the source has no record."""
        callback = None
        if sources is not None:
            def callback(source: str, group: str, input_json: str) -> Optional[str]:
                got = sources(source, group, _json.loads(input_json))
                return None if got is None else _to_json(got)
        native = self._native.evaluate(_to_json(applicant),
                                       _options(as_of, lang, mode, explain, clear_pii, blacklist, group, unknown_fields),
                                       callback)
        return Result(native)

    def evaluate_batch(self, rows: Any, *, as_of=None, lang: str = "zh-CN", mode: Optional[str] = None,
                       explain: bool = False, clear_pii: bool = False, threads: int = 0,
                       blacklist: Optional[Blacklist] = None, group: Optional[str] = None,
                       unknown_fields: Optional[str] = None, decisions: bool = False, numbers: str = "decimal"):
        """Evaluates many applicants on all cores with the GIL released (docs/python.md, docs/data-in.md).

        `rows`: a pandas DataFrame or an iterable of dicts. A DataFrame's columns are read where they lie (no
        JSON per row): a column names a field of the record group (`group=`, or the pack's "record"), a
        "group.field", or a whole group as JSON text; string cells go through the documented coercions
        ("false", "2024/5/1", "1,200元"), NumPy numbers, booleans and dates are taken as they are. An unknown
        column raises ValueError with a suggestion unless unknown_fields="warn"/"ignore".

        Returns a DataFrame with the input's index: BATCH_COLUMNS, then "decision" (the decision JSON) when
        `decisions`, then "points.<id>" per indicator and "output.<name>" per output. `numbers`: "decimal"
        (decimal.Decimal, exact) or "text" for total and points."""
        import pandas as pd

        options = _options(as_of, lang, mode, explain, clear_pii, blacklist, group, unknown_fields)
        if numbers not in ("decimal", "text"):
            raise ValueError("numbers is 'decimal' or 'text'")
        if not isinstance(rows, pd.DataFrame):
            rows = list(rows)
            index = pd.RangeIndex(len(rows))
            out = self._native.evaluate_rows([_to_json(r) for r in rows], options, threads)
            frame = pd.DataFrame.from_records([tuple(r[:6]) + ("",) for r in out], index=index, columns=BATCH_COLUMNS)
            frame["data_errors"] = [_data_errors(r[6]) for r in out]
            if decisions:
                frame["decision"] = [r[6] for r in out]
            if numbers == "decimal":
                frame["total"] = [None if t is None else _decimal.Decimal(t) for t in frame["total"]]
            return frame
        names = [str(c) for c in rows.columns]
        if len(set(names)) != len(names):
            raise ValueError("the DataFrame has two columns with the same name")
        columns = [_column(rows.iloc[:, k]) for k in range(len(names))]
        got = self._native.evaluate_columns(names, columns, len(rows), options, threads, decisions)
        data = {c: got[c] for c in BATCH_COLUMNS}
        if decisions:
            data["decision"] = got["decision"]
        for k, v in got["points"].items():
            data["points." + k] = v
        for k, v in got["outputs"].items():
            data["output." + k] = v
        frame = pd.DataFrame(data, index=rows.index, columns=list(data.keys()))
        if numbers == "decimal":
            for c in ["total"] + ["points." + k for k in got["points"]]:
                frame[c] = [None if t is None else _decimal.Decimal(t) for t in frame[c]]
        return frame

    def __repr__(self) -> str:
        return f"<eligo.Pack {self.id} {self.version} sha256:{self.hash[:12]}>"


def _data_errors(decision_json: str) -> str:
    d = _json.loads(decision_json)
    return "\n".join(f"{e['code']} {e['path'] + ': ' if e['path'] else ''}{e['message']}" for e in d.get("data_errors", []))


def _column(series) -> tuple:
    """A DataFrame column as the native batch reads it: ("i"|"f"|"b", array), ("d", days, NaT mask) or
    ("o", object array) — NumPy buffers are read in place, without the GIL."""
    import numpy as np

    dtype = series.dtype
    if isinstance(dtype, np.dtype):
        if dtype == np.bool_:
            return ("b", np.ascontiguousarray(series.to_numpy(), dtype=np.bool_))
        if dtype.kind in "iu":
            return ("i", np.ascontiguousarray(series.to_numpy(), dtype=np.int64))
        if dtype.kind == "f":
            return ("f", np.ascontiguousarray(series.to_numpy(), dtype=np.float64))
        if dtype.kind == "M":
            values = series.to_numpy().astype("datetime64[D]")
            return ("d", np.ascontiguousarray(values.astype(np.int64)), np.ascontiguousarray(np.isnat(values)))
    return ("o", np.ascontiguousarray(series.to_numpy(dtype=object)))


def _finish(native, diagnostics, text) -> Pack:
    if native is None:
        raise RuleError(text, diagnostics)
    return Pack(native)


class PackSet:
    """Every version of the packs in a folder (eligo.load(folder)). evaluate() uses the version in force on
    `as_of`, as `eligo eval FOLDER --as-of DATE` does: the latest effective "from" among those in force wins.

        rules = eligo.load("rules/gz-points")                  # gz-points-2018 and gz-points-2021
        rules.select(as_of="2021-11-15").version                # "2018"
        rules.evaluate(applicant, as_of="2024-05-01").score     # scored by the 2021 version
    """

    def __init__(self, native, path: Optional[str] = None, lang: str = ""):
        self._native = native
        self._path = path
        self._lang = lang
        self.generation = 1

    def reload(self) -> list:
        """Compiles the folder again (a pack changed, was added or removed), as eligo-server does on SIGHUP.
        Only when every pack compiles does the new set replace this one's; otherwise RuleError, and this set
        keeps serving the packs it had. Packs selected before stay as they were. Returns the diagnostics
        (warnings) of the new set; `generation` counts successful loads."""
        native, diagnostics, text = _eligo.load_set(self._path, self._lang)
        if native is None:
            raise RuleError(text, diagnostics)
        self._native = native  # one reference swap: a thread that selected from the old set finishes on it
        self.generation += 1
        return diagnostics

    @property
    def packs(self) -> list:
        """Every compiled pack, in file-name order."""
        return [Pack(p) for p in self._native.packs]

    @property
    def ids(self) -> list:
        return self._native.ids

    def select(self, as_of=None, id: Optional[str] = None) -> Pack:  # noqa: A002 - the pack's id
        """The version in force on `as_of` (default: today in China Standard Time). `id` may be left out when
        the folder holds one pack id. KeyError says which versions exist when none is in force."""
        if id is None:
            ids = self.ids
            if len(ids) != 1:
                raise ValueError(f"the folder holds several pack ids ({', '.join(ids)}); name one with id=")
            id = ids[0]
        if isinstance(as_of, (_dt.date, _dt.datetime)):
            as_of = as_of.strftime("%Y-%m-%d")
        return Pack(self._native.select(id, as_of))

    def evaluate(self, applicant: Any, *, as_of=None, id: Optional[str] = None, **options) -> Result:  # noqa: A002
        """select(as_of, id).evaluate(applicant, as_of=as_of, ...): the options are Pack.evaluate's."""
        return self.select(as_of, id).evaluate(applicant, as_of=as_of, **options)

    def evaluate_batch(self, rows: Any, *, as_of=None, id: Optional[str] = None, **options):  # noqa: A002
        """select(as_of, id).evaluate_batch(rows, as_of=as_of, ...): one version for the whole batch."""
        return self.select(as_of, id).evaluate_batch(rows, as_of=as_of, **options)

    def __len__(self) -> int:
        return len(self._native.packs)

    def __repr__(self) -> str:
        return "<eligo.PackSet " + ", ".join(f"{p.id} {p.version}" for p in self._native.packs) + ">"


def load(path: str, *, lang: Optional[str] = None):
    """Compiles a .pack.json file into a Pack, or every *.pack.json file of a folder (and of its subfolders one
    level down: eligo.load("rules") is every bundled pack) into a PackSet (versions chosen by date; reload()
    compiles it again). Raises RuleError with every problem found in every file.

    `lang` ("zh-CN" or "en") words the diagnostics; None takes the locale (LC_ALL, LC_MESSAGES, LANG), and
    zh-CN when none is set. The codes are the same in both languages."""
    import os

    if os.path.isdir(path):
        native, diagnostics, text = _eligo.load_set(str(path), lang or "")
        if native is None:
            raise RuleError(text, diagnostics)
        return PackSet(native, str(path), lang or "")
    return _finish(*_eligo.compile_file(str(path), lang or ""))


def compile(text: str, name: str = "<memory>", *, lang: Optional[str] = None) -> Pack:  # noqa: A001 - the verb of the domain
    """Compiles pack JSON text; `name` names it in diagnostics and anchors relative table paths; `lang` as load()."""
    return _finish(*_eligo.compile_text(text, name, lang or ""))


def batch(pack, inputs, out, *, as_of=None, lang: str = "zh-CN", mode: Optional[str] = None,
          group: Optional[str] = None, unknown_fields: Optional[str] = None, blacklist: Optional[Blacklist] = None,
          input_format: Optional[str] = None, encoding: str = "utf-8", sheet: Optional[str] = None,
          key: Optional[str] = None, clear_pii: bool = False, id_hash_key: Optional[str] = None,
          only: Optional[str] = None, by: Optional[str] = None, duplicates: str = "hold", threads: int = 0,
          format: Optional[str] = None, summary: Optional[str] = None,  # noqa: A002 - the CLI's --format
          payout_orders: Optional[str] = None, amount: Optional[str] = None, policy: Optional[str] = None,
          period: Optional[str] = None, created=None, payee_name: Optional[str] = None, account: Optional[str] = None,
          community: Optional[str] = None, joins: Iterable[str] = (),
          progress: Optional[Callable[[dict], None]] = None) -> dict:
    """`eligo batch` from Python, on the same engine (docs/batch.md): record files in (CSV, JSON Lines, JSON,
    xlsx), results, rejected rows, the summary and payout orders out; the options are the command's, spelt
    with underscores (joins=["medical_insurance.stays=stays.csv:id_number"] for --join). `pack` is a Pack, a PackSet (the version in force on as_of) or a path. Returns the
    summary (summary.json's content: counts, sums as exact strings, duplicates, files written). ValueError
    for bad options; OSError when an input or output is unusable — nothing is written then.

        s = eligo.batch("rules/siji-huimin", "residents.csv", "out/", as_of="2024-04-01", by="community",
                        payout_orders="orders.csv", amount="amount", policy="siji-huimin", period="2024-Q2")
        s["verdicts"]["eligible"], s["sums"]["amount"], s["payout_orders"]["orders"]
    """
    import os

    if isinstance(pack, (str, os.PathLike)):
        pack = load(str(pack))
    if isinstance(pack, PackSet):
        pack = pack.select(as_of)
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    if isinstance(created, (_dt.date, _dt.datetime)):
        created = created.strftime("%Y-%m-%d")
    extra = {"input_format": input_format, "encoding": encoding, "sheet": sheet, "key": key,
             "id_hash_key": id_hash_key, "only": only, "by": by, "duplicates": duplicates,
             "threads": str(threads) if threads else None, "format": format, "summary": summary,
             "payout_orders": payout_orders, "amount": amount, "policy": policy, "period": period,
             "created": created, "payee_name": payee_name, "account": account, "community": community}
    extra = {k: str(v) for k, v in extra.items() if v is not None and v != ""}
    options = _options(as_of=as_of, lang=lang, mode=mode, clear_pii=clear_pii, blacklist=blacklist, group=group,
                       unknown_fields=unknown_fields)
    text = _eligo.batch(pack._native, [str(i) for i in inputs], str(out), options, extra, [str(j) for j in joins],
                        progress)
    return _json.loads(text)


def reconcile(*, orders: str, bank: str, out: str, registry: Optional[str] = None, exclude: Optional[str] = None,
              mapping: Optional[Mapping] = None, cutoff=None, window: Optional[int] = None, fallback: bool = True,
              clear_pii: bool = False, workbook: bool = True) -> dict:
    """Reconciles payout orders with bank payment records (files) and writes the report into `out`
    (docs/payout.md). Returns {"rows": {...}, "summary": {...summary.json...}}; ValueError for unusable input."""
    request = {"orders": str(orders), "bank": str(bank), "out": str(out), "fallback": fallback,
               "clear_pii": clear_pii, "workbook": workbook}
    if registry is not None:
        request["registry"] = str(registry)
    if exclude is not None:
        request["exclude"] = str(exclude)
    if mapping is not None:
        request["mapping"] = mapping
    if cutoff is not None:
        request["cutoff"] = cutoff.isoformat() if hasattr(cutoff, "isoformat") else str(cutoff)
    if window is not None:
        request["window"] = window
    rows, summary = _eligo.reconcile(_json.dumps(request))
    return {"rows": rows, "summary": _json.loads(summary, parse_float=_decimal.Decimal)}


def rank(spec, rows) -> dict:
    """School places by points (docs/admission.md): `spec` is the allocation spec (a dict or its JSON text),
    `rows` the applicants (a list of dicts with the columns the spec names, or JSON text). Returns {"placed",
    "placements": [...], "schools": [...], "rejected": [...]}, the same as eligo_rank in C and eligo rank's
    files. Decimal values are passed as their exact text. ValueError for a wrong spec (file:line:col /pointer),
    and for keys that are ID numbers (refused: the published lottery value would reveal them)."""
    spec_text = spec if isinstance(spec, str) else _json.dumps(spec, ensure_ascii=False)
    rows_text = rows if isinstance(rows, str) else _json.dumps(list(rows), ensure_ascii=False, default=str)
    return _json.loads(_eligo.rank(spec_text, rows_text))


def id_check(text: str, as_of: Optional[str] = None) -> dict:
    """Kind, validity, the reason (never the number), canonical form, birth date, sex and region of an ID."""
    return _eligo.id_check(text, as_of)


def mask(kind: str, text: str) -> str:
    """Masks for display: kind 'id_number', 'bank_card', 'mobile' or 'name'."""
    return _eligo.mask(kind, text)


def names_match(a: str, b: str) -> bool:
    return _eligo.names_match(a, b)


def normalize_name(text: str) -> str:
    return _eligo.normalize_name(text)
