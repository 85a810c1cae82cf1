"""The dashboard's tests: real `eligo reconcile` on generated payout files (scripts/gen_payout.py), the real
eligo-server on loopback, and the page opened in Debian's headless Chromium through chromium-driver and
python3-selenium. No mocks.

The expected numbers never come from the page's own data: they are summed here, with Python's Decimal, from
the generator's answer key (the class of every order) and the report's orders.jsonl (written by another
writer than the dashboard's view)."""
import collections
import decimal
import json
import os
import pathlib
import re
import shutil
import subprocess
import urllib.parse

import pytest

SOURCE = pathlib.Path(os.environ.get("ELIGO_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
CLI = os.environ.get("ELIGO_CLI", str(SOURCE / "build/src/cli/eligo"))
SERVER = os.environ.get("ELIGO_SERVER", str(SOURCE / "build/src/server/eligo-server"))
ECHARTS = os.environ.get("ELIGO_TEST_ECHARTS_JS", str(SOURCE / "web/node_modules/echarts/dist/echarts.min.js"))
ORDER_CLASSES = ["paid", "repaid", "amount_mismatch", "payee_mismatch", "duplicate_payment", "payee_ineligible",
                 "failed", "missing"]
ANOMALIES = {"amount_mismatch", "payee_mismatch", "duplicate_payment", "payee_ineligible", "failed", "missing"}
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def missing_or_skip(what):
    """Chromium, its driver, selenium and ECharts are installed by scripts/bootstrap, so CI (CI=true) has
    them: there a missing one is a failure, elsewhere a skip that says why."""
    message = "dashboard browser tests need " + what + " (run scripts/bootstrap)"
    print("SKIP: " + message)
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def money(d):
    """Decimal → the page's text: grouped by threes, the scale as written."""
    sign = "-" if d < 0 else ""
    whole, _, frac = str(abs(d)).partition(".")
    whole = "{:,}".format(int(whole))
    return sign + whole + ("." + frac if frac else "")


def clear_ids(text):
    """Every 18-character ID number with a valid check character in text."""
    found = []
    for m in re.finditer(r"(?<![0-9])([0-9]{17}[0-9X])(?![0-9])", text):
        n = m.group(1)
        if "10X98765432"[sum(int(c) * w for c, w in zip(n[:17], ID_WEIGHTS)) % 11] == n[17]:
            found.append(n)
    return found


class Payouts:
    """A generated reconciliation: the files, the report folder, the offline page and the expected figures."""

    def __init__(self, work, orders=400, seed=11):
        self.work = pathlib.Path(work)
        gen = self.work / "gen"
        subprocess.run(["/usr/bin/python3", str(SOURCE / "scripts/gen_payout.py"), "--orders", str(orders),
                        "--seed", str(seed), "--out", str(gen)], check=True, capture_output=True)
        self.gen = gen
        self.key = json.loads((gen / "answer_key.json").read_text(encoding="utf-8"))

    def reconcile(self, out, html=None, env=None):
        g = self.gen
        args = [CLI, "reconcile", "--orders", str(g / "orders.csv"), "--bank", str(g / "bank.csv"),
                "--mapping", str(g / "mapping.json"), "--registry", str(g / "registry.csv"),
                "--exclude", str(g / "exclusions.csv"), "--cutoff", self.key["cutoff"], "--out", str(out)]
        if html:
            args += ["--html", str(html)]
        return subprocess.run(args, capture_output=True, text=True, env=env)

    def expected(self, out):
        """Counts and money by class, by (policy, period) and by community, from the answer key's classes and
        the amounts in the report's orders.jsonl."""
        orders = [json.loads(l) for l in (pathlib.Path(out) / "orders.jsonl").read_text(encoding="utf-8").splitlines()]
        records = [json.loads(l) for l in (pathlib.Path(out) / "records.jsonl").read_text(encoding="utf-8").splitlines()]
        assert {o["order_no"]: o["class"] for o in orders} == self.key["orders"]
        D = decimal.Decimal

        def group():
            return {"count": 0, "amount": D(0), "paid": D(0), "anomalies": 0, "anomaly_amount": D(0),
                    "by_class": {c: [0, D(0)] for c in ORDER_CLASSES}}

        e = group()
        e["groups"], e["communities"] = {}, {}
        unclaimed = set(self.key["unclaimed"])
        for o in orders:
            cls = self.key["orders"][o["order_no"]]
            amount = D(o["amount"])
            community = "" if o["order_no"] in unclaimed else self.key["communities"][o["order_no"]]
            for t in (e, e["groups"].setdefault((o["policy"], o["period"]), group()),
                      e["communities"].setdefault(community, group())):
                t["count"] += 1
                t["amount"] += amount
                t["paid"] += D(o["paid"])
                t["by_class"][cls][0] += 1
                t["by_class"][cls][1] += amount
                if cls in ANOMALIES:
                    t["anomalies"] += 1
                    t["anomaly_amount"] += amount
        orphans = [r for r in records if self.key["records"][r["serial_no"]] == "orphan_record"]
        e["orphans"] = (len(orphans), sum((D(r["amount"]) for r in orphans), D(0)))
        e["anomaly_rows"] = sum(1 for c in self.key["orders"].values() if c in ANOMALIES) + len(orphans)
        # Most anomalies first, then the most money in them, then the community code.
        e["ranking"] = sorted(((c, t["anomalies"], t["anomaly_amount"]) for c, t in e["communities"].items()
                               if t["anomalies"] > 0), key=lambda x: (-x[1], -x[2], x[0]))
        return e

    def clear_pii(self):
        """The payees' ID numbers and names in clear, as the generator wrote them."""
        import csv
        with open(self.gen / "orders.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        ids = {r["payee_id"] for r in rows if len(r.get("payee_id") or "") == 18}
        names = {r["payee_name"] for r in rows if len(r.get("payee_name") or "") >= 2}
        return ids, names


@pytest.fixture(scope="session")
def payouts(tmp_path_factory):
    return Payouts(tmp_path_factory.mktemp("payouts"))


class Browser:
    """Headless Chromium through chromium-driver; every URL it asked for is read from its performance log."""

    def __init__(self, workdir):
        try:
            from selenium import webdriver
            from selenium.webdriver.chrome.service import Service
        except ImportError:
            missing_or_skip("python3-selenium")
        chromium = shutil.which("chromium")
        driver = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
        if not chromium or not driver:
            missing_or_skip("chromium and chromium-driver")
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--window-size=1400,1800", "--user-data-dir=" + str(workdir / "chromium-profile"),
                  "--no-first-run", "--disable-background-networking", "--disable-component-update",
                  "--disable-default-apps", "--disable-sync", "--allow-file-access-from-files"]:
            options.add_argument(a)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(driver), options=options)
        self.driver.set_page_load_timeout(60)
        self.urls = []

    def open(self, url):
        self.driver.get(url)
        from selenium.webdriver.support.ui import WebDriverWait
        WebDriverWait(self.driver, 60).until(
            lambda d: d.execute_script("return document.body.getAttribute('data-rendered')") is not None)
        return self.driver.execute_script("return document.body.getAttribute('data-rendered')")

    def requested(self):
        """Every URL the page asked for so far (Network.requestWillBeSent), kept across calls."""
        for entry in self.driver.get_log("performance"):
            m = json.loads(entry["message"])["message"]
            if m.get("method") == "Network.requestWillBeSent":
                self.urls.append(m["params"]["request"]["url"])
        return self.urls

    def assert_stayed_local(self):
        urls = self.requested()
        assert urls, "the performance log recorded no request at all"
        for u in urls:
            p = urllib.parse.urlparse(u)
            # chrome:// is the browser's own new-tab page at start-up, served from inside it.
            assert p.scheme in ("file", "data", "about", "blob", "chrome") or p.hostname in ("127.0.0.1", "localhost", "::1"), u

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    # Read in one script call: the served page re-renders on its refresh timer, and an element found in one
    # WebDriver call may be replaced before the next one reads it.
    def text(self, selector):
        value = self.driver.execute_script(
            "var e = document.querySelector(arguments[0]); return e ? e.innerText : null", selector)
        assert value is not None, "no element " + selector
        return value

    def texts(self, selector):
        return self.driver.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText)", selector)

    def close(self):
        self.driver.quit()


@pytest.fixture
def browser(tmp_path):
    b = Browser(tmp_path)
    yield b
    b.close()


def require_echarts():
    if not os.path.isfile(ECHARTS):
        missing_or_skip("Apache ECharts at " + ECHARTS)
