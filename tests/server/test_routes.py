"""Every route of eligo-server, against the bundled packs, over real HTTP on loopback."""
import json
import subprocess

from conftest import MAJOR, POINTS, RULES, SERVER, applicants, cli_decisions

YUEXIU = "cn.gz.yuexiu.school-admission"
SIJI = "cn.minsheng.siji-huimin"


def test_health_and_readiness(rules_server):
    assert rules_server.json("GET", "/healthz") == (200, {"status": "ok"})
    assert rules_server.json("GET", "/readyz") == (200, {"status": "ready"})


def test_packs_lists_every_pack_with_its_versions(rules_server):
    status, body = rules_server.json("GET", "/v1/packs")
    assert status == 200
    ids = [p["id"] for p in body["packs"]]
    assert sorted(ids) == sorted([POINTS, MAJOR, YUEXIU, SIJI])
    points = next(p for p in body["packs"] if p["id"] == POINTS)
    assert [(v["version"], v["effective"]["from"]) for v in points["versions"]] == [
        ("2018.1", "2018-07-01"), ("2021.1", "2021-11-16")]
    for v in points["versions"]:
        assert len(v["sha256"]) == 64 and v["file"].endswith(".pack.json")


def test_one_pack_shows_its_inputs_for_form_builders(rules_server):
    status, body = rules_server.json("GET", "/v1/packs/" + MAJOR)
    assert status == 200 and body["id"] == MAJOR
    (v,) = body["versions"]
    assert set(v["inputs"]) == {"applicant", "hrss", "public_security", "medical_insurance", "civil_affairs"}
    assert v["inputs"]["applicant"]["fields"]["id_number"]["type"] == "cn_id"
    assert v["sources"] == ["hrss", "public_security", "medical_insurance", "civil_affairs"]


def test_evaluate_answers_exactly_what_the_cli_prints(rules_server):
    lines = applicants("major-illness.jsonl")
    expected = cli_decisions(RULES / "major-illness", lines, "--as-of", "2024-05-01")
    c = rules_server.conn()
    got = []
    for line in lines:  # one keep-alive connection for all of them
        status, headers, data = rules_server.request(
            "POST", f"/v1/packs/{MAJOR}/evaluate?as_of=2024-05-01", line, conn=c)
        assert status == 200 and headers["content-type"].startswith("application/json")
        assert headers.get("connection", "keep-alive").lower() != "close"
        got.append(data.decode())
    assert got == expected
    assert any('"verdict":"ineligible"' in g for g in got)


def test_as_of_chooses_the_version_in_force(rules_server):
    line = applicants("gz-points.jsonl")[0]
    for as_of, version in [("2020-06-01", "2018.1"), ("2024-05-01", "2021.1")]:
        status, d = rules_server.json("POST", f"/v1/packs/{POINTS}/evaluate?as_of={as_of}", line)
        assert status == 200 and d["pack"]["version"] == version and d["as_of"] == as_of
        assert json.dumps(d, ensure_ascii=False, separators=(",", ":")) == cli_decisions(
            RULES / "gz-points", [line], "--as-of", as_of)[0]
    status, err = rules_server.json("POST", f"/v1/packs/{POINTS}/evaluate?as_of=2001-01-01", line)
    assert status == 422 and err["code"] == "no_version_in_force"


def test_options_explain_lang_and_mode(rules_server):
    line = applicants("major-illness.jsonl")[2]  # names differ: the identity check fails
    q = f"/v1/packs/{MAJOR}/evaluate?as_of=2024-05-01&lang=en&explain=true&mode=all"
    assert rules_server.request("POST", q, line)[2].decode() == cli_decisions(
        RULES / "major-illness", [line], "--as-of", "2024-05-01", "--lang", "en", "--explain", "--mode", "all")[0]


