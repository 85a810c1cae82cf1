"""eligo.dask on a real distributed.LocalCluster with two worker processes: results equal the
single-process ones row for row."""
import json

import pandas as pd
import pytest

import eligo
import eligo.dask

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


def test_dask_results_equal_single_process_results(root):
    with open(root / "examples/applicants/gz-points.jsonl", encoding="utf-8") as f:
        applicants = [json.loads(line) for line in f if line.strip()]
    rows = []
    for i in range(240):  # the samples, repeated, with varied permit dates
        a = json.loads(json.dumps(applicants[i % len(applicants)]))
        a["applicant"]["permit_since"] = f"{2010 + i % 12}-0{1 + i % 9}-01"
        rows.append({f"applicant.{k}": (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
                     for k, v in a["applicant"].items()})
    df = pd.DataFrame(rows)
    # lists travel as JSON text in a flat table: decode them back per row
    for col in df.columns:
        if df[col].map(lambda v: isinstance(v, str) and v[:1] in "[{").all():
            df[col] = df[col].map(json.loads)

    pack_dir = str(root / "rules/gz-points")
    expected = eligo.load(root / "rules/gz-points/gz-points-2021.pack.json").evaluate_batch(df, as_of="2024-05-01")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        ddf = dd.from_pandas(df, npartitions=6)
        got = eligo.dask.evaluate(pack_dir, ddf, as_of="2024-05-01").compute()
        assert len(client.scheduler_info()["workers"]) == 2
    got = got.sort_index()
    assert list(got.index) == list(expected.index)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert set(got["verdict"]) == {"eligible"}
    assert got["total"].map(lambda t: t > 0).all()
