"""eligo batch through the real binary on generated residents (gen_residents.py, with an answer key): every
row is a result or a rejected row, in every input format; the summary's counts and sums; the same person
twice held back; the workbook holds the rows of the CSV; nothing is written when an input breaks."""
import csv
import decimal
import hashlib
import hmac
import json
import os
import subprocess
import sys

import pytest

CLI = os.environ["ELIGO_CLI"]
HERE = os.path.dirname(os.path.abspath(__file__))
PACK = os.path.join(HERE, "seasonal.pack.json")
D = decimal.Decimal


def generate(tmp_path, rows=3000, seed=5, bad=6, dups=5, formats="csv,jsonl,xlsx"):
    out = tmp_path / "data"
    subprocess.run([sys.executable, os.path.join(HERE, "gen_residents.py"), "--rows", str(rows), "--seed", str(seed),
                    "--bad", str(bad), "--dups", str(dups), "--formats", formats, "--out", str(out)], check=True)
    key = json.loads((out / "answer_key.json").read_text(encoding="utf-8"))["rows"]
    return out, key


def batch(*args):
    p = subprocess.run([CLI, "batch", PACK, "--as-of", "2024-04-01", "--progress", "off", *args], capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def masked(i):
    return i[:6] + "*" * 8 + i[-4:]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_rows_in_equal_results_plus_rejected_in_every_input_format(tmp_path, fmt):
    data, key = generate(tmp_path)
    args = ["--input", str(data / f"residents.{fmt}"), "--out", str(tmp_path / "out") + "/"]
    if fmt == "jsonl":
        args += ["--group", "resident"]
    rc, _, err = batch(*args)
    expected = [k for k in key if not (fmt == "xlsx" and k["rejected"])]   # the xlsx leaves the bad rows out
    results = read_csv(tmp_path / "out/results.csv")
    rejected = read_csv(tmp_path / "out/rejected.csv")
    assert len(results) + len(rejected) == len(expected)
    assert [r["verdict"] for r in results] == [k["verdict"] for k in expected if not k["rejected"]]
    assert [r["failed_check"] or None for r in results] == [k["failed"] for k in expected if not k["rejected"]]
    assert [r["output.amount"] or None for r in results if r["verdict"] == "eligible"] == \
           [k["amount"] for k in expected if k["verdict"] == "eligible"]
    assert [r["key"] for r in results] == [masked(k["id"]) for k in expected if not k["rejected"]]
    # lines: the CSV header is line 1; JSON Lines start at 1; xlsx rows as numbered in the sheet
    first = {"csv": 2, "jsonl": 1, "xlsx": 2}[fmt]
    lines = {k["index"]: n + first for n, k in enumerate(expected)}
    assert [int(r["line"]) for r in rejected] == [lines[k["index"]] for k in expected if k["rejected"]]
    assert [int(r["line"]) for r in results] == [lines[k["index"]] for k in expected if not k["rejected"]]
    assert all(r["code"] == "E3000" for r in rejected)
    s = json.loads((tmp_path / "out/summary.json").read_text(encoding="utf-8"))
    assert (s["rows"], s["results"], s["rejected"]) == (len(expected), len(results), len(rejected))
    assert s["with_data_errors"] == sum(1 for k in expected if k.get("data_error"))
    assert rc == 1   # rejected rows or data errors
    assert f"{len(expected)} rows read: {len(results)} results, {len(rejected)} rejected" in err or \
           f"读入 {len(expected)} 行：结果 {len(results)} 行，被拒 {len(rejected)} 行" in err


def test_summary_counts_sums_and_groups_match_the_answer_key(tmp_path):
    data, key = generate(tmp_path, dups=0)
    rc, _, err = batch("--input", str(data / "residents.csv"), "--out", str(tmp_path / "out/"), "--by", "community",
                       "--lang", "en")
    s = json.loads((tmp_path / "out/summary.json").read_text(encoding="utf-8"))
    decided = [k for k in key if not k["rejected"]]
    for v in ["eligible", "ineligible", "needs_evidence", "error"]:
        assert s["verdicts"][v] == sum(1 for k in decided if k["verdict"] == v)
    assert s["failed_checks"] == {c: sum(1 for k in decided if k["failed"] == c)
                                  for c in ["certificate", "held_on_first_day"]}
    total = sum((D(k["amount"]) for k in decided if k["verdict"] == "eligible"), D(0))
    assert D(s["sums"]["amount"]) == total and s["sums"]["amount"] == f"{total:.2f}"
    groups = {g["value"]: g for g in s["by"]["groups"]}
    assert s["by"]["column"] == "community"
    assert sorted(groups) == sorted({k["community"] for k in decided})
    for c, g in groups.items():
        mine = [k for k in decided if k["community"] == c]
        assert g["results"] == len(mine)
        assert g["verdicts"]["eligible"] == sum(1 for k in mine if k["verdict"] == "eligible")
        assert D(g["sums"]["amount"]) == sum((D(k["amount"]) for k in mine if k["verdict"] == "eligible"), D(0))
    assert "sums over eligible rows: amount " + s["sums"]["amount"] in err
    assert (tmp_path / "out/summary.txt").read_text(encoding="utf-8") in err


@pytest.mark.parametrize("policy", ["hold", "first", "off"])
def test_the_same_person_twice_is_held_back_with_the_reason(tmp_path, policy):
    data, key = generate(tmp_path, rows=2000, seed=9, bad=0, dups=8, formats="csv")
    rc, _, err = batch("--input", str(data / "residents.csv"), "--out", str(tmp_path / "out/"), "--lang", "en",
                       "--duplicates", policy)
    results = read_csv(tmp_path / "out/results.csv")
    lines_of = {}
    for n, k in enumerate(key):
        lines_of.setdefault(k["id"], []).append(n + 2)
    dup_ids = {i for i, ls in lines_of.items() if len(ls) > 1}
    assert len(dup_ids) == 8   # written as 15 digits, lower-case x or full-width: found only by normalising
    s = json.loads((tmp_path / "out/summary.json").read_text(encoding="utf-8"))
    if policy == "off":
        assert all(r["held_back"] == "" for r in results)
        assert s["duplicates"]["ids"] == 0
        return
    assert s["duplicates"]["ids"] == 8 and s["duplicates"]["rows"] == 16
    assert sorted(d["key"] for d in s["duplicates"]["list"]) == sorted(masked(i) for i in dup_ids)
    held = 0
    seen = set()
    for r, k in zip(results, key):
        if k["id"] in dup_ids and r["verdict"] == "eligible":
            a, b = lines_of[k["id"]]
            if policy == "first" and k["id"] not in seen:
                assert r["held_back"] == ""
            else:
                assert r["held_back"] == f"the same ID is on lines {a}, {b}: " + \
                    ("all held back" if policy == "hold" else "only the first is paid")
                held += 1
            seen.add(k["id"])
        else:
            assert r["held_back"] == ""
    assert held > 0 and s["duplicates"]["held_back"] == held


def test_the_workbook_holds_the_same_rows_as_the_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    data, key = generate(tmp_path, formats="csv")
    common = ["--input", str(data / "residents.csv"), "--by", "community"]
    batch(*common, "--out", str(tmp_path / "csv/"))
    rc, _, err = batch(*common, "--out", str(tmp_path / "book.xlsx"))
    assert rc == 1, err
    wb = openpyxl.load_workbook(tmp_path / "book.xlsx")
    assert wb.sheetnames == ["results 结果", "rejected 被拒行", "summary 汇总"]
    for sheet, name in [("results 结果", "results.csv"), ("rejected 被拒行", "rejected.csv")]:
        ws = wb[sheet]
        assert ws.freeze_panes == "A2"
        rows = list(ws.iter_rows(values_only=True))
        with open(tmp_path / "csv" / name, encoding="utf-8", newline="") as f:
            expected = list(csv.reader(f))
        assert len(rows) == len(expected) and len(rows) > 1
        for got, want in zip(rows, expected):
            got = list(got) + [None] * (len(want) - len(got))
            for g, w in zip(got, want):
                if isinstance(g, (int, float)):
                    assert D(str(g)) == D(w)
                else:
                    assert (g or "") == w
    ws = wb["results 结果"]
    header = [c.value for c in ws[1]]
    amount = ws.cell(row=2 + [k["verdict"] for k in key if not k["rejected"]].index("eligible"),
                     column=header.index("output.amount") + 1)
    assert amount.number_format == "#,##0.00" and isinstance(amount.value, float)
    summary = {r[0]: r[1] for r in wb["summary 汇总"].iter_rows(values_only=True) if r and r[0]}
    assert summary["读入行数 rows"] == len(key)
    assert summary["eligible"] == sum(1 for k in key if k["verdict"] == "eligible")
    assert D(str(summary["amount"])) == sum((D(k["amount"]) for k in key if k["verdict"] == "eligible"), D(0))


def test_an_input_that_breaks_midway_writes_nothing(tmp_path):
    data, key = generate(tmp_path, rows=6000, formats="csv", bad=0, dups=0)
    text = (data / "residents.csv").read_text(encoding="utf-8")
    broken = tmp_path / "gb.csv"
    broken.write_bytes(text.encode("gb18030") + b"110105194912310021,\xff\xfe,C01,dibao,2023-01-01\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.csv").write_text("the previous run\n", encoding="utf-8")
    rc, _, err = batch("--input", str(broken), "--encoding", "gb18030", "--out", str(out) + "/", "--threads", "2",
                       "--payout-orders", str(tmp_path / "orders.csv"), "--amount", "amount", "--policy", "p",
                       "--period", "2024-Q2")
    assert rc == 2
    assert "no output written" in err
    assert sorted(os.listdir(out)) == ["results.csv"]
    assert (out / "results.csv").read_text(encoding="utf-8") == "the previous run\n"
    assert not (tmp_path / "orders.csv").exists()
    assert [n for n in os.listdir(tmp_path) if n.startswith(".")] == []


def test_the_key_is_masked_clear_or_a_keyed_hash(tmp_path):
    data, key = generate(tmp_path, rows=200, bad=0, dups=0, formats="csv")
    ids = [k["id"] for k in key]
    batch("--input", str(data / "residents.csv"), "--out", str(tmp_path / "m/"))
    assert [r["key"] for r in read_csv(tmp_path / "m/results.csv")] == [masked(i) for i in ids]
    batch("--input", str(data / "residents.csv"), "--out", str(tmp_path / "c/"), "--clear-pii")
    assert [r["key"] for r in read_csv(tmp_path / "c/results.csv")] == ids
    env = dict(os.environ, ELIGO_TEST_KEY="k3y")
    p = subprocess.run([CLI, "batch", PACK, "--as-of", "2024-04-01", "--progress", "off", "--input",
                        str(data / "residents.csv"), "--out", str(tmp_path / "h/"), "--id-hash-key-env",
                        "ELIGO_TEST_KEY"], env=env, capture_output=True)
    assert p.returncode == 0, p.stderr
    assert [r["key"] for r in read_csv(tmp_path / "h/results.csv")] == \
           [hmac.new(b"k3y", i.encode(), hashlib.sha256).hexdigest() for i in ids]
    for name in ["m", "h"]:
        text = (tmp_path / name / "results.csv").read_text(encoding="utf-8")
        assert not any(i in text for i in ids)


def test_threads_and_formats_give_the_same_results(tmp_path):
    data, key = generate(tmp_path, rows=9000, formats="csv")
    batch("--input", str(data / "residents.csv"), "--out", str(tmp_path / "one/"), "--threads", "1")
    batch("--input", str(data / "residents.csv"), "--out", str(tmp_path / "three/"), "--threads", "3")
    for name in ["results.csv", "rejected.csv"]:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "three" / name).read_bytes()
    batch("--input", str(data / "residents.csv"), "--out", str(tmp_path / "r.jsonl"))
    rows = [json.loads(l) for l in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    csv_rows = read_csv(tmp_path / "one/results.csv")
    assert len(rows) == len(csv_rows)
    for j, c in zip(rows, csv_rows):
        assert (str(j["line"]), j["key"], j["verdict"], j["outputs"]["amount"] or "", j["held_back"] or "") == \
               (c["line"], c["key"], c["verdict"], c["output.amount"], c["held_back"])
    assert len((tmp_path / "r.rejected.jsonl").read_text(encoding="utf-8").splitlines()) == \
           sum(1 for k in key if k["rejected"])


def test_only_writes_one_verdict_and_still_counts_every_row(tmp_path):
    data, key = generate(tmp_path, rows=1000, formats="csv")
    rc, _, err = batch("--input", str(data / "residents.csv"), "--out", str(tmp_path / "o/"), "--only", "eligible")
    results = read_csv(tmp_path / "o/results.csv")
    assert {r["verdict"] for r in results} == {"eligible"}
    assert len(results) == sum(1 for k in key if k["verdict"] == "eligible")
    s = json.loads((tmp_path / "o/summary.json").read_text(encoding="utf-8"))
    assert s["written"] == len(results) and s["results"] + s["rejected"] == s["rows"] == len(key)


def test_usage_errors_are_exit_2(tmp_path):
    assert batch("--input", "x.csv")[0] == 2
    rc, _, err = batch("--input", "x.csv", "--out", str(tmp_path / "o/"), "--only", "maybe")
    assert rc == 2 and "--only is" in err
    rc, _, err = batch("--input", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "o/"))
    assert rc == 2 and "missing.csv" in err
    rc, _, err = batch("--input", "x.csv", "--out", str(tmp_path / "o/"), "--payout-orders", "o.csv", "--amount", "nope",
                       "--policy", "p", "--period", "2024-Q2")
    assert rc == 2 and "the pack has no output 'nope' (outputs: amount)" in err


