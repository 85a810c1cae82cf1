"""Generated applicants for the Yuexiu grade-1 allocation example (made-up people, valid-shaped ID numbers).

usage: gen_applicants.py OUT_DIR [--count N] [--seed S]
writes OUT_DIR/points.jsonl      one record per applicant for rules/gz-points (the 2021 table)
       OUT_DIR/eligibility.jsonl the same applicants for rules/yuexiu-school (2021 eligibility)
       OUT_DIR/extra.csv         key, si_months (Yuexiu social insurance months), permit_since, preferences
Line i of each file is the same applicant; the key is an application number, never the ID number.
"""
import argparse
import csv
import datetime
import json
import os
import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "志强", "嘉怡", "俊杰"]
REGIONS = ["430181", "450881", "360730", "430102", "441402", "445102", "350583"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CUTOFF = datetime.date(2021, 3, 31)


def id_number(rng, birth):
    body = rng.choice(REGIONS) + birth.strftime("%Y%m%d") + "%03d" % rng.randint(1, 999)
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS[:17]))
    return body + "10X98765432"[total % 11]


def day(rng, start, end):
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def months(a, b):
    return max(0, (b.year - a.year) * 12 + b.month - a.month + (1 if b.day >= a.day else 0) - 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--seed", type=int, default=2021)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    points = open(os.path.join(args.out, "points.jsonl"), "w", encoding="utf-8")
    elig = open(os.path.join(args.out, "eligibility.jsonl"), "w", encoding="utf-8")
    extra = csv.writer(open(os.path.join(args.out, "extra.csv"), "w", encoding="utf-8", newline=""), lineterminator="\n")
    extra.writerow(["key", "si_months", "permit_since", "preferences"])
    for i in range(args.count):
        key = "YX2021-%04d" % (i + 1)
        birth = day(rng, datetime.date(1980, 1, 1), datetime.date(1995, 12, 31))
        pid = id_number(rng, birth)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        child_birth = day(rng, datetime.date(2014, 9, 1), datetime.date(2015, 10, 31))  # some too young
        permit_since = day(rng, datetime.date(2013, 1, 1), datetime.date(2020, 9, 30))
        yuexiu_permit = rng.random() < 0.85
        si_from = day(rng, datetime.date(2012, 1, 1), datetime.date(2020, 6, 30))
        si_yuexiu = rng.random() < 0.8
        home_from = day(rng, datetime.date(2014, 1, 1), datetime.date(2020, 9, 30))
        owned = rng.random() < 0.15
        registered = owned or rng.random() < 0.8
        district = "440104"
        kinds = ["pension", "medical", "unemployment", "injury", "maternity"]
        paid = kinds[: rng.choice([1, 3, 5, 5, 5])]
        points.write(json.dumps({"applicant": {
            "name": name, "id_number": pid, "birth_date": birth.isoformat(), "permit_since": permit_since.isoformat(),
            "housing": [{"kind": "owned" if owned else "rented", "district": district, "from": home_from.isoformat(), "to": None}],
            "social_insurance": [{"kind": k, "basis": "paid", "from": si_from.isoformat(), "to": None} for k in paid],
            "housing_fund": [{"from": si_from.isoformat(), "to": None}] if rng.random() < 0.4 else [],
            "education": rng.choice(["none", "high_school", "associate", "bachelor_plus"]),
            "skills": [], "patents": [], "honours": [], "volunteering": []}}, ensure_ascii=False) + "\n")
        lease_approved = home_from + datetime.timedelta(days=rng.randint(0, 40))
        elig.write(json.dumps({
            "applicant": {"name": name, "id_number": pid, "relation": rng.choice(["father", "mother"])},
            "child": {"name": name[0] + rng.choice(GIVEN), "id_number": id_number(rng, child_birth),
                      "birth_date": child_birth.isoformat(), "other_application": False},
            "residence_permit": {"permits": [{"district": "440104" if yuexiu_permit else "440106",
                                              "from": permit_since.isoformat(), "to": None}]},
            "housing": {"homes": [{"kind": "owned" if owned else "rented", "district": district, "from": home_from.isoformat(),
                                   "to": None, "lease_district": None if owned or not registered else district,
                                   "lease_approved": None if owned or not registered else lease_approved.isoformat()}]},
            "hrss": {"employment": [{"employer": "越秀区某公司", "district": "440104", "from": si_from.isoformat(), "to": None}],
                     "social_insurance": [{"kind": k, "district": "440104" if si_yuexiu else "440106",
                                           "from": si_from.isoformat(), "to": None} for k in paid]}},
            ensure_ascii=False) + "\n")
        schools = ["S01", "S02", "S03", "S04", "S05"]
        prefs = rng.sample(schools, rng.choice([1, 2, 3, 3]))
        if rng.random() < 0.5 and "S01" not in prefs:
            prefs[0:0] = ["S01"]  # the popular school
        extra.writerow([key, months(si_from, CUTOFF) if si_yuexiu else 0, permit_since.isoformat(), ";".join(prefs)])


if __name__ == "__main__":
    main()
