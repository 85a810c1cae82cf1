"""The Python binding, mirroring the C++ tests: compile errors, decisions, sources, batches, identity."""
import decimal
import json
import threading
import time

import pandas as pd
import pytest

import eligo

SUBSIDY = """{
  "pack": "py.subsidy", "version": "1",
  "inputs": {
    "applicant": {"fields": {"id_number": "cn_id", "name": {"type": "string", "pii": "name"}, "birth_date": "date"}},
    "police": {"source": "public_security", "fields": {"hukou_district": "string"}}
  },
  "checks": [
    {"id": "adult", "require": "years_between(applicant.birth_date, as_of) >= 18", "reason": {"zh-CN": "未满18周岁", "en": "under 18"}},
    {"id": "household", "require": "police.hukou_district == '330106'",
     "reason": {"zh-CN": "非本区户籍（户籍地：{police.hukou_district}）", "en": "registered in {police.hukou_district}"}}
  ],
  "outputs": {"amount": "5000.00"}
}"""


def test_load_raises_rule_error_with_every_diagnostic():
    with pytest.raises(eligo.RuleError) as e:
        eligo.compile('{"pack": "py.bad", "version": "1", "inputs": {"a": {"fields": {"x": "number"}}},'
                      ' "checks": [{"id": "c", "require": "a.y > 1"}]}', "bad.pack.json", lang="en")
    codes = [d["code"] for d in e.value.diagnostics]
    assert codes == ["E1203", "E1108"]
    assert e.value.diagnostics[0]["pointer"] == "/checks/0/require"
    assert e.value.diagnostics[0]["message"] == "unknown field 'a.y' (did you mean 'a.x'?)"
    assert "bad.pack.json:1:" in str(e.value) and "2 errors" in str(e.value)


def test_diagnostics_in_chinese_keep_their_codes():
    with pytest.raises(eligo.RuleError) as e:
        eligo.compile('{"pack": "py.bad", "version": "1", "inputs": {"a": {"fields": {"x": "number"}}},'
                      ' "checks": [{"id": "c", "require": "a.x ≥ 1"}]}', "bad.pack.json", lang="zh-CN")
    assert [d["code"] for d in e.value.diagnostics] == ["E1201", "E1108"]
    assert e.value.diagnostics[0]["message"] == "语法错误：全角字符 '≥'：请改用半角的 '>='（切换到英文输入法）"
    assert "2 个错误" in str(e.value)


def test_bundled_pack_loads_and_explains_a_rejection(root):
    pack = eligo.load(root / "rules/major-illness/major-illness.pack.json")
    assert pack.id == "cn.minsheng.major-illness" and len(pack.hash) == 64
    with open(root / "examples/applicants/major-illness.jsonl", encoding="utf-8") as f:
        applicants = [json.loads(line) for line in f if line.strip()]
    results = [pack.evaluate(a, as_of="2024-05-01") for a in applicants]
    assert [r.verdict for r in results] == ["eligible", "eligible"] + ["ineligible"] * 4
    assert [r.failed for r in results] == [[], [], ["identity"], ["household"], ["disease"], ["certificate"]]
    assert [r.reasons for r in results] == [
        [], [], ["患病人姓名与身份证号码不一致（与人社登记信息不符）"], ["患病人非本区户籍（户籍地：330102）"],
        ["患病人疾病种类不属于补助病种（医保住院记录2条，均不在病种目录内）"],
        ["患病人住院期间未持有低保、低保边缘或特困供养证（目录病种住院1次，民政持证记录1条）"]]
    assert all(r.missing == [] for r in results)
    assert (pack.effective_from, pack.effective_until) == (None, None)  # no "effective": always in force


