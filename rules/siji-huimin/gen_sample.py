#!/usr/bin/python3
"""Synthetic sample data for the 四季惠民 pack (rules/siji-huimin): residents and a certificates table.

    /usr/bin/python3 rules/siji-huimin/gen_sample.py --out /tmp/siji --residents 2000 --season 2024-Q2

writes, deterministically (the same arguments give the same bytes):
  residents.csv        id_number,name,community,hukou_district,bank_card — the district-wide list
  certificates.csv     id_number,kind,from,to — the civil-affairs relief certificates (民政持证记录)
  certificates.sqlite  the same rows in table `certificates` (for `--join ...=certificates.sqlite:certificates:id_number`)
  expected.json        what the pack must decide, computed here independently of eligo: verdict counts,
                       amounts (the pack's EXAMPLE amounts), certificate rows without a resident, duplicates

Two more steps of the seasonal run, for scripts/demo:
  --check SUMMARY      compares `eligo batch`'s summary.json with expected.json in --out (exit 1 when they differ)
  --bank-for ORDERS    writes --out/bank.csv, the paying bank's file for those payout orders: each order paid
                       once, two days after it was issued, except the first, returned (退票) and then paid
                       again, and the last, never paid — what `eligo reconcile` is there to catch

Every person is made up: names from a short list, ID numbers valid GB 11643 numbers (MOD 11-2 check
character, real district codes of 杭州, birth dates that exist), bank cards 19 digits with a Luhn digit.
The data holds what real exports hold: certificate keys written as 15-digit legacy numbers, with a
lower-case x or in full-width digits; certificates of people not on the residents list; a certificate row
without an ID; residents registered in another district; one eligible resident listed twice.
"""
import argparse
import datetime
import json
import os
import random
import sqlite3

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
DISTRICT = "330106"                      # the pack's let.district (an example code, 杭州市西湖区)
OTHER_DISTRICTS = ["330102", "330105"]   # 上城区, 拱墅区
COMMUNITIES = ["翠苑一区", "文新街道", "古荡街道", "西溪街道", "北山街道", "灵隐街道"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林郑"
GIVEN = ["秀英", "桂英", "建国", "志强", "玉兰", "海燕", "国强", "丽华", "晓东", "静", "伟", "敏", "磊", "婷"]
# The pack's EXAMPLE amounts (its dated parameters amount_*), in fen, each from the date it takes effect;
# the season's first day chooses them.
AMOUNTS_FROM = [(datetime.date(2024, 1, 1), {"tekun": 60000, "dibao": 50000, "dibao_edge": 30000}),
                (datetime.date(2025, 7, 1), {"tekun": 65000, "dibao": 54000, "dibao_edge": 33000})]


def amounts_on(start):
    found = [a for since, a in AMOUNTS_FROM if since <= start]
    if not found:
        raise SystemExit("the pack's amounts have no value before %s: choose a later --season" % AMOUNTS_FROM[0][0])
    return found[-1]
RANK = {"tekun": 3, "dibao": 2, "dibao_edge": 1}


def check_char(first17):
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def luhn_digit(partial):
    total = 0
    for i, c in enumerate(reversed(partial)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def season_start(season):
    year, q = season.split("-Q")
    return datetime.date(int(year), 3 * (int(q) - 1) + 1, 1)


def check(out, summary_path):
    with open(os.path.join(out, "expected.json"), encoding="utf-8") as f:
        e = json.load(f)
    with open(summary_path, encoding="utf-8") as f:
        s = json.load(f)
    join = s["joins"][0] if s.get("joins") else {}
    pairs = [
        ("rows", e["residents"], s["rows"]),
        ("eligible", e["eligible"], s["verdicts"]["eligible"]),
        ("ineligible", e["ineligible"], s["verdicts"]["ineligible"]),
        ("failed household", e["failed"]["household"], s["failed_checks"].get("household", 0)),
        ("failed certificate", e["failed"]["certificate"], s["failed_checks"].get("certificate", 0)),
        ("amount", e["eligible_amount"], s["sums"].get("amount")),
        ("certificate rows", e["certificate_rows"], join.get("rows")),
        ("certificate rows without a key", e["certificate_rows_without_key"], join.get("missing_key")),
        ("certificate rows without a resident", e["certificate_rows_without_resident"], join.get("unmatched_rows")),
        ("duplicated IDs", e["duplicate_ids"], s.get("duplicates", {}).get("ids")),
    ]
    if s.get("payout_orders"):  # both rows of the duplicated person are held back (the default)
        pairs.append(("payout orders", e["eligible"] - (2 if e["duplicate_id_eligible"] else 0),
                      s["payout_orders"]["orders"]))
    bad = [(n, want, got) for n, want, got in pairs if want != got]
    for n, want, got in bad:
        print("MISMATCH %s: the generator expects %s, eligo batch says %s" % (n, want, got))
    if not bad:
        print("eligo batch agrees with the generator's own count: %d eligible, %s yuan (example amounts), "
              "%d certificate rows without a resident, %d without a key"
              % (e["eligible"], e["eligible_amount"], e["certificate_rows_without_resident"],
                 e["certificate_rows_without_key"]))
    return 1 if bad else 0


def bank_for(out, orders_path):
    import csv
    with open(orders_path, encoding="utf-8", newline="") as f:
        orders = list(csv.DictReader(f))
    with open(os.path.join(out, "bank.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["serial_no", "order_no", "payee_id", "account", "name", "amount", "status", "value_date"])
        serial = 0
        for i, o in enumerate(orders):
            if i == len(orders) - 1 and i > 0:
                continue  # never paid
            paid = (datetime.date.fromisoformat(o["created"]) + datetime.timedelta(days=2)).isoformat()
            if i == 0:
                serial += 1
                w.writerow(["B%07d" % serial, o["order_no"], o["payee_id"], "", o["payee_name"], o["amount"],
                            "退票", paid])
                paid = (datetime.date.fromisoformat(paid) + datetime.timedelta(days=5)).isoformat()
            serial += 1
            w.writerow(["B%07d" % serial, o["order_no"], o["payee_id"], "", o["payee_name"], o["amount"],
                        "success", paid])
    print("%s: %d orders; the first returned and paid again, the last not paid"
          % (os.path.join(out, "bank.csv"), len(orders)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="folder for the files (created)")
    ap.add_argument("--residents", type=int, default=1000)
    ap.add_argument("--season", default="2024-Q2", help="YYYY-Qn: the season the certificates are drawn around")
    ap.add_argument("--seed", type=int, default=20240401)
    ap.add_argument("--check", metavar="SUMMARY", help="compare eligo batch's summary.json with expected.json")
    ap.add_argument("--bank-for", metavar="ORDERS", help="write bank.csv paying these payout orders")
    a = ap.parse_args()
    if a.check:
        raise SystemExit(check(a.out, a.check))
    if a.bank_for:
        bank_for(a.out, a.bank_for)
        return
    rng = random.Random(a.seed)
    start = season_start(a.season)
    AMOUNTS = amounts_on(start)
    os.makedirs(a.out, exist_ok=True)

    used = set()

    def new_id(region):
        while True:
            born = datetime.date(1935, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 70))
            first17 = region + born.strftime("%Y%m%d") + "%03d" % rng.randrange(0, 1000)
            id18 = first17 + check_char(first17)
            if id18 not in used:
                used.add(id18)
                return id18

    def day(lo, hi):
        return start + datetime.timedelta(days=rng.randrange(lo, hi))

    residents, certificates = [], []
    expected = {"season": a.season, "season_start": start.isoformat(), "residents": 0, "eligible": 0,
                "ineligible": 0, "failed": {"household": 0, "certificate": 0},
                "eligible_by_kind": {"tekun": 0, "dibao": 0, "dibao_edge": 0}, "eligible_amount": "0.00",
                "certificate_rows": 0, "certificate_rows_without_resident": 0,
                "certificate_rows_without_key": 1, "duplicate_ids": 1,
                "note": "amounts are the pack's EXAMPLE amounts"}
    amount_fen = 0
    eligible_rows = []
    for i in range(a.residents):
        district = DISTRICT if rng.random() < 0.9 else rng.choice(OTHER_DISTRICTS)
        id18 = new_id(district)
        card = "621700" + "".join(str(rng.randrange(10)) for _ in range(12))
        residents.append([id18, rng.choice(SURNAMES) + rng.choice(GIVEN), rng.choice(COMMUNITIES), district,
                          card + luhn_digit(card)])
        # About a third hold certificates; some several, some ended before the season or starting after it.
        held = []
        for _ in range(rng.choice([0, 0, 0, 0, 1, 1, 2])):
            kind = rng.choice(["dibao", "dibao", "dibao_edge", "tekun"])
            r = rng.random()
            if r < 0.6:
                frm, to = day(-2000, 0), (None if rng.random() < 0.7 else day(0, 200))   # held on the first day
            elif r < 0.8:
                frm, to = day(-2000, -400), day(-399, 0) - datetime.timedelta(days=1)   # ended before it
            else:
                frm, to = day(1, 80), None                                              # starts after it
            certificates.append([id18, kind, frm, to])
            if frm <= start and (to is None or to >= start):
                held.append(kind)
        if district != DISTRICT:
            expected["failed"]["household"] += 1
        elif held:
            top = max(held, key=RANK.get)
            expected["eligible"] += 1
            expected["eligible_by_kind"][top] += 1
            amount_fen += AMOUNTS[top]
            eligible_rows.append(i)
        else:
            expected["failed"]["certificate"] += 1
    # One eligible resident listed twice (the same person in two communities' lists): decided twice, and by
    # default held back from the payout orders both times.
    dup = list(residents[eligible_rows[len(eligible_rows) // 2] if eligible_rows else len(residents) // 2])
    dup[2] = COMMUNITIES[(COMMUNITIES.index(dup[2]) + 1) % len(COMMUNITIES)]
    residents.append(dup)
    twice = [c for c in certificates if c[0] == dup[0]]
    held = [c[1] for c in twice if c[2] <= start and (c[3] is None or c[3] >= start)]
    if dup[3] != DISTRICT:
        expected["failed"]["household"] += 1
    elif held:
        top = max(held, key=RANK.get)
        expected["eligible"] += 1
        expected["eligible_by_kind"][top] += 1
        amount_fen += AMOUNTS[top]
    else:
        expected["failed"]["certificate"] += 1
    expected["duplicate_id_eligible"] = bool(held) and dup[3] == DISTRICT
    # Certificates of people not on the list (moved away, died): rows without a resident.
    for _ in range(max(3, a.residents // 50)):
        certificates.append([new_id(DISTRICT), "dibao", day(-900, -1), None])
        expected["certificate_rows_without_resident"] += 1
    expected["residents"] = len(residents)
    expected["ineligible"] = expected["failed"]["household"] + expected["failed"]["certificate"]
    expected["eligible_amount"] = "%d.%02d" % divmod(amount_fen, 100)

    # The key as other systems write it: 15-digit legacy form, lower-case x, full-width digits.
    def written(id18):
        r = rng.random()
        if r < 0.1 and id18[6:8] == "19":
            return id18[:6] + id18[8:17]
        if r < 0.15:
            return id18.replace("X", "x") if id18.endswith("X") else id18
        if r < 0.2:
            return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in id18)
        return id18

    rows = [[written(c[0]), c[1], c[2].isoformat(), c[3].isoformat() if c[3] else ""] for c in certificates]
    rows.insert(len(rows) // 3, ["", "dibao", start.isoformat(), ""])   # a row without an ID
    expected["certificate_rows"] = len(rows)

    with open(os.path.join(a.out, "residents.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("id_number,name,community,hukou_district,bank_card\n")
        for r in residents:
            f.write(",".join(r) + "\n")
    with open(os.path.join(a.out, "certificates.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("id_number,kind,from,to\n")
        for r in rows:
            f.write(",".join(r) + "\n")
    db = os.path.join(a.out, "certificates.sqlite")
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute('CREATE TABLE certificates (id_number TEXT, kind TEXT, "from" TEXT, "to" TEXT)')
    con.executemany("INSERT INTO certificates VALUES (?, ?, ?, ?)", [[c or None for c in r] for r in rows])
    con.commit()
    con.close()
    with open(os.path.join(a.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")
    print("%s: %d residents, %d certificate rows; expected %d eligible (%s yuan, example amounts)"
          % (a.out, len(residents), len(rows), expected["eligible"], expected["eligible_amount"]))


if __name__ == "__main__":
    main()
