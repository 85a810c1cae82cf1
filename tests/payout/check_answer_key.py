#!/usr/bin/python3
"""End-to-end check of `eligo reconcile` against the answer key of scripts/gen_payout.py.

Generates files, reconciles them, and checks: every order and record has exactly the class the key gives
(every injected fault found, nothing else); the rejected rows are exactly the injected bad rows (file, line,
field); rows in = classified + rejected; auto-claim matches; the workbook opens in openpyxl with a summary
sheet and one sheet per class whose rows agree with the CSV; no full ID number or card appears anywhere in
the outputs; a second run gives byte-identical files.

usage: check_answer_key.py ELIGO SOURCE_DIR WORK_DIR [generator args...]
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def main():
    eligo, source, work = sys.argv[1], sys.argv[2], sys.argv[3]
    gen_args = sys.argv[4:]
    shutil.rmtree(work, ignore_errors=True)
    data = os.path.join(work, "data")
    subprocess.run([sys.executable, os.path.join(source, "scripts", "gen_payout.py"), "--out", data] + gen_args,
                   check=True)
    # The generated inputs hold the synthetic numbers in clear by intent (the R8 scan, tests/r8_scan.py).
    with open(os.path.join(data, ".r8-clear"), "w") as f:
        f.write("*\n")
    key = json.load(open(os.path.join(data, "answer_key.json"), encoding="utf-8"))

    def reconcile(out):
        p = subprocess.run([eligo, "reconcile", "--orders", os.path.join(data, "orders.csv"),
                            "--bank", os.path.join(data, "bank.csv"), "--mapping", os.path.join(data, "mapping.json"),
                            "--cutoff", key["cutoff"], "--registry", os.path.join(data, "registry.csv"),
                            "--exclude", os.path.join(data, "exclusions.csv"), "--out", out],
                           capture_output=True, text=True)
        if p.returncode != 0:
            fail("eligo reconcile exited %d: %s" % (p.returncode, p.stderr))
        return p.stdout

    out = os.path.join(work, "out")
    stdout = reconcile(out)
    orders = list(csv.DictReader(open(os.path.join(out, "orders.csv"), encoding="utf-8")))
    records = list(csv.DictReader(open(os.path.join(out, "records.csv"), encoding="utf-8")))
    got_orders = {o["order_no"]: o["class"] for o in orders}
    got_records = {r["serial_no"]: r["class"] for r in records}
    for side, got, want in (("order", got_orders, key["orders"]), ("record", got_records, key["records"])):
        wrong = [(k, want.get(k), got.get(k)) for k in sorted(set(got) | set(want)) if got.get(k) != want.get(k)]
        if wrong:
            fail("%d %ss classified differently from the key, e.g. %s" % (len(wrong), side, wrong[:10]))
    rejected = list(csv.DictReader(open(os.path.join(out, "rejected.csv"), encoding="utf-8")))
    got_rej = sorted((r["side"], int(r["row"]), r["field"]) for r in rejected)
    want_rej = sorted((r["file"], r["line"], r["field"]) for r in key["rejected"])
    if got_rej != want_rej:
        fail("rejected rows %s, expected %s" % (got_rej, want_rej))
    # rows in = classified + rejected, for each input file
    for name, side, n_classified in (("orders.csv", "orders", len(orders)), ("bank.csv", "bank", len(records))):
        enc = "utf-8"
        if side == "bank":
            enc = json.load(open(os.path.join(data, "mapping.json"), encoding="utf-8"))["bank"]["encoding"]
        rows = sum(1 for _ in csv.reader(open(os.path.join(data, name), encoding=enc, newline=""))) - 1
        n_rej = sum(1 for r in rejected if r["side"] == side)
        if rows != n_classified + n_rej:
            fail("%s: %d rows in, %d classified + %d rejected" % (name, rows, n_classified, n_rej))
    unclaimed = sorted(o["order_no"] for o in orders if o["claim"] == "unclaimed")
    if unclaimed != key["unclaimed"]:
        fail("unclaimed orders differ: %s" % sorted(set(unclaimed) ^ set(key["unclaimed"]))[:10])
    for o in orders:
        if o["claim"] == "registry" and key["communities"].get(o["order_no"]) != o["community"]:
            fail("order %s claimed by %s, expected %s" % (o["order_no"], o["community"], key["communities"].get(o["order_no"])))
    summary = json.load(open(os.path.join(out, "summary.json"), encoding="utf-8"))
    for cls, t in summary["orders"]["by_class"].items():
        if t["count"] != sum(1 for c in got_orders.values() if c == cls):
            fail("summary.json count of %s orders" % cls)

    # No clear ID number (18 characters with a valid check character) or full card in any output.
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    for name in sorted(os.listdir(out)):
        if name.endswith(".xlsx"):
            continue
        text = open(os.path.join(out, name), encoding="utf-8").read()
        for m in re.finditer(r"(?<![0-9])([0-9]{17}[0-9X])(?![0-9])", text):
            n = m.group(1)
            if "10X98765432"[sum(int(c) * w for c, w in zip(n[:17], weights)) % 11] == n[17]:
                fail("%s holds a clear ID number" % name)
        if re.search(r"(?<![0-9])6214[0-9]{15}(?![0-9])", text):
            fail("%s holds a clear card number" % name)

    import openpyxl
    wb = openpyxl.load_workbook(os.path.join(out, "reconciliation.xlsx"), read_only=True)
    names = wb.sheetnames
    classes = ["paid", "repaid", "amount_mismatch", "payee_mismatch", "duplicate_payment", "payee_ineligible",
               "failed", "missing", "orphan_record", "after_cutoff"]
    if not names[0].startswith("summary"):
        fail("first sheet is %s" % names[0])
    for cls in classes:
        sheet = [n for n in names if n.split(" ")[0] == cls]
        if len(sheet) != 1:
            fail("no sheet for %s in %s" % (cls, names))
        rows = list(wb[sheet[0]].iter_rows(values_only=True))
        ids = [r[0] for r in rows if r and r[0] and re.match(r"^(P[OD]|B)[0-9]", str(r[0]))]
        want = sorted([k for k, c in got_orders.items() if c == cls] + [k for k, c in got_records.items() if c == cls])
        if sorted(ids) != want:
            fail("sheet %s has %d items, the CSV %d" % (sheet[0], len(ids), len(want)))
        for r in rows:
            for v in r or ():
                if isinstance(v, str) and re.search(r"(?<![0-9])6214[0-9]{15}(?![0-9])", v):
                    fail("workbook sheet %s holds a clear card number" % sheet[0])
    summary_rows = list(wb[names[0]].iter_rows(values_only=True))
    paid_row = [r for r in summary_rows if r and r[0] == "paid"][0]
    if paid_row[2] != sum(1 for c in got_orders.values() if c == "paid"):
        fail("workbook summary paid count %s" % (paid_row[2],))

    # Running again gives byte-identical files.
    out2 = os.path.join(work, "out2")
    if reconcile(out2) != stdout.replace(out, out2):
        fail("the second run printed something else")
    for name in sorted(os.listdir(out)):
        if open(os.path.join(out, name), "rb").read() != open(os.path.join(out2, name), "rb").read():
            fail("%s differs between two runs" % name)
    print("ok: %d orders, %d records, %d rejected rows, %d sheets" % (len(orders), len(records), len(rejected), len(names)))


if __name__ == "__main__":
    main()
