"""eligo-server's /dashboard: the real server on loopback with a generated reconciliation report and
decisions it made itself, the page opened in headless Chromium."""
import collections
import decimal
import hashlib
import http.client
import json
import os
import pathlib
import signal
import subprocess
import time

import pytest

from conftest import ORDER_CLASSES, SERVER, SOURCE, clear_ids, money, require_echarts

RULES = SOURCE / "rules"
APPLICANTS = SOURCE / "examples/applicants"
PACKS = {"cn.minsheng.major-illness": "major-illness.jsonl", "cn.gz.points": "gz-points.jsonl"}
KEYS = {"dash": ("dash-secret-1", [], True, False), "eval": ("eval-secret-2", ["*"], False, False),
        "rec": ("rec-secret-3", [], True, True)}


class Server:
    def __init__(self, args, env=None):
        if not os.path.exists(SERVER):
            pytest.fail("eligo-server is not built at " + SERVER)
        self.proc = subprocess.Popen([SERVER] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=env)
        line = self.proc.stdout.readline()
        assert "listening on" in line, line + self.proc.stderr.read()
        self.port = int(line.split("http://127.0.0.1:")[1].split(" ")[0])

    def request(self, method, path, body=None, key=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": "Bearer " + KEYS[key][0]} if key else {}
        c.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=headers)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def json(self, path, key="dash"):
        status, _, data = self.request("GET", path, key=key)
        assert status == 200, data
        return json.loads(data)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.stderr = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()


@pytest.fixture(scope="module")
def served(payouts, tmp_path_factory):
    require_echarts()
    work = tmp_path_factory.mktemp("served")
    reports = work / "reports"
    reports.mkdir()
    r = payouts.reconcile(reports / "2024-03-district")
    assert r.returncode == 0, r.stderr
    expected = payouts.expected(reports / "2024-03-district")
    keys = work / "keys.json"
    keys.write_text(json.dumps({"keys": [
        {"id": k, "sha256": hashlib.sha256(v[0].encode()).hexdigest(), "packs": v[1], "dashboard": v[2],
         "reconcile": v[3]}
        for k, v in KEYS.items()]}))
    config = work / "server.json"
    config.write_text(json.dumps({"listen": "127.0.0.1:0", "packs": [str(RULES)], "api_keys": str(keys),
                                  "reports": "reports"}))  # relative to the config file's folder
    server = Server(["--config", str(config)])
    # Decisions: every sample applicant of two packs, one request each, as a portal would send them.
    decisions = collections.defaultdict(list)
    for pack, file in PACKS.items():
        lines = [l for l in (APPLICANTS / file).read_text(encoding="utf-8").splitlines() if l.strip()]
        if pack == "cn.minsheng.major-illness":
            # Applicants whose 公安 or 民政 facts are absent: needs_evidence, naming the missing fact.
            for i, group in ((0, "public_security"), (1, "public_security"), (0, "civil_affairs")):
                a = json.loads(lines[i])
                del a[group]
                lines.append(json.dumps(a, ensure_ascii=False))
        for line in lines:
            status, _, data = server.request("POST", "/v1/packs/%s/evaluate?as_of=2024-05-01" % pack, line, key="eval")
            assert status == 200, data
            d = json.loads(data)
            decisions[(d["pack"]["id"], d["pack"]["version"])].append(d)
    yield server, reports, expected, decisions, payouts
    server.stop()


