"""HTTP data sources: the major-illness pack's four groups (人社, 公安, 医保, 民政) fetched from real loopback
HTTP services standing in for the government interfaces, only when a check first needs them. Each stand-in
counts its calls; some are slow, failing or have no record (404)."""
import http.server
import json
import threading
import time
import urllib.parse

import pytest

from conftest import MAJOR, RULES

ID = "330106195804120220"  # synthetic
OTHER = "110101199003074573"  # synthetic, no records anywhere
APPLICANT = {"applicant": {"name": "陈秀英", "id_number": ID}}

RECORDS = {
    "hrss": {ID: {"name": "陈秀英"}},
    "public_security": {ID: {"hukou_district": "330106"}},
    "medical_insurance": {ID: {"stays": [{"disease": "malignant_tumour", "admit": "2024-01-02",
                                          "discharge": "2024-01-20"}]}},
    "civil_affairs": {ID: {"certificates": [{"kind": "dibao", "from": "2023-06-01", "to": None}]}},
}


class Interfaces:
    """One loopback HTTP server answering /hrss/{id}, /public_security/{id}, … from RECORDS (404 when the ID
    has none). behave[source] = {"delay": s, "status": code} makes a source slow or failing."""

    def __init__(self):
        self.calls = {name: 0 for name in RECORDS}
        self.headers = {}
        self.bodies = {}
        self.behave = {}
        self.records = json.loads(json.dumps(RECORDS))
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def answer(self, body):
                parts = urllib.parse.urlparse(self.path).path.strip("/").split("/")
                source, key = parts[0], urllib.parse.unquote(parts[-1])
                outer.calls[source] = outer.calls.get(source, 0) + 1
                outer.headers[source] = dict(self.headers)
                if body is not None:
                    outer.bodies[source] = json.loads(body)
                    key = outer.bodies[source]["applicant.id_number"]
                b = outer.behave.get(source, {})
                if b.get("delay"):
                    time.sleep(b["delay"])
                status = b.get("status")
                record = outer.records.get(source, {}).get(key)
                if status is None:
                    status = 200 if record is not None else 404
                data = json.dumps(record if status == 200 else {"error": "no record"}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):
                self.answer(None)

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                self.answer(self.rfile.read(n))

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def sources(self, **overrides):
        out = {}
        for name in RECORDS:
            s = {"url": f"http://127.0.0.1:{self.port}/{name}/{{applicant.id_number}}", "timeout_ms": 1000,
                 "retries": 0, "backoff_ms": 10}
            s.update(overrides.get(name, {}))
            out[name] = s
        return out

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def gov():
    g = Interfaces()
    yield g
    g.close()


def evaluate(server, body, query="as_of=2024-05-01"):
    status, d = server.json("POST", f"/v1/packs/{MAJOR}/evaluate?{query}", json.dumps(body, ensure_ascii=False))
    assert status == 200, d
    return d


def outcomes(d):
    return [(c["source"], c["outcome"]) for c in d["sources_called"]]


def test_every_source_is_called_once_in_check_order_for_an_eligible_applicant(start, gov):
    s = start(packs=[str(RULES)], sources=gov.sources())
    d = evaluate(s, APPLICANT)
    assert d["verdict"] == "eligible"
    assert d["outputs"]["amount"]["value"] == "5000.00"
    assert outcomes(d) == [("hrss", "ok"), ("public_security", "ok"), ("medical_insurance", "ok"),
                           ("civil_affairs", "ok")]
    assert gov.calls == {"hrss": 1, "public_security": 1, "medical_insurance": 1, "civil_affairs": 1}


def test_a_failing_first_check_spares_the_later_sources(start, gov):
    gov.records["hrss"][ID] = {"name": "陈秀芳"}
    s = start(packs=[str(RULES)], sources=gov.sources())
    d = evaluate(s, APPLICANT)
    assert d["verdict"] == "ineligible"
    assert [c["id"] for c in d["checks"] if c["status"] == "failed"] == ["identity"] or d["failed"] == ["identity"]
    assert gov.calls == {"hrss": 1, "public_security": 0, "medical_insurance": 0, "civil_affairs": 0}


def test_a_group_given_in_the_request_is_not_fetched(start, gov):
    s = start(packs=[str(RULES)], sources=gov.sources())
    body = dict(APPLICANT, hrss={"name": "陈秀英"}, public_security={"hukou_district": "330106"})
    d = evaluate(s, body)
    assert d["verdict"] == "eligible"
    assert gov.calls == {"hrss": 0, "public_security": 0, "medical_insurance": 1, "civil_affairs": 1}


def test_404_is_no_record_and_the_fact_is_missing(start, gov):
    del gov.records["public_security"][ID]
    s = start(packs=[str(RULES)], sources=gov.sources())
    d = evaluate(s, APPLICANT)
    assert d["verdict"] == "needs_evidence"
    assert ("public_security", "no record") in outcomes(d)
    assert gov.calls["public_security"] == 1  # a 404 is an answer: never retried


