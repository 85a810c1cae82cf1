"""The review round-trip (批量审核, issue 16 item 3) end to end: eligo review export writes department
workbooks; openpyxl edits them as a district clerk would in Excel; eligo review import reads them back —
accepted (final scores and import log pinned), and refused for each kind of problem, all or nothing.

usage: check_review_roundtrip.py ELIGO WORK_DIR
"""
import csv
import json
import os
import shutil
import subprocess
import sys

import openpyxl

eligo, work = sys.argv[1:3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
# The inputs and the workbooks hold (made-up) ID numbers in clear on purpose: the clerks need the keys.
with open(os.path.join(work, ".r8-clear"), "w") as f:
    f.write("items*.csv\nscores*.csv\nedited*\n")


def clear_folder(folder):
    """The export folders hold the keys in clear by intent (the workbooks and the manifest)."""
    os.makedirs(os.path.join(work, folder), exist_ok=True)
    with open(os.path.join(work, folder, ".r8-clear"), "w") as f:
        f.write("*\n")


for folder in ("export", "export-again", "export-other", "export-bad"):
    clear_folder(folder)

ID1 = "11010519491231002X"  # a valid ID number (check character X); masked 110105********002X
with open(os.path.join(work, "items.csv"), "w", encoding="utf-8") as f:
    f.write("key,item,label,department,points,declared,source\n"
            f"{ID1},si_months,社保月数,人社,12.5,36,30\n"
            f"{ID1},housing,合法稳定住所,住建,20,自有住房,租赁备案\n"
            "A0000002,si_months,社保月数,人社,8,24,24\n"
            "A0000003,si_months,社保月数,人社,6,18,12\n")
with open(os.path.join(work, "scores.csv"), "w", encoding="utf-8") as f:
    f.write(f"key,total,verdict\n{ID1},112.5,eligible\nA0000002,98,eligible\nA0000003,70,eligible\nA0000004,65,eligible\n")


def run(*args, expect=0):
    p = subprocess.run([eligo, *args], cwd=work, capture_output=True, text=True)
    assert p.returncode == expect, (args, p.returncode, p.stdout, p.stderr)
    return p.stdout, p.stderr


out, _ = run("review", "export", "--items", "items.csv", "--out", "export")
assert "4 rows: 4 items, 0 rejected; 2 workbook(s) in export" in out, out
# The same items give the same bytes.
run("review", "export", "--items", "items.csv", "--out", "export-again")
for name in ("review-1.xlsx", "review-2.xlsx", "review-export.json"):
    assert open(os.path.join(work, "export", name), "rb").read() == open(os.path.join(work, "export-again", name), "rb").read(), name

# What the clerk sees: locked key columns, the decision list, the hidden export id.
wb = openpyxl.load_workbook(os.path.join(work, "export", "review-1.xlsx"))
assert wb.sheetnames == ["审核 review", "export"], wb.sheetnames
assert wb["export"].sheet_state == "hidden"
ws = wb["审核 review"]
assert [c.value for c in ws[1]] == ["key 申请编号", "item 指标", "label 指标名称", "points 分值", "declared 申报值",
                                    "source 核查值", "decision 审核结论", "comment 备注"]
assert [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_col=6)] == [
    [ID1, "si_months", "社保月数", "12.5", "36", "30"], ["A0000002", "si_months", "社保月数", "8", "24", "24"],
    ["A0000003", "si_months", "社保月数", "6", "18", "12"]]
assert ws.protection.sheet
assert ws["A2"].protection.locked and not ws["G2"].protection.locked and not ws["H2"].protection.locked
dv = ws.data_validations.dataValidation
assert len(dv) == 1 and dv[0].type == "list" and dv[0].formula1 == '"通过,不通过,退回"' and str(dv[0].sqref) == "G2:G4", dv
export_id = {r[0].value: r[1].value for r in wb["export"].iter_rows()}["export_id"]
assert len(export_id) == 16


def edit(source, target, changes, folder="export"):
    wb = openpyxl.load_workbook(os.path.join(work, folder, source))
    ws = wb["审核 review"]
    for cell, value in changes.items():
        if cell == "delete":
            ws.delete_rows(value)
        else:
            ws[cell] = value
    wb.save(os.path.join(work, target))


IMPORT = ["review", "import", "--export", "export", "--scores", "scores.csv", "--reviewer", "张三", "--at",
          "2026-11-29T10:00:00Z", "--out", "final.csv", "--log", "log.jsonl"]