def decision_figures(ds):
    """What the decisions dashboard must show for one pack version, counted from the decisions' JSON."""
    verdicts = collections.Counter(d["verdict"] for d in ds)
    failing = collections.Counter(c["id"] for d in ds for c in d.get("checks", []) if c["status"] == "failed")
    missing = collections.Counter(m for d in ds for c in d.get("checks", []) + d.get("score", {}).get("items", [])
                                  for m in c.get("missing", []))
    points = collections.Counter()
    for d in ds:
        if "score" in d and d["verdict"] != "error":
            points[int(decimal.Decimal(d["score"]["total"]) // 10) * 10] += 1
    return verdicts, failing, missing, points


def labels(ds):
    return {c["id"]: c["label"] for d in ds for c in d.get("checks", []) if c["status"] == "failed"}


def test_data_routes_need_a_key_allowed_the_dashboard(served):
    server = served[0]
    assert server.request("GET", "/v1/dashboard/payouts")[0] == 401
    status, _, data = server.request("GET", "/v1/dashboard/payouts", key="eval")
    assert status == 403 and json.loads(data)["code"] == "dashboard_forbidden"
    # A dashboard-only key evaluates nothing.
    status, _, data = server.request("POST", "/v1/packs/cn.gz.points/evaluate", "{}", key="dash")
    assert status == 403 and json.loads(data)["code"] == "pack_forbidden"
    # The page and its scripts carry no data and load without a key.
    status, headers, page = server.request("GET", "/dashboard")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b'<script src="/dashboard/echarts.min.js">' in page
    assert "default-src 'none'" in headers["content-security-policy"]
    status, headers, js = server.request("GET", "/dashboard/echarts.min.js")
    assert status == 200 and js == open(os.environ.get("ELIGO_TEST_ECHARTS_JS", str(SOURCE / "web/node_modules/echarts/dist/echarts.min.js")), "rb").read()


def test_payout_data_is_the_report_and_new_reports_are_picked_up(served, tmp_path):
    server, reports, e, _, payouts = served
    listing = server.json("/v1/dashboard/reports")
    assert [r["id"] for r in listing["reports"]] == ["2024-03-district"]
    assert listing["reports"][0]["orders"] == e["count"]
    assert listing["reports"][0]["anomalies"] == e["anomaly_rows"]
    view = server.json("/v1/dashboard/payouts?report=2024-03-district")
    assert view == json.loads((reports / "2024-03-district" / "dashboard.json").read_text(encoding="utf-8"))
    status, headers, xlsx = server.request("GET", "/v1/dashboard/reports/2024-03-district/reconciliation.xlsx", key="dash")
    assert status == 200 and xlsx[:2] == b"PK"
    assert xlsx == (reports / "2024-03-district" / "reconciliation.xlsx").read_bytes()
    # A report written while the server runs is served at once, newest first.
    time.sleep(0.01)
    r = payouts.reconcile(reports / "2024-04-town")
    assert r.returncode == 0, r.stderr
    assert [x["id"] for x in server.json("/v1/dashboard/reports")["reports"]] == ["2024-04-town", "2024-03-district"]
    # A report in clear is listed as a problem and never served.
    g = payouts.gen
    r = subprocess.run([os.environ.get("ELIGO_CLI", str(SOURCE / "build/src/cli/eligo")), "reconcile", "--orders",
                        str(g / "orders.csv"), "--bank", str(g / "bank.csv"), "--mapping", str(g / "mapping.json"),
                        "--out", str(reports / "clear"), "--clear-pii", "--no-workbook"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    listing = server.json("/v1/dashboard/reports")
    assert "clear" not in [x["id"] for x in listing["reports"]]
    assert listing["problems"] == [{"id": "clear", "message": "clear/dashboard.json was made with --clear-pii: "
                                                              "the dashboard serves masked reports only"}]
    status, _, data = server.request("GET", "/v1/dashboard/payouts?report=clear", key="dash")
    assert status == 404 and json.loads(data)["code"] == "report_not_found"
    for name in ("2024-04-town", "clear"):
        subprocess.run(["rm", "-rf", str(reports / name)], check=True)


def test_decision_data_counts_what_the_server_decided(served):
    server, _, _, decisions, _ = served
    data = server.json("/v1/dashboard/decisions")  # the dashboard key evaluates nothing, yet sees every pack
    assert data["format"] == "eligo.dashboard.decisions/1"
    got = {(p["pack"], p["version"]): p for p in data["packs"]}
    assert set(got) == set(decisions)
    for key, ds in decisions.items():
        verdicts, failing, missing, points = decision_figures(ds)
        p = got[key]
        assert p["total"] == len(ds)
        assert {k: v for k, v in p["by_verdict"].items() if v} == dict(verdicts)
        assert {f["check"]: f["count"] for f in p["failing_checks"]} == dict(failing)
        assert {f["check"]: f["label"] for f in p["failing_checks"]} == labels(ds)
        assert [f["count"] for f in p["failing_checks"]] == sorted(failing.values(), reverse=True)
        assert {m["fact"]: m["count"] for m in p["missing_facts"]} == dict(missing)
        assert {b["from"]: b["count"] for b in p["points"]} == dict(points)
        if key[0] == "cn.minsheng.major-illness":  # the sample holds refusals and missing facts: no empty pass
            assert failing and verdicts["needs_evidence"] == 3
            assert dict(missing) == {"public_security.hukou_district": 2, "civil_affairs.certificates": 1}
        else:
            assert len(points) >= 3
        assert sum(sum(v for k, v in m.items() if k != "minute") for m in p["over_time"]) == len(ds)


def test_the_page_draws_payouts_and_decisions_from_loopback_only(served, browser):
    server, _, e, decisions, payouts = served
    base = "http://127.0.0.1:%d" % server.port
    assert browser.open(base + "/dashboard#key=" + KEYS["dash"][0]) == "true"
    assert browser.js("return location.hash") == ""  # the key left the address bar at once
    assert browser.text('#headline [data-figure="orders"] .value') == str(e["count"])
    assert browser.text('#headline [data-figure="amount"] .value') == money(e["amount"])
    assert browser.text('#headline [data-figure="anomalies"] .value') == str(e["anomalies"])
    option = browser.js("return eligoDashboard.charts.classes.getOption()")
    assert option["series"][0]["data"] == [e["by_class"][c][0] for c in ORDER_CLASSES] + [e["orphans"][0]]
    option = browser.js("return eligoDashboard.charts.communities.getOption()")
    assert option["series"][0]["data"] == [n for _, n, _ in e["ranking"][:15]]
    assert len(browser.texts("#anomaly-table tbody tr")) == e["anomaly_rows"]
    # Decisions, pack by pack.
    for key in sorted(decisions):
        browser.js("var s = document.getElementById('pack-select'); s.value = arguments[0];"
                   "s.dispatchEvent(new Event('change'))", key[0] + "@" + key[1])
        verdicts, failing, missing, points = decision_figures(decisions[key])
        assert browser.text('#decision-headline [data-figure="decisions"] .value') == str(len(decisions[key]))
        for v in ("eligible", "ineligible", "needs_evidence"):
            assert browser.text('#decision-headline [data-figure="%s"] .value' % v) == str(verdicts.get(v, 0))
        option = browser.js("return eligoDashboard.charts.verdicts.getOption()")
        assert [d["value"] for d in option["series"][0]["data"]] == [verdicts.get(v, 0) for v in ("eligible", "ineligible", "needs_evidence")]
        option = browser.js("return eligoDashboard.charts.failing.getOption()")
        names = labels(decisions[key])
        assert dict(zip(option["yAxis"][0]["data"], option["series"][0]["data"])) == {names[k]: n for k, n in failing.items()}
        option = browser.js("return eligoDashboard.charts.missing.getOption()")
        assert dict(zip(option["yAxis"][0]["data"], option["series"][0]["data"])) == dict(missing)
        option = browser.js("return eligoDashboard.charts.points.getOption()")
        assert sum(option["series"][0]["data"]) == sum(points.values())
    browser.assert_stayed_local()
    for url in browser.urls:
        assert url.startswith(base) or url.startswith("chrome:") or url.startswith("data:") or url.startswith("blob:"), url
    # No payee or applicant in clear on the page or in any data route.
    ids, names = payouts.clear_pii()
    texts = [browser.js("return document.body.innerText")]
    for route in ("/v1/dashboard/reports", "/v1/dashboard/payouts", "/v1/dashboard/decisions"):
        texts.append(server.request("GET", route, key="dash")[2].decode())
    applicant_ids = set()
    for file in PACKS.values():
        applicant_ids |= set(clear_ids((APPLICANTS / file).read_text(encoding="utf-8")))
    for t in texts:
        assert clear_ids(t) == []
        assert [i for i in ids | applicant_ids if i in t] == []
        assert [n for n in names if n in t] == []


def test_post_reconcile_makes_a_report_the_dashboard_serves(served):
    server, reports, e, _, payouts = served
    g = payouts.gen
    body = {"report": "2024-03-uploaded", "orders": (g / "orders.csv").read_text(encoding="utf-8"),
            "bank": (g / "bank.csv").read_text(encoding="utf-8"),
            "registry": (g / "registry.csv").read_text(encoding="utf-8"),
            "exclusions": (g / "exclusions.csv").read_text(encoding="utf-8"),
            "mapping": json.loads((g / "mapping.json").read_text(encoding="utf-8")), "cutoff": payouts.key["cutoff"]}
    status, _, data = server.request("POST", "/v1/reconcile", json.dumps(body), key="dash")
    assert status == 403 and json.loads(data)["code"] == "reconcile_forbidden"
    status, _, data = server.request("POST", "/v1/reconcile", json.dumps(dict(body, extra=1)), key="rec")
    assert status == 400 and "unknown key 'extra'" in json.loads(data)["message"]
    status, _, data = server.request("POST", "/v1/reconcile", json.dumps(body), key="rec")
    assert status == 201, data
    answer = json.loads(data)
    assert answer["report"] == "2024-03-uploaded"
    assert answer["totals"]["orders"]["count"] == e["count"]
    assert answer["totals"]["orders"]["amount"] == str(e["amount"])
    assert answer["anomalies"] == e["anomaly_rows"]
    assert answer["rows"]["orders"]["rejected"] == sum(1 for r in payouts.key["rejected"] if r["file"] == "orders")
    # The same view as `eligo reconcile` wrote for the same files, but for where it came from.
    cli = json.loads((reports / "2024-03-district" / "dashboard.json").read_text(encoding="utf-8"))
    served_view = server.json("/v1/dashboard/payouts?report=2024-03-uploaded")
    assert served_view["source"] == "POST /v1/reconcile"
    assert dict(served_view, source=cli["source"]) == cli
    assert server.json("/v1/dashboard/reports")["reports"][0]["id"] == "2024-03-uploaded"
    # Nothing of the upload is left behind but the report; the uploaded inputs are gone.
    assert sorted(p.name for p in reports.iterdir()) == ["2024-03-district", "2024-03-uploaded"]
    assert clear_ids((reports / "2024-03-uploaded" / "orders.csv").read_text(encoding="utf-8")) == []
    status, _, data = server.request("POST", "/v1/reconcile", json.dumps(body), key="rec")
    assert status == 409 and json.loads(data)["code"] == "report_exists"
    status, _, data = server.request("POST", "/v1/reconcile", json.dumps(dict(body, report="bad", bank="x,y\n1,2\n")),
                                     key="rec")
    assert status == 422 and json.loads(data)["code"] == "unusable_input"
    assert str(reports) not in json.loads(data)["message"]
    assert sorted(p.name for p in reports.iterdir()) == ["2024-03-district", "2024-03-uploaded"]
    subprocess.run(["rm", "-rf", str(reports / "2024-03-uploaded")], check=True)


def test_a_restarted_server_counts_the_decisions_of_its_decision_log(tmp_path):
    config = tmp_path / "server.json"
    config.write_text(json.dumps({"listen": "127.0.0.1:0", "packs": [str(RULES)],
                                  "decision_log": {"path": "decisions.jsonl"}}))
    env = dict(os.environ, ELIGO_AUDIT_KEY="dashboard-test-key")
    lines = [l for l in (APPLICANTS / "major-illness.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    first = Server(["--config", str(config)], env=env)
    try:
        answers = []
        for line in lines:
            status, _, data = first.request("POST", "/v1/packs/cn.minsheng.major-illness/evaluate?as_of=2024-05-01", line)
            assert status == 200, data
            answers.append(json.loads(data))
    finally:
        first.stop()
    verdicts, failing, _, _ = decision_figures(answers)
    assert failing  # the sample has refusals: the seeded counts below cannot be met by an empty log
    second = Server(["--config", str(config)], env=env)
    try:
        data = second.json("/v1/dashboard/decisions", key=None)
        assert data["log"] == {"path": "decisions.jsonl", "read": len(lines), "skipped": 0}
        (p,) = data["packs"]
        assert p["total"] == len(lines)
        assert {k: v for k, v in p["by_verdict"].items() if v} == dict(verdicts)
        assert {f["check"]: f["count"] for f in p["failing_checks"]} == dict(failing)
        # New decisions add to what the log held.
        status, _, _ = second.request("POST", "/v1/packs/cn.minsheng.major-illness/evaluate?as_of=2024-05-01", lines[0])
        assert status == 200
        assert second.json("/v1/dashboard/decisions", key=None)["packs"][0]["total"] == len(lines) + 1
    finally:
        second.stop()


def test_the_page_follows_new_reports_and_decisions_as_they_come(served, browser):
    server, reports, e, decisions, payouts = served
    from selenium.webdriver.support.ui import WebDriverWait
    assert browser.open("http://127.0.0.1:%d/dashboard?refresh=1#key=%s" % (server.port, KEYS["dash"][0])) == "true"
    key = ("cn.minsheng.major-illness", "1")
    browser.js("var s = document.getElementById('pack-select'); s.value = arguments[0];"
               "s.dispatchEvent(new Event('change'))", key[0] + "@" + key[1])
    before = int(browser.text('#decision-headline [data-figure="decisions"] .value'))
    line = next(l for l in (APPLICANTS / PACKS[key[0]]).read_text(encoding="utf-8").splitlines() if l.strip())
    assert server.request("POST", "/v1/packs/%s/evaluate?as_of=2024-05-01" % key[0], line, key="eval")[0] == 200
    WebDriverWait(browser.driver, 15).until(
        lambda d: browser.text('#decision-headline [data-figure="decisions"] .value') == str(before + 1))
    r = payouts.reconcile(reports / "2024-05-latest")
    assert r.returncode == 0, r.stderr
    try:
        WebDriverWait(browser.driver, 15).until(lambda d: browser.js("return document.getElementById('report-select').value") == "2024-05-latest")
        WebDriverWait(browser.driver, 15).until(
            lambda d: browser.text('#headline [data-figure="orders"] .value') == str(e["count"]))
    finally:
        subprocess.run(["rm", "-rf", str(reports / "2024-05-latest")], check=True)
    browser.assert_stayed_local()
