"""Every documented CLI option does what its --help says (issue 17 item 5): each test runs the real binary with
the option and without it, and asserts the exact values that differ. tests/cli/documented_surface.py checks
that no option of any `eligo <command> --help` is left without a test."""
import csv
import json
import os
import subprocess

import pytest

CLI = os.environ["ELIGO_CLI"]
SRC = os.environ["ELIGO_SOURCE_DIR"]
GZ = os.path.join(SRC, "rules", "gz-points")
GZ_APPLICANTS = os.path.join(SRC, "examples", "applicants", "gz-points.jsonl")

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def with_check_character(first17):
    """GB 11643: the check character, computed here apart from eligo."""
    return first17 + "10X98765432"[sum(int(a) * b for a, b in zip(first17, W)) % 11]


def run(*args, env=None, cwd=None):
    p = subprocess.run([CLI, *[str(a) for a in args]], capture_output=True, env=env, cwd=cwd)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---- eligo id -------------------------------------------------------------------------------------------------

def test_id_region_check_none_province_known():
    no_province = with_check_character("70010119800101002")  # province 70 does not exist
    unknown_code = with_check_character("11019819800101002")  # in Beijing, not in the GB/T 2260 table
    assert (no_province, unknown_code) == ("700101198001010029", "110198198001010028")
    verdicts = {}
    for level in ["none", "province", "known"]:
        rc, out, _ = run("id", "--as-of", "2024-06-01", "--kind", "id", "--region-check", level, no_province,
                         unknown_code)
        verdicts[level] = (rc, [line.split("  ")[2] for line in out.splitlines()])
    assert verdicts["none"] == (0, ["valid", "valid"])
    assert verdicts["province"] == (1, ["invalid: region code 700101 does not exist (no province 70)", "valid"])
    assert verdicts["known"] == (1, ["invalid: region code 700101 does not exist (no province 70)",
                                     "invalid: region code 110198 is not in the GB/T 2260 table"])
    # province is the default
    assert run("id", "--as-of", "2024-06-01", "--kind", "id", no_province, unknown_code)[1] == \
        run("id", "--as-of", "2024-06-01", "--kind", "id", "--region-check", "province", no_province, unknown_code)[1]


def test_id_allow_accepts_only_the_listed_credit_code():
    rc, out, _ = run("id", "9144030071526726XA")
    assert rc == 1 and out.split("  ")[2] == "invalid: check character is A, expected G"
    rc, out, _ = run("id", "--allow", "9144030071526726XA", "9144030071526726XA", "91440300715267261A")
    lines = out.splitlines()
    assert rc == 1  # the second code is not on the allow-list
    assert lines[0].split("  ")[2] == "valid (on the allow-list; check character is A, expected G)"
    assert lines[0].endswith("  allowed=yes")
    assert lines[1].split("  ")[2] == "invalid: check character is A, expected R"
    assert run("id", "--allow", "9144030071526726XA", "9144030071526726XA")[0] == 0


def test_id_strict_mobile_checks_the_prefix():
    rc, out, _ = run("id", "14012341234", "17412341234", "18012341999")
    assert rc == 0 and [l.split("  ")[2] for l in out.splitlines()] == ["valid", "valid", "valid"]
    rc, out, _ = run("id", "--strict-mobile", "14012341234", "17412341234", "18012341999")
    assert rc == 1
    assert [l.split("  ")[2] for l in out.splitlines()] == [
        "invalid: prefix 140 is not a mobile prefix", "invalid: prefix 174 is not a mobile prefix", "valid"]


def test_id_mask_head_and_tail():
    rc, out, _ = run("id", "--mask", "--tail", "2", "18012341999", "11010519491231002X")
    assert rc == 0 and out.splitlines() == ["180******99", "110105**********2X"]
    rc, out, _ = run("id", "--mask", "--head", "3", "--tail", "2", "--kind", "card", "6222021234567890128")
    assert out.splitlines() == ["622**************28"]


# ---- eligo eval -----------------------------------------------------------------------------------------------

PACK = """{"pack": "t.opts", "version": "1", "record": "a",
 "inputs": {"a": {"fields": {"id": "cn_id", "x": "number"}}},
 "checks": [{"id": "big", "require": "a.x > 1", "reason": {"en": "x is {a.x}", "zh-CN": "x 为 {a.x}"}},
            {"id": "odd", "require": "a.x % 2 == 1", "reason": {"en": "x is even", "zh-CN": "x 为偶数"}},
            {"id": "clean", "require": "not blacklisted(a.id, 'points')",
             "reason": {"en": "listed: {blacklist_reasons(a.id, 'points')}", "zh-CN": "失信"}}],
 "outputs": {"amount": "a.x * 100"}}"""

LIST = ("id_number,scopes,reason_code,reason_text,source,listed_on\n"
        "610104196209276908,points,SX01,dishonest,court,2024-01-01\n")


@pytest.fixture
def files(tmp_path):
    (tmp_path / "p.pack.json").write_text(PACK, encoding="utf-8")
    (tmp_path / "a.csv").write_text("id,x\n11010519491231002X,0\n610104620927690,3\n", encoding="utf-8")
    (tmp_path / "bl.csv").write_text(LIST, encoding="utf-8")
    rc, _, err = run("blacklist", "import", tmp_path / "bl.csv", "--db", tmp_path / "bl.sqlite")
    assert rc == 0, err
    return tmp_path


def decisions(out):
    return [json.loads(line) for line in out.splitlines()]


def eval_json(files, *args):
    rc, out, err = run("eval", files / "p.pack.json", "--input", files / "a.csv", "--as-of", "2024-06-01", "--lang",
                       "en", "--format", "json", *args)
    return rc, decisions(out), err


