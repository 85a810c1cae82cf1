"""Evaluate a Dask DataFrame partition by partition on a cluster (dask.dataframe.map_partitions).

    from distributed import Client
    import dask.dataframe as dd, eligo.dask
    client = Client("tcp://scheduler:8786")          # or LocalCluster() on one machine
    ddf = dd.read_csv("applicants-*.csv")             # columns "group.field"
    results = eligo.dask.evaluate("rules/gz-points", ddf, as_of="2024-05-01")
    results.to_parquet("decisions/")

Every worker compiles the pack once (cached per process by path and modification time), so the pack path
must be readable on every worker (a shared file system, or the same path in each container). Results have
the columns eligo.BATCH_COLUMNS and the input's index, identical to Pack.evaluate_batch on one machine.
"""
from __future__ import annotations

import functools
import os

import eligo


@functools.lru_cache(maxsize=16)
def _pack(path: str, mtime: float) -> "eligo.Pack":
    return eligo.load(path)


def _as_of_text(as_of) -> str:
    """The evaluation date as YYYY-MM-DD; None means today in China Standard Time, as in the C++ API."""
    import datetime as dt
    if as_of is None:
        return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=8)).date().isoformat()
    if isinstance(as_of, dt.datetime):
        return as_of.date().isoformat()
    if isinstance(as_of, dt.date):
        return as_of.isoformat()
    return str(as_of)


def _resolve(pack_path: str, as_of) -> str:
    """A folder of versions: the version in force on as_of with the latest start wins (PackSet::select's rule)."""
    if not os.path.isdir(pack_path):
        return pack_path
    day = _as_of_text(as_of)
    best, best_from = None, None
    for name in sorted(os.listdir(pack_path)):
        if not name.endswith(".pack.json"):
            continue
        path = os.path.join(pack_path, name)
        pack = _pack(path, os.path.getmtime(path))
        start, until = pack.effective_from or "0000-00-00", pack.effective_until or "9999-99-99"
        if start <= day <= until and (best is None or start > best_from):
            best, best_from = path, start
    if best is None:
        raise ValueError(f"no version of the pack in {pack_path} is in force on {day}")
    return best


def _evaluate_partition(df, pack_path: str, options: dict):
    path = _resolve(pack_path, options.get("as_of"))
    if "as_of" in options:
        options = dict(options, as_of=_as_of_text(options["as_of"]))
    pack = _pack(path, os.path.getmtime(path))
    return pack.evaluate_batch(df, threads=1, **options)


def evaluate(pack_path: str, ddf, **options):
    """Lazily evaluates every row of `ddf`; `options` are those of Pack.evaluate_batch (as_of, lang, mode…)."""
    import pandas as pd

    # The result's columns depend on the pack (its indicators and outputs): the same call on an empty frame.
    meta = _evaluate_partition(ddf._meta, os.path.abspath(pack_path), dict(options))
    meta = pd.DataFrame({c: pd.Series(dtype="object") for c in meta.columns})
    return ddf.map_partitions(_evaluate_partition, os.path.abspath(pack_path), options, meta=meta)


# ─── eligo batch on a cluster ───────────────────────────────────────────────────────────────────────────

def _person(text) -> str:
    """The canonical ID (15→18, full-width, lower-case x) that finds one person written two ways; "" for none."""
    if text is None or (isinstance(text, float) and text != text) or str(text).strip() == "":
        return ""
    c = eligo.id_check(str(text))
    return c["canonical"] or str(text).strip()


def _batch_partition(df, pack_path: str, options: dict, key: str, clear_pii: bool):
    import pandas as pd

    r = _evaluate_partition(df, pack_path, dict(options))
    person = df[key].map(_person) if key else pd.Series([""] * len(df), index=df.index)
    out = pd.DataFrame(index=df.index)
    out["person"] = person
    out["key"] = person if clear_pii else person.map(lambda p: eligo.mask("id_number", p) if p else "")
    out["verdict"] = r["verdict"]
    out["failed_check"] = [f.split("; ")[0] if v == "ineligible" and f else "" for v, f in zip(r["verdict"], r["failed"])]
    out["reason"] = [x.split("; ")[0] if v == "ineligible" and x else "" for v, x in zip(r["verdict"], r["reasons"])]
    out["missing"] = r["missing"]
    for c in r.columns:
        if c == "total" or c.startswith("points.") or c.startswith("output."):
            out[c] = [None if v is None else str(v) for v in r[c]]
    return out


