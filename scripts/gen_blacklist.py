#!/usr/bin/python3
"""Generates a synthetic credit blacklist (CSV or JSON Lines) for eligo blacklist import.

Every ID number is valid, distinct and fictitious (made from a permutation of region x birth date x sequence,
with the GB 11643 check character); some are written in their 15-digit legacy form. The file can hold
deliberately bad rows and duplicate listings, and the script prints the exact counts an import must report:

    scripts/gen_blacklist.py --rows 1000000 --bad-every 1000 --dup-every 500 --out /tmp/list.csv
    → rows 1003000: expect loaded 1000000, rejected 1000, merged 2000 (sample listed 110101…, unlisted …)

Standard library only (runs on /usr/bin/python3).
"""
import argparse
import datetime
import json
import random
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
REGIONS = ["110101", "110105", "310101", "310115", "320102", "330106", "440103", "440304", "510104", "610104",
           "650102", "420111", "370202", "210102", "500103", "120101"]
SOURCES = ["市中级人民法院", "市税务局", "市市场监督管理局", "市人力资源和社会保障局", "市住房和城乡建设局",
           "市公安局", "市医疗保障局", "市教育局"]
REASONS = [("SX01", "失信被执行人"), ("SW02", "重大税收违法失信主体"), ("SC03", "严重违法失信企业法定代表人"),
           ("RS04", "拖欠农民工工资"), ("ZF05", "骗取住房保障"), ("GA06", "提供虚假材料"),
           ("YB07", "欺诈骗取医保基金"), ("JY08", "考试作弊")]
SCOPE_TEXT = ["points", "school_admission", "points;school_admission", "housing", "subsidy;points", "*"]
FIRST_DAY = datetime.date(1950, 1, 1)
BLACKLIST_DAY0 = datetime.date(2015, 1, 1)
DAYS = 20000           # birth dates 1950-01-01 … 2004-10-04
SPACE = len(REGIONS) * DAYS * 1000
STEP = 2654435761      # coprime with SPACE: i -> i * STEP mod SPACE is a permutation


BIRTHS = [(FIRST_DAY + datetime.timedelta(days=d)).strftime("%Y%m%d") for d in range(DAYS)]
ISO = [(BLACKLIST_DAY0 + datetime.timedelta(days=d)).isoformat() for d in range(3650 + 365 * 6)]
DIGIT = {str(d): d for d in range(10)}


def check_char(first17):
    return CHECK[sum(DIGIT[c] * w for c, w in zip(first17, WEIGHTS)) % 11]


def person(i):
    """The i-th distinct ID number (18 characters) and its birth year."""
    n = (i * STEP + 12345) % SPACE
    region, rest = divmod(n, DAYS * 1000)
    day, seq = divmod(rest, 1000)
    first17 = "%s%s%03d" % (REGIONS[region], BIRTHS[day], seq)
    return first17 + check_char(first17), int(BIRTHS[day][:4])


def legacy15(id18):
    return id18[:6] + id18[8:17]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1000, help="good, distinct listings (default 1000)")
    p.add_argument("--out", required=True, help="output file ('-' for standard output)")
    p.add_argument("--format", choices=["csv", "jsonl"], default=None, help="default: by the file's extension")
    p.add_argument("--bad-every", type=int, default=0, help="after every N good rows, add one bad row")
    p.add_argument("--dup-every", type=int, default=0, help="after every N good rows, repeat a listing (merged)")
    p.add_argument("--legacy-every", type=int, default=7, help="write every N-th ID in its 15-digit form (0: never)")
    p.add_argument("--seed", type=int, default=2024)
    a = p.parse_args()
    fmt = a.format or ("jsonl" if a.out.endswith((".jsonl", ".json", ".ndjson")) else "csv")
    if a.rows > SPACE:
        sys.exit("at most %d rows" % SPACE)
    rng = random.Random(a.seed)
    out = sys.stdout if a.out == "-" else open(a.out, "w", encoding="utf-8", newline="")

    def write(row):
        if fmt == "csv":
            out.write(",".join(row[k] for k in FIELDS) + "\n")
        else:
            out.write(json.dumps({k: v for k, v in row.items() if v != ""}, ensure_ascii=False) + "\n")

    FIELDS = ["id_number", "scopes", "reason_code", "reason_text", "source", "listed_on", "from", "until"]
    if fmt == "csv":
        out.write(",".join(FIELDS) + "\n")
    bad = dup = 0
    last = None
    for i in range(a.rows):
        id18, birth = person(i)
        shown = id18
        if a.legacy_every and i % a.legacy_every == 3 and birth < 2000:
            shown = legacy15(id18)
        r = rng.random()
        if i == 0:  # the sample: every scope, in effect from 2020-01-01 with no end
            scopes, listed, frm, until = "*", "2020-01-01", "", ""
        else:
            scopes = SCOPE_TEXT[int(r * 1e6) % len(SCOPE_TEXT)]
            d = int(r * 1e9) % 3650
            listed = ISO[d]
            frm = "" if (int(r * 1e7) % 10) < 6 else ISO[d + int(r * 1e11) % 30]
            until = "" if (int(r * 1e8) % 10) < 3 else ISO[d + 365 * (1 + int(r * 1e10) % 5)]
        code, text = REASONS[int(r * 1e12) % len(REASONS)]
        row = {"id_number": shown, "scopes": scopes, "reason_code": code, "reason_text": text,
               "source": SOURCES[int(r * 1e13) % len(SOURCES)], "listed_on": listed, "from": frm, "until": until}
        write(row)
        last = row
        if a.dup_every and (i + 1) % a.dup_every == 0:  # the same listing again, another scope: merged
            again = dict(last)
            again["scopes"] = "housing" if last["scopes"] != "housing" else "points"
            write(again)
            dup += 1
        if a.bad_every and (i + 1) % a.bad_every == 0:
            broken = dict(last)
            kind = bad % 4
            if kind == 0:
                broken["id_number"] = id18[:17] + ("1" if id18[17] != "1" else "2")  # wrong check character
            elif kind == 1:
                broken["listed_on"] = "2024-02-30"
            elif kind == 2:
                broken["source"] = ""
            else:
                broken["id_number"] = id18[:10]  # too short
            write(broken)
            bad += 1
    if out is not sys.stdout:
        out.close()
    outsider, _ = person(a.rows)  # distinct from every listed ID
    print("rows %d: expect loaded %d, rejected %d, merged %d (sample listed %s, unlisted %s)"
          % (a.rows + bad + dup, a.rows, bad, dup, person(0)[0], outsider), file=sys.stderr if a.out == "-" else sys.stdout)


if __name__ == "__main__":
    main()