def test_a_failing_first_check_spares_the_source_and_reasons_mask_pii():
    pack = eligo.compile(SUBSIDY)
    calls = []

    def sources(source, group, applicant):
        calls.append((source, group, applicant["applicant"]["id_number"]))
        return {"hukou_district": "330102"}

    young = {"applicant": {"id_number": "330106195804120220", "name": "陈秀英", "birth_date": "2010-01-01"}}
    r = pack.evaluate(young, as_of="2024-05-01", lang="en", sources=sources)
    assert r.verdict == "ineligible" and r.reasons == ["under 18"] and calls == []

    adult = dict(young, applicant=dict(young["applicant"], birth_date="1958-04-12"))
    r = pack.evaluate(adult, as_of="2024-05-01", sources=sources)
    assert calls == [("public_security", "police", "330106195804120220")]
    assert r.reasons == ["非本区户籍（户籍地：330102）"]
    assert "330106195804120220" not in r.to_json()
    assert r.failed == ["household"]


def test_a_source_with_no_record_gives_needs_evidence():
    r = eligo.compile(SUBSIDY).evaluate(
        {"applicant": {"id_number": "330106195804120220", "birth_date": "1958-04-12"}},
        as_of="2024-05-01", sources=lambda s, g, a: None)
    assert r.verdict == "needs_evidence"
    assert r.missing == ["police.hukou_district"]


def test_scores_and_outputs_are_exact_decimals(root):
    pack = eligo.load(root / "rules/gz-points/gz-points-2021.pack.json")
    with open(root / "examples/applicants/gz-points.jsonl", encoding="utf-8") as f:
        first = json.loads(f.readline())
    r = pack.evaluate(first, as_of="2024-05-01")
    assert isinstance(r.score, decimal.Decimal)
    assert r.score == decimal.Decimal("178")
    assert [(i["id"], i["points"]) for i in r.items if i["points"]] == [
        ("permit", 40), ("home", 20), ("si_pension", 10), ("si_medical", 10), ("si_unemployment", 10),
        ("si_injury", 10), ("si_maternity", 10), ("housing_fund", 8), ("age", 30), ("education", 30)]
    assert r.score == sum(i["points"] for i in r.items if not i.get("deduct"))
    assert (pack.version, pack.effective_from, pack.effective_until) == ("2021.1", "2021-11-16", "2026-11-15")
    ok = eligo.compile(SUBSIDY).evaluate(
        {"applicant": {"id_number": "330106195804120220", "birth_date": "1958-04-12"}, "police": {"hukou_district": "330106"}},
        as_of="2024-05-01")
    assert ok.verdict == "eligible" and ok.outputs == {"amount": "5000.00"}


def test_as_of_outside_the_window_is_an_error_result(root):
    r = eligo.load(root / "rules/gz-points/gz-points-2021.pack.json").evaluate({"applicant": {}}, as_of="2030-01-01")
    assert r.verdict == "error"
    assert r.error == {"code": "E2002", "pointer": "/effective", "message":
                       "pack cn.gz.points 2021.1 is in force from 2021-11-16 until 2026-11-15; as_of 2030-01-01 is outside"}
    old = eligo.load(root / "rules/gz-points/gz-points-2018.pack.json")
    assert (old.effective_from, old.effective_until) == ("2018-07-01", "2021-11-15")


def test_bad_options_raise_value_error():
    pack = eligo.compile(SUBSIDY)
    with pytest.raises(ValueError) as e:
        pack.evaluate({}, as_of="2024-02-30")
    assert str(e.value) == "as_of must be a date written YYYY-MM-DD, got '2024-02-30'"
    with pytest.raises(ValueError) as e:
        pack.evaluate({}, lang="fr")
    assert str(e.value) == "lang must be 'zh-CN' or 'en'"
    with pytest.raises(ValueError) as e:
        pack.evaluate({}, mode="most")
    assert str(e.value) == "mode must be 'first_failure' or 'all'"
    with pytest.raises(ValueError) as e:
        pack.evaluate({}, unknown_fields="most")
    assert str(e.value) == "unknown_fields is 'error', 'warn' or 'ignore'"