def test_a_slow_source_times_out_with_its_retries_and_the_request_still_answers(start, gov):
    gov.behave["public_security"] = {"delay": 1.5}
    s = start(packs=[str(RULES)], sources=gov.sources(public_security={"timeout_ms": 200, "retries": 1}))
    t = time.monotonic()
    d = evaluate(s, APPLICANT)
    took = time.monotonic() - t
    assert ("public_security", "failed: timed out after 200 ms") in outcomes(d)
    assert d["verdict"] == "needs_evidence"
    assert gov.calls["public_security"] == 2          # one try, one retry
    assert gov.calls["medical_insurance"] == 0         # the hukou check could not pass
    assert took < 1.4, took                            # bounded by the timeouts, not by the slow source


def test_errors_are_retried_then_the_circuit_opens(start, gov):
    gov.behave["hrss"] = {"status": 500}
    s = start(packs=[str(RULES)],
              sources=gov.sources(hrss={"retries": 2, "backoff_ms": 5, "breaker": {"failures": 2, "open_ms": 60000}}))
    d1 = evaluate(s, APPLICANT)
    assert ("hrss", "failed: HTTP 500") in outcomes(d1)
    assert gov.calls["hrss"] == 3                      # 1 + 2 retries
    evaluate(s, APPLICANT)
    assert gov.calls["hrss"] == 6                      # the second failed call opens the circuit
    d3 = evaluate(s, APPLICANT)
    assert ("hrss", "failed: circuit open") in outcomes(d3)
    assert gov.calls["hrss"] == 6                      # open: no call at all
    metrics = s.request("GET", "/metrics")[2].decode()
    assert 'eligo_source_calls_total{source="hrss",outcome="failed"} 3' in metrics


def test_a_4xx_other_than_404_is_not_retried(start, gov):
    gov.behave["hrss"] = {"status": 403}
    s = start(packs=[str(RULES)], sources=gov.sources(hrss={"retries": 3}))
    d = evaluate(s, APPLICANT)
    assert ("hrss", "failed: HTTP 403") in outcomes(d)
    assert gov.calls["hrss"] == 1


def test_headers_come_from_the_environment_and_post_sends_the_keys(start, gov):
    import os
    env = dict(os.environ, HRSS_TOKEN="t0ken-for-hrss")
    s = start(env=env, packs=[str(RULES)],
              sources=gov.sources(hrss={"method": "POST", "url": f"http://127.0.0.1:{gov.port}/hrss/lookup",
                                        "body_keys": ["applicant.id_number"],
                                        "headers_from_env": {"Authorization": "HRSS_TOKEN"}}))
    d = evaluate(s, APPLICANT)
    assert outcomes(d)[0] == ("hrss", "ok"), d
    assert d["verdict"] == "eligible"
    assert gov.headers["hrss"]["Authorization"] == "t0ken-for-hrss"
    assert gov.bodies["hrss"] == {"applicant.id_number": ID}


def test_a_header_variable_that_is_not_set_stops_the_server_at_start(tmp_path, gov):
    import os
    import subprocess
    from conftest import SERVER, write_config
    env = {k: v for k, v in os.environ.items() if k != "NO_SUCH_TOKEN"}
    cfg = write_config(tmp_path, listen="127.0.0.1:0", packs=[str(RULES)],
                       sources=gov.sources(hrss={"headers_from_env": {"Authorization": "NO_SUCH_TOKEN"}}))
    r = subprocess.run([SERVER, "--config", str(cfg)], capture_output=True, text=True, env=env, timeout=20)
    assert r.returncode == 2
    assert 'source "hrss": header Authorization needs the environment variable NO_SUCH_TOKEN' in r.stderr


def test_a_source_that_refuses_connections_fails_fast(start, gov):
    import socket
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    dead = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    s = start(packs=[str(RULES)],
              sources=gov.sources(hrss={"url": f"http://127.0.0.1:{dead}/hrss/{{applicant.id_number}}"}))
    d = evaluate(s, APPLICANT)
    assert ("hrss", "failed: connection refused") in outcomes(d)
    assert ID not in json.dumps(d)                 # the failure never quotes the key (or the URL holding it)


def test_slow_sources_do_not_stall_other_requests(start, gov):
    gov.behave["hrss"] = {"delay": 1.0}
    s = start(packs=[str(RULES)], threads=1, sources=gov.sources(hrss={"timeout_ms": 3000}))
    slow = threading.Thread(target=evaluate, args=(s, APPLICANT))
    slow.start()
    time.sleep(0.2)
    t = time.monotonic()
    status, _, _ = s.request("GET", "/healthz")
    assert status == 200
    assert time.monotonic() - t < 0.8               # answered while the evaluation waits on hrss
    slow.join()


def test_batch_rows_fetch_their_own_records(start, gov):
    s = start(packs=[str(RULES)], sources=gov.sources())
    rows = [APPLICANT, {"applicant": {"name": "王五", "id_number": OTHER}}]
    body = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n"
    status, _, data = s.request("POST", f"/v1/packs/{MAJOR}/evaluate-batch?as_of=2024-05-01", body)
    assert status == 200
    lines = [json.loads(l) for l in data.decode().splitlines()]
    assert [l["verdict"] for l in lines] == ["eligible", "needs_evidence"]
    assert outcomes(lines[1]) == [("hrss", "no record")]
    assert gov.calls["hrss"] == 2
