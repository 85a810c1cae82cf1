#!/usr/bin/python3
"""Residents for tests/batch/seasonal.pack.json, with an answer key: what each row must come out as.

    gen_residents.py --rows N --seed S --out DIR [--bad K] [--dups D] [--formats csv,jsonl,xlsx]

Writes DIR/residents.csv (and .jsonl / .xlsx with the same rows) and DIR/answer_key.json:
{"rows": [{"line": CSV line, "index": i, "id": canonical ID, "verdict": ..., "failed": ..., "amount": ...,
"community": ..., "rejected": bool, "data_error": bool}, ...]} (the same "id" twice is a duplicate). Every row's fate:
- eligible: a certificate held on or before the season's first day (2024-04-01), amount by kind;
- ineligible: no certificate (check `certificate`), or one from a later day (check `held_on_first_day`);
- needs_evidence: the certificate date left empty;
- rejected: a row with a cell too many (CSV) or not JSON (JSON Lines); left out of the xlsx;
- needs_evidence with a data error: an unknown certificate kind;
- duplicates: the same person again, written in another form of the same ID (15 digits, lower-case x,
  full-width digits), so only normalisation can tell.
"""
import argparse
import json
import os
import random

AS_OF = "2024-04-01"
AMOUNT = {"tekun": "1500.00", "dibao": "1000.50", "dibao_edge": "500.25"}
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_char(first17):
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, W)) % 11]


def make_id(rng, used):
    while True:
        year = rng.randint(1940, 1999)
        body = f"{rng.choice(['110105', '440106', '330106', '430102'])}{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
        full = body + check_char(body)
        if full not in used:
            used.add(full)
            return full


def other_form(rng, full):
    """The same ID written differently: 15 digits (no century, no check) when it can be, lower-case x,
    or full-width digits."""
    forms = []
    if full[6:8] == "19":
        forms.append(full[:6] + full[8:17])
    if full.endswith("X"):
        forms.append(full[:17] + "x")
    forms.append("".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in full))
    return rng.choice(forms)


def generate(rows, seed, bad, dups):
    rng = random.Random(seed)
    used = set()
    people = []
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    for i in range(rows):
        people.append({"id": make_id(rng, used), "name": rng.choice(surnames) + rng.choice("伟芳娜敏静丽强磊军洋") * rng.randint(1, 2),
                       "community": f"C{rng.randint(1, 5):02d}"})
    out = []
    bad_at = set(rng.sample(range(rows), min(bad, rows)))
    dup_pairs = []
    for i, p in enumerate(people):
        kind = rng.choices(["tekun", "dibao", "dibao_edge", "none"], [1, 3, 2, 2])[0]
        r = {"id_number": p["id"], "name": p["name"], "community": p["community"], "certificate": kind,
             "certificate_from": f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
        fate = {"id": p["id"], "community": p["community"], "rejected": False, "failed": None, "amount": None}
        roll = rng.random()
        if kind == "none":
            fate["verdict"], fate["failed"] = "ineligible", "certificate"
        elif roll < 0.08:
            r["certificate_from"] = ""
            fate["verdict"] = "needs_evidence"
        elif roll < 0.16:
            r["certificate_from"] = "2024-04-02"
            fate["verdict"], fate["failed"] = "ineligible", "held_on_first_day"
        else:
            fate["verdict"], fate["amount"] = "eligible", AMOUNT[kind]
        if i in bad_at:
            if i % 2 and kind != "none":
                # not in the enum: a data error; the check reading it needs evidence, the row is still decided
                r["certificate"] = "platinum"
                fate.update(verdict="needs_evidence", failed=None, amount=None, data_error=True)
            else:
                fate["reject"] = "width"  # a cell too many (CSV), not JSON (JSON Lines): a rejected row
                fate["rejected"] = True
                fate["verdict"] = None
        out.append((r, fate))
    # The same person again, later in the file, in another form of the ID (never a rejected row).
    candidates = [i for i, (_, f) in enumerate(out) if not f["rejected"]]
    for _ in range(dups):
        i = rng.choice(candidates)
        r, f = out[i]
        r2 = dict(r, id_number=other_form(rng, r["id_number"]))
        pos = rng.randint(i + 1, len(out))
        out.insert(pos, (r2, dict(f)))
        candidates = [k for k, (_, ff) in enumerate(out) if not ff["rejected"]]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bad", type=int, default=0)
    ap.add_argument("--dups", type=int, default=0)
    ap.add_argument("--formats", default="csv,jsonl")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rows = generate(a.rows, a.seed, a.bad, a.dups)
    cols = ["id_number", "name", "community", "certificate", "certificate_from"]
    formats = a.formats.split(",")
    key = []
    with open(os.path.join(a.out, "residents.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(",".join(cols) + "\n")
        for n, (r, fate) in enumerate(rows):
            line = ",".join(r[c] for c in cols)
            if fate.get("reject") == "width":
                line += ",extra"
            f.write(line + "\n")
            key.append(dict(fate, line=n + 2, index=n))
    if "jsonl" in formats:
        with open(os.path.join(a.out, "residents.jsonl"), "w", encoding="utf-8") as f:
            for r, fate in rows:
                obj = {c: (r[c] if r[c] != "" else None) for c in cols}
                if fate.get("reject") == "width":
                    f.write('{"id_number": "' + r["id_number"] + '", \n')  # not JSON: the line is rejected
                else:
                    f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    if "xlsx" in formats:
        import openpyxl
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "residents"
        ws.append(cols)
        for r, fate in rows:
            cells = [r[c] if r[c] != "" else None for c in cols]
            if fate.get("reject") == "width":
                continue  # an xlsx row cannot be too wide: left out (the answer key says so)
            ws.append(cells)
        wb.save(os.path.join(a.out, "residents.xlsx"))
    with open(os.path.join(a.out, "answer_key.json"), "w", encoding="utf-8") as f:
        json.dump({"as_of": AS_OF, "rows": key}, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