def test_evaluate_batch_over_a_dataframe_matches_one_by_one():
    pack = eligo.compile(SUBSIDY)
    df = pd.DataFrame({
        "applicant.id_number": ["330106195804120220", "330106195804120220", None, "330106195804120221"],
        "applicant.birth_date": pd.Series([pd.Timestamp("1958-04-12"), "2010-01-01", "1990-01-01", "1958-04-12"],
                                          dtype=object, index=[10, 11, 12, 13]),
        "police.hukou_district": ["330106", "330106", "330102", float("nan")],
    }, index=[10, 11, 12, 13])
    out = pack.evaluate_batch(df, as_of="2024-05-01", lang="en", decisions=True)
    assert list(out.columns)[:len(eligo.BATCH_COLUMNS) + 1] == eligo.BATCH_COLUMNS + ["decision"]
    assert list(out.index) == [10, 11, 12, 13]
    assert list(out["verdict"]) == ["eligible", "ineligible", "ineligible", "needs_evidence"]
    assert out.loc[11, "reasons"] == "under 18"
    assert out.loc[12, "failed"] == "household"
    # the bad check character is a data error on that row only, and the rest of the row still runs
    assert "E3003" in out.loc[13, "decision"]
    for i, row in enumerate(df.to_dict("records")):
        nested = {}
        for k, v in row.items():
            if v is None or (isinstance(v, float) and v != v):
                continue
            g, f = k.split(".", 1)
            nested.setdefault(g, {})[f] = v.date().isoformat() if hasattr(v, "date") else v
        assert pack.evaluate(nested, as_of="2024-05-01", lang="en").to_json() == out.iloc[i]["decision"]


def test_evaluate_batch_releases_the_gil():
    pack = eligo.compile(SUBSIDY)
    rows = ['{"applicant": {"birth_date": "1990-01-01"}, "police": {"hukou_district": "330106"}}'] * 200000
    done = threading.Event()
    ticks = 0

    def run():
        pack._native.evaluate_batch(rows, eligo._options("2024-05-01"), 2)
        done.set()

    t = threading.Thread(target=run)
    t.start()
    while not done.is_set():  # this loop only advances while the batch thread does not hold the GIL
        ticks += 1
        time.sleep(0)
    t.join()
    assert ticks > 100


def test_identity_functions():
    c = eligo.id_check("610104620927690", as_of="2024-05-01")
    assert c == {"kind": "resident_legacy", "valid": True, "problem": "none", "reason": "valid",
                 "canonical": "610104196209276908", "birth_date": "1962-09-27", "sex": "female", "region": 610104,
                 "region_name": "陕西省 西安市 莲湖区"}
    bad = eligo.id_check("110105194912310029")
    assert bad == {"kind": "resident", "valid": False, "problem": "check_character",
                   "reason": "check character is 9, expected X", "canonical": "", "birth_date": "1949-12-31",
                   "sex": "female", "region": 110105, "region_name": "北京市 朝阳区"}
    assert eligo.mask("mobile", "18012341999") == "180****1999"
    assert eligo.names_match("阿依古丽·买买提", "阿依古丽•买买提")
    assert not eligo.names_match("阿依古丽·买买提", "阿依古丽·买买")
    assert eligo.normalize_name("阿依古丽 · 买买提") == "阿依古丽·买买提"  # white space out, the dot unified
    assert eligo.normalize_name("ＡＢ　c•d") == "ABc·d"  # NFKC: full-width letters and space
    with pytest.raises(ValueError):
        eligo.mask("passport", "x")


def test_pandas_missing_markers_and_small_decimals_are_sent_exactly():
    pack = eligo.compile('{"pack": "py.na", "version": "1", "inputs": {"a": {"fields": {"n": "number", "d": "date", "s": "string"}}},'
                         ' "outputs": {"n": "a.n ?? -1", "d": "present(a.d)", "s": "a.s ?? \'none\'"}}')
    df = pd.DataFrame({"a.n": pd.array([pd.NA, 2], dtype="Int64"), "a.d": [pd.NaT, pd.Timestamp("2024-01-01")],
                       "a.s": pd.array([pd.NA, "x"], dtype="string")})
    out = pack.evaluate_batch(df, as_of="2024-05-01", decisions=True)
    assert list(out["verdict"]) == ["eligible", "eligible"]
    first = json.loads(out.iloc[0]["decision"])
    assert "data_errors" not in first
    assert first["outputs"]["n"]["value"] == "-1" and first["outputs"]["d"]["value"] is False
    r = pack.evaluate({"a": {"n": decimal.Decimal("1E-7")}}, as_of="2024-05-01")
    assert r.outputs["n"] == "0.0000001" and not r.data_errors


