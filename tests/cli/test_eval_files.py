"""eligo eval on files: one result per row whatever the BOM or a bad line does; flat CSV rows; strict
columns; rows in = decided + rejected, printed; exit status. Runs the real CLI binary."""
import json
import os
import subprocess

import pytest

CLI = os.environ["ELIGO_CLI"]
SRC = os.environ["ELIGO_SOURCE_DIR"]
MAJOR = os.path.join(SRC, "rules", "major-illness")
POINTS = os.path.join(SRC, "rules", "gz-points")


def run(*args, stdin=None):
    p = subprocess.run([CLI, "eval", *args], input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def results(out):
    return [json.loads(line) for line in out.splitlines()]


def test_a_bom_file_gives_one_result_per_line(tmp_path):
    f = tmp_path / "people.jsonl"
    f.write_bytes(b"\xef\xbb\xbf" + b'{"applicant": {"name": "a"}}\n{"applicant": {"name": "b"}}\n\n{"applicant": {"name": "c"}}\n')
    rc, out, err = run(MAJOR, "--input", str(f), "--as-of", "2024-05-01", "--format", "json")
    r = results(out)
    assert [x["line"] for x in r] == [1, 2, 4]
    assert [x["verdict"] for x in r] == ["needs_evidence"] * 3
    assert rc == 0
    assert err.strip().splitlines()[-1] == (
        "eligo eval: 3 rows read: 3 decided (eligible 0, ineligible 0, needs_evidence 3, error 0), 0 rejected; "
        "1 blank lines skipped")


def test_a_bad_first_line_is_one_rejected_row_and_the_rest_are_decided(tmp_path):
    f = tmp_path / "people.jsonl"
    f.write_text('{"applicant": {"name": \n{"applicant": {"name": "b"}}\n{"applicant": {"nmae": "c"}, "extra": 1}\n',
                 encoding="utf-8")
    rc, out, err = run(MAJOR, "--input", str(f), "--as-of", "2024-05-01", "--format", "json")
    r = results(out)
    assert [x["line"] for x in r] == [1, 2, 3]
    assert [x["verdict"] for x in r] == ["error", "needs_evidence", "error"]
    assert r[0]["error"]["code"] == "E3000"
    assert r[2]["error"]["code"] == "E3004"
    assert [e["path"] for e in r[2]["data_errors"]] == ["applicant.nmae", "extra"]
    assert rc == 1
    lines = err.strip().splitlines()
    assert lines[0].endswith("line 1: rejected: the input is not valid JSON: column 23: the text ends where a value was expected")
    # Two letters swapped are one slip: the suggestion names the field meant.
    assert lines[1].endswith("line 3: rejected: applicant.nmae: 'nmae' is not a field of this record "
                             "(did you mean 'name'?)")
    assert lines[-1] == ("eligo eval: 3 rows read: 1 decided (eligible 0, ineligible 0, needs_evidence 1, error 0), "
                         "2 rejected")


def test_a_flat_csv_row_binds_to_the_group_with_coercions_and_json_cells(tmp_path):
    f = tmp_path / "people.csv"
    f.write_text(
        "name,id_number,birth_date,permit_since,education,social_insurance\n"
        '张三,430102199403100487,1994/3/10,20190301,bachelor_plus,"[{""kind"": ""pension"", ""basis"": ""paid"", '
        '""from"": ""2019-03-01"", ""to"": null}]"\n'
        "李四,410102198811300930,1988-11-30,2012-05-01,associate,[]\n", encoding="utf-8")
    rc, out, err = run(POINTS, "--input", str(f), "--group", "applicant", "--as-of", "2024-05-01", "--format", "json",
                       "--key", "applicant.id_number")
    r = results(out)
    assert [x["key"] for x in r] == ["430102********0487", "410102********0930"]
    assert [x["line"] for x in r] == [2, 3]
    points = {i["id"]: i["points"] for i in r[0]["score"]["items"]}
    assert points["permit"] == "40" and points["si_pension"] == "10" and points["education"] == "30"
    assert r[0]["score"]["total"] == "110"
    assert rc == 0
    rc, out, _ = run(POINTS, "--input", str(f), "--group", "applicant", "--as-of", "2024-05-01", "--format", "json",
                     "--key", "applicant.id_number", "--clear-pii")
    assert [x["key"] for x in results(out)] == ["430102199403100487", "410102198811300930"]


def test_an_unknown_csv_column_is_refused_with_a_suggestion(tmp_path):
    f = tmp_path / "people.csv"
    f.write_text("name,birthdate\nx,1990-01-01\n", encoding="utf-8")
    rc, out, err = run(POINTS, "--input", str(f), "--group", "applicant", "--as-of", "2024-05-01")
    assert rc == 2 and out == ""
    assert err == (f"eligo eval: {f}: column 2 'birthdate' is not an input of pack cn.gz.points "
                   "(did you mean 'birth_date'?)\n")
    rc, out, err = run(POINTS, "--input", str(f), "--group", "applicant", "--as-of", "2024-05-01",
                       "--unknown-fields", "warn", "--format", "json")
    assert f"eligo eval: {f}: column 'birthdate' is not an input of the pack: ignored" in err
    assert len(results(out)) == 1


def test_rows_in_equal_decided_plus_rejected_under_mixed_bad_rows(tmp_path):
    f = tmp_path / "mixed.csv"
    rows = ["name,birth_date,education"]
    expected = []
    for i in range(30):
        if i % 7 == 3:
            rows.append(f"p{i},1990-01-01")  # wrong width: rejected by the reader
            expected.append("error")
        elif i % 5 == 1:
            rows.append(f"p{i},1990-13-01,associate")  # a bad date: decided, with a data error
            expected.append("eligible")
        else:
            rows.append(f"p{i},1990-01-01,associate")
            expected.append("eligible")
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rc, out, err = run(POINTS, "--input", str(f), "--group", "applicant", "--as-of", "2024-05-01", "--format", "json")
    r = results(out)
    assert [x["line"] for x in r] == list(range(2, 32))
    assert [x["verdict"] for x in r] == expected
    rejected = expected.count("error")
    with_errors = sum(1 for i in range(30) if i % 5 == 1 and i % 7 != 3)
    assert rc == 1
    assert err.strip().splitlines()[-1] == (
        f"eligo eval: 30 rows read: {30 - rejected} decided (eligible {30 - rejected}, ineligible 0, needs_evidence 0, "
        f"error 0), {rejected} rejected; {with_errors} decided with data errors")


def test_a_json_array_file_is_read_as_rows(tmp_path):
    f = tmp_path / "people.json"
    f.write_text('[\n {"applicant": {"name": "a"}},\n {"applicant": {"name": "b"}}\n]\n', encoding="utf-8")
    rc, out, _ = run(MAJOR, "--input", str(f), "--as-of", "2024-05-01", "--format", "json")
    assert [x["line"] for x in results(out)] == [2, 3]
    rc, out, _ = run(MAJOR, "--input", "-", "--input-format", "jsonl", "--as-of", "2024-05-01", "--format", "json",
                     stdin=b'{"applicant": {"name": "a"}}\n')
    assert len(results(out)) == 1


def test_audit_log_chains_every_decision_and_verify_catches_an_edit(tmp_path):
    f = tmp_path / "people.csv"
    f.write_text("name,id_number\n陈秀英,330106195804120220\n王五,110101199003074573\n", encoding="utf-8")
    log = tmp_path / "decisions.jsonl"
    env = dict(os.environ, ELIGO_AUDIT_KEY="k-test")
    p = subprocess.run([CLI, "eval", MAJOR, "--input", str(f), "--as-of", "2024-05-01", "--group", "applicant",
                        "--format", "json", "--audit-log", str(log)], capture_output=True, env=env)
    assert p.returncode == 0, p.stderr.decode()
    lines = [json.loads(l) for l in log.read_text(encoding="utf-8").splitlines()]
    assert [l["seq"] for l in lines] == [1, 2]
    assert [l["request_id"] for l in lines] == [f"{f}:2", f"{f}:3"]
    assert [l["verdict"] for l in lines] == [r["verdict"] for r in results(p.stdout.decode())]
    assert lines[0]["pack"]["id"] == "cn.minsheng.major-illness"
    text = log.read_text(encoding="utf-8")
    assert "330106195804120220" not in text and "陈秀英" not in text  # hashed, never in clear
    ok = subprocess.run([CLI, "audit", "verify", str(log)], capture_output=True)
    assert ok.returncode == 0, ok.stderr.decode()
    # A second run continues the chain.
    p = subprocess.run([CLI, "eval", MAJOR, "--input", str(f), "--as-of", "2024-05-01", "--group", "applicant",
                        "--audit-log", str(log)], capture_output=True, env=env)
    assert p.returncode == 0
    assert [json.loads(l)["seq"] for l in log.read_text(encoding="utf-8").splitlines()] == [1, 2, 3, 4]
    assert subprocess.run([CLI, "audit", "verify", str(log)], capture_output=True).returncode == 0
    log.write_text(text.replace('"verdict":"needs_evidence"', '"verdict":"eligible"', 1), encoding="utf-8")
    bad = subprocess.run([CLI, "audit", "verify", str(log)], capture_output=True)
    assert bad.returncode == 1


def test_audit_log_without_its_key_is_refused_before_any_row(tmp_path):
    f = tmp_path / "people.jsonl"
    f.write_text('{"applicant": {"name": "a"}}\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "ELIGO_AUDIT_KEY"}
    p = subprocess.run([CLI, "eval", MAJOR, "--input", str(f), "--audit-log", str(tmp_path / "d.jsonl")],
                       capture_output=True, env=env)
    assert p.returncode == 2
    assert p.stdout == b""
    assert "needs the input-hash key in the environment variable ELIGO_AUDIT_KEY" in p.stderr.decode()
    assert not (tmp_path / "d.jsonl").exists()
