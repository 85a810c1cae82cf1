"""PII by shape across surfaces (issue 10 item 2): ID-, card- and mobile-shaped values go through every
field type of a pack that declares nothing as PII, and through the CLI (text, JSON, stderr), the C API
(single and batch) and Python. Every output is scanned with r8_check (an implementation separate from
eligo's): masked runs must find nothing and must show each value masked; with clear text asked for, each
value must appear in clear (so the scan is seen to bite).

The server (when built) is a surface too: every applicant through POST …/evaluate and …/evaluate-batch, with
a key that may not and a key that may ask for clear text, and its access log.

usage: pii_matrix.py ELIGO_CLI PII_CAPI PACK WORK_DIR PYTHONPATH|- [ELIGO_SERVER|-]"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import r8_check  # noqa: E402

cli, capi, pack, work, pythonpath = sys.argv[1:6]
server = sys.argv[6] if len(sys.argv) > 6 else "-"
os.makedirs(work, exist_ok=True)

# Synthetic values: each passes its check (the checker says so first).
VALUES = {
    "id18": "440106198001010019",
    "id18x": "11010519491231002X",
    "id15": "610104620927690",
    "permit": "810000199408230021",
    "card": "6222021234567890128",
    "mobile": "18012341999",
    "fullwidth_id": "３２０１０２１９９００３０７１２３９",
}
for name, v in VALUES.items():
    assert r8_check.findings(v), f"the checker does not recognise {name}"


def masked(v):
    """The masked form the output must show (first 6 + last 4, mobiles 3 + 4), compared after NFKC."""
    import unicodedata
    v = unicodedata.normalize("NFKC", v)
    if r8_check.kind_of(v) == "mobile":
        return v[:3] + "*" * (len(v) - 7) + v[-4:]
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


BASE = {"district": "110105", "kind": "tekun", "born": "2000-01-01", "amount": 1, "flag": True, "note": "ok",
        "tags": []}
lines = []
for v in VALUES.values():
    for field in ["district", "kind", "born", "amount", "flag", "note"]:
        a = dict(BASE)
        a[field] = v
        lines.append(json.dumps({"applicant": a}, ensure_ascii=False))
    a = dict(BASE, tags=[v, "x"])
    lines.append(json.dumps({"applicant": a}, ensure_ascii=False))
    if v.isdigit():  # a JSON number, not a string
        lines.append('{"applicant": {"district": "110105", "kind": "tekun", "amount": %s, "tags": []}}' % v)
    a = dict(BASE)
    a[v] = "unknown field named by the value"
    lines.append(json.dumps({"applicant": a}, ensure_ascii=False))
    lines.append(json.dumps({"applicant": dict(BASE), "group_" + v: {}}, ensure_ascii=False))
applicants = os.path.join(work, "applicants.jsonl")
with open(applicants, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
# The inputs hold the values in clear on purpose: the R8 scan of the suite's files skips them.
with open(os.path.join(work, ".r8-clear"), "w") as f:
    f.write("applicants.jsonl\nclear-*\n")


def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, env=env)
    return p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")


py_env = dict(os.environ)
if pythonpath != "-":
    py_env["PYTHONPATH"] = pythonpath
PY = r'''
import json, sys, eligo
pack = eligo.load(sys.argv[1]); clear = sys.argv[3] == "1"
rows = []
for line in open(sys.argv[2], encoding="utf-8"):
    try:
        r = pack.evaluate(line, as_of="2024-05-01", lang="zh-CN", explain=True, clear_pii=clear)
        print(json.dumps(r.to_dict(), ensure_ascii=False)); print(r.reasons, r.data_errors)
        rows.append(json.loads(line)["applicant"])
    except Exception as e:
        print("exception:", type(e).__name__, e)
try:
    out = pack.evaluate_batch(rows, as_of="2024-05-01", clear_pii=clear)
    print(out.to_string())
except Exception as e:
    print("batch exception:", type(e).__name__, e)
'''


def server_surface(clear):
    """Every applicant through a real eligo-server on a loopback port, one key per clear setting."""
    import hashlib
    import urllib.error
    import urllib.request
    with open(pack, encoding="utf-8") as f:
        pack_id = json.load(f)["pack"]
    keys = os.path.join(work, "keys.json")
    with open(keys, "w") as f:
        json.dump({"keys": [{"id": "masked", "sha256": hashlib.sha256(b"key-masked").hexdigest(), "packs": ["*"]},
                            {"id": "clear", "sha256": hashlib.sha256(b"key-clear").hexdigest(), "packs": ["*"],
                             "clear_pii": True}]}, f)
    config = os.path.join(work, "server.json")
    with open(config, "w") as f:
        json.dump({"listen": "127.0.0.1:0", "packs": [os.path.abspath(pack)], "api_keys": keys, "access_log": True,
                   "reload": {"watch": False}}, f)
    proc = subprocess.Popen([server, "--config", config], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    port = None
    for line in proc.stdout:
        line = line.decode()
        if "listening on" in line:
            port = int(line.split("127.0.0.1:")[1].split()[0].rstrip(")"))
            break
    if port is None:
        proc.kill()
        return "eligo-server did not start: " + proc.stderr.read().decode("utf-8", "replace")
    key = "key-clear" if clear else "key-masked"
    query = "as_of=2024-05-01&explain=true&lang=zh-CN" + ("&clear_pii=true" if clear else "")
    out = []

    def post(path, body):
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body.encode(), method="POST",
                                     headers={"X-API-Key": key})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.read().decode("utf-8", "replace")

    for line in lines:
        out.append(post(f"/v1/packs/{pack_id}/evaluate?{query}", line))
    out.append(post(f"/v1/packs/{pack_id}/evaluate-batch?{query}", "\n".join(lines) + "\n"))
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    return "\n".join(out) + "\n--- server stderr\n" + err.decode("utf-8", "replace")


def surfaces(clear):
    flag = ["--clear-pii"] if clear else []
    out = {}
    for lang in ["en", "zh-CN"]:
        out["cli text " + lang] = run([cli, "eval", pack, "--input", applicants, "--as-of", "2024-05-01", "--explain",
                                       "--lang", lang] + flag)
    out["cli json"] = run([cli, "eval", pack, "--input", applicants, "--as-of", "2024-05-01", "--explain",
                           "--format", "json"] + flag)
    # A message on standard error that quotes a path holding the value.
    out["cli stderr"] = "".join(run([cli, "eval", pack, "--input", os.path.join(work, "no-such-" + v + ".jsonl")] + flag)
                                for v in VALUES.values())
    out["c api"] = run([capi, pack, applicants, "1" if clear else "0"])
    if pythonpath != "-":
        out["python"] = run([sys.executable, "-c", PY, pack, applicants, "1" if clear else "0"], env=py_env)
    if server != "-":
        out["server"] = server_surface(clear)
    return out


failures = []
for clear in (False, True):
    for surface, text in surfaces(clear).items():
        with open(os.path.join(work, ("clear-" if clear else "masked-") + surface.replace(" ", "_") + ".txt"),
                  "w", encoding="utf-8") as f:
            f.write(text)
        found = r8_check.findings(text)
        import unicodedata
        plain = unicodedata.normalize("NFKC", text)
        if not clear:
            if found:
                failures.append(f"{surface}: in clear: {sorted(set(found))[:5]}")
            for name, v in VALUES.items():
                if masked(v) not in plain:
                    failures.append(f"{surface}: {name} never shown masked ({masked(v)})")
        else:
            for name, v in VALUES.items():
                if unicodedata.normalize("NFKC", v) not in plain:
                    failures.append(f"{surface} with clear text asked for: {name} not shown")
for f in failures:
    print("FAIL", f)
print(f"{len(failures)} failures over {len(lines)} applicants")
sys.exit(1 if failures else 0)
