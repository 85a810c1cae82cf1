"""Privacy per surface (issue 17 item 4): masked by default, clear only on request, for the surfaces the
shape matrix (pii_matrix.py: eval, the C evaluate calls, Python evaluate) does not reach: `eligo batch`
(every file it writes, its summary and its --by groups), `eligo id`, `eligo blacklist check`, and the Python
functions that write or return text (batch, reconcile, Blacklist.check, id_check). Every output is scanned with
r8_check, an implementation of the GB 11643 check character, Luhn and the mobile pattern apart from eligo's;
the masked form of each value must be there (so a surface that printed nothing would not pass), and with
clear text asked for the value itself must be there (so the scan is seen to bite)."""
import json
import os
import subprocess
import sys
import unicodedata

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import r8_check  # noqa: E402

CLI = os.environ["ELIGO_CLI"]
PACK = os.path.join(HERE, "pii-matrix.pack.json")
PYTHONPATH = os.environ.get("ELIGO_PYTHONPATH", "-")

ID18 = "440106198001010019"
ID18X = "11010519491231002X"
CARD = "6222021234567890128"
MOBILE = "18012341999"
VALUES = [ID18, ID18X, CARD, MOBILE]


def masked(v):
    if r8_check.kind_of(v) == "mobile":
        return v[:3] + "*" * (len(v) - 7) + v[-4:]
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def test_the_independent_checker_recognises_every_value_and_its_masked_form_not():
    for v in VALUES:
        assert r8_check.findings(v), v
        assert not r8_check.findings(masked(v)), masked(v)
    assert masked(ID18) == "440106********0019" and masked(CARD) == "622202*********0128"
    assert masked(MOBILE) == "180****1999"


def run(*args, env=None):
    p = subprocess.run([CLI, *args], capture_output=True, env=env)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def every_file(folder):
    text = ""
    for base, _, files in os.walk(folder):
        for name in sorted(files):
            with open(os.path.join(base, name), "rb") as f:
                text += f"\n--- {name}\n" + f.read().decode("utf-8", "replace")
    return text


def assert_masked(text, values=VALUES):
    plain = unicodedata.normalize("NFKC", text)
    assert r8_check.findings(plain) == []
    for v in values:
        assert masked(v) in plain, f"{masked(v)} not shown"


def assert_clear(text, values=VALUES):
    for v in values:
        assert v in text, f"{v} not shown in clear"


def applicants_csv(tmp_path):
    f = tmp_path / "applicants.csv"
    # The district is an ID (it lands in the reason and in the --by groups), the note a card or a mobile.
    f.write_text("district,kind,note\n"
                 f"{ID18},tekun,ok\n"
                 f"{ID18X},tekun,ok\n"
                 f"110105,tekun,{CARD}\n"
                 f"110105,dibao,{MOBILE}\n"
                 f"{ID18},unknown-kind,ok\n", encoding="utf-8")
    return f


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_eligo_batch_masks_results_rejected_rows_summary_and_groups_unless_asked(tmp_path, fmt):
    data = applicants_csv(tmp_path)
    base = ["batch", PACK, "--input", str(data), "--group", "applicant", "--as-of", "2024-05-01", "--progress",
            "off", "--format", fmt, "--by", "district", "--lang", "en"]
    rc, out, err = run(*base, "--out", str(tmp_path / "masked") + "/")
    assert rc == 1  # the unknown kind is a data error
    written = every_file(tmp_path / "masked")
    assert_masked(written + out + err)
    summary = json.loads((tmp_path / "masked" / "summary.json").read_text(encoding="utf-8"))
    groups = summary["groups"] if "groups" in summary else summary["by"]["groups"]
    assert masked(ID18) in json.dumps(groups, ensure_ascii=False)
    assert ID18 not in json.dumps(summary, ensure_ascii=False)

    rc, out, err = run(*base, "--out", str(tmp_path / "clear") + "/", "--clear-pii")
    assert rc == 1
    assert_clear(every_file(tmp_path / "clear") + out + err)