# Accepted: 人社 refuses ID1's social insurance months and returns A0000003's; 住建 accepts the housing item;
# A0000002 is left pending.
edit("review-1.xlsx", "edited-1.xlsx", {"G2": "不通过", "H2": "社保记录只有30个月", "G4": "退回", "H4": "请补充社保证明"})
edit("review-2.xlsx", "edited-2.xlsx", {"G2": "通过"})
out, err = run(*IMPORT, "edited-1.xlsx", "edited-2.xlsx")
assert "4 rows: 3 decided (1 通过, 1 不通过, 1 退回), 1 pending; 4 scores, 1 lowered" in out, out
assert ID1 not in out + err
final = list(csv.reader(open(os.path.join(work, "final.csv"), encoding="utf-8")))
assert final == [
    ["key", "total_before", "removed", "total", "status", "status_zh", "refused", "returned", "pending"],
    ["110105********002X", "112.5", "12.5", "100.0", "reviewed", "已审核", "si_months", "", ""],
    ["********", "98", "0", "98", "pending", "待审核", "", "", "si_months"],
    ["********", "70", "0", "70", "returned", "退回补正", "", "si_months", ""],
    ["********", "65", "0", "65", "not reviewed", "无审核项", "", "", ""],
], final
log = [json.loads(line) for line in open(os.path.join(work, "log.jsonl"), encoding="utf-8")]
assert [(e["workbook"], e["row"], e["key"], e["item"], e["decision"], e["comment"], e["points"], e["total_before"],
         e["total_after"], e["reviewer"], e["at"], e["department"]) for e in log] == [
    ("edited-1.xlsx", 2, "110105********002X", "si_months", "不通过", "社保记录只有30个月", "12.5", "112.5", "100.0",
     "张三", "2026-11-29T10:00:00Z", "人社"),
    ("edited-1.xlsx", 4, "********", "si_months", "退回", "请补充社保证明", "6", "70", "70", "张三",
     "2026-11-29T10:00:00Z", "人社"),
    ("edited-2.xlsx", 2, "110105********002X", "housing", "通过", "", "20", "100.0", "100.0", "张三",
     "2026-11-29T10:00:00Z", "住建"),
], log
# --clear-pii shows the keys.
run(*IMPORT[:-4], "--out", "final-clear.csv", "--log", "log-clear.csv", "--clear-pii", "edited-1.xlsx")
with open(os.path.join(work, ".r8-clear"), "a") as f:
    f.write("final-clear.csv\nlog-clear.csv\n")
assert list(csv.reader(open(os.path.join(work, "final-clear.csv"), encoding="utf-8")))[1][:4] == [ID1, "112.5", "12.5", "100.0"]

# The log accumulates: a later import adds its entries after those already in --log (JSON Lines and xlsx
# alike), never replacing them.
out, _ = run(*IMPORT[:-5], "2026-11-30T09:00:00Z", "--out", "final-2.csv", "--log", "log.jsonl", "edited-2.xlsx")
assert "import log → log.jsonl (1 entries added to the 3 of earlier imports)" in out, out
log2 = [json.loads(line) for line in open(os.path.join(work, "log.jsonl"), encoding="utf-8")]
assert log2[:3] == log, log2
assert [(e["workbook"], e["item"], e["decision"], e["at"]) for e in log2[3:]] == [
    ("edited-2.xlsx", "housing", "通过", "2026-11-30T09:00:00Z")], log2
for n in (1, 2):
    out, _ = run(*IMPORT[:-2], "--log", "log.xlsx", "edited-1.xlsx")
    assert f"import log → log.xlsx (2 entries added{'' if n == 1 else ' to the 2 of earlier imports'})" in out, out
rows_xlsx = list(openpyxl.load_workbook(os.path.join(work, "log.xlsx")).active.iter_rows(values_only=True))
assert len(rows_xlsx) == 5 and rows_xlsx[1:3] == rows_xlsx[3:5], rows_xlsx
assert [r[4] for r in rows_xlsx[1:]] == [2, 4, 2, 4], rows_xlsx
# A --log that is not an import log (here the final scores) is refused before anything is written.
_, err = run(*IMPORT[:-4], "--out", "final-3.csv", "--log", "final.csv", "edited-1.xlsx", expect=2)
assert "final.csv: the header lacks 'at'" in err and "nothing applied, nothing written" in err, err
assert not os.path.exists(os.path.join(work, "final-3.csv"))
with open(os.path.join(work, "log-extra.jsonl"), "w", encoding="utf-8") as f:
    f.write(json.dumps(dict(log[0], note="kept by hand"), ensure_ascii=False) + "\n")
_, err = run(*IMPORT[:-4], "--out", "final-3.csv", "--log", "log-extra.jsonl", "edited-1.xlsx", expect=2)
assert "log-extra.jsonl: not an import log as eligo review import writes it:\n  row 1, note: the member 'note' is not" \
    in err, err
assert not os.path.exists(os.path.join(work, "final-3.csv"))

# Refusals: each problem named with workbook, row and column; nothing written.