def test_eval_blacklist_and_blacklist_db_give_the_same_decisions(files):
    rc, without, err = eval_json(files)
    assert [d["verdict"] for d in without] == ["error", "error"]
    assert without[0]["error"]["code"] == "E2009"
    # Rows that end in verdict error are not decided: named on stderr, and the exit code says so.
    assert rc == 1
    assert err.count("not decided: error[E2009]") == 2 and ": line 2: not decided: error[E2009]" in err
    assert "error 2), 0 rejected" in err
    rc, from_file, _ = eval_json(files, "--blacklist", files / "bl.csv")
    assert rc == 0
    assert [d["verdict"] for d in from_file] == ["ineligible", "ineligible"]
    assert from_file[1]["checks"][2] == {"id": "clean", "status": "failed",
                                         "reason": "listed: dishonest（court，2024-01-01）"}
    assert from_file[1]["blacklist"]["hits"] == [{"key": "610104********6908", "scope": "points", "reason_code": "SX01",
                                                  "reason_text": "dishonest", "source": "court",
                                                  "listed_on": "2024-01-01", "from": "2024-01-01"}]
    assert from_file[1]["blacklist"]["version"] == "sha256:" + from_file[1]["blacklist"]["sha256"][:12]
    rc, from_db, _ = eval_json(files, "--blacklist-db", files / "bl.sqlite")
    assert rc == 0
    assert [d["checks"] for d in from_db] == [d["checks"] for d in from_file]
    assert from_db[1]["blacklist"]["version"] == "1"  # the store's revision
    assert from_db[1]["blacklist"]["sha256"] == from_file[1]["blacklist"]["sha256"]
    # A misspelt store is an error, not a new empty list that lists no one.
    rc, out, err = eval_json(files, "--blacklist-db", files / "typo.sqlite")
    assert (rc, out) == (2, [])
    assert err == f"eligo eval: {files / 'typo.sqlite'}: no such store\n"
    assert not (files / "typo.sqlite").exists()
    # A keyed store (HMAC keys) cannot answer for an ID number without its key, and eval has no option for it:
    # refused, not read as a list that lists no one.
    (files / "key").write_text("0123456789abcdef-eval\n", encoding="utf-8")
    rc, _, err = run("blacklist", "import", files / "bl.csv", "--db", files / "keyed.sqlite", "--hash-key-file",
                     files / "key")
    assert rc == 0, err
    rc, out, err = eval_json(files, "--blacklist-db", files / "keyed.sqlite")
    assert (rc, out) == (2, [])
    assert err == (f"eligo eval: {files / 'keyed.sqlite'}: holds hashed keys, and this command has no option for "
                   "the key\n")


def test_eval_mode_all_runs_every_check(files):
    _, first, _ = eval_json(files, "--blacklist", files / "bl.csv")
    assert first[0]["mode"] == "first_failure"
    assert first[0]["checks"] == [{"id": "big", "status": "failed", "reason": "x is 0"},
                                  {"id": "odd", "status": "not_run"}, {"id": "clean", "status": "not_run"}]
    _, every, _ = eval_json(files, "--blacklist", files / "bl.csv", "--mode", "all")
    assert every[0]["mode"] == "all"
    assert every[0]["checks"] == [{"id": "big", "status": "failed", "reason": "x is 0"},
                                  {"id": "odd", "status": "failed", "reason": "x is even"},
                                  {"id": "clean", "status": "passed"}]
    assert run("eval", files / "p.pack.json", "--input", files / "a.csv", "--mode", "most")[0] == 2


def test_eval_encoding_gb18030_and_input_format(files):
    (files / "gb.txt").write_bytes("id,x\n11010519491231002X,3\n".encode("gb18030"))
    rc, out, err = run("eval", files / "p.pack.json", "--input", files / "gb.txt", "--input-format", "csv",
                       "--encoding", "gb18030", "--as-of", "2024-06-01", "--lang", "en", "--format", "json",
                       "--blacklist", files / "bl.csv")
    assert rc == 0, err
    assert [d["verdict"] for d in decisions(out)] == ["eligible"]
    assert decisions(out)[0]["outputs"]["amount"]["value"] == "300"
    # Chinese text in GB18030: read as such with --encoding, refused as UTF-8 without it.
    pack = PACK.replace('"x": "number"}', '"x": "number", "note": "string"}').replace(
        '"outputs": {"amount": "a.x * 100"}', '"outputs": {"note": "a.note"}')
    (files / "n.pack.json").write_text(pack, encoding="utf-8")
    (files / "gb.csv").write_bytes("id,x,note\n11010519491231002X,3,低保户\n".encode("gb18030"))
    rc, out, _ = run("eval", files / "n.pack.json", "--input", files / "gb.csv", "--encoding", "gb18030",
                     "--as-of", "2024-06-01", "--format", "json", "--blacklist", files / "bl.csv")
    assert rc == 0 and decisions(out)[0]["outputs"]["note"]["value"] == "低保户"
    rc, out, err = run("eval", files / "n.pack.json", "--input", files / "gb.csv", "--as-of", "2024-06-01",
                       "--format", "json", "--blacklist", files / "bl.csv")
    assert rc == 1 and decisions(out) == [{"line": 2, "verdict": "error", "error": {
        "code": "E3000", "message": "column 'note': not valid UTF-8 (if the file is GB18030 or GBK, give its encoding)"}}]


