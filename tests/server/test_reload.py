"""Hot reload: a changed, added or removed pack file (polled) and SIGHUP recompile the folder; a pack that
does not compile leaves the old set serving and /v1/status shows why."""
import json
import shutil
import signal
import time

from conftest import MAJOR, POINTS, RULES, applicants


def wait_for(check, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def status(s):
    return json.loads(s.request("GET", "/v1/status")[2])


def evaluate(s, line):
    code, _, body = s.request("POST", f"/v1/packs/{MAJOR}/evaluate?as_of=2024-05-01", line)
    assert code == 200
    return json.loads(body)


def test_a_broken_pack_leaves_the_old_set_serving(start, tmp_path):
    packs = tmp_path / "packs"
    shutil.copytree(RULES / "major-illness", packs / "major-illness")
    pack_file = packs / "major-illness" / "major-illness.pack.json"
    s = start(packs=[str(packs)], reload={"poll_ms": 50})
    line = applicants("major-illness.jsonl")[0]
    before = evaluate(s, line)
    good = pack_file.read_text(encoding="utf-8")
    pack_file.write_text(good.replace('"require": "public_security.hukou_district == district"',
                                      '"require": "public_security.hukou_distric == district"'), encoding="utf-8")
    st = wait_for(lambda: (lambda st: st if st["last_reload"]["attempts"] >= 2 else None)(status(s)))
    assert st["last_reload"]["ok"] is False and st["last_reload"]["trigger"] == "watch"
    diag = st["last_reload"]["diagnostics"][0]
    assert diag["severity"] == "error" and diag["file"].endswith("major-illness.pack.json") and diag["line"] > 0
    assert "hukou_distric" in diag["message"]
    assert st["serving"]["generation"] == 1
    assert evaluate(s, line) == before  # still the old pack
    metrics = s.request("GET", "/metrics")[2].decode()
    assert 'eligo_reloads_total{result="failed"} 1' in metrics
    # Fixed, as a new version: served at once.
    pack_file.write_text(good.replace('"version": "1"', '"version": "2"', 1), encoding="utf-8")
    wait_for(lambda: status(s)["serving"]["generation"] == 2)
    after = evaluate(s, line)
    assert after["pack"]["version"] == "2" and after["pack"]["sha256"] != before["pack"]["sha256"]
    assert status(s)["last_reload"]["ok"] is True


def test_added_and_removed_pack_files(start, tmp_path):
    packs = tmp_path / "packs"
    shutil.copytree(RULES / "major-illness", packs / "major-illness")
    s = start(packs=[str(packs)], reload={"poll_ms": 50})
    ids = lambda: [p["id"] for p in json.loads(s.request("GET", "/v1/packs")[2])["packs"]]
    assert ids() == [MAJOR]
    shutil.copy(RULES / "gz-points" / "gz-points-2021.pack.json", packs / "gz-points-2021.pack.json")
    wait_for(lambda: sorted(ids()) == sorted([MAJOR, POINTS]))
    (packs / "gz-points-2021.pack.json").unlink()
    wait_for(lambda: ids() == [MAJOR])
    assert s.request("GET", f"/v1/packs/{POINTS}")[0] == 404


def test_sighup_reloads_when_watching_is_off(start, tmp_path):
    packs = tmp_path / "packs"
    shutil.copytree(RULES / "major-illness", packs / "major-illness")
    pack_file = packs / "major-illness" / "major-illness.pack.json"
    s = start(packs=[str(packs)], reload={"watch": False, "poll_ms": 50})
    pack_file.write_text(pack_file.read_text(encoding="utf-8").replace('"version": "1"', '"version": "7"', 1),
                         encoding="utf-8")
    time.sleep(0.5)
    assert status(s)["serving"]["generation"] == 1  # not watching
    s.proc.send_signal(signal.SIGHUP)
    st = wait_for(lambda: (lambda st: st if st["serving"]["generation"] == 2 else None)(status(s)))
    assert st["last_reload"]["trigger"] == "SIGHUP"
    assert evaluate(s, applicants("major-illness.jsonl")[0])["pack"]["version"] == "7"


def test_a_batch_in_flight_finishes_on_the_set_it_started_with(start, tmp_path):
    packs = tmp_path / "packs"
    shutil.copytree(RULES / "major-illness", packs / "major-illness")
    pack_file = packs / "major-illness" / "major-illness.pack.json"
    s = start(packs=[str(packs)], reload={"poll_ms": 20})
    line = applicants("major-illness.jsonl")[0]
    c = s.conn()
    rows = "\n".join([line] * 20000)
    c.request("POST", f"/v1/packs/{MAJOR}/evaluate-batch?as_of=2024-05-01", body=rows.encode())
    r = c.getresponse()
    head = r.read(200)  # the stream has begun on generation 1 (30 MB of answers: it waits for us to read) …
    pack_file.write_text(pack_file.read_text(encoding="utf-8").replace('"version": "1"', '"version": "9"', 1),
                         encoding="utf-8")
    wait_for(lambda: status(s)["serving"]["generation"] == 2)  # … and a new set is installed meanwhile
    rest = (head + r.read()).decode().splitlines()
    versions = {json.loads(l)["pack"]["version"] for l in rest}
    assert versions == {"1"} and len(rest) == 20000
    assert evaluate(s, line)["pack"]["version"] == "9"
