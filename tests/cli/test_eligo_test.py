"""`eligo test` bites (issue 17 item 5, and the survivor "eligo test treating all numbers as equal"): a case whose
expected total, points or verdict differs fails with exit 1 and shows what differs; numbers compare as exact
decimals (178 == "178" == "178.00", 178 != 178.5); --verbose lists the passing cases. Runs the real CLI on a
copy of the Guangzhou 2021 points pack with edited cases."""
import json
import os
import shutil
import subprocess

CLI = os.environ["ELIGO_CLI"]
SRC = os.environ["ELIGO_SOURCE_DIR"]
POINTS = os.path.join(SRC, "rules", "gz-points")
PACK = "gz-points-2021.pack.json"
CASES = os.path.join("tests", "gz-points-2021.cases.json")


def pack_with_cases(tmp_path, edit):
    """A copy of the pack folder whose 2021 cases are edit(cases)."""
    folder = tmp_path / "gz-points"
    shutil.copytree(POINTS, folder)
    path = folder / CASES
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["cases"] = edit(doc["cases"])
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(folder / PACK)


def run_test(*args):
    p = subprocess.run([CLI, "test", *args], capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def first(cases):
    return cases[:1]


def test_the_first_case_passes_as_written(tmp_path):
    rc, out, _ = run_test(pack_with_cases(tmp_path, first))
    assert rc == 0
    assert out.splitlines()[-1] == "1 passed, 0 failed"


def test_numbers_are_compared_as_exact_decimals_whatever_their_spelling(tmp_path):
    def spelt(cases):
        c = cases[0]
        total = c["expect"]["total"]
        a, b, d = json.loads(json.dumps(c)), json.loads(json.dumps(c)), json.loads(json.dumps(c))
        a["expect"]["total"] = str(total)                 # "178"
        b["expect"]["total"] = f"{total}.00"              # "178.00"
        d["expect"]["points"]["permit"] = f'{c["expect"]["points"]["permit"]}.0'
        return [a, b, d]
    rc, out, _ = run_test(pack_with_cases(tmp_path, spelt), "--verbose")
    assert rc == 0, out
    assert out.count("\n  ok   ") == 3
    assert out.splitlines()[-1] == "3 passed, 0 failed"


def test_a_total_off_by_a_half_or_by_one_fails_and_shows_both_numbers(tmp_path):
    total = {}

    def wrong(cases):
        c = cases[0]
        total["v"] = c["expect"]["total"]
        half, one = json.loads(json.dumps(c)), json.loads(json.dumps(c))
        half["name"], one["name"] = "half", "one"
        half["expect"]["total"] = f'{total["v"]}.5'
        one["expect"]["total"] = total["v"] + 1
        return [half, one]
    rc, out, _ = run_test(pack_with_cases(tmp_path, wrong))
    assert rc == 1
    t = total["v"]
    assert "  FAIL half  (cn.gz.points 2021" in out
    assert f"      total:\n        expected {t}.5\n        got      {t}\n" in out
    assert "  FAIL one  (cn.gz.points 2021" in out
    assert f"      total:\n        expected {t + 1}\n        got      {t}\n" in out
    assert out.splitlines()[-1] == "0 passed, 2 failed"


def test_a_wrong_indicator_or_verdict_fails_naming_it(tmp_path):
    def wrong(cases):
        c = cases[0]
        c["expect"]["points"]["permit"] = c["expect"]["points"]["permit"] + 2
        c["expect"]["verdict"] = "ineligible"
        return [c]
    rc, out, _ = run_test(pack_with_cases(tmp_path, wrong))
    assert rc == 1
    assert "      points of permit:\n        expected 42\n        got      40" in out
    assert "      verdict:\n        expected ineligible\n        got      " in out


def test_usage_errors_exit_2():
    rc, _, err = run_test()
    assert rc == 2 and err.startswith("usage: eligo test")
    rc, _, err = run_test("--no-such-option", POINTS)
    assert rc == 2 and "eligo test: " in err