def test_eval_sheet_reads_the_named_sheet(files):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.title = "first"
    wb.active.append(["id", "x"])
    wb.active.append(["11010519491231002X", 0])
    second = wb.create_sheet("second")
    second.append(["id", "x"])
    second.append(["11010519491231002X", 5])
    second.append(["11010519491231002X", 7])
    wb.save(files / "a.xlsx")
    base = ["eval", files / "p.pack.json", "--input", files / "a.xlsx", "--as-of", "2024-06-01", "--format", "json",
            "--blacklist", files / "bl.csv"]
    rc, out, _ = run(*base)
    assert rc == 0 and [d["verdict"] for d in decisions(out)] == ["ineligible"]
    rc, out, _ = run(*base, "--sheet", "second")
    assert rc == 0 and [d["outputs"]["amount"]["value"] for d in decisions(out)] == ["500", "700"]
    assert run(*base, "--sheet", "third")[0] == 2


def test_eval_audit_key_env_names_the_key_of_the_input_hash(files):
    def logged(key_value, name):
        env = dict(os.environ, ELIGO_T_AUDIT=key_value)
        rc, _, err = run("eval", files / "p.pack.json", "--input", files / "a.csv", "--as-of", "2024-06-01",
                         "--blacklist", files / "bl.csv", "--audit-log", files / name, "--audit-key-env",
                         "ELIGO_T_AUDIT", env=env)
        assert rc == 0, err
        return [json.loads(l) for l in (files / name).read_text(encoding="utf-8").splitlines()]

    one, same, other = logged("key-one-0123456789", "1.log"), logged("key-one-0123456789", "2.log"), \
        logged("key-two-0123456789", "3.log")
    assert [l["seq"] for l in one] == [1, 2] and [l["verdict"] for l in one] == ["ineligible", "ineligible"]
    assert [l["input_hmac"] for l in one] == [l["input_hmac"] for l in same]
    assert all(a["input_hmac"] != b["input_hmac"] for a, b in zip(one, other))
    rc, out, _ = run("audit", "verify", files / "1.log")
    assert rc == 0 and out.startswith("ok: 2 lines in 1 file, head seq 2 ")
    env = {k: v for k, v in os.environ.items() if k != "ELIGO_T_NONE"}
    rc, _, err = run("eval", files / "p.pack.json", "--input", files / "a.csv", "--blacklist", files / "bl.csv",
                     "--audit-log", files / "4.log", "--audit-key-env", "ELIGO_T_NONE", env=env)
    assert rc == 2 and "ELIGO_T_NONE" in err and not (files / "4.log").exists()


# ---- eligo blacklist ------------------------------------------------------------------------------------------

def test_blacklist_import_errors_limits_the_rows_shown(tmp_path):
    (tmp_path / "bad.csv").write_text(
        "id_number,scopes,reason_code,reason_text,source,listed_on\n"
        "bad1,points,SX01,a,b,2024-01-01\nbad2,points,SX01,a,b,2024-01-01\nbad3,points,SX01,a,b,2024-01-01\n"
        "110105194912310029,points,SX01,a,b,2024-01-01\n610104196209276908,points,SX01,a,b,2024-01-01\n",
        encoding="utf-8")
    rc, out, err = run("blacklist", "import", tmp_path / "bad.csv", "--db", tmp_path / "e.sqlite", "--errors", "2")
    assert rc == 1
    assert out.splitlines()[0].endswith("5 rows: 1 loaded, 4 rejected, 0 merged")
    lines = err.splitlines()
    assert len(lines) == 3
    assert lines[0].endswith("row 2, id_number: length is 4 characters, expected 18 (or 15 for a legacy number) (****)")
    assert lines[1].split(": ", 1)[1].startswith("row 3, id_number:")
    assert lines[2].endswith("2 more rejected rows not shown (--errors N)")
    rc, _, err = run("blacklist", "import", tmp_path / "bad.csv", "--db", tmp_path / "f.sqlite")
    assert len(err.splitlines()) == 4  # the default shows up to 20
    assert "110105********0029" in err and "110105194912310029" not in err


def test_blacklist_import_hashed_stores_keys_as_given(tmp_path):
    import hashlib
    key = hashlib.sha256(b"someone").hexdigest()
    (tmp_path / "h.csv").write_text("id_number,scopes,reason_code,reason_text,source,listed_on\n"
                                    f"{key},points,SX01,a,b,2024-01-01\n"
                                    "11010519491231002X,points,SX01,a,b,2024-01-01\n", encoding="utf-8")
    db = tmp_path / "h.sqlite"
    rc, out, err = run("blacklist", "import", tmp_path / "h.csv", "--db", db, "--hashed")
    assert rc == 1  # the ID number cannot be stored in a hashed list without its key
    assert out.splitlines()[0].endswith("2 rows: 1 loaded, 1 rejected, 0 merged")
    assert err.splitlines() == [f"{tmp_path / 'h.csv'}: row 3, id_number: not a 64-hex hashed key, and this hashed "
                                "list has no key to hash ID numbers (110105********002X)"]
    rc, out, _ = run("blacklist", "check", key, "--scope", "points", "--db", db, "--as-of", "2024-06-01",
                     "--format", "json")
    assert rc == 0 and json.loads(out)["listed"] is True
    rc, out, _ = run("blacklist", "stats", "--db", db, "--format", "json")
    assert json.loads(out)["entries"] == 1
    assert "hmac_sha256" in out
    rc, _, err = run("blacklist", "check", "11010519491231002X", "--scope", "points", "--db", db)
    assert rc == 2 and "holds hashed keys" in err
    # Without --hashed, a 64-hex key is no ID number.
    rc, out, _ = run("blacklist", "import", tmp_path / "h.csv", "--db", tmp_path / "plain.sqlite")
    assert rc == 1 and out.splitlines()[0].endswith("2 rows: 1 loaded, 1 rejected, 0 merged")


# ---- eligo reconcile ------------------------------------------------------------------------------------------

