"""eligo.batch runs the engine of `eligo batch`: the same files byte for byte, the summary as a dict, progress,
errors as exceptions with nothing written. eligo.dask.batch takes the columnar route on a real LocalCluster
and agrees with it."""
import csv
import decimal
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

import eligo
import eligo.dask


def generate(root, tmp_path, **kw):
    out = tmp_path / "data"
    args = [sys.executable, str(root / "tests/batch/gen_residents.py"), "--out", str(out), "--formats", "csv"]
    for k, v in kw.items():
        args += ["--" + k, str(v)]
    subprocess.run(args, check=True)
    return out, json.loads((out / "answer_key.json").read_text(encoding="utf-8"))["rows"]


def test_batch_writes_what_the_command_writes(root, tmp_path):
    data, key = generate(root, tmp_path, rows=3000, seed=4, bad=3, dups=4)
    pack = root / "tests/batch/seasonal.pack.json"
    seen = []
    s = eligo.batch(str(pack), data / "residents.csv", tmp_path / "py", as_of="2024-04-01", by="community",
                    payout_orders=str(tmp_path / "py-orders.csv"), amount="amount", policy="siji", period="2024-Q2",
                    created="2024-04-02", progress=seen.append)
    cli = os.environ.get("ELIGO_CLI") or str(root / "build/src/cli/eligo")
    if os.path.exists(cli):
        subprocess.run([cli, "batch", str(pack), "--input", str(data / "residents.csv"), "--out", str(tmp_path / "cli"),
                        "--as-of", "2024-04-01", "--by", "community", "--payout-orders", str(tmp_path / "cli-orders.csv"),
                        "--amount", "amount", "--policy", "siji", "--period", "2024-Q2", "--created", "2024-04-02",
                        "--progress", "off"], capture_output=True)
        for name in ["results.csv", "rejected.csv"]:
            assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()
        assert (tmp_path / "py-orders.csv").read_bytes() == (tmp_path / "cli-orders.csv").read_bytes()
    assert s["rows"] == len(key) and s["results"] + s["rejected"] == s["rows"]
    assert s["rejected"] == sum(1 for k in key if k["rejected"])
    assert s["verdicts"]["eligible"] == sum(1 for k in key if k["verdict"] == "eligible")
    total = sum((decimal.Decimal(k["amount"]) for k in key if k["verdict"] == "eligible"), decimal.Decimal(0))
    assert decimal.Decimal(s["sums"]["amount"]) == total
    assert s["duplicates"]["ids"] == 4
    assert s == json.loads((tmp_path / "py/summary.json").read_text(encoding="utf-8"))
    assert seen and seen[-1]["done"] and seen[-1]["rows"] == len(key)


def test_batch_errors_are_exceptions_and_write_nothing(root, tmp_path):
    pack = eligo.load(root / "tests/batch/seasonal.pack.json")
    with pytest.raises(OSError, match="missing.csv"):
        eligo.batch(pack, tmp_path / "missing.csv", tmp_path / "out", as_of="2024-04-01")
    assert not any((tmp_path / "out").iterdir()) if (tmp_path / "out").exists() else True
    with pytest.raises(ValueError, match="duplicates is"):
        eligo.batch(pack, tmp_path / "missing.csv", tmp_path / "out", duplicates="twice")


def test_dask_batch_on_a_local_cluster_agrees_with_eligo_batch(root, tmp_path):
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    data, key = generate(root, tmp_path, rows=1200, seed=8, bad=0, dups=5)
    pack = root / "tests/batch/seasonal.pack.json"
    expected = eligo.batch(str(pack), data / "residents.csv", tmp_path / "one", as_of="2024-04-01")
    with open(tmp_path / "one/results.csv", encoding="utf-8", newline="") as f:
        want = list(csv.DictReader(f))
    df = pd.read_csv(data / "residents.csv", dtype=str, keep_default_na=False).replace({"": None})
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        ddf = dd.from_pandas(df, npartitions=5)
        results, summary = eligo.dask.batch(str(pack), ddf, as_of="2024-04-01")
        got = results.compute().sort_index()
        assert len(client.scheduler_info()["workers"]) == 2
    assert len(got) == len(want)
    assert list(got["key"]) == [w["key"] for w in want]
    assert list(got["verdict"]) == [w["verdict"] for w in want]
    assert list(got["failed_check"]) == [w["failed_check"] for w in want]
    assert [v or "" for v in got["output.amount"]] == [w["output.amount"] for w in want]
    assert [bool(h) for h in got["held_back"]] == [bool(w["held_back"]) for w in want]
    assert summary["verdicts"] == expected["verdicts"]
    assert summary["failed_checks"] == expected["failed_checks"]
    assert summary["sums"] == expected["sums"]
    assert summary["duplicates"] == {"ids": expected["duplicates"]["ids"], "rows": expected["duplicates"]["rows"],
                                     "held_back": expected["duplicates"]["held_back"]}
