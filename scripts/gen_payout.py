#!/usr/bin/python3
"""Generates realistic payout test files for `eligo reconcile`, with known injected faults.

Writes into --out DIR:
  orders.csv        payout orders (兑付单), English column names, UTF-8
  bank.csv          the bank's payment file with Chinese column names (流水号, 兑付单号, …), amounts like
                    "5,000.00", dates like 20240305, statuses 成功/失败/退票; UTF-8 or GB18030 (--encoding)
  mapping.json      the column mapping for bank.csv (and its encoding)
  registry.csv      ID number → community code, with some payees left out (unclaimed orders)
  exclusions.csv    payees who must not be paid (deceased before the period)
  answer_key.json   the class every order and every bank record must get, the rejected rows (file, line,
                    field), the unclaimed orders and each order's community; omitted with --no-answer-key

Faults injected (each a share of the orders, --fault-rate in total): amount mismatch, two successes for
one order, the same payee paid under two orders for the same policy and period, failed, returned, failed
then repaid to a corrected account, paid-then-returned (退票) then repaid, a failure retried to the same
account (paid), missing (漏发), a record after the cut-off, payee mismatch, excluded payees, orphan records,
bank records without the order number (matched by payee, amount and date), bad rows, an exact repeated row.

Standard library only. Deterministic for a given --seed.
  /usr/bin/python3 scripts/gen_payout.py --orders 2000 --seed 7 --out /tmp/payout

Memory: rows are held as encoded lines (not dicts) until they are shuffled and written, about 700 bytes
per order in all (1 M orders: 673 MB and one minute; 10 M: about 7 GB and 10-15 minutes). Before it starts,
the generator compares that estimate with the memory available and refuses with a message rather than be
killed half-way by the kernel's OOM killer (which leaves no message at all); each file is written as
NAME.part and renamed when complete, so a run that dies anyway leaves no file that looks finished. Progress
goes to stderr.
"""
import argparse
import datetime
import json
import os
import random
import sys
import time

