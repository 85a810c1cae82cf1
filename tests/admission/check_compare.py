"""eligo compare end to end (issue 16 item 2): the fixture pack's compare section over declared applicants and
a source table — verdicts per applicant and item, PII masked, points both ways, rows in = compared + rejected,
department to-do lists (待办) that eligo review export takes as they are.

usage: check_compare.py ELIGO SOURCE_DIR WORK_DIR
"""
import csv
import os
import shutil
import subprocess
import sys

eligo, root, work = sys.argv[1:4]
fixture = os.path.join(root, "tests/admission/compare")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
# The to-do lists keep keys in clear (they feed eligo review); --clear-pii output is clear by request.
for folder in ("clear", "review", "out/todo"):
    os.makedirs(os.path.join(work, folder))
    with open(os.path.join(work, folder, ".r8-clear"), "w") as f:
        f.write("*\n")


def run(*args, expect=0):
    p = subprocess.run([eligo, *args], cwd=work, capture_output=True, text=True)
    assert p.returncode == expect, (args, p.returncode, p.stdout, p.stderr)
    return p.stdout, p.stderr


def rows(path):
    return list(csv.DictReader(open(os.path.join(work, path), encoding="utf-8")))


args = ["compare", os.path.join(fixture, "points.pack.json"), "--declared", os.path.join(fixture, "declared.jsonl"),
        "--source", os.path.join(fixture, "source.csv"), "--as-of", "2022-06-30"]
out, err = run(*args, "--out", "out")
assert "eligo compare: 5 rows: 3 compared, 2 rejected; source 3 rows, 1 not used" in out, out
assert "15 items: 6 matched, 4 mismatched, 4 missing in source, 1 missing declared" in out, out
assert "declared.jsonl, rejected row 4 (applicant.id_number): no key" in err, err
assert "declared.jsonl, rejected row 5: the input must be a JSON object" in err, err
assert "source.csv, row 4 (id_number): the key is given twice (first at row 3); only the first row is used" in err, err

got = {(r["line"], r["item"]): r for r in rows("out/compare.csv")}
verdicts = {k: v["verdict"] for k, v in got.items()}
assert verdicts == {
    ("1", "name"): "matched", ("1", "permit_since"): "matched", ("1", "si_months"): "matched",
    ("1", "employer"): "matched", ("1", "contract"): "matched",
    ("2", "name"): "matched", ("2", "permit_since"): "mismatched", ("2", "si_months"): "mismatched",
    ("2", "employer"): "mismatched", ("2", "contract"): "mismatched",
    ("3", "name"): "missing in source", ("3", "permit_since"): "missing in source",
    ("3", "si_months"): "missing in source", ("3", "employer"): "missing in source",
    ("3", "contract"): "missing declared",
}, verdicts
assert got[("1", "name")]["key"] == "110105********002X"
assert got[("1", "name")]["declared"] == "阿*******" and got[("1", "name")]["source"] == "阿*******", got[("1", "name")]
assert got[("1", "permit_since")]["detail"] == "相差 19 天 / 19 days apart"
assert (got[("2", "si_months")]["declared"], got[("2", "si_months")]["source"]) == ("48", "30")
assert (got[("2", "si_months")]["declared_points"], got[("2", "si_months")]["source_points"]) == ("8", "4")
assert (got[("2", "permit_since")]["declared_points"], got[("2", "permit_since")]["source_points"]) == ("48", "48")
assert (got[("1", "si_months")]["declared_points"], got[("1", "si_months")]["source_points"]) == ("6", "6")
assert (got[("3", "si_months")]["declared_points"], got[("3", "si_months")]["source_points"]) == ("4", "")
assert got[("2", "contract")]["declared"] == "2018-06-01.." and got[("2", "contract")]["source"] == "2019-01-01..2020-12-31"

apps = rows("out/applicants.csv")
assert [(a["key"], a["matched"], a["mismatched"], a["missing_source"], a["missing_declared"], a["points_declared"],
         a["points_source"]) for a in apps] == [
    ("110105********002X", "5", "0", "0", "0", "62", "62"),
    ("********", "1", "4", "0", "0", "56", "52"),
    ("********", "0", "0", "4", "1", "44", "0"),
], apps
deps = rows("out/departments.csv")
assert [(d["department"], d["items"], d["matched"], d["mismatched"], d["missing_source"], d["missing_declared"], d["todo"])
        for d in deps] == [
    ("公安局", "3", "2", "0", "1", "0", "todo/公安局.csv"),
    ("来穗局", "3", "1", "1", "1", "0", "todo/来穗局.csv"),
    ("人社局", "6", "2", "2", "1", "1", "todo/人社局.csv"),
    ("市场监管局", "3", "1", "1", "1", "0", "todo/市场监管局.csv"),
], deps
todo = rows("out/todo/人社局.csv")
assert [(t["key"], t["item"], t["points"], t["declared"], t["source"], t["verdict_zh"]) for t in todo] == [
    ("A0000002", "si_months", "8", "48", "30", "不一致"),
    ("A0000002", "contract", "0", "2018-06-01..", "2019-01-01..2020-12-31", "不一致"),
    ("A0000003", "si_months", "4", "24", "", "数据源无记录"),
    ("A0000003", "contract", "0", "", "", "未申报"),
], todo
rejected = rows("out/rejected.csv")
assert [(r["file"], r["row"], r["column"]) for r in rejected] == [
    ("declared", "4", "applicant.id_number"), ("declared", "5", ""), ("source", "4", "id_number")], rejected

# --clear-pii: keys and PII values in clear.
run(*args, "--out", "clear", "--clear-pii")
clear = {(r["line"], r["item"]): r for r in rows("clear/compare.csv")}
assert clear[("1", "name")]["key"] == "11010519491231002X" and clear[("1", "name")]["source"] == "阿依古丽·买买提"

# A department's to-do list goes into eligo review export as it is.
out, _ = run("review", "export", "--items", "out/todo/人社局.csv", "--out", "review")
assert "4 rows: 4 items, 0 rejected; 1 workbook(s) in review" in out, out

# A pack without a compare section: an error with its place.
out, err = run("compare", os.path.join(root, "rules/gz-points/gz-points-2021.pack.json"), "--declared",
               os.path.join(fixture, "declared.jsonl"), "--source", os.path.join(fixture, "source.csv"), "--as-of",
               "2022-06-30", "--out", "none", expect=2)
assert "gz-points-2021.pack.json:1:1: /: the pack has no 'compare' section" in err, err

# A compare section whose declared path names nothing the pack declares: an error in the pack, with its
# place, before any applicant is read (not "missing declared" for every one of them).
with open(os.path.join(fixture, "housing.pack.json"), encoding="utf-8") as f:
    text = f.read()
bad = os.path.join(work, "misspelt.pack.json")
with open(bad, "w", encoding="utf-8") as f:
    f.write(text.replace('"applicant.housing[1].area"', '"applicant.housing[1].aera"'))
out, err = run("compare", bad, "--declared", os.path.join(fixture, "declared.jsonl"), "--source",
               os.path.join(fixture, "source.csv"), "--as-of", "2022-06-30", "--out", "none", expect=2)
assert ("misspelt.pack.json:25:55: /compare/items/1/declared: 'applicant.housing[1]' has no field 'aera' "
        "(did you mean 'area'?)") in err, err
assert not os.path.exists(os.path.join(work, "none")), "nothing is written for a pack the command refuses"
print("compare: verdicts, points, departments and to-do lists checked")
