"""Declared applicants and a source table for `eligo compare` at scale (P9): made-up people with valid-shaped
ID numbers, for the fixture pack tests/admission/compare/points.pack.json. About one applicant in five differs
from the source in one item (a later permit date, fewer months, another employer, a name spelt with a space),
one in fifty has no source row.

usage: gen_compare.py OUT_DIR --count N [--seed S]
writes OUT_DIR/declared.jsonl and OUT_DIR/source.csv (rows in a shuffled order)
"""
import argparse
import csv
import datetime
import json
import os
import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "志强"]
REGIONS = ["430181", "450881", "360730", "430102", "441402", "445102", "350583"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
EMPLOYERS = ["广州示例有限公司", "越秀示例商行", "示例物流有限公司", "示例餐饮店"]


def id_number(rng, birth, serial):
    body = rng.choice(REGIONS) + birth.strftime("%Y%m%d") + "%03d" % serial
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS))
    return body + "10X98765432"[total % 11]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=9)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    source = []
    seen = set()
    with open(os.path.join(a.out, "declared.jsonl"), "w", encoding="utf-8") as d:
        for i in range(a.count):
            while True:
                birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 25))
                key = id_number(rng, birth, rng.randint(1, 999))
                if key not in seen:
                    seen.add(key)
                    break
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            permit = datetime.date(2012, 1, 1) + datetime.timedelta(days=rng.randint(0, 3000))
            months = rng.randint(0, 120)
            employer = rng.choice(EMPLOYERS)
            c_from = datetime.date(2016, 1, 1) + datetime.timedelta(days=rng.randint(0, 1500))
            c_to = None if rng.random() < 0.3 else c_from + datetime.timedelta(days=rng.randint(365, 1500))
            d.write(json.dumps({"applicant": {
                "id_number": key, "name": name, "permit_since": permit.isoformat(), "si_months": months,
                "employer": employer, "contract_from": c_from.isoformat(),
                "contract_to": c_to.isoformat() if c_to else None}}, ensure_ascii=False) + "\n")
            if rng.random() < 0.02:
                continue
            s = [key, name, permit.isoformat(), months, employer, c_from.isoformat(), c_to.isoformat() if c_to else ""]
            change = rng.random()
            if change < 0.05:
                s[2] = (permit + datetime.timedelta(days=rng.randint(40, 400))).isoformat()
            elif change < 0.10:
                s[3] = max(0, months - rng.randint(1, 24))
            elif change < 0.15:
                s[4] = rng.choice(EMPLOYERS)
            elif change < 0.20:
                s[1] = name[0] + " " + name[1:]
            source.append(s)
    rng.shuffle(source)
    with open(os.path.join(a.out, "source.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id_number", "name", "permit_date", "si_months", "employer", "contract_from", "contract_to"])
        w.writerows(source)


if __name__ == "__main__":
    main()
