"""eligo diff through the one record reader (P9, "one way in"): the same applicants as JSON Lines and as CSV
give the same diff; a row the reader cannot read is rejected, counted and named (rows read = compared +
rejected, exit 1); a column no pack declares stops the run with its name and a suggestion (exit 2).

usage: check_diff_cli.py ELIGO SOURCE_DIR WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys

eligo, root, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
# The inputs written here are copies of the sample applicants, who are in clear in examples/ (r8.scan).
with open(os.path.join(work, ".r8-clear"), "w") as f:
    f.write("*\n")
packs = [os.path.join(root, "rules/gz-points/gz-points-2018.pack.json"),
         os.path.join(root, "rules/gz-points/gz-points-2021.pack.json")]
dates = ["--old-as-of", "2021-11-15", "--new-as-of", "2021-11-16"]
sample_csv = os.path.join(root, "examples/applicants/gz-points.csv")


def diff(input_path, name, expect):
    out = os.path.join(work, name + ".json")
    p = subprocess.run([eligo, "diff", *packs, *dates, "--input", input_path, "--json", out, "--top", "6"],
                       capture_output=True, text=True)
    assert p.returncode == expect, (name, p.returncode, p.stdout, p.stderr)
    return p.stdout, p.stderr, (json.load(open(out, encoding="utf-8")) if expect != 2 else None)


# 1. JSON Lines and CSV: the same six applicants, the same figures (diff_test.cpp pins them on the Differ).
text_j, err_j, j = diff(os.path.join(root, "examples/applicants/gz-points.jsonl"), "jsonl", 0)
text_c, err_c, c = diff(sample_csv, "csv", 0)
assert err_j == "eligo diff: 6 rows read: 6 compared, 0 rejected\n", err_j
assert err_c == err_j, err_c
assert "applicants: 6\n" in text_j and "total points: 511 → 703.00\n" in text_j, text_j
assert (j["applicants"], j["rejected"], j["points_up"], j["points_down"]) == (6, 0, 5, 1), j
assert (j["old_total_sum"], j["new_total_sum"]) == ("511", "703.00"), j
# The CSV's line numbers count its header: the same applicant is one line further down.
assert [m["line"] + 1 for m in j["movers"]] == [m["line"] for m in c["movers"]], (j["movers"], c["movers"])
for m in j["movers"] + c["movers"]:
    m.pop("line")
assert j == c, (j, c)

# 2. A CSV row of the wrong shape: rejected with its line and reason, the other six compared.
lines = open(sample_csv, encoding="utf-8", newline="").read().split("\r\n")
bad = os.path.join(work, "bad.csv")
with open(bad, "w", encoding="utf-8", newline="") as f:
    f.write("\r\n".join(lines[:3] + ["only,two"] + lines[3:]))
text_b, err_b, b = diff(bad, "bad", 1)
assert "applicants: 6\nrows rejected: 1 (line 4: has 2 fields, the header has 12)\n" in text_b, text_b
assert err_b == (bad + ": line 4: rejected: has 2 fields, the header has 12\n").join(["eligo diff: ", ""]) + \
    "eligo diff: 7 rows read: 6 compared, 1 rejected\n", err_b
assert (b["applicants"], b["rejected"], b["first_rejected"]) == (6, 1, "line 4: has 2 fields, the header has 12"), b
assert b["old_total_sum"] == "511" and b["new_total_sum"] == "703.00", b

# 3. A misspelt column: nothing compared, the column named with a suggestion.
unknown = os.path.join(work, "unknown.csv")
with open(unknown, "w", encoding="utf-8", newline="") as f:
    f.write("\r\n".join([lines[0].replace("applicant.name", "applicant.nmae")] + lines[1:]))
text_u, err_u, _ = diff(unknown, "unknown", 2)
assert text_u == "", text_u
assert err_u == ("eligo diff: " + unknown + " (cn.gz.points 2018.1): column 1 'applicant.nmae' is not an input of pack "
                 "cn.gz.points (did you mean 'applicant.name'?)\n"), err_u

# 4. The reader's options, as eligo eval takes them; each gives the same diff as the JSON Lines above.
def same_as_jsonl(name, input_path, *options, err_extra=""):
    out = os.path.join(work, name + ".json")
    p = subprocess.run([eligo, "diff", *packs, *dates, "--input", input_path, "--json", out, "--top", "6", *options],
                       capture_output=True, text=True)
    assert p.returncode == 0, (name, p.returncode, p.stderr)
    assert p.stderr == err_extra + "eligo diff: 6 rows read: 6 compared, 0 rejected\n", (name, p.stderr)
    got = json.load(open(out, encoding="utf-8"))
    want = json.load(open(os.path.join(work, "jsonl.json"), encoding="utf-8"))
    assert got == want, (name, got, want)


records = [json.loads(l) for l in open(os.path.join(root, "examples/applicants/gz-points.jsonl"), encoding="utf-8")]
# --group: each line a flat record of the group `applicant`.
flat = os.path.join(work, "flat.jsonl")
with open(flat, "w", encoding="utf-8") as f:
    for r in records:
        f.write(json.dumps(r["applicant"], ensure_ascii=False) + "\n")
same_as_jsonl("group", flat, "--group", "applicant")
# --input-format: JSON Lines under a name that does not say so.
txt = os.path.join(work, "applicants.txt")
shutil.copy(os.path.join(root, "examples/applicants/gz-points.jsonl"), txt)
same_as_jsonl("input_format", txt, "--input-format", "jsonl")
# --encoding: the CSV in GB18030 (the CSV's line numbers are one further down: compare with the CSV's JSON).
gb = os.path.join(work, "gb18030.csv")
with open(gb, "wb") as f:
    f.write(open(sample_csv, encoding="utf-8", newline="").read().encode("gb18030"))
p = subprocess.run([eligo, "diff", *packs, *dates, "--input", gb, "--json", os.path.join(work, "gb.json"), "--top", "6",
                    "--encoding", "gb18030"], capture_output=True, text=True)
assert p.returncode == 0, p.stderr
assert json.load(open(os.path.join(work, "gb.json"), encoding="utf-8")) == json.load(open(os.path.join(work, "csv.json"), encoding="utf-8"))
# --sheet: an xlsx whose applicants are on its second sheet.
import openpyxl  # noqa: E402  (Debian's python3-openpyxl)
import csv as _csv  # noqa: E402
book = openpyxl.Workbook()
book.active.title = "说明"
book.active.append(["applicants are on the next sheet"])
sheet = book.create_sheet("申请人")
for row in _csv.reader(open(sample_csv, encoding="utf-8", newline="")):
    sheet.append(row)
xlsx = os.path.join(work, "applicants.xlsx")
book.save(xlsx)
p = subprocess.run([eligo, "diff", *packs, *dates, "--input", xlsx, "--json", os.path.join(work, "xlsx.json"), "--top", "6",
                    "--sheet", "申请人"], capture_output=True, text=True)
assert p.returncode == 0, p.stderr
assert json.load(open(os.path.join(work, "xlsx.json"), encoding="utf-8")) == json.load(open(os.path.join(work, "csv.json"), encoding="utf-8"))
# --unknown-fields: a column no pack declares stops the run by default, is named and ignored when asked.
extra = os.path.join(work, "extra.csv")
with open(extra, "w", encoding="utf-8", newline="") as f:
    f.write("\r\n".join([lines[0] + ",note"] + [l + ",x" for l in lines[1:] if l]) + "\r\n")
p = subprocess.run([eligo, "diff", *packs, *dates, "--input", extra], capture_output=True, text=True)
assert p.returncode == 2 and "column 13 'note' is not an input of pack cn.gz.points" in p.stderr, p.stderr
for policy, said in (("warn", "eligo diff: " + extra + ": column 'note' is not an input of the packs: ignored\n"),
                     ("ignore", "")):
    p = subprocess.run([eligo, "diff", *packs, *dates, "--input", extra, "--json", os.path.join(work, "extra.json"),
                        "--top", "6", "--unknown-fields", policy], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stderr == said + "eligo diff: 6 rows read: 6 compared, 0 rejected\n", (policy, p.stderr)
    assert json.load(open(os.path.join(work, "extra.json"), encoding="utf-8")) == \
        json.load(open(os.path.join(work, "csv.json"), encoding="utf-8")), policy

# 5. An input a pack rejects is rejected by diff as eligo eval rejects it (rows read = compared + rejected in both):
# a line that is not a JSON object, and an applicant with a key no pack declares.
sample_jsonl = open(os.path.join(root, "examples/applicants/gz-points.jsonl"), encoding="utf-8").read().splitlines()
typo = json.loads(sample_jsonl[1])
typo["applicant"]["nmae"] = typo["applicant"].pop("name")
mixed = os.path.join(work, "mixed.jsonl")
with open(mixed, "w", encoding="utf-8") as f:
    f.write("\n".join(sample_jsonl[:2] + ["not json", json.dumps(typo, ensure_ascii=False)] + sample_jsonl[2:]) + "\n")
text_m, err_m, m = diff(mixed, "mixed", 1)
err_lines = err_m.splitlines()
assert err_lines[0] == "eligo diff: " + mixed + ": line 3: rejected: the input must be a JSON object", err_m
assert err_lines[1].startswith("eligo diff: " + mixed + ": line 4: rejected: applicant.nmae: 'nmae' is not a field"), err_m
assert err_lines[2:] == ["eligo diff: 8 rows read: 6 compared, 2 rejected"], err_m
assert (m["applicants"], m["rejected"], m["old_errors"], m["new_errors"]) == (6, 2, 0, 0), m
assert m["first_rejected"] == "line 3: the input must be a JSON object", m
assert (m["old_total_sum"], m["new_total_sum"]) == ("511", "703.00"), m
p = subprocess.run([eligo, "eval", packs[1], "--as-of", "2021-11-16", "--input", mixed], capture_output=True, text=True)
assert p.returncode == 1 and p.stderr.splitlines()[-1].startswith("eligo eval: 8 rows read: 6 decided") and \
    p.stderr.splitlines()[-1].endswith(", 2 rejected"), p.stderr
print("eligo diff reads JSON Lines, CSV, GB18030 and xlsx alike; rejected rows are counted and named")