def test_payout_orders_reconcile_to_all_paid_against_a_bank_file_that_pays_each_once(tmp_path):
    data, key = generate(tmp_path, rows=2500, seed=21, bad=4, dups=6, formats="csv")
    orders = tmp_path / "orders.csv"
    args = ["--input", str(data / "residents.csv"), "--out", str(tmp_path / "out/"), "--payout-orders", str(orders),
            "--amount", "amount", "--policy", "siji-huimin", "--period", "2024-Q2", "--created", "2024-04-02",
            "--payee-name", "name", "--by", "community"]
    rc, _, err = batch(*args)
    assert rc == 1, err   # the generated bad rows
    assert oct(os.stat(orders).st_mode & 0o777) == "0o600"   # IDs and names in clear: owner only
    rows = read_csv(orders)
    assert list(rows[0].keys()) == ["order_no", "policy", "period", "payee_id", "payee_name", "account", "amount",
                                    "created", "community"]
    count = {}
    for k in key:
        count[k["id"]] = count.get(k["id"], 0) + 1
    payable = [k for k in key if k["verdict"] == "eligible" and count[k["id"]] == 1]
    assert [r["payee_id"] for r in rows] == [k["id"] for k in payable]   # canonical 18-character IDs, input order
    assert [r["amount"] for r in rows] == [k["amount"] for k in payable]
    assert [r["community"] for r in rows] == [k["community"] for k in payable]
    assert {r["period"] for r in rows} == {"2024-Q2"} and {r["created"] for r in rows} == {"2024-04-02"}
    assert len({r["order_no"] for r in rows}) == len(rows)
    held = [k for k in key if k["verdict"] == "eligible" and count[k["id"]] > 1]
    assert held and not {k["id"] for k in held} & {r["payee_id"] for r in rows}
    s = json.loads((tmp_path / "out/summary.json").read_text(encoding="utf-8"))
    total = sum((D(k["amount"]) for k in payable), D(0))
    assert s["payout_orders"] == {"file": str(orders), "orders": len(rows), "amount": f"{total:.2f}",
                                  "held_back": len(held), "eligible_without_amount": 0}
    # Re-running gives the same order numbers (policy, period and ID), byte for byte.
    first = orders.read_bytes()
    batch(*args, "--threads", "1")
    assert orders.read_bytes() == first
    # A bank file that pays each order once, echoing its number, a few days later.
    bank = tmp_path / "bank.csv"
    with open(bank, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["serial_no", "order_no", "payee_id", "account", "name", "amount", "status", "value_date"])
        for i, r in enumerate(rows):
            w.writerow([f"B{i:07d}", r["order_no"], r["payee_id"], "", r["payee_name"], r["amount"], "success",
                        "2024-04-05"])
    p = subprocess.run([CLI, "reconcile", "--orders", str(orders), "--bank", str(bank), "--out", str(tmp_path / "rec"),
                        "--cutoff", "2024-04-30"], capture_output=True)
    assert p.returncode == 0, p.stderr.decode()
    rec = json.loads((tmp_path / "rec/summary.json").read_text(encoding="utf-8"))
    assert rec["orders"]["total"] == {"count": len(rows), "amount": f"{total:.2f}"}
    assert rec["orders"]["by_class"]["paid"] == {"count": len(rows), "amount": f"{total:.2f}"}
    assert rec["records"]["by_class"]["paid"]["count"] == len(rows)
    assert rec["rejected"] == {"orders": 0, "bank": 0, "registry": 0, "exclusions": 0}


