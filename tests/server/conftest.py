"""Starts the real eligo-server on a loopback port (port 0: the kernel picks a free one, the server prints
it) and talks to it over real HTTP. No mocks."""
import hashlib
import http.client
import json
import os
import re
import pathlib
import shutil
import signal
import socket
import subprocess
import time

import pytest

SOURCE = pathlib.Path(os.environ.get("ELIGO_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
SERVER = os.environ.get("ELIGO_SERVER", str(SOURCE / "build/src/server/eligo-server"))
CLI = os.environ.get("ELIGO_CLI", str(SOURCE / "build/src/cli/eligo"))
RULES = SOURCE / "rules"
APPLICANTS = SOURCE / "examples/applicants"
MAJOR = "cn.minsheng.major-illness"
POINTS = "cn.gz.points"


class Server:
    def __init__(self, args, env=None, cwd=None):
        self.proc = subprocess.Popen([SERVER] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env, cwd=cwd, text=True)
        line = self.proc.stdout.readline()
        if "listening on" not in line:
            err = self.proc.stderr.read()
            self.proc.wait(5)
            raise RuntimeError("eligo-server did not start: " + line + err)
        self.port = int(line.split("http://127.0.0.1:")[1].split(" ")[0])

    def conn(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, conn=None):
        c = conn or self.conn()
        if isinstance(body, str):
            body = body.encode()
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        if conn is None:
            c.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def json(self, method, path, body=None, headers=None):
        status, h, data = self.request(method, path, body, headers)
        return status, json.loads(data)

    def raw(self, timeout=10):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def stop(self):
        if self.proc.stdout.closed:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()


def write_config(tmp_path, **config):
    path = tmp_path / "server.json"
    path.write_text(json.dumps(config))
    return path


def write_keys(tmp_path, keys):
    """keys: {id: (secret, packs, clear_pii)} → a keys file holding only the hashes."""
    entries = [{"id": k, "sha256": hashlib.sha256(v[0].encode()).hexdigest(), "packs": v[1], "clear_pii": v[2]}
               for k, v in keys.items()]
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"keys": entries}))
    return path


@pytest.fixture
def start(tmp_path):
    servers = []

    def _start(args=None, env=None, **config):
        if config:
            config.setdefault("listen", "127.0.0.1:0")
            args = ["--config", str(write_config(tmp_path, **config))] + (args or [])
        s = Server(args, env=env)
        servers.append(s)
        return s

    yield _start
    for s in servers:
        s.stop()


@pytest.fixture
def rules_server(start):
    return start(["--packs", str(RULES), "--listen", "127.0.0.1:0"])


def applicants(name):
    return [l for l in (APPLICANTS / name).read_text(encoding="utf-8").splitlines() if l.strip()]


def cli_decisions(pack_dir, lines, *extra):
    """What `eligo eval --format json` prints for these applicants: the server answers the same decision
    bytes (Decision::to_json()); the CLI only puts the row's input line in front ({"line":N,…})."""
    r = subprocess.run([CLI, "eval", str(pack_dir), "--input", "-", "--format", "json"] + list(extra),
                       input="\n".join(lines) + "\n", capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr
    return [re.sub(r'^\{"line":[0-9]+,', "{", l) for l in r.stdout.splitlines()]


def copy_pack(src, dst):
    shutil.copytree(src, dst)
    return dst