def batch(pack_path: str, ddf, *, key: str | None = None, clear_pii: bool = False, duplicates: str = "hold",
          **options):
    """`eligo batch` on a Dask DataFrame, on the columnar route: each partition goes through
    Pack.evaluate_batch (columns read where they lie, no JSON per row) on whichever worker holds it.

    Returns (results, summary): `results` a Dask DataFrame with the input's index and the columns of
    `eligo batch`'s results file — key (masked unless clear_pii), verdict, failed_check, reason, missing,
    total, points.<id>, output.<name>, held_back — and `summary` a dict computed on the cluster (rows,
    verdicts, failed_checks, sums of numeric outputs over eligible rows, duplicates). `key` is the ID column
    (default: the first column whose name ends in "id_number"). The same person twice (after 15→18,
    full-width and lower-case x) is held back as `eligo batch` does: duplicates="hold" holds every eligible
    row of that person, "first" keeps the first (by index), "off" does not look. Finding them costs one pass
    over the data (computed here); the rest stays lazy. `options` are Pack.evaluate_batch's (as_of, lang…).
    """
    import decimal

    import pandas as pd

    if duplicates not in ("hold", "first", "off"):
        raise ValueError("duplicates is 'hold', 'first' or 'off'")
    if key is None:
        key = next((c for c in ddf.columns if str(c).endswith("id_number")), None)
    path = os.path.abspath(pack_path)
    meta = _batch_partition(ddf._meta, path, dict(options), key, clear_pii)
    meta = pd.DataFrame({c: pd.Series(dtype="object") for c in meta.columns})
    results = ddf.map_partitions(_batch_partition, path, options, key, clear_pii, meta=meta).persist()

    counts = results["person"].value_counts().compute()
    dup = set(p for p, n in counts.items() if p and n > 1) if duplicates != "off" else set()
    first = {}
    if duplicates == "first" and dup:
        rows = results[results["person"].isin(list(dup)) & (results["verdict"] == "eligible")]["person"].compute()
        for idx, p in sorted(rows.items(), key=lambda kv: kv[0]):
            first.setdefault(p, idx)

    def mark(part):
        part = part.copy()
        reason = "the same ID is on more than one row: " + ("all held back" if duplicates == "hold" else "only the first is paid")
        part["held_back"] = [reason if p in dup and v == "eligible" and first.get(p) != i else ""
                             for i, p, v in zip(part.index, part["person"], part["verdict"])]
        return part.drop(columns=["person"])

    meta2 = mark(meta.assign(person=pd.Series(dtype="object")))
    marked = results.map_partitions(mark, meta=meta2)

    verdicts = results["verdict"].value_counts().compute()
    failed = results[results["verdict"] == "ineligible"]["failed_check"].value_counts().compute()
    eligible = marked[marked["verdict"] == "eligible"]
    sums = {}
    for c in [c for c in meta.columns if c.startswith("output.")]:
        values = eligible[c].dropna().compute()
        try:
            sums[c[len("output."):]] = str(sum((decimal.Decimal(v) for v in values), decimal.Decimal(0)))
        except decimal.InvalidOperation:
            pass  # not a number in every row: not summed, as in eligo batch
    held = int((marked["held_back"] != "").sum().compute())
    summary = {"rows": int(verdicts.sum()),
               "verdicts": {v: int(verdicts.get(v, 0)) for v in ("eligible", "ineligible", "needs_evidence", "error")},
               "failed_checks": {k: int(n) for k, n in sorted(failed.items())},
               "sums": sums,
               "duplicates": {"ids": len(dup), "rows": int(sum(counts[p] for p in dup)), "held_back": held}}
    return marked, summary