def test_order_numbers_are_stable_across_forms_of_one_id(tmp_path):
    # 110105194912310021's 15-digit form has no century or check character; both must give one number.
    ident = "11010519491231002X"
    short = "110105491231002"
    for n, i in enumerate([ident, short]):
        (tmp_path / f"in{n}.csv").write_text(
            "id_number,name,community,certificate,certificate_from\n"
            f"{i},王芳,C01,dibao,2023-01-01\n", encoding="utf-8")
        rc, _, err = batch("--input", str(tmp_path / f"in{n}.csv"), "--out", str(tmp_path / f"o{n}/"),
                           "--payout-orders", str(tmp_path / f"orders{n}.csv"), "--amount", "amount", "--policy", "p",
                           "--period", "2024-Q2")
        assert rc == 0, err
    a, b = read_csv(tmp_path / "orders0.csv"), read_csv(tmp_path / "orders1.csv")
    assert a[0]["order_no"] == b[0]["order_no"] and a[0]["order_no"].startswith("2024-Q2-")
    assert a[0]["payee_id"] == b[0]["payee_id"] == ident
    expected = hashlib.sha256(f"p\x1f2024-Q2\x1f{ident}".encode()).hexdigest()[:16]
    assert a[0]["order_no"] == "2024-Q2-" + expected