def reconcile_classes(tmp_path, value_date, *args):
    (tmp_path / "o.csv").write_text("order_no,policy,period,payee_id,payee_name,account,amount,created\n"
                                    "PO1,p,2024-03,11010519491231002X,,6214832018989180,100.00,2024-03-01\n",
                                    encoding="utf-8")
    (tmp_path / "b.csv").write_text("serial_no,order_no,payee_id,account,name,amount,status,value_date\n"
                                    f"B1,,11010519491231002X,6214832018989180,,100.00,success,{value_date}\n",
                                    encoding="utf-8")
    out = tmp_path / ("out" + "".join(args).replace("-", "_"))
    rc, _, err = run("reconcile", "--orders", tmp_path / "o.csv", "--bank", tmp_path / "b.csv", "--out", out,
                     "--no-workbook", *args)
    assert rc == 0, err
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    orders = {k for k, v in s["orders"]["by_class"].items() if v["count"]}
    records = {k for k, v in s["records"]["by_class"].items() if v["count"]}
    return orders, records, s["options"]


def test_reconcile_window_bounds_the_fallback_match(tmp_path):
    # created 2024-03-01; the record without an order number on day 7 is inside the default window of 7 days
    assert reconcile_classes(tmp_path, "2024-03-08")[:2] == ({"paid"}, {"paid"})
    assert reconcile_classes(tmp_path, "2024-03-09")[:2] == ({"missing"}, {"orphan_record"})
    orders, records, options = reconcile_classes(tmp_path, "2024-03-08", "--window", "6")
    assert (orders, records, options["fallback_window_days"]) == ({"missing"}, {"orphan_record"}, 6)
    orders, records, options = reconcile_classes(tmp_path, "2024-03-11", "--window", "10")
    assert (orders, records, options["fallback_window_days"]) == ({"paid"}, {"paid"}, 10)


def test_reconcile_items_writes_the_item_files_in_one_format(tmp_path):
    both = reconcile_classes(tmp_path, "2024-03-08")
    out = {"both": tmp_path / "out", "csv": tmp_path / "out__itemscsv", "jsonl": tmp_path / "out__itemsjsonl"}
    (out["csv"]).mkdir()
    (out["csv"] / "orders.jsonl").write_text("left by an earlier run\n", encoding="utf-8")
    assert reconcile_classes(tmp_path, "2024-03-08", "--items", "csv") == both
    assert reconcile_classes(tmp_path, "2024-03-08", "--items", "jsonl") == both
    items = ["orders.csv", "records.csv", "orders.jsonl", "records.jsonl"]
    assert [f for f in items if (out["csv"] / f).exists()] == items[:2]
    assert [f for f in items if (out["jsonl"] / f).exists()] == items[2:]
    for f in items:
        kind = "csv" if f.endswith(".csv") else "jsonl"
        assert (out[kind] / f).read_bytes() == (out["both"] / f).read_bytes()
    rc, _, err = run("reconcile", "--orders", tmp_path / "o.csv", "--bank", tmp_path / "b.csv", "--out",
                     tmp_path / "x", "--items", "xml")
    assert rc == 2 and "--items must be both, csv or jsonl" in err and not (tmp_path / "x").exists()


def test_reconcile_no_fallback_matches_by_order_number_only(tmp_path):
    orders, records, options = reconcile_classes(tmp_path, "2024-03-05", "--no-fallback")
    assert (orders, records, options["fallback"]) == ({"missing"}, {"orphan_record"}, False)
    orders, records, options = reconcile_classes(tmp_path, "2024-03-05")
    assert (orders, records, options["fallback"]) == ({"paid"}, {"paid"}, True)


# ---- eligo test, eligo check ----------------------------------------------------------------------------------

def test_test_coverage_and_coverage_json_report_what_the_cases_reached(tmp_path):
    (tmp_path / "tests").mkdir()
    pack = tmp_path / "c.pack.json"
    pack.write_text('{"pack": "t.cov", "version": "1", "record": "a", "inputs": {"a": {"fields": {"x": "number"}}},'
                    ' "checks": [{"id": "big", "require": "a.x > 1", "reason": "small"},'
                    '            {"id": "odd", "require": "a.x % 2 == 1", "reason": "even"}],'
                    ' "tests": ["tests/c.cases.json"]}', encoding="utf-8")
    cases = [("3 passes both", 3, {"verdict": "eligible"}),
             ("4 is even", 4, {"verdict": "ineligible", "failed": ["odd"]}),
             ("0 is small", 0, {"verdict": "ineligible", "failed": ["big"]})]
    (tmp_path / "tests" / "c.cases.json").write_text(json.dumps({"cases": [
        {"name": n, "as_of": "2024-05-01", "input": {"a": {"x": x}}, "expect": e} for n, x, e in cases]}),
        encoding="utf-8")
    rc, out, _ = run("test", pack, "--coverage")
    assert rc == 0
    assert out.splitlines()[1:] == [
        "3 passed, 0 failed",
        f"coverage of t.cov 1 ({pack}), 3 evaluations",
        "  checks seen passed and failed: 2/2",
        "      big: passed 2, failed 1, needs_evidence 0, skipped 0",
        "      odd: passed 1, failed 1, needs_evidence 0, skipped 0",  # not run after big failed: not counted
        "  table rows reached: 0/0",
        "  if branches, both taken: 0/0",
        "  caps reached: 0/0",
        "  full check and row coverage"]
    rc, out, _ = run("test", pack)
    assert rc == 0 and out.splitlines()[1:] == ["3 passed, 0 failed"]
    rc, _, _ = run("test", pack, "--coverage-json", tmp_path / "cov.json")
    assert rc == 0
    cov = json.loads((tmp_path / "cov.json").read_text(encoding="utf-8"))
    assert cov == {"packs": [{"pack": "t.cov", "version": "1", "file": str(pack), "evaluations": 3, "full": True,
                              "checks": [{"id": "big", "passed": 2, "failed": 1, "needs_evidence": 0, "skipped": 0,
                                          "covered": True},
                                         {"id": "odd", "passed": 1, "failed": 1, "needs_evidence": 0, "skipped": 0,
                                          "covered": True}],
                              "rows": [], "branches": [], "caps": []}]}
    # --full-coverage: without the case that fails odd, odd is never seen failed: exit 1.
    (tmp_path / "tests" / "c.cases.json").write_text(json.dumps({"cases": [
        {"name": n, "as_of": "2024-05-01", "input": {"a": {"x": x}}, "expect": e} for n, x, e in cases if x != 4]}),
        encoding="utf-8")
    assert run("test", pack, "--coverage")[0] == 0
    rc, out, _ = run("test", pack, "--full-coverage")
    assert rc == 1 and "  checks seen passed and failed: 1/2" in out.splitlines()


