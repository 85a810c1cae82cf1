"""R11: the decision log is a hash chain; `eligo audit verify` finds an edited, deleted or moved line, and
rotation keeps the chain across files. The log is written by the real server."""
import hashlib
import hmac
import json
import os
import subprocess

from conftest import CLI, MAJOR, POINTS, RULES, applicants

KEY = "audit-key-for-tests"


def serve_with_log(start, tmp_path, **extra):
    log = tmp_path / "decisions.jsonl"
    env = dict(os.environ, ELIGO_AUDIT_KEY=KEY)
    s = start(env=env, packs=[str(RULES)], decision_log=dict({"path": str(log)}, **extra))
    return s, log


def verify(*args):
    return subprocess.run([CLI, "audit", "verify"] + [str(a) for a in args], capture_output=True, text=True)


def evaluate_all(s, n=None):
    lines = applicants("major-illness.jsonl")
    for line in lines[:n]:
        assert s.request("POST", f"/v1/packs/{MAJOR}/evaluate?as_of=2024-05-01", line,
                         {"X-Request-Id": "req-" + str(lines.index(line))})[0] == 200
    return lines[:n]


def test_each_decision_is_one_chained_line_without_pii(start, tmp_path):
    s, log = serve_with_log(start, tmp_path)
    lines = evaluate_all(s)
    rows = log.read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(lines)
    prev = "0" * 64
    for i, (row, line) in enumerate(zip(rows, lines)):
        rec = json.loads(row)
        assert list(rec)[:2] == ["prev", "seq"] and rec["prev"] == prev and rec["seq"] == i + 1
        assert rec["request_id"] == f"req-{i}" and rec["pack"]["id"] == MAJOR and rec["as_of"] == "2024-05-01"
        assert rec["input_hmac"] == hmac.new(KEY.encode(), line.encode(), hashlib.sha256).hexdigest()
        applicant = json.loads(line)["applicant"]
        for pii in (applicant["id_number"], applicant["name"], applicant["mobile"], applicant["bank_card"]):
            assert pii not in row
        prev = hashlib.sha256(row.encode()).hexdigest()
    failed = [json.loads(r) for r in rows if json.loads(r)["verdict"] == "ineligible"]
    assert failed and all(f["reasons"] and f["reasons"][0]["status"] == "failed" for f in failed)
    status = json.loads(s.request("GET", "/v1/status")[2])["decision_log"]
    assert status["seq"] == len(rows) and status["head_sha256"] == prev
    r = verify(log, "--head", prev)
    assert r.returncode == 0 and r.stdout.startswith(f"ok: {len(rows)} lines")


def test_batch_rows_and_clear_pii_decisions_are_logged_masked(start, tmp_path):
    from conftest import write_keys
    keys = write_keys(tmp_path, {"auditor": ("k", ["*"], True)})
    log = tmp_path / "decisions.jsonl"
    env = dict(os.environ, ELIGO_AUDIT_KEY=KEY)
    s = start(env=env, packs=[str(RULES)], api_keys=str(keys), decision_log={"path": str(log)})
    lines = applicants("major-illness.jsonl")
    h = {"X-API-Key": "k", "X-Request-Id": "b1"}
    s.request("POST", f"/v1/packs/{MAJOR}/evaluate-batch?as_of=2024-05-01", "\n".join(lines), h)
    s.request("POST", f"/v1/packs/{MAJOR}/evaluate?as_of=2024-05-01&clear_pii=true&explain=true", lines[2], h)
    rows = [json.loads(r) for r in log.read_text(encoding="utf-8").splitlines()]
    assert [r["request_id"] for r in rows] == [f"b1#{i + 1}" for i in range(len(lines))] + ["b1"]
    assert rows[-1]["clear_pii"] is True and "reasons" not in rows[-1] and "outputs" not in rows[-1]
    assert verify(log).returncode == 0


def tamper(log, change):
    rows = log.read_text(encoding="utf-8").splitlines()
    rows = change(rows)
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_verify_detects_an_edit(start, tmp_path):
    s, log = serve_with_log(start, tmp_path)
    evaluate_all(s)
    s.stop()
    tamper(log, lambda rows: rows[:1] + [rows[1].replace('"verdict":"eligible"', '"verdict":"ineligible"')] + rows[2:])
    r = verify(log)
    assert r.returncode == 1 and f"{log}:3: prev is not the SHA-256 of {log}:2" in r.stderr


def test_verify_detects_a_deletion(start, tmp_path):
    s, log = serve_with_log(start, tmp_path)
    evaluate_all(s)
    s.stop()
    tamper(log, lambda rows: rows[:1] + rows[2:])
    r = verify(log)
    assert r.returncode == 1 and f"{log}:2: prev is not the SHA-256" in r.stderr
    # The first line deleted: the chain no longer starts at zero.
    tamper(log, lambda rows: rows[1:])
    assert verify(log).returncode == 1


def test_verify_detects_reordering(start, tmp_path):
    s, log = serve_with_log(start, tmp_path)
    evaluate_all(s)
    s.stop()
    tamper(log, lambda rows: [rows[0], rows[2], rows[1]] + rows[3:])
    r = verify(log)
    assert r.returncode == 1 and f"{log}:2:" in r.stderr


def test_verify_detects_lines_cut_off_the_end_against_the_head(start, tmp_path):
    s, log = serve_with_log(start, tmp_path)
    evaluate_all(s)
    head = json.loads(s.request("GET", "/v1/status")[2])["decision_log"]["head_sha256"]
    s.stop()
    tamper(log, lambda rows: rows[:-1])
    assert verify(log).returncode == 0  # a shorter chain is still a chain …
    r = verify(log, "--head", head)     # … which the head kept elsewhere exposes
    assert r.returncode == 1 and "not the expected head" in r.stderr


def test_rotation_and_restart_keep_one_chain(start, tmp_path):
    s, log = serve_with_log(start, tmp_path, rotate_bytes=1500)
    n = 3
    for _ in range(n):
        evaluate_all(s)
    s.stop()
    # A restarted server continues the same chain.
    s2, _ = serve_with_log(start, tmp_path, rotate_bytes=1500)
    evaluate_all(s2)
    s2.stop()
    pieces = sorted(p.name for p in tmp_path.glob("decisions.jsonl.*"))
    assert len(pieces) >= 3
    total = sum(len(p.read_text().splitlines()) for p in tmp_path.glob("decisions.jsonl*"))
    assert total == (n + 1) * len(applicants("major-illness.jsonl"))
    r = verify(log)
    assert r.returncode == 0 and f"ok: {total} lines in {len(pieces) + 1} files" in r.stdout
    # A rotated piece removed breaks the chain at the next file's first line.
    (tmp_path / "decisions.jsonl.2").rename(tmp_path / "moved-away")
    r = verify(tmp_path / "decisions.jsonl.1", tmp_path / "decisions.jsonl.3")
    assert r.returncode == 1 and "decisions.jsonl.3:1: prev is not the SHA-256" in r.stderr


def test_the_log_needs_its_key(tmp_path):
    from conftest import SERVER
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"packs": [str(RULES)], "listen": "127.0.0.1:0",
                               "decision_log": {"path": str(tmp_path / "d.jsonl"), "hmac_key_env": "NO_SUCH_VAR_X"}}))
    r = subprocess.run([SERVER, "--config", str(cfg)], capture_output=True, text=True, timeout=20)
    assert r.returncode == 2 and "NO_SUCH_VAR_X" in r.stderr
