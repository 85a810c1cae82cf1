"""A bounded load smoke test (a few seconds, several keep-alive clients): every request is answered 200 with
the right decision and the metrics agree. No timing is asserted; bench/README.md has the wrk figures."""
import json
import threading
import time

from conftest import POINTS, applicants


def test_a_few_seconds_of_concurrent_keep_alive_clients(start):
    from conftest import RULES
    s = start(packs=[str(RULES)], threads=2)
    line = applicants("gz-points.jsonl")[0]
    path = f"/v1/packs/{POINTS}/evaluate?as_of=2024-05-01"
    expected = s.request("POST", path, line)[2]
    counts, bad = [], []
    stop = time.monotonic() + 3

    def client():
        c = s.conn()
        n = 0
        while time.monotonic() < stop:
            status, _, body = s.request("POST", path, line, conn=c)
            if status != 200 or body != expected:
                bad.append(status)
            n += 1
        counts.append(n)

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not bad and sum(counts) > 0
    metrics = s.request("GET", "/metrics")[2].decode()
    total = sum(counts) + 1
    assert f'eligo_http_requests_total{{route="/v1/packs/{{id}}/evaluate",status="200"}} {total}' in metrics
    verdict = json.loads(expected)["verdict"]
    assert f'eligo_decisions_total{{pack="{POINTS}",verdict="{verdict}"}} {total}' in metrics