def test_a_flat_record_names_its_group(rules_server):
    nested = json.loads(applicants("gz-points.jsonl")[0])
    assert list(nested) == ["applicant"]
    flat = json.dumps(nested["applicant"], ensure_ascii=False)
    a = rules_server.request("POST", f"/v1/packs/{POINTS}/evaluate?as_of=2024-05-01&group=applicant", flat)
    b = rules_server.request("POST", f"/v1/packs/{POINTS}/evaluate?as_of=2024-05-01", json.dumps(nested, ensure_ascii=False))
    assert a[0] == b[0] == 200 and a[2] == b[2]
    # A body that is not one JSON object is a data error of the decision, as everywhere else.
    status, d = rules_server.json("POST", f"/v1/packs/{POINTS}/evaluate?as_of=2024-05-01&group=applicant",
                                  '{"a":1}, "x": {')
    assert status == 200 and d["verdict"] != "eligible" and d["data_errors"][0]["code"].startswith("E3")
    # Unknown fields are errors unless the request says otherwise.
    extra = json.dumps(dict(nested["applicant"], favourite_colour="red"), ensure_ascii=False)
    q = f"/v1/packs/{POINTS}/evaluate?as_of=2024-05-01&group=applicant"
    strict = json.loads(rules_server.request("POST", q, extra)[2])
    assert any("favourite_colour" in e["path"] + e["message"] for e in strict["data_errors"])
    assert rules_server.request("POST", q + "&unknown_fields=ignore", extra)[2] == a[2]
    status, err = rules_server.json("POST", f"/v1/packs/{POINTS}/evaluate?as_of=2024-05-01&group=nope", flat)
    assert status == 400 and err["code"] == "bad_option"


def test_evaluate_batch_streams_one_line_per_row_for_jsonl_and_arrays(rules_server):
    lines = applicants("major-illness.jsonl")
    expected = cli_decisions(RULES / "major-illness", lines, "--as-of", "2024-05-01")
    path = f"/v1/packs/{MAJOR}/evaluate-batch?as_of=2024-05-01"
    status, headers, data = rules_server.request("POST", path, "\n".join(lines) + "\n")
    assert status == 200 and headers["transfer-encoding"] == "chunked"
    assert headers["content-type"].startswith("application/x-ndjson")
    assert data.decode().splitlines() == expected
    array = "[" + ",".join(lines) + "]"
    assert rules_server.request("POST", path, array)[2].decode().splitlines() == expected
    # A broken row is answered in its place (data error E3xxx): rows in = lines out.
    rows = [lines[0], "{not json", lines[1]]
    out = rules_server.request("POST", path, "\n".join(rows))[2].decode().splitlines()
    assert len(out) == 3 and out[0] == expected[0] and out[2] == expected[1]
    # An array that stops being JSON ends the stream with one error line after the rows before it.
    cut = rules_server.request("POST", path, "[" + lines[0] + ", {]")[2].decode().splitlines()
    assert cut[0] == expected[0] and json.loads(cut[-1])["code"] == "invalid_batch"
    bad = json.loads(out[1])
    assert out == cli_decisions(RULES / "major-illness", rows, "--as-of", "2024-05-01")
    assert bad["verdict"] != "eligible" and bad["data_errors"][0]["code"].startswith("E3")


def test_many_rows_stream_in_several_chunks(rules_server):
    line = applicants("gz-points.jsonl")[0]
    n = 1000
    status, _, data = rules_server.request("POST", f"/v1/packs/{POINTS}/evaluate-batch?as_of=2024-05-01",
                                           "\n".join([line] * n))
    out = data.decode().splitlines()
    assert status == 200 and len(out) == n and len(set(out)) == 1