def test_check_allow_outside_paths(tmp_path):
    (tmp_path / "pack").mkdir()
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "t.csv").write_text("code\nA\nB\n", encoding="utf-8")
    (tmp_path / "pack" / "p.pack.json").write_text(
        '{"pack": "t.outside", "version": "1", "inputs": {"a": {"fields": {"code": "string"}}},\n'
        ' "lists": {"codes": {"file": "../tables/t.csv", "column": "code"}},\n'
        ' "outputs": {"known": "a.code in codes"}}', encoding="utf-8")
    rc, out, _ = run("check", "--lang", "en", tmp_path / "pack" / "p.pack.json")
    assert rc == 1 and "error[E1110] /lists/codes/file: list file '../tables/t.csv' is outside the pack's folder" in out
    rc, out, _ = run("check", "--lang", "en", "--allow-outside-paths", tmp_path / "pack" / "p.pack.json")
    assert rc == 0 and out.startswith(f"ok: {tmp_path / 'pack' / 'p.pack.json'}: t.outside 1 sha256:")


# ---- eligo batch ----------------------------------------------------------------------------------------------

BATCH_ROWS = ("id,name,x,acct,comm\n"
              "11010519491231002X,段正淳,0,6214832018989180,C1\n"
              "610104620927690,阿朱,3,6214832018989181,C2\n"
              "440106198001010019,阿紫,5,6214832018989182,C2\n")


def folder(path):
    """A folder for --out: the trailing slash says so (pathlib drops it)."""
    return str(path) + "/"


def batch(files, *args):
    rc, out, err = run("batch", files / "p.pack.json", "--as-of", "2024-06-01", "--lang", "en", "--progress", "off",
                       *args)
    return rc, out, err


@pytest.fixture
def batch_files(files):
    pack = PACK.replace('"x": "number"}', '"x": "number", "name": {"type": "string", "pii": "name"}, '
                                          '"acct": "string", "comm": "string"}')
    (files / "p.pack.json").write_text(pack, encoding="utf-8")
    (files / "r.csv").write_text(BATCH_ROWS, encoding="utf-8")
    return files


def test_batch_blacklist_and_blacklist_db(batch_files):
    f = batch_files
    rc, _, _ = batch(f, "--input", f / "r.csv", "--out", folder(f / "none"))
    assert [r["verdict"] for r in read_csv(f / "none/results.csv")] == ["error", "error", "error"]
    assert rc == 1  # no row decided: E2009, no blacklist given
    for option, path in [("--blacklist", f / "bl.csv"), ("--blacklist-db", f / "bl.sqlite")]:
        out = f / option.strip("-")
        rc, _, err = batch(f, "--input", f / "r.csv", "--out", str(out) + "/", option, path)
        assert rc == 0, err
        rows = read_csv(out / "results.csv")
        assert [(r["verdict"], r["failed_check"], r["output.amount"]) for r in rows] == [
            ("ineligible", "big", ""), ("ineligible", "clean", ""), ("eligible", "", "500")]


def test_batch_mode_all_lists_what_later_checks_miss(batch_files):
    f = batch_files
    (f / "gap.csv").write_text("id,name,x,acct,comm\n,无名,0,,\n", encoding="utf-8")
    args = ["--input", f / "gap.csv", "--blacklist", f / "bl.csv", "--format", "jsonl"]
    batch(f, *args, "--out", folder(f / "first"))
    batch(f, *args, "--out", folder(f / "all"), "--mode", "all")
    first = json.loads((f / "first/results.jsonl").read_text(encoding="utf-8"))
    every = json.loads((f / "all/results.jsonl").read_text(encoding="utf-8"))
    assert (first["failed_check"], first["missing"]) == ("big", [])
    assert (every["failed_check"], every["missing"]) == ("big", ["a.id"])


def test_batch_key_names_the_person_column(batch_files):
    f = batch_files
    batch(f, "--input", f / "r.csv", "--out", folder(f / "k"), "--blacklist", f / "bl.csv", "--key", "a.acct")
    # the account numbers are cards by shape: masked like any other (6 + 4)
    assert [r["key"] for r in read_csv(f / "k/results.csv")] == ["621483******9180", "621483******9181",
                                                                 "621483******9182"]
    batch(f, "--input", f / "r.csv", "--out", folder(f / "kc"), "--blacklist", f / "bl.csv", "--key", "a.acct",
          "--clear-pii")
    assert [r["key"] for r in read_csv(f / "kc/results.csv")] == ["6214832018989180", "6214832018989181",
                                                                  "6214832018989182"]
    batch(f, "--input", f / "r.csv", "--out", folder(f / "d"), "--blacklist", f / "bl.csv")
    assert [r["key"] for r in read_csv(f / "d/results.csv")] == ["110105********002X", "610104********6908",
                                                                 "440106********0019"]