def test_dask_resolves_versions_like_the_engine(root):
    from eligo.dask import _resolve
    folder = str(root / "rules/gz-points")
    assert _resolve(folder, "2021-11-15").endswith("gz-points-2018.pack.json")
    assert _resolve(folder, "2021-11-16").endswith("gz-points-2021.pack.json")
    import datetime
    assert _resolve(folder, datetime.datetime(2024, 5, 1, 9, 0)).endswith("gz-points-2021.pack.json")
    with pytest.raises(ValueError):
        _resolve(folder, "2030-01-01")


def test_blacklists_are_loaded_checked_and_attached(tmp_path):
    csv = tmp_path / "list.csv"
    csv.write_text("id_number,scopes,reason_code,reason_text,source,listed_on,from,until\n"
                   "610104196209276908,points,SX01,失信被执行人,市中级人民法院,2024-03-01,,\n"
                   "not-an-id,points,SX01,x,y,2024-03-01,,\n", encoding="utf-8")
    bl = eligo.Blacklist.load(csv)
    assert len(bl) == 1 and bl.report["rejected"] == 1 and len(bl.hash) == 64
    hits = bl.check("610104620927690", "points", "2024-05-01")
    assert [h["reason_code"] for h in hits] == ["SX01"] and hits[0]["key"] == "610104********6908"
    pack = eligo.compile('{"pack": "py.bl", "version": "1", "inputs": {"a": {"fields": {"id": "cn_id"}}},'
                         ' "checks": [{"id": "c", "require": "not blacklisted(a.id, \'points\')",'
                         ' "reason": "{blacklist_reasons(a.id, \'points\')}"}]}')
    applicant = {"a": {"id": "610104620927690"}}
    assert pack.evaluate(applicant, as_of="2024-05-01").error["code"] == "E2009"
    r = pack.evaluate(applicant, as_of="2024-05-01", blacklist=bl)
    assert r.reasons == ["失信被执行人（市中级人民法院，2024-03-01）"]
    assert r.to_dict()["blacklist"]["hits"][0]["key"] == "610104********6908"
    out = pack.evaluate_batch([applicant, {"a": {"id": "330106195804120220"}}], as_of="2024-05-01", blacklist=bl)
    assert list(out["verdict"]) == ["ineligible", "eligible"]
    assert bl.version == "sha256:" + bl.hash[:12]


def test_a_blacklist_store_opens_with_its_revision_and_a_missing_one_is_an_error(tmp_path):
    import os
    import subprocess
    csv = tmp_path / "list.csv"
    csv.write_text("id_number,scopes,reason_code,reason_text,source,listed_on\n"
                   "610104196209276908,points,SX01,失信被执行人,市中级人民法院,2024-03-01\n"
                   "11010519491231002X,housing,SX02,x,court,2024-04-01\n", encoding="utf-8")
    db = tmp_path / "list.sqlite"
    subprocess.run([os.environ["ELIGO_CLI"], "blacklist", "import", str(csv), "--db", str(db)], check=True,
                   capture_output=True)
    bl = eligo.Blacklist.open_db(db)
    assert (len(bl), bl.version, len(bl.hash)) == (2, "1", 64)
    hits = bl.check("610104620927690", "points", "2024-03-01")
    assert [(h["key"], h["reason_code"], h["from"], h["until"]) for h in hits] == \
        [("610104********6908", "SX01", "2024-03-01", None)]
    assert bl.check("610104620927690", "points", "2024-02-29") == []
    assert bl.check("11010519491231002X", "points", "2024-06-01") == []  # another scope
    with pytest.raises(ValueError, match="no such store"):
        eligo.Blacklist.open_db(tmp_path / "missing.sqlite")
    assert not (tmp_path / "missing.sqlite").exists()  # not made as an empty list that lists no one