def test_errors_are_json_with_stable_codes(rules_server):
    cases = [
        ("GET", "/nowhere", None, 404, "not_found"),
        ("POST", "/v1/packs/nope/evaluate", "{}", 404, "pack_not_found"),
        ("GET", f"/v1/packs/{MAJOR}/evaluate", None, 405, "method_not_allowed"),
        ("POST", "/healthz", "", 405, "method_not_allowed"),
        ("POST", f"/v1/packs/{MAJOR}/evaluate?as_of=yesterday", "{}", 400, "bad_option"),
        ("POST", f"/v1/packs/{MAJOR}/evaluate?colour=red", "{}", 400, "bad_option"),
        ("POST", f"/v1/packs/{MAJOR}/evaluate?clear_pii=true", "{}", 403, "clear_pii_forbidden"),
    ]
    for method, path, body, status, code in cases:
        got_status, headers, data = rules_server.request(method, path, body)
        err = json.loads(data)
        assert (got_status, err["code"]) == (status, code), path
        assert set(err) == {"code", "message", "request_id"} and err["request_id"] == headers["x-request-id"]
    assert rules_server.request("GET", f"/v1/packs/{MAJOR}/evaluate")[1]["allow"] == "POST"


def test_request_ids_are_echoed_or_made(rules_server):
    _, h, _ = rules_server.request("GET", "/healthz", headers={"X-Request-Id": "portal-42.a"})
    assert h["x-request-id"] == "portal-42.a"
    _, h1, _ = rules_server.request("GET", "/healthz", headers={"X-Request-Id": "bad id with spaces"})
    _, h2, _ = rules_server.request("GET", "/healthz")
    assert h1["x-request-id"] != h2["x-request-id"] and " " not in h1["x-request-id"]


def test_pii_stays_masked_in_answers_and_errors(rules_server):
    line = applicants("major-illness.jsonl")[2]
    id_number = json.loads(line)["applicant"]["id_number"]
    for q in ["as_of=2024-05-01&explain=true", "as_of=2024-05-01&explain=true&lang=en"]:
        data = rules_server.request("POST", f"/v1/packs/{MAJOR}/evaluate?{q}", line)[2].decode()
        assert id_number not in data
    # A malformed body is a data error in the decision; the body is never echoed back.
    data = rules_server.request("POST", f"/v1/packs/{MAJOR}/evaluate", id_number + " {")[2].decode()
    assert id_number not in data


def test_metrics_count_requests_and_decisions(rules_server):
    lines = applicants("major-illness.jsonl")
    for line in lines:
        rules_server.request("POST", f"/v1/packs/{MAJOR}/evaluate?as_of=2024-05-01", line)
    rules_server.request("GET", "/nowhere")
    status, h, data = rules_server.request("GET", "/metrics")
    text = data.decode()
    assert status == 200 and h["content-type"].startswith("text/plain; version=0.0.4")
    assert f'eligo_http_requests_total{{route="/v1/packs/{{id}}/evaluate",status="200"}} {len(lines)}' in text
    assert 'eligo_http_requests_total{route="other",status="404"} 1' in text
    verdicts = {}
    for row in text.splitlines():
        if row.startswith(f'eligo_decisions_total{{pack="{MAJOR}"'):
            verdicts[row.split('verdict="')[1].split('"')[0]] = int(row.split()[-1])
    assert sum(verdicts.values()) == len(lines)
    assert f'eligo_http_request_duration_seconds_count{{route="/v1/packs/{{id}}/evaluate",status="200"}} {len(lines)}' in text
    assert "eligo_http_requests_in_flight 0" in text


def test_a_non_loopback_address_needs_api_keys():
    r = subprocess.run([SERVER, "--packs", str(RULES), "--listen", "0.0.0.0:0"], capture_output=True, text=True,
                       timeout=20)
    assert r.returncode == 2 and "without API keys" in r.stderr


def test_a_broken_config_names_the_key(tmp_path):
    cfg = tmp_path / "c.json"
    cfg.write_text('{"packs": "rules", "limits": {"body_byte": 10}}')
    r = subprocess.run([SERVER, "--config", str(cfg)], capture_output=True, text=True, timeout=20)
    assert r.returncode == 2 and "/limits/body_byte: unknown key" in r.stderr