def test_batch_unknown_fields_warn_and_ignore(batch_files):
    f = batch_files
    (f / "extra.csv").write_text("id,name,x,acct,comm,extra\n440106198001010019,阿紫,5,a,C2,1\n", encoding="utf-8")
    rc, _, err = batch(f, "--input", f / "extra.csv", "--out", folder(f / "e"), "--blacklist", f / "bl.csv")
    assert rc == 2 and list((f / "e").glob("*")) == []  # the folder may be made, nothing is written in it
    assert err.splitlines() == [f"eligo batch: {f / 'extra.csv'}: column 6 'extra' is not an input of pack t.opts",
                                "eligo batch: stopped; no output written"]
    for policy in ["warn", "ignore"]:
        rc, _, err = batch(f, "--input", f / "extra.csv", "--out", folder(f / policy), "--blacklist", f / "bl.csv",
                           "--unknown-fields", policy)
        s = json.loads((f / policy / "summary.json").read_text(encoding="utf-8"))
        assert (rc, s["results"], s["rejected"]) == (0, 1, 0), err
        assert [(r["verdict"], r["output.amount"]) for r in read_csv(f / policy / "results.csv")] == [("eligible", "500")]


def test_batch_summary_file_input_format_and_sheet(batch_files):
    f = batch_files
    (f / "rows.txt").write_text(BATCH_ROWS, encoding="utf-8")
    rc, _, err = batch(f, "--input", f / "rows.txt", "--input-format", "csv", "--out", folder(f / "t"), "--blacklist",
                       f / "bl.csv", "--summary", f / "extra-summary.json")
    assert rc == 0, err
    s = json.loads((f / "extra-summary.json").read_text(encoding="utf-8"))
    assert (s["rows"], s["verdicts"], s["sums"]) == (3, {"eligible": 1, "ineligible": 2, "needs_evidence": 0,
                                                         "error": 0}, {"amount": "500"})
    assert s["files"] == [folder(f / "t") + "results.csv", folder(f / "t") + "rejected.csv",
                          str(f / "extra-summary.json"), folder(f / "t") + "summary.txt"]
    assert not (f / "t" / "summary.json").exists()  # the summary went where --summary said
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.title = "cover"
    wb.active.append(["nothing here"])
    sheet = wb.create_sheet("people")
    for line in BATCH_ROWS.splitlines():
        sheet.append(line.split(","))
    wb.save(f / "rows.xlsx")
    rc, _, err = batch(f, "--input", f / "rows.xlsx", "--sheet", "people", "--out", folder(f / "x"), "--blacklist",
                       f / "bl.csv")
    assert rc == 0, err
    assert [r["verdict"] for r in read_csv(f / "x/results.csv")] == ["ineligible", "ineligible", "eligible"]


def test_batch_payout_orders_account_and_community(batch_files):
    f = batch_files
    orders = f / "orders.csv"
    rc, _, err = batch(f, "--input", f / "r.csv", "--out", folder(f / "o"), "--blacklist", f / "bl.csv", "--payout-orders",
                       orders, "--amount", "amount", "--policy", "p", "--period", "2024-Q2", "--created",
                       "2024-06-02", "--payee-name", "a.name", "--account", "a.acct", "--community", "comm")
    assert rc == 0, err
    rows = read_csv(orders)
    assert len(rows) == 1
    r = rows[0]
    assert (r["payee_id"], r["payee_name"], r["account"], r["community"], r["amount"], r["created"], r["period"],
            r["policy"]) == ("440106198001010019", "阿紫", "6214832018989182", "C2", "500", "2024-06-02", "2024-Q2",
                             "p")


# ---- eligo diff -----------------------------------------------------------------------------------------------

def test_diff_old_and_new_as_of_top_key_json_and_xlsx(tmp_path):
    rc, out, err = run("diff", os.path.join(GZ, "gz-points-2018.pack.json"), os.path.join(GZ, "gz-points-2021.pack.json"),
                       "--input", GZ_APPLICANTS, "--old-as-of", "2021-11-15", "--new-as-of", "2021-11-16",
                       "--top", "2", "--key", "applicant.id_number", "--json", tmp_path / "d.json",
                       "--xlsx", tmp_path / "d.xlsx")
    assert rc == 0, err
    d = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert (d["old"], d["new"], d["applicants"], d["verdict_changed"]) == ("cn.gz.points 2018.1", "cn.gz.points 2021.1",
                                                                           6, 0)
    assert (d["points_up"], d["points_down"], d["points_same"]) == (5, 1, 0)
    assert (d["old_total_sum"], d["new_total_sum"]) == ("511", "703.00")
    assert [(m["line"], m["key"], m["old_total"], m["new_total"], m["delta"]) for m in d["movers"]] == [
        (3, "450103********0396", "116", "197.00", "81.00"), (2, "410102********0930", "152", "202", "50")]
    assert "points up: 5, down: 1, same: 0" in out.splitlines()
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(tmp_path / "d.xlsx")["movers 变动最大"]
    assert [c.value for c in ws[2]][:7] == [3, "450103********0396", "eligible", "eligible", 116, 197, 81]
    assert ws.max_row == 3  # the header and --top 2
    # --clear-pii shows the key as given; --as-of applies one date to both packs.
    with open(GZ_APPLICANTS, encoding="utf-8") as fh:
        third = json.loads(fh.readlines()[2])["applicant"]["id_number"]
    rc, out, _ = run("diff", os.path.join(GZ, "gz-points-2021.pack.json"), os.path.join(GZ, "gz-points-2021.pack.json"),
                     "--input", GZ_APPLICANTS, "--as-of", "2024-05-01", "--key", "applicant.id_number", "--json",
                     tmp_path / "same.json")
    same = json.loads((tmp_path / "same.json").read_text(encoding="utf-8"))
    assert rc == 0 and (same["points_same"], same["movers"]) == (6, [])
    rc, _, _ = run("diff", os.path.join(GZ, "gz-points-2018.pack.json"), os.path.join(GZ, "gz-points-2021.pack.json"),
                   "--input", GZ_APPLICANTS, "--old-as-of", "2021-11-15", "--new-as-of", "2021-11-16", "--top", "1",
                   "--key", "applicant.id_number", "--clear-pii", "--json", tmp_path / "clear.json")
    clear = json.loads((tmp_path / "clear.json").read_text(encoding="utf-8"))
    assert rc == 0 and [m["key"] for m in clear["movers"]] == [third]


