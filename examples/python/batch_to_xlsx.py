"""Batch a CSV of applicants to an .xlsx report, with a progress bar on stderr.

    python3 batch_to_xlsx.py PACK APPLICANTS.csv REPORT.xlsx [--as-of YYYY-MM-DD] [--chunk N]

Columns are named "group.field"; cells holding JSON arrays or objects (lists of periods, patents…) are
decoded. The report has a sheet of decisions (one row per applicant, in input order) and a summary sheet
of counts per verdict. The workbook is written to a temporary file and renamed, so it is never half-written.
"""
import argparse
import json
import os
import sys

import pandas as pd

import eligo


def decode(cell):
    if isinstance(cell, str) and cell[:1] in "[{":
        try:
            return json.loads(cell)
        except ValueError:
            return cell
    return cell


def progress(done, total, width=30):
    if not sys.stderr.isatty() and done not in (0, total):
        return
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pack")
    ap.add_argument("csv")
    ap.add_argument("xlsx")
    ap.add_argument("--as-of", default=None)
    ap.add_argument("--chunk", type=int, default=10000)
    args = ap.parse_args()

    pack = eligo.load(args.pack)
    df = pd.read_csv(args.csv, dtype=str, keep_default_na=False).replace({"": None})
    df = df.apply(lambda col: col.map(decode))
    parts = []
    progress(0, len(df))
    for start in range(0, len(df), args.chunk):
        parts.append(pack.evaluate_batch(df.iloc[start:start + args.chunk], as_of=args.as_of, numbers="text"))
        progress(min(start + args.chunk, len(df)), len(df))
    out = pd.concat(parts) if parts else pd.DataFrame(columns=eligo.BATCH_COLUMNS)
    report = out.assign(total=out["total"].map(lambda t: "" if t is None else t))
    summary = out["verdict"].value_counts().rename_axis("verdict").reset_index(name="applicants")

    tmp = args.xlsx + ".tmp.xlsx"
    with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        report.to_excel(xl, sheet_name="decisions", index_label="row")
        summary.to_excel(xl, sheet_name="summary", index=False)
    os.replace(tmp, args.xlsx)
    print(f"{len(out)} applicants → {args.xlsx} ({pack.id} {pack.version})")


if __name__ == "__main__":
    main()