JOIN_PACK = os.path.join(HERE, "certificates.pack.json")
PEOPLE = ["11010519491231002X", "440106198004211553", "330106197001010019", "430102199403100487"]


def join_batch(*args):
    p = subprocess.run([CLI, "batch", JOIN_PACK, "--as-of", "2024-04-01", "--progress", "off", "--lang", "en", *args],
                       capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def write_people(path, ids):
    path.write_text("id_number,name,community\n" + "".join(f"{i},王芳,C0{n % 2}\n" for n, i in enumerate(ids)),
                    encoding="utf-8")


@pytest.mark.parametrize("related", ["csv", "sqlite"])
def test_a_joined_table_becomes_each_records_list_and_every_join_case_is_counted(tmp_path, related):
    import sqlite3
    people = tmp_path / "people.csv"
    # person 0 twice (the second time in its 15-digit form), person 3 has no certificate
    write_people(people, [PEOPLE[0], PEOPLE[1], PEOPLE[2], PEOPLE[3], "110105491231002"])
    certs = [
        ("１１０１０５１９４９１２３１００２Ｘ", "tekun", "2023-01-01", ""),  # full-width: person 0
        (PEOPLE[1], "dibao", "2023-05-01", "2023-12-31"),                 # ended before the season
        (PEOPLE[1], "dibao_edge", "2024-02-01", ""),                      # … and a current one
        (PEOPLE[2], "dibao", "2024-04-02", ""),                           # from after the first day
        ("", "dibao", "2023-01-01", ""),                                  # no key
        ("610104196209276908", "dibao", "2023-01-01", ""),                # no such record
        ("610104196209276908", "tekun", "2023-01-01", ""),
    ]
    if related == "csv":
        table = tmp_path / "civil.csv"
        table.write_text("id_number,kind,from,to\n" + "".join(",".join(c) + "\n" for c in certs), encoding="utf-8")
        spec = f"certificates={table}:id_number"
    else:
        db = tmp_path / "civil.sqlite"
        con = sqlite3.connect(db)
        con.execute('CREATE TABLE certificates (id_number TEXT, kind TEXT, "from" TEXT, "to" TEXT)')
        con.executemany("INSERT INTO certificates VALUES (?, ?, ?, ?)", [tuple(x or None for x in c) for c in certs])
        con.commit()
        con.close()
        spec = f"certificates={db}:certificates:id_number"
    rc, _, err = join_batch("--input", str(people), "--join", spec, "--out", str(tmp_path / "out/"),
                            "--payout-orders", str(tmp_path / "orders.csv"), "--amount", "amount", "--policy", "p",
                            "--period", "2024-Q2")
    assert rc == 0, err
    results = read_csv(tmp_path / "out/results.csv")
    assert [r["verdict"] for r in results] == ["eligible", "eligible", "ineligible", "ineligible", "eligible"]
    assert [r["output.amount"] for r in results] == ["1500.00", "1000.00", "", "", "1500.00"]
    assert results[0]["held_back"] and results[4]["held_back"]   # the same person twice, both held back
    assert [r["payee_id"] for r in read_csv(tmp_path / "orders.csv")] == [PEOPLE[1]]
    s = json.loads((tmp_path / "out/summary.json").read_text(encoding="utf-8"))
    j = s["joins"][0]
    assert (j["name"], j["key"], j["rows"], j["keys"]) == ("certificates", "id_number", 7, 4)
    assert (j["missing_key"], j["unmatched_keys"], j["unmatched_rows"], j["matched_keys"]) == (1, 1, 2, 3)
    assert "join certificates (" in err and "without a record" in err
    assert "610104196209276908" not in err and "610104196209276908" not in (tmp_path / "out/summary.json").read_text()


def test_sqlite_records_in_equal_results_plus_rejected(tmp_path):
    import sqlite3
    data, key = generate(tmp_path, rows=1500, bad=0, dups=3, formats="csv")
    rows = read_csv(data / "residents.csv")
    db = tmp_path / "people.sqlite"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE residents (id_number TEXT, name TEXT, community TEXT, certificate TEXT, certificate_from TEXT)")
    con.executemany("INSERT INTO residents VALUES (?, ?, ?, ?, ?)",
                    [(r["id_number"], r["name"], r["community"], r["certificate"], r["certificate_from"] or None)
                     for r in rows])
    con.commit()
    con.close()
    rc, _, err = batch("--input", f"{db}:residents", "--out", str(tmp_path / "s/"))
    batch("--input", str(data / "residents.csv"), "--out", str(tmp_path / "c/"))
    got, want = read_csv(tmp_path / "s/results.csv"), read_csv(tmp_path / "c/results.csv")
    s = json.loads((tmp_path / "s/summary.json").read_text(encoding="utf-8"))
    assert s["rows"] == len(rows) == s["results"] + s["rejected"]
    # (an SQLite row's line is its row number: the held-back reasons name other lines than the CSV's)
    assert [(r["key"], r["verdict"], r["output.amount"], bool(r["held_back"])) for r in got] == \
           [(r["key"], r["verdict"], r["output.amount"], bool(r["held_back"])) for r in want]
    assert sum(1 for r in got if r["held_back"]) > 0


def test_joins_on_json_records_need_a_flat_group(tmp_path):
    people = tmp_path / "people.jsonl"
    people.write_text(json.dumps({"id_number": PEOPLE[1], "name": "王芳", "community": "C01"}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    table = tmp_path / "civil.csv"
    table.write_text(f"id_number,kind,from,to\n{PEOPLE[1]},dibao,2023-01-01,\n", encoding="utf-8")
    rc, _, err = join_batch("--input", str(people), "--join", f"certificates={table}:id_number", "--out",
                            str(tmp_path / "a/"))
    assert rc == 2 and "need --group" in err
    rc, _, err = join_batch("--input", str(people), "--join", f"certificates={table}:id_number", "--out",
                            str(tmp_path / "b/"), "--group", "resident")
    assert rc == 0, err
    assert [r["verdict"] for r in read_csv(tmp_path / "b/results.csv")] == ["eligible"]


def test_rejected_rows_of_every_chunk_are_counted(tmp_path):
    # Rows go to workers in chunks of 2,048: rejected rows in the first, a middle and the last chunk must all be
    # counted in the summary (a summary that kept only the last chunk's count passed every other test).
    data, _ = generate(tmp_path, rows=5000, formats="csv", bad=0, dups=0)
    lines = (data / "residents.csv").read_text(encoding="utf-8").splitlines()
    for i in (4500, 2100, 10):   # list indexes (0 = the header), last first
        lines.insert(i, "only,two")
    (tmp_path / "spread.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rc, _, err = batch("--input", str(tmp_path / "spread.csv"), "--out", str(tmp_path / "o/"), "--threads", "2")
    assert rc == 1
    rejected = read_csv(tmp_path / "o/rejected.csv")
    assert [int(r["line"]) for r in rejected] == [11, 2102, 4503]   # in the 1st, 2nd and 3rd chunk
    s = json.loads((tmp_path / "o/summary.json").read_text(encoding="utf-8"))
    assert (s["rows"], s["rejected"], s["results"]) == (5003, 3, 5000)
    assert "5003 rows read: 5000 results, 3 rejected" in err or "读入 5003 行：结果 5000 行，被拒 3 行" in err


def test_a_payout_order_needs_an_amount_above_zero(tmp_path):
    # An eligible row whose amount is exactly 0.00 gets no order (counted as eligible without an amount); 0.01,
    # the neighbour, and 100.00 get one each.
    pack = tmp_path / "amounts.pack.json"
    pack.write_text(json.dumps({
        "pack": "test.batch.amounts", "version": "1", "record": "resident",
        "inputs": {"resident": {"fields": {"id_number": {"type": "cn_id", "pii": "id_number"},
                                           "name": {"type": "string", "pii": "name"},
                                           "level": {"enum": ["zero", "cent", "full", "none"]}}}},
        "checks": [{"id": "listed", "require": "resident.level != 'none'", "reason": {"en": "no level"}}],
        "outputs": {"amount": "if resident.level == 'full' then 100.00 else if resident.level == 'cent' then 0.01 "
                              "else 0.00"}}), encoding="utf-8")
    people = tmp_path / "people.csv"
    people.write_text("id_number,name,level\n11010519491231002X,甲,zero\n610104196209276908,乙,cent\n"
                      "330106195804120220,丙,full\n", encoding="utf-8")
    orders = tmp_path / "orders.csv"
    p = subprocess.run([CLI, "batch", str(pack), "--as-of", "2024-04-01", "--progress", "off", "--input", str(people),
                        "--out", str(tmp_path / "out/"), "--payout-orders", str(orders), "--amount", "amount",
                        "--policy", "p", "--period", "2024-Q2", "--created", "2024-04-02", "--payee-name", "name"],
                       capture_output=True)
    assert p.returncode == 0, p.stderr.decode()
    assert [(r["payee_id"], r["amount"]) for r in read_csv(orders)] == \
           [("610104196209276908", "0.01"), ("330106195804120220", "100.00")]
    s = json.loads((tmp_path / "out/summary.json").read_text(encoding="utf-8"))
    assert s["verdicts"]["eligible"] == 3
    assert s["payout_orders"] == {"file": str(orders), "orders": 2, "amount": "100.01", "held_back": 0,
                                  "eligible_without_amount": 1}