def test_diff_blacklist_lets_a_pack_that_checks_one_run(files):
    old = PACK.replace("\"t.opts\", \"version\": \"1\"", "\"t.opts\", \"version\": \"0\"").replace(
        "not blacklisted(a.id, 'points')", "true")
    (files / "old.pack.json").write_text(old, encoding="utf-8")
    (files / "a.jsonl").write_text('{"a": {"id": "610104620927690", "x": 3}}\n{"a": {"id": "440106198001010019", "x": 3}}\n',
                                   encoding="utf-8")
    args = ["diff", files / "old.pack.json", files / "p.pack.json", "--input", files / "a.jsonl", "--as-of",
            "2024-06-01", "--json", files / "d.json"]
    rc, _, _ = run(*args, "--blacklist", files / "bl.csv")
    d = json.loads((files / "d.json").read_text(encoding="utf-8"))
    assert rc == 0
    assert (d["verdict_changed"], d["transitions"], d["new_errors"]) == (1, {"eligible → ineligible": 1}, 0)
    rc, _, _ = run(*args)
    d = json.loads((files / "d.json").read_text(encoding="utf-8"))
    assert d["new_errors"] == 2 and "E2009" in d["first_error"]


# ---- the record reader's options on rank, review and compare -------------------------------------------------

def xlsx_with_sheet(path, name, csv_text):
    """A workbook whose first sheet is a cover page and whose sheet `name` holds the rows of csv_text."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.title = "cover"
    wb.active.append(["nothing here"])
    sheet = wb.create_sheet(name)
    for row in csv.reader(csv_text.splitlines()):
        sheet.append(row)
    wb.save(path)


RANK_SPEC = {"version": 1, "seed": "t", "key": "key", "points": "total", "order": [{"by": "total", "desc": True}],
             "preferences": "preferences", "separator": ";",
             "schools": [{"id": "S01", "places": 1, "name": "一小"}, {"id": "S02", "places": 1, "name": "二小"}]}
RANK_ROWS = "key,total,preferences\n甲,90,S01;S02\n乙,80,S01\n丙,85,S01;S02\n丁,x,S01\n"


def test_rank_rejected_input_format_encoding_and_sheet(tmp_path):
    (tmp_path / "spec.json").write_text(json.dumps(RANK_SPEC, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "a.csv").write_text(RANK_ROWS, encoding="utf-8")
    (tmp_path / "a.txt").write_bytes(RANK_ROWS.encode("gb18030"))
    xlsx_with_sheet(tmp_path / "a.xlsx", "applicants", RANK_ROWS)
    base = ["rank", "--spec", tmp_path / "spec.json"]
    rc, out, err = run(*base, "--input", tmp_path / "a.csv", "--out", tmp_path / "p.csv", "--rejected",
                       tmp_path / "r.csv")
    assert rc == 0, err
    assert out.splitlines()[0] == "eligo rank: 4 rows: 3 ranked, 1 rejected; 2 placed (2 places); seed t"
    assert [(r["rank"], r["key"], r["school"], r["preference"]) for r in read_csv(tmp_path / "p.csv")] == [
        ("1", "甲", "S01", "1"), ("2", "丙", "S02", "2"), ("3", "乙", "", "")]
    assert read_csv(tmp_path / "r.csv") == [{"row": "5", "column": "total", "reason": "'x' is not a number"}]
    assert "eligo rank: rejected row 5 (total): 'x' is not a number" in err
    expected = (tmp_path / "p.csv").read_bytes()
    # The same rows in GB18030 under another extension, and in the second sheet of a workbook.
    rc, _, err = run(*base, "--input", tmp_path / "a.txt", "--input-format", "csv", "--encoding", "gb18030",
                     "--out", tmp_path / "p2.csv")
    assert rc == 0 and (tmp_path / "p2.csv").read_bytes() == expected, err
    rc, _, err = run(*base, "--input", tmp_path / "a.xlsx", "--sheet", "applicants", "--out", tmp_path / "p3.csv")
    assert rc == 0 and (tmp_path / "p3.csv").read_bytes() == expected, err
    rc, _, err = run(*base, "--input", tmp_path / "a.xlsx", "--out", tmp_path / "p4.csv")  # the cover sheet
    assert rc == 2 and not (tmp_path / "p4.csv").exists()
    rc, out, err = run(*base, "--input", tmp_path / "a.txt", "--input-format", "csv", "--out", tmp_path / "p5.csv")
    assert rc == 0 and out.splitlines()[0] == "eligo rank: 4 rows: 0 ranked, 4 rejected; 0 placed (2 places); seed t"
    assert "eligo rank: rejected row 2 (key): not valid UTF-8 (if the file is GB18030 or GBK, give its encoding)" in err


def test_rank_refuses_keys_that_are_id_numbers_unless_clear_pii(tmp_path):
    (tmp_path / "spec.json").write_text(json.dumps(RANK_SPEC, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "a.csv").write_text("key,total,preferences\n甲,90,S01\n110105199001010010,80,S01;S02\n",
                                    encoding="utf-8")
    base = ["rank", "--spec", tmp_path / "spec.json", "--input", tmp_path / "a.csv", "--out", tmp_path / "p.csv"]
    rc, out, err = run(*base)
    assert rc == 2 and out == "" and not (tmp_path / "p.csv").exists()
    assert err == ("eligo rank: %s: column 'key' holds ID numbers (1 row: 3; row 3: 110105********0010): placements "
                   "are published with each key and its lottery value, from which the number can be recovered; key "
                   "applicants by an application number or a keyed hash (eligo id --hash), or ask for ID numbers in "
                   "clear (eligo rank --clear-pii)\n" % (tmp_path / "a.csv"))
    rc, out, err = run(*base, "--clear-pii")
    assert rc == 0, err
    assert [(r["key"], r["school"]) for r in read_csv(tmp_path / "p.csv")] == [("甲", "S01"), ("110105199001010010", "S02")]


REVIEW_ITEMS = ("key,item,label,department,points,declared,source\n"
                "A0000001,si_months,社保月数,人社,12.5,36,30\n"
                "A0000002,si_months,社保月数,人社,8,24,24\n")


def test_review_reader_options_and_score_columns(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    (tmp_path / "items.csv").write_text(REVIEW_ITEMS, encoding="utf-8")
    (tmp_path / "items.txt").write_bytes(REVIEW_ITEMS.encode("gb18030"))
    xlsx_with_sheet(tmp_path / "items.xlsx", "items", REVIEW_ITEMS)
    rc, out, err = run("review", "export", "--items", tmp_path / "items.csv", "--out", tmp_path / "e1")
    assert rc == 0, err
    assert out.splitlines()[0] == f"eligo review export: 2 rows: 2 items, 0 rejected; 1 workbook(s) in {tmp_path / 'e1'}"
    for name, extra in [("e2", ["--items", tmp_path / "items.txt", "--input-format", "csv", "--encoding", "gb18030"]),
                        ("e3", ["--items", tmp_path / "items.xlsx", "--sheet", "items"])]:
        rc, _, err = run("review", "export", *extra, "--out", tmp_path / name)
        assert rc == 0, err
        for f in ["review-export.json", "review-1.xlsx"]:
            assert (tmp_path / name / f).read_bytes() == (tmp_path / "e1" / f).read_bytes(), (name, f)
    rc, _, err = run("review", "export", "--items", tmp_path / "items.txt", "--input-format", "csv",
                     "--out", tmp_path / "e4")
    assert rc == 1 and err.splitlines()[-1] == (f"eligo review export: 2 problem(s) in {tmp_path / 'items.txt'}; "
                                                "nothing written (a review export holds every item or none)")

    # import: the scores name their columns id and points, not key and total.
    wb = openpyxl.load_workbook(tmp_path / "e1" / "review-1.xlsx")
    wb["审核 review"]["G2"] = "不通过"
    wb.save(tmp_path / "edited.xlsx")
    (tmp_path / "scores.csv").write_text("id,points\nA0000001,100\nA0000002,90\n", encoding="utf-8")
    imp = ["review", "import", "--export", tmp_path / "e1", "--scores", tmp_path / "scores.csv", "--reviewer", "x",
           "--at", "2026-11-29T10:00:00Z", "--out", tmp_path / "final.csv", "--log", tmp_path / "log.jsonl"]
    rc, _, err = run(*imp, tmp_path / "edited.xlsx")
    assert rc == 2 and err == ("eligo review import: scores.csv: the header lacks 'key', 'total'; "
                               "it has: id, points\n").replace("scores.csv", str(tmp_path / "scores.csv"))
    rc, _, err = run(*imp, "--key-column", "id", "--total-column", "points", tmp_path / "edited.xlsx")
    assert rc == 0, err
    assert [(r["total_before"], r["removed"], r["total"], r["status"]) for r in read_csv(tmp_path / "final.csv")] == [
        ("100", "12.5", "87.5", "reviewed"), ("90", "0", "90", "pending")]


def test_compare_source_reader_options(tmp_path):
    fixture = os.path.join(SRC, "tests", "admission", "compare")
    source = open(os.path.join(fixture, "source.csv"), encoding="utf-8").read()
    (tmp_path / "source.txt").write_bytes(source.encode("gb18030"))
    xlsx_with_sheet(tmp_path / "source.xlsx", "source", source)
    base = ["compare", os.path.join(fixture, "points.pack.json"), "--declared", os.path.join(fixture, "declared.jsonl"),
            "--as-of", "2022-06-30"]
    rc, out, err = run(*base, "--source", os.path.join(fixture, "source.csv"), "--out", tmp_path / "o1")
    assert rc == 0, err
    assert out.splitlines()[:2] == ["eligo compare: 5 rows: 3 compared, 2 rejected; source 3 rows, 1 not used",
                                    "  15 items: 6 matched, 4 mismatched, 4 missing in source, 1 missing declared"]
    expected = (tmp_path / "o1" / "compare.csv").read_bytes()
    for name, extra in [("o2", ["--source", tmp_path / "source.txt", "--input-format", "csv", "--encoding", "gb18030"]),
                        ("o3", ["--source", tmp_path / "source.xlsx", "--sheet", "source"])]:
        rc, out2, err = run(*base, *extra, "--out", tmp_path / name)
        assert rc == 0, err
        assert out2.splitlines()[:2] == out.splitlines()[:2]
        assert (tmp_path / name / "compare.csv").read_bytes() == expected, name
    rc, _, err = run(*base, "--source", tmp_path / "source.txt", "--input-format", "csv", "--out", tmp_path / "o4")
    assert "source.txt, row 2 (name): not valid UTF-8 (if the file is GB18030 or GBK, give its encoding)" in err
