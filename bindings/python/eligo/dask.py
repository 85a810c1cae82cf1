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