POINTS_FLAT = """{"pack": "py.flat", "version": "1", "record": "p",
 "inputs": {"p": {"fields": {"id": {"type": "cn_id", "pii": "id_number"}, "born": "date", "income": "number",
                             "married": "bool", "kids": {"list": {"age": "number"}}}}},
 "scores": [{"id": "age", "points": "years_between(p.born, as_of)"},
            {"id": "income", "points": "p.income"},
            {"id": "married", "points": "if p.married then 10 else 0"},
            {"id": "kids", "points": "count(p.kids, k -> k.age < 18)"}],
 "outputs": {"double": "p.income * 2"}}"""


def test_a_plain_read_csv_of_strings_binds_through_the_coercions(tmp_path):
    """docs/python.md's recipe on an ordinary CSV: read_csv(dtype=str) then evaluate_batch."""
    pack = eligo.compile(POINTS_FLAT)
    f = tmp_path / "people.csv"
    f.write_text('id,born,income,married,kids\n'
                 '110101199003074477,1990/1/1,"1,200元",false,"[{""age"": 3}]"\n'
                 ',19900101,5,是,[]\n'
                 ',1990-13-01,x,maybe,[]\n', encoding="utf-8")
    df = pd.read_csv(f, dtype=str)
    out = pack.evaluate_batch(df, as_of="2024-05-01", numbers="text")
    assert list(out["verdict"]) == ["eligible", "eligible", "eligible"]
    assert list(out["total"]) == ["1235", "49", "0"]
    assert list(out["points.income"]) == ["1200", "5", "0"]
    assert list(out["output.double"]) == ["2400", "10", None]
    assert out.loc[0, "data_errors"] == "" and out.loc[1, "data_errors"] == ""
    assert out.loc[2, "data_errors"].splitlines() == [
        "E3001 p.born: '1990-13-01' is not a date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD, a real calendar day)",
        "E3001 p.income: 'x' is not a number (digits, an optional '.', grouping commas and '元' allowed)",
        "E3001 p.married: 'maybe' is not true or false (true/false, 1/0, 是/否, Y/N)"]
    with pytest.raises(ValueError, match=r"column 2 'birth' is not an input of pack py.flat"):
        pack.evaluate_batch(df.rename(columns={"born": "birth"}), as_of="2024-05-01")


def test_columnar_results_equal_per_row_results_on_a_generated_population():
    import random
    rnd = random.Random(7)
    pack = eligo.compile(POINTS_FLAT)
    n = 3000
    df = pd.DataFrame({
        "born": pd.to_datetime([f"{1950 + rnd.randrange(60)}-0{1 + rnd.randrange(9)}-1{rnd.randrange(9)}" for _ in range(n)]),
        "income": [rnd.choice([0.1, 2.5, 1000, 12.25, float("nan")]) for _ in range(n)],
        "married": [rnd.random() < 0.5 for _ in range(n)],
        "kids": [json.dumps([{"age": rnd.randrange(30)} for _ in range(rnd.randrange(4))]) for _ in range(n)],
    })
    out = pack.evaluate_batch(df, as_of="2024-05-01", decisions=True)
    for i, row in enumerate(df.to_dict("records")):
        flat = {"born": row["born"].date().isoformat(), "married": bool(row["married"]), "kids": json.loads(row["kids"])}
        if row["income"] == row["income"]:
            flat["income"] = decimal.Decimal(repr(row["income"]))
        one = pack.evaluate(flat, as_of="2024-05-01", group="p")
        assert one.to_json() == out.iloc[i]["decision"], i
        assert out.iloc[i]["verdict"] == one.verdict


def test_a_flat_dict_binds_with_group_and_unknown_keys_are_rejected():
    pack = eligo.compile(POINTS_FLAT)
    r = pack.evaluate({"born": "1990-01-01", "income": 1, "married": True, "kids": [], "extra": 1},
                      as_of="2024-05-01", group="p")
    assert r.verdict == "error" and r.error["code"] == "E3004"
    r = pack.evaluate({"born": "1990-01-01", "income": 1, "married": True, "kids": [], "extra": 1},
                      as_of="2024-05-01", group="p", unknown_fields="warn")
    assert r.verdict == "eligible" and json.loads(r.to_json())["data_warnings"][0]["path"] == "p.extra"