def refused(workbooks, *expected):
    for name in ("final.csv", "log.jsonl"):
        if os.path.exists(os.path.join(work, name)):
            os.remove(os.path.join(work, name))
    _, err = run(*IMPORT, *workbooks, expect=1)
    for e in expected:
        assert e in err, (e, err)
    assert f"{len(expected)} problem(s); nothing applied, nothing written" in err, err
    assert not os.path.exists(os.path.join(work, "final.csv")) and not os.path.exists(os.path.join(work, "log.jsonl"))
    assert ID1 not in err
    return err


# A changed key (the locked cell typed over after unprotecting the sheet).
edit("review-1.xlsx", "edited-key.xlsx", {"A3": "A0000009", "G2": "通过"})
refused(["edited-key.xlsx"],
        "edited-key.xlsx, row 3, column A (key 申请编号): key ******** with item 'si_months' is not a row of this export",
        "edited-key.xlsx: 1 row(s) of the export are missing (******** 'si_months')")
# A row added under the others.
edit("review-1.xlsx", "edited-added.xlsx", {"A5": "A0000004", "B5": "si_months", "D5": "3", "G5": "通过"})
refused(["edited-added.xlsx"],
        "edited-added.xlsx, row 5, column A (key 申请编号): key ******** with item 'si_months' is not a row of this export")
# A decision outside the list (openpyxl, like a paste, does not enforce the validation).
edit("review-1.xlsx", "edited-decision.xlsx", {"G2": "同意", "G3": "通过"})
refused(["edited-decision.xlsx"],
        "edited-decision.xlsx, row 2, column G (decision 审核结论): decision '同意' is not one of 通过 / 不通过 / 退回")
# A locked cell other than the key changed: the points.
edit("review-1.xlsx", "edited-points.xlsx", {"D3": "80"})
refused(["edited-points.xlsx"],
        "edited-points.xlsx, row 3, column D (points 分值): a locked cell was changed (exported as '8')")
# A row deleted.
edit("review-1.xlsx", "edited-deleted.xlsx", {"delete": 3})
refused(["edited-deleted.xlsx"], "edited-deleted.xlsx: 1 row(s) of the export are missing (******** 'si_months')")
# A workbook of another export (other items, so another export id).
with open(os.path.join(work, "items-other.csv"), "w", encoding="utf-8") as f:
    f.write("key,item,label,department,points\nA0000002,si_months,社保月数,人社,9\n")
run("review", "export", "--items", "items-other.csv", "--out", "export-other")
edit("review-1.xlsx", "edited-other.xlsx", {"G2": "通过"}, folder="export-other")
refused(["edited-other.xlsx"], "edited-other.xlsx: export id '")
err = refused(["edited-other.xlsx"], "is not one of the export in export: a workbook for another export")
# The same department twice.
refused(["edited-1.xlsx", "edited-1.xlsx"], "edited-1.xlsx: a second workbook for department 人社")
# Half-bad: one good workbook, one bad — every problem listed, nothing applied.
edit("review-2.xlsx", "edited-2-bad.xlsx", {"G2": "ok", "D2": "25"})
refused(["edited-1.xlsx", "edited-2-bad.xlsx"],
        "edited-2-bad.xlsx, row 2, column D (points 分值): a locked cell was changed (exported as '20')",
        "edited-2-bad.xlsx, row 2, column G (decision 审核结论): decision 'ok' is not one of")
refused(["edited-decision.xlsx", "edited-2-bad.xlsx"],
        "edited-decision.xlsx, row 2, column G (decision 审核结论): decision '同意' is not one of",
        "edited-2-bad.xlsx, row 2, column D (points 分值): a locked cell was changed (exported as '20')",
        "edited-2-bad.xlsx, row 2, column G (decision 审核结论): decision 'ok' is not one of")
# A decision for an applicant absent from the scores.
with open(os.path.join(work, "scores-short.csv"), "w", encoding="utf-8") as f:
    f.write(f"key,total\n{ID1},112.5\nA0000003,70\n")
_, err = run(*[("scores-short.csv" if a == "scores.csv" else a) for a in IMPORT], "edited-1.xlsx", expect=1)
assert "edited-1.xlsx, row 3, column A (key 申请编号): key ******** is not in the scores" in err, err
# A file that is not a workbook.
with open(os.path.join(work, "not.xlsx"), "w") as f:
    f.write("key,decision\n")
refused(["not.xlsx"], "not.xlsx: ")

# An items file with a bad row refuses the whole export.
with open(os.path.join(work, "items-bad.csv"), "w", encoding="utf-8") as f:
    f.write("key,item,department,points\nA1,si,人社,12\nA2,si,,3\nA3,si,人社,x\n")
_, err = run("review", "export", "--items", "items-bad.csv", "--out", "export-bad", expect=1)
assert "items-bad.csv, row 3, column department: empty" in err, err
assert "items-bad.csv, row 4, column points: 'x' is not a decimal number" in err, err
assert not os.path.exists(os.path.join(work, "export-bad", "review-1.xlsx"))
print("review round-trip: accepted and every refusal checked")