def test_eligo_id_masks_the_echo_and_fields_unless_revealed():
    rc, out, _ = run("id", "--as-of", "2024-05-01", *VALUES)
    assert rc == 0
    assert_masked(out)
    assert out.splitlines()[0].startswith("440106********0019  id:resident  valid  birth_date=1980-01-01  age=44")
    rc, out, _ = run("id", "--as-of", "2024-05-01", "--format", "json", *VALUES)
    assert_masked(out)
    assert [json.loads(x)["input"] for x in out.splitlines()] == [masked(v) for v in VALUES]
    rc, out, _ = run("id", "--as-of", "2024-05-01", "--reveal", *VALUES)
    assert rc == 0
    assert_clear(out)
    # Invalid numbers are not personal data in clear either: the reason names the check character only.
    rc, out, _ = run("id", "--as-of", "2024-05-01", "440106198001010018")
    assert rc == 1
    assert "440106198001010018" not in out and "440106********0018" in out


def test_eligo_blacklist_check_never_prints_the_id(tmp_path):
    lst = tmp_path / "list.csv"
    lst.write_text("id_number,scopes,reason_code,reason_text,source,listed_on\n"
                   f"{ID18},points,SX01,失信被执行人,市中级人民法院,2024-01-01\n", encoding="utf-8")
    db = str(tmp_path / "bl.sqlite")
    rc, out, err = run("blacklist", "import", str(lst), "--db", db)
    assert rc == 0, err
    for fmt in ["text", "json"]:
        rc, out, err = run("blacklist", "check", ID18, "--scope", "points", "--as-of", "2024-06-01", "--db", db,
                           "--format", fmt)
        assert rc == 0
        assert_masked(out + err, [ID18])
        assert "SX01" in out
        rc, out, err = run("blacklist", "check", ID18X, "--scope", "points", "--as-of", "2024-06-01", "--db", db,
                           "--format", fmt)
        assert_masked(out + err, [ID18X])
        assert "not listed" in out or '"listed":false' in out.replace(" ", "")


def python(code, *args):
    if PYTHONPATH == "-":
        pytest.skip("the Python binding is not built")
    env = dict(os.environ, PYTHONPATH=PYTHONPATH)
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, env=env)
    assert p.returncode == 0, p.stderr.decode()
    return p.stdout.decode("utf-8")


def test_python_batch_writes_masked_files_unless_clear_pii(tmp_path):
    data = applicants_csv(tmp_path)
    code = ("import eligo, json, sys\n"
            "s = eligo.batch(sys.argv[1], sys.argv[2], sys.argv[3], as_of='2024-05-01', group='applicant',"
            " by='district', lang='en', clear_pii=sys.argv[4] == '1')\n"
            "print(json.dumps(s, ensure_ascii=False))\n")
    out = python(code, PACK, str(data), str(tmp_path / "m") + "/", "0")
    assert_masked(out + every_file(tmp_path / "m"), [ID18, ID18X, CARD, MOBILE])
    out = python(code, PACK, str(data), str(tmp_path / "c") + "/", "1")
    assert_clear(out + every_file(tmp_path / "c"))


def test_python_blacklist_check_and_id_check_show_what_the_caller_gave_only_masked(tmp_path):
    lst = tmp_path / "list.csv"
    lst.write_text("id_number,scopes,reason_code,source,listed_on\n"
                   f"{ID18},points,SX01,court,2024-01-01\n", encoding="utf-8")
    out = python("import eligo, json, sys\n"
                 "bl = eligo.Blacklist.load(sys.argv[1])\n"
                 "print(json.dumps(bl.check(sys.argv[2], 'points', '2024-06-01')))\n"
                 "r = eligo.id_check(sys.argv[2], '2024-05-01')\n"
                 "print(r['reason'], r['valid'], r['birth_date'], r['sex'], r['region'])\n"
                 "print(eligo.mask('id_number', sys.argv[2]), eligo.mask('bank_card', sys.argv[3]))\n",
                 str(lst), ID18, CARD)
    hits, facts, masks = out.splitlines()
    assert [h["key"] for h in json.loads(hits)] == [masked(ID18)]
    assert facts == "valid True 1980-01-01 male 440106"
    assert masks == f"{masked(ID18)} {masked(CARD)}"
    assert_masked(out, [ID18, CARD])