REGIONS = ["330102", "330105", "330106", "330108", "330109", "330110", "330111", "330112"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅琴云莲珍凤洁琳雪慧建国志文斌浩宇轩子涵欣怡梓晨"
FAIL_REASONS = ["账户不存在", "户名不符", "账户已冻结", "账户已销户", "卡号错误"]
POLICIES = {
    "major-illness": (["5000.00", "3000.00"], "2024-03"),
    "four-seasons": (["300.00", "500.00", "800.00"], "2024-Q1"),
}
COMMUNITIES = ["330106%03d" % i for i in range(1, 13)]
CUTOFF = datetime.date(2024, 3, 31)
WEIGHTS = [  # (fault, weight within the faulty share)
    ("amount_mismatch", 8), ("duplicate_same_order", 8), ("duplicate_other_order", 8), ("failed", 8),
    ("returned", 4), ("repaid", 8), ("returned_then_repaid", 4), ("retry_same_account", 4), ("missing", 8),
    ("after_cutoff", 4), ("payee_mismatch", 8), ("ineligible", 8), ("orphan", 8), ("fallback", 12),
]


def check_char(first17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(first17, weights))
    return "10X98765432"[total % 11]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.ids = set()
        self.accounts = set()

    def id_number(self):
        while True:
            born = datetime.date(1940, 1, 1) + datetime.timedelta(days=self.r.randrange(0, 60 * 365))
            first17 = "%s%s%03d" % (self.r.choice(REGIONS), born.strftime("%Y%m%d"), self.r.randrange(1, 1000))
            n = first17 + check_char(first17)
            if n not in self.ids:
                self.ids.add(n)
                return n

    def name(self):
        return self.r.choice(SURNAMES) + "".join(self.r.choice(GIVEN) for _ in range(self.r.choice([1, 2])))

    def account(self):
        while True:
            a = "6214" + "".join(self.r.choice("0123456789") for _ in range(15))
            if a not in self.accounts:
                self.accounts.add(a)
                return a


def money(text, delta="0"):
    # exact cents arithmetic on text amounts
    cents = int(text.replace(".", "")) + int(delta)
    return "%d.%02d" % (cents // 100, cents % 100)


def bank_amount(text, r):
    # "5,000.00" or "5000.00", as bank exports do
    if r.random() < 0.5 and float(text) >= 1000:
        whole, frac = text.split(".")
        return "{:,}".format(int(whole)) + "." + frac
    return text


BYTES_PER_ORDER = 800  # peak RSS per order measured at 1 M orders (673 MB), with a margin


def available_memory():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


class Discard(dict):
    """Stands in for the answer key's tables when no key is written: 10 M entries would cost gigabytes."""

    def __setitem__(self, key, value):
        pass

    def append(self, value):
        pass


def progress(start, what):
    print("gen_payout: %s (%.0f s)" % (what, time.time() - start), file=sys.stderr, flush=True)


def write_lines(path, lines, sep, encoding):
    """Writes sep.join(lines) + sep to path (lines are UTF-8 bytes) through path.part, renamed when done."""
    part = path + ".part"
    with open(part, "wb") as f:
        for i in range(0, len(lines), 65536):
            chunk = sep.join(lines[i:i + 65536]) + sep
            if encoding != "utf-8":
                chunk = chunk.decode("utf-8").encode(encoding)
            f.write(chunk)
    os.replace(part, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orders", type=int, default=2000, help="number of (first) orders")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--fault-rate", type=float, default=0.3, help="share of orders given a fault")
    ap.add_argument("--encoding", default="utf-8", choices=["utf-8", "gb18030"], help="of bank.csv")
    ap.add_argument("--bad-rows", type=int, default=3, help="bad rows injected into each input file")
    ap.add_argument("--no-answer-key", action="store_true")
    args = ap.parse_args()
    need, have = args.orders * BYTES_PER_ORDER, available_memory()
    if have is not None and need > have:
        sys.exit("gen_payout: %d orders need about %.1f GB of memory, %.1f GB is available: refusing rather "
                 "than be killed half-way (generate fewer orders, or free memory)" % (args.orders, need / 1e9, have / 1e9))
    os.makedirs(args.out, exist_ok=True)
    start = time.time()
    g = Gen(args.seed)
    r = g.r
    # Orders and records are kept as their encoded lines: a dict per row took ~2.4 KB, and 10 M orders
    # were killed by the OOM killer at 24 GB. A record keeps its amount apart (NUL-separated) because the
    # bank's "5,000.00" form is drawn when the shuffled file is written.
    order_cols = ["order_no", "policy", "period", "payee_id", "payee_name", "account", "amount", "created", "community"]
    status_text = {"success": "成功", "failed": "失败", "returned": "退票"}
    orders, records, exclusions, registry = [], [], [], []
    if args.no_answer_key:
        key_orders, key_records, communities, unclaimed = Discard(), Discard(), Discard(), Discard()
    else:
        key_orders, key_records, communities, unclaimed = {}, {}, {}, []
    serial = [0]

    def new_serial():
        serial[0] += 1
        return "B%010d" % serial[0]

    def rec(order_no, payee_id, account, name, amount, status, date, reason="", echo=True):
        s = new_serial()
        head = ",".join([s, order_no if echo else "", payee_id, account, name])
        tail = ",".join([status_text[status], date.strftime("%Y%m%d"), reason])
        records.append((head + "\0" + amount + "\0" + tail).encode("utf-8"))
        return s

    def order(o):
        orders.append(",".join(o[c] for c in order_cols).encode("utf-8"))

    faults = [f for f, _ in WEIGHTS]
    weights = [w for _, w in WEIGHTS]
    for i in range(args.orders):
        policy = r.choice(sorted(POLICIES))
        amounts, period = POLICIES[policy]
        payee, name, account = g.id_number(), g.name(), g.account()
        amount = r.choice(amounts)
        created = datetime.date(2024, 3, 1) + datetime.timedelta(days=r.randrange(0, 15))
        order_no = "PO%09d" % (i + 1)
        own_community = r.choice(COMMUNITIES) if r.random() < 0.3 else ""
        order({"order_no": order_no, "policy": policy, "period": period, "payee_id": payee,
               "payee_name": name, "account": account, "amount": amount,
               "created": created.isoformat() + " %02d:%02d:00" % (r.randrange(8, 18), r.randrange(60)),
               "community": own_community})
        # auto-claim: 95 % of payees are in the registry
        if r.random() < 0.95:
            c = r.choice(COMMUNITIES)
            registry.append(payee + "," + c)
            communities[order_no] = c
        else:
            unclaimed.append(order_no)
        paid_on = created + datetime.timedelta(days=r.randrange(0, 4))
        fault = r.choices(faults, weights)[0] if r.random() < args.fault_rate else "clean"
        if fault == "clean":
            s = rec(order_no, payee, account, name, amount, "success", paid_on)
            key_orders[order_no], key_records[s] = "paid", "paid"
        elif fault == "fallback":  # the bank does not echo the order number
            s = rec(order_no, payee, account, name, amount, "success", paid_on, echo=False)
            key_orders[order_no], key_records[s] = "paid", "paid"
        elif fault == "amount_mismatch":
            s = rec(order_no, payee, account, name, money(amount, r.choice(["10000", "-100", "1"])), "success", paid_on)
            key_orders[order_no], key_records[s] = "amount_mismatch", "amount_mismatch"
        elif fault == "duplicate_same_order":
            s1 = rec(order_no, payee, account, name, amount, "success", paid_on)
            s2 = rec(order_no, payee, account, name, amount, "success", paid_on + datetime.timedelta(days=1))
            key_orders[order_no] = "duplicate_payment"
            key_records[s1], key_records[s2] = "paid", "duplicate_payment"
        elif fault == "duplicate_other_order":
            s1 = rec(order_no, payee, account, name, amount, "success", paid_on)
            key_orders[order_no], key_records[s1] = "paid", "paid"
            dup_no = "PD%09d" % (i + 1)
            dup_created = created + datetime.timedelta(days=1)
            order({"order_no": dup_no, "policy": policy, "period": period, "payee_id": payee,
                   "payee_name": name, "account": account, "amount": amount,
                   "created": dup_created.isoformat(), "community": own_community})
            if order_no in communities:
                communities[dup_no] = communities[order_no]
            else:
                unclaimed.append(dup_no)
            s2 = rec(dup_no, payee, account, name, amount, "success", paid_on + datetime.timedelta(days=2))
            key_orders[dup_no], key_records[s2] = "duplicate_payment", "duplicate_payment"
        elif fault in ("failed", "returned"):
            s = rec(order_no, payee, account, name, amount, fault, paid_on, r.choice(FAIL_REASONS))
            key_orders[order_no], key_records[s] = "failed", "failed"
        elif fault == "repaid":
            old = g.account()
            s1 = rec(order_no, payee, old, name, amount, "failed", paid_on, r.choice(FAIL_REASONS))
            s2 = rec(order_no, payee, account, name, amount, "success", paid_on + datetime.timedelta(days=5))
            key_orders[order_no], key_records[s1], key_records[s2] = "repaid", "failed", "repaid"
        elif fault == "returned_then_repaid":
            old = g.account()
            s1 = rec(order_no, payee, old, name, amount, "success", paid_on)
            s2 = rec(order_no, payee, old, name, amount, "returned", paid_on + datetime.timedelta(days=2), "户名不符")
            s3 = rec(order_no, payee, account, name, amount, "success", paid_on + datetime.timedelta(days=6))
            key_orders[order_no] = "repaid"
            key_records[s1], key_records[s2], key_records[s3] = "failed", "failed", "repaid"
        elif fault == "retry_same_account":
            s1 = rec(order_no, payee, account, name, amount, "failed", paid_on, "系统超时")
            s2 = rec(order_no, payee, account, name, amount, "success", paid_on + datetime.timedelta(days=1))
            key_orders[order_no], key_records[s1], key_records[s2] = "paid", "failed", "paid"
        elif fault == "missing":
            key_orders[order_no] = "missing"
        elif fault == "after_cutoff":
            s = rec(order_no, payee, account, name, amount, "success", CUTOFF + datetime.timedelta(days=r.randrange(1, 5)))
            key_orders[order_no], key_records[s] = "missing", "after_cutoff"
        elif fault == "payee_mismatch":
            other = g.account() if r.random() < 0.7 else account
            other_name = name
            while other == account and other_name == name:
                other_name = g.name()
            s = rec(order_no, payee, other, other_name, amount, "success", paid_on)
            key_orders[order_no], key_records[s] = "payee_mismatch", "payee_mismatch"
        elif fault == "ineligible":
            died = datetime.date(2023, 6, 1) + datetime.timedelta(days=r.randrange(0, 200))
            exclusions.append((payee, died.isoformat(), "", "deceased (火化记录)"))
            if r.random() < 0.7:
                s = rec(order_no, payee, account, name, amount, "success", paid_on)
                key_records[s] = "payee_ineligible"
            key_orders[order_no] = "payee_ineligible"
        elif fault == "orphan":
            s = rec(order_no, payee, account, name, amount, "success", paid_on)
            key_orders[order_no], key_records[s] = "paid", "paid"
            o = rec("PX%09d" % (i + 1), g.id_number(), g.account(), g.name(), amount, "success", paid_on)
            key_records[o] = "orphan_record"

    # Rows are written in a shuffled order: nothing may depend on it.
    progress(start, "%d orders and %d bank records made" % (len(orders), len(records)))
    r.shuffle(orders)
    r.shuffle(records)
    rejected = []  # (file, line, field)

    n_orders = len(orders)
    order_lines = orders
    order_lines.insert(0, ",".join(order_cols).encode("utf-8"))
    quote = lambda v: '"%s"' % v if "," in v else v
    bad_orders = [
        ("payee_id", lambda o: dict(o, order_no="PB" + o["order_no"][2:], payee_id=o["payee_id"][:17] + ("1" if o["payee_id"][17] != "1" else "2"))),
        ("amount", lambda o: dict(o, order_no="PB" + o["order_no"][2:] + "A", amount="12,34.5")),
        ("created", lambda o: dict(o, order_no="PB" + o["order_no"][2:] + "C", created="2024-02-30")),
    ]
    bad_sources = [dict(zip(order_cols, order_lines[1 + k % n_orders].decode("utf-8").split(",")))
                   for k in range(args.bad_rows)]
    for k in range(args.bad_rows):
        field, make = bad_orders[k % len(bad_orders)]
        o = make(dict(bad_sources[k], order_no=bad_sources[k]["order_no"] + "-%d" % k))
        at = r.randrange(1, len(order_lines) + 1)
        order_lines.insert(at, ",".join(quote(o[c]) for c in order_cols).encode("utf-8"))
    write_lines(os.path.join(args.out, "orders.csv"), order_lines, b"\n", "utf-8")
    progress(start, "orders.csv written")
    if not args.no_answer_key:
        for n, raw in enumerate(order_lines[1:], start=2):
            line = raw.decode("utf-8")
            if ',"12,34.5",' in line:
                rejected.append(("orders", n, "amount"))
            elif ",2024-02-30," in line:
                rejected.append(("orders", n, "created"))
            elif line.startswith("PB"):
                rejected.append(("orders", n, "payee_id"))
    del order_lines, orders

    bank_cols = ["流水号", "兑付单号", "身份证号", "收款账号", "户名", "金额", "状态", "交易日期", "失败原因"]

    def cells_of(raw):
        head, amount, tail = raw.decode("utf-8").split("\0")
        return head.split(",") + [amount] + tail.split(",")

    n_records = len(records)
    bad_sources = [cells_of(records[k % n_records]) for k in range(args.bad_rows)]
    # Each record becomes its line in place (the bank's amount form drawn in file order, as before).
    for i in range(n_records):
        head, amount, tail = records[i].split(b"\0")
        text = bank_amount(amount.decode("ascii"), r)
        records[i] = head + b"," + (('"%s"' % text) if "," in text else text).encode("ascii") + b"," + tail
    bank_lines = records
    bank_lines.insert(0, ",".join(bank_cols).encode("utf-8"))
    for k in range(args.bad_rows):
        kind = k % 3
        cells = ["BX%09d" % k] + bad_sources[k][1:]
        if kind == 0:
            cells[6] = "处理中"
        elif kind == 1:
            cells[7] = "2024-13-01"
        else:
            cells[5] = "五千元"
        at = r.randrange(1, len(bank_lines) + 1)
        bank_lines.insert(at, ",".join(cells).encode("utf-8"))
    # An exact repeated row, as exports sometimes have: kept once, the repeat rejected.
    if n_records:
        bank_lines.insert(r.randrange(1, len(bank_lines) + 1), bank_lines[1 + r.randrange(n_records)])
    if not args.no_answer_key:
        seen = {}
        for n, raw in enumerate(bank_lines[1:], start=2):
            line = raw.decode("utf-8")
            fields = {"处理中": "status", "2024-13-01": "value_date", "五千元": "amount"}
            hit = [v for k, v in fields.items() if ("," + k + ",") in line]
            if line.startswith("BX") and hit:
                rejected.append(("bank", n, hit[0]))
                continue
            first = line.split(",")[0]
            if first in seen:
                rejected.append(("bank", max(n, seen[first]), "serial_no"))
            else:
                seen[first] = n
        del seen
    write_lines(os.path.join(args.out, "bank.csv"), bank_lines, b"\r\n", args.encoding)
    progress(start, "bank.csv written")
    del bank_lines, records

    mapping = {
        "bank": {
            "encoding": args.encoding,
            "columns": {"serial_no": "流水号", "order_no": "兑付单号", "payee_id": "身份证号", "account": "收款账号",
                        "name": "户名", "amount": "金额", "status": "状态", "value_date": "交易日期",
                        "failure_reason": "失败原因"},
        }
    }
    with open(os.path.join(args.out, "mapping.json"), "w", encoding="utf-8") as f:
        json.dump(mapping, f, ensure_ascii=False, indent=2)
        f.write("\n")
    r.shuffle(registry)
    write_lines(os.path.join(args.out, "registry.csv"),
                [b"payee_id,community"] + [line.encode("utf-8") for line in registry], b"\n", "utf-8")
    write_lines(os.path.join(args.out, "exclusions.csv"),
                [b"payee_id,from,policy,reason"] + [("%s,%s,%s,%s" % e).encode("utf-8") for e in exclusions],
                b"\n", "utf-8")
    if not args.no_answer_key:
        key = {
            "cutoff": CUTOFF.isoformat(),
            "orders": dict(sorted(key_orders.items())),
            "records": dict(sorted(key_records.items())),
            "rejected": sorted([{"file": f_, "line": n, "field": fl} for f_, n, fl in rejected],
                               key=lambda x: (x["file"], x["line"])),
            "unclaimed": sorted(unclaimed),
            "communities": dict(sorted(communities.items())),
        }
        with open(os.path.join(args.out, "answer_key.json"), "w", encoding="utf-8") as f:
            json.dump(key, f, ensure_ascii=False, indent=1)
            f.write("\n")
    print("wrote %d orders, %d bank records, %d registry rows, %d exclusions to %s"
          % (n_orders + args.bad_rows, n_records + args.bad_rows + (1 if n_records else 0), len(registry),
             len(exclusions), args.out))


if __name__ == "__main__":
    main()
