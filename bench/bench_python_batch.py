"""TARGETS P8: Pack.evaluate_batch over 1 M rows, excluding DataFrame construction.

    PYTHONPATH=build/python /usr/bin/python3 bench/bench_python_batch.py [ROWS]

Reports, as medians of three runs: the native batch (JSON text in, decision JSON out, GIL released, all
cores) and the whole DataFrame → DataFrame path. Checks a sample of totals against a pure-Python version of
the same rules before timing."""
import datetime as dt
import json
import os
import statistics
import sys
import time

import pandas as pd

import eligo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
AS_OF = dt.date(2024, 5, 1)
EDU = ["none", "high_school", "associate", "bachelor_plus"]


def by_hand(r):
    def years(a, b):
        return b.year - a.year - ((b.month, b.day) < (a.month, a.day))

    def months(a, b):
        return (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)

    birth, permit = dt.date.fromisoformat(r["a.birth_date"]), dt.date.fromisoformat(r["a.permit_since"])
    age = years(birth, AS_OF)
    total = 8 * (months(permit, AS_OF) // 12) + min(20, 5 * r["a.rent_years"]) + [0, 10, 20, 30][EDU.index(r["a.education"])]
    total += 30 if 18 <= age <= 40 else max(0, 30 - 2 * (age - 40)) if age > 40 else 0
    total += min(10, 2 * r["a.si_years"]) + min(10, 2 * (r["a.volunteer_hours"] // 50))
    return max(0, total)


def main():
    pack = eligo.load(os.path.join(ROOT, "bench/packs/points6.pack.json"))
    x = 0x9E3779B97F4A7C15
    rows = []
    for i in range(ROWS):
        x = (x * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
        v = x >> 16
        rows.append({"a.birth_date": f"{1960 + v % 46}-{1 + v // 46 % 12:02d}-{1 + v // 552 % 28:02d}",
                     "a.permit_since": f"{2005 + v // 7 % 20}-{1 + v // 11 % 4:02d}-{1 + v // 13 % 28:02d}",
                     "a.education": EDU[v // 17 % 4], "a.rent_years": v // 19 % 9, "a.si_years": v // 23 % 11,
                     "a.volunteer_hours": v // 29 % 601})
    df = pd.DataFrame(rows)
    sample = pack.evaluate_batch(df.head(2000), as_of=AS_OF)
    for r, total in zip(rows[:2000], sample["total"]):
        assert total == by_hand(r), (r, total)
    texts = [json.dumps({"a": {k[2:]: v for k, v in r.items()}}) for r in rows]
    opts = eligo._options(AS_OF)

    def timed(fn):
        times = []
        for _ in range(3):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    native = timed(lambda: pack._native.evaluate_batch(texts, opts, 0))
    whole = timed(lambda: pack.evaluate_batch(df, as_of=AS_OF))
    columnar = "numbers" in pack.evaluate_batch.__doc__
    text = timed(lambda: pack.evaluate_batch(df, as_of=AS_OF, numbers="text")) if columnar else None
    print(f"rows={ROWS} cores={os.cpu_count()}")
    print(f"native batch (JSON text in/out, GIL released): {native:.2f} s  {ROWS / native / 1e3:.0f} k rows/s")
    print(f"DataFrame -> DataFrame:                         {whole:.2f} s  {ROWS / whole / 1e3:.0f} k rows/s")
    if text is not None:
        print(f"DataFrame -> DataFrame, numbers as text:        {text:.2f} s  {ROWS / text / 1e3:.0f} k rows/s")


if __name__ == "__main__":
    main()
