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


def _resolve(pack_path: str, as_of) -> str:
    """A folder of versions: the file in force on as_of is chosen by loading each (cheap: packs compile in ms)."""
    if not os.path.isdir(pack_path):
        return pack_path
    files = sorted(os.path.join(pack_path, f) for f in os.listdir(pack_path) if f.endswith(".pack.json"))
    if len(files) == 1 or as_of is None:
        return files[-1]
    import json
    for f in files:
        with open(f, encoding="utf-8") as fh:
            eff = json.load(fh).get("effective", {})
        if eff.get("from", "0000") <= str(as_of) <= eff.get("until", "9999"):
            return f
    return files[-1]


def _evaluate_partition(df, pack_path: str, options: dict):
    path = _resolve(pack_path, options.get("as_of"))
    pack = _pack(path, os.path.getmtime(path))
    return pack.evaluate_batch(df, threads=1, **options)


def evaluate(pack_path: str, ddf, **options):
    """Lazily evaluates every row of `ddf`; `options` are those of Pack.evaluate_batch (as_of, lang, mode…)."""
    import pandas as pd

    meta = pd.DataFrame({c: pd.Series(dtype="object") for c in eligo.BATCH_COLUMNS})
    return ddf.map_partitions(_evaluate_partition, os.path.abspath(pack_path), options, meta=meta)
