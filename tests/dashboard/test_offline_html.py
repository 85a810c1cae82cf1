"""`eligo reconcile --html`: one self-contained page, opened from file:// in headless Chromium."""
import json
import os
import re

import pytest

from conftest import ECHARTS, ORDER_CLASSES, clear_ids, money, require_echarts


@pytest.fixture(scope="module")
def offline(payouts, tmp_path_factory):
    require_echarts()
    out = tmp_path_factory.mktemp("offline") / "report"
    html = out.parent / "report.html"
    r = payouts.reconcile(out, html=html)
    assert r.returncode == 0, r.stderr
    assert "dashboard page written to " + str(html) in r.stdout
    return out, html, payouts.expected(out)


def test_the_page_is_one_file_with_nothing_from_outside(offline):
    out, html, _ = offline
    text = html.read_text(encoding="utf-8")
    echarts = open(ECHARTS, encoding="utf-8").read()
    assert echarts in text  # inlined from the installed package, byte for byte
    page = text.replace(echarts, "")  # the page and its data around it
    assert re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page) is None
    assert "http://" not in page and "https://" not in page


def test_payees_stay_masked_in_the_file(offline, payouts):
    out, html, _ = offline
    ids, names = payouts.clear_pii()
    for path in (html, out / "dashboard.json"):
        text = path.read_text(encoding="utf-8")
        assert clear_ids(text) == [], path
        assert [i for i in ids if i in text] == [], path
        assert [n for n in names if n in text] == [], path


def test_the_charts_and_figures_show_the_reconciliation(offline, browser, payouts):
    out, html, e = offline
    assert browser.open(html.as_uri()) == "true"
    assert browser.js("return typeof echarts") == "object"
    # Headline figures as text.
    assert browser.text('#headline [data-figure="orders"] .value') == str(e["count"])
    assert browser.text('#headline [data-figure="amount"] .value') == money(e["amount"])
    assert browser.text('#headline [data-figure="paid"] .value') == money(e["paid"])
    assert browser.text('#headline [data-figure="anomalies"] .value') == str(e["anomalies"])
    assert browser.text('#headline [data-figure="anomaly_amount"] .value') == money(e["anomaly_amount"])
    assert browser.text('#headline [data-figure="orphans"] .value') == str(e["orphans"][0])
    # Orders and money by class, in the table and in the chart.
    labels = {"paid": "正常发放", "repaid": "二次支付成功", "amount_mismatch": "金额不符", "payee_mismatch": "错发",
              "duplicate_payment": "重复发放(多发)", "payee_ineligible": "不应发放对象", "failed": "发放失败",
              "missing": "漏发", "orphan_record": "无对应兑付单"}
    rows = browser.js("""return Array.from(document.querySelectorAll('#class-table tbody tr')).map(
        tr => [tr.dataset.cls || tr.getAttribute('data-class')].concat(Array.from(tr.cells).map(c => c.textContent)))""")
    want = [[c, labels[c], str(e["by_class"][c][0]), money(e["by_class"][c][1])] for c in ORDER_CLASSES]
    want.append(["orphan_record", labels["orphan_record"], str(e["orphans"][0]), money(e["orphans"][1])])
    assert rows == want
    option = browser.js("return eligoDashboard.charts.classes.getOption()")
    assert option["xAxis"][0]["data"] == [labels[c] for c in ORDER_CLASSES] + [labels["orphan_record"]]
    assert option["series"][0]["data"] == [e["by_class"][c][0] for c in ORDER_CLASSES] + [e["orphans"][0]]
    assert option["series"][1]["data"] == [float(e["by_class"][c][1]) for c in ORDER_CLASSES] + [float(e["orphans"][1])]
    # Communities needing attention, ranked.
    option = browser.js("return eligoDashboard.charts.communities.getOption()")
    ranking = e["ranking"][:15]
    assert option["yAxis"][0]["data"] == [c or "未认领" for c, _, _ in ranking]
    assert option["series"][0]["data"] == [n for _, n, _ in ranking]
    # Per policy and period.
    rows = browser.js("""return Array.from(document.querySelectorAll('#period-table tbody tr')).map(
        tr => Array.from(tr.cells).map(c => c.textContent))""")
    assert rows == [[p, q, str(g["count"]), money(g["amount"]), money(g["paid"]), str(g["anomalies"]),
                     money(g["anomaly_amount"])] for (p, q), g in sorted(e["groups"].items())]
    # The anomaly table holds every anomaly, and payees only masked.
    assert len(browser.texts("#anomaly-table tbody tr")) == e["anomaly_rows"]
    assert browser.text("#anomaly-count") == "显示 %d 条，共 %d 条" % (e["anomaly_rows"], e["anomaly_rows"])
    body = browser.js("return document.body.innerText")
    ids, names = payouts.clear_pii()
    assert clear_ids(body) == []
    assert [n for n in names if n in body] == []
    browser.assert_stayed_local()


def test_filters_and_scope_narrow_the_figures(offline, browser):
    out, html, e = offline
    browser.open(html.as_uri())
    community, n, _ = e["ranking"][0]
    browser.js("var s = document.getElementById('filter-community'); s.value = arguments[0];"
               "s.dispatchEvent(new Event('change'))", community)
    rows = browser.js("return Array.from(document.querySelectorAll('#anomaly-table tbody tr')).map(tr => tr.cells[2].textContent)")
    assert len(rows) == n and set(rows) == {community or "未认领"}
    browser.js("var s = document.getElementById('filter-class'); s.value = 'missing';"
               "s.dispatchEvent(new Event('change'))")
    assert len(browser.texts("#anomaly-table tbody tr")) == e["communities"][community]["by_class"]["missing"][0]
    (policy, period), g = sorted(e["groups"].items())[0]
    browser.js("var s = document.getElementById('scope-select'); s.value = arguments[0];"
               "s.dispatchEvent(new Event('change'))", policy + "\u0000" + period)
    assert browser.text('#headline [data-figure="orders"] .value') == str(g["count"])
    assert browser.text('#headline [data-figure="amount"] .value') == money(g["amount"])
    option = browser.js("return eligoDashboard.charts.classes.getOption()")
    assert option["series"][0]["data"] == [g["by_class"][c][0] for c in ORDER_CLASSES]


def test_english_on_the_toggle_with_the_same_numbers(offline, browser):
    out, html, e = offline
    browser.open(html.as_uri())
    browser.js("document.getElementById('lang-toggle').click()")
    assert browser.js("return document.documentElement.lang") == "en"
    assert browser.text("#lang-toggle") == "中文"
    assert browser.text('#headline [data-figure="orders"] .label') == "Orders"
    assert browser.text('#class-table tbody tr[data-class="missing"] td') == "Missed payment"
    assert browser.text('#headline [data-figure="amount"] .value') == money(e["amount"])
    option = browser.js("return eligoDashboard.charts.classes.getOption()")
    assert option["xAxis"][0]["data"][0] == "Paid"


def test_without_echarts_the_command_says_so_and_writes_nothing(payouts, tmp_path):
    env = dict(os.environ, ELIGO_ECHARTS_JS=str(tmp_path / "no-echarts.min.js"))
    r = payouts.reconcile(tmp_path / "out", html=tmp_path / "report.html", env=env)
    assert r.returncode == 2
    assert "Apache ECharts is not installed: no file " + str(tmp_path / "no-echarts.min.js") in r.stderr
    assert "scripts/bootstrap" in r.stderr
    assert not (tmp_path / "report.html").exists() and not (tmp_path / "out").exists()


def test_dashboard_json_is_the_same_view_as_the_page(offline):
    out, html, e = offline
    view = json.loads((out / "dashboard.json").read_text(encoding="utf-8"))
    assert view["format"] == "eligo.dashboard.payouts/1"
    assert view["pii"] == "masked"
    assert view["totals"]["orders"]["count"] == e["count"]
    assert view["totals"]["orders"]["amount"] == str(e["amount"])
    assert {c: (t["count"], t["amount"]) for c, t in view["totals"]["orders"]["by_class"].items()} == \
        {c: (n, str(a)) for c, (n, a) in e["by_class"].items()}
    text = html.read_text(encoding="utf-8")
    inline = re.search(r'<script type="application/json" id="eligo-payouts">(.*?)</script>', text, re.S).group(1)
    assert json.loads(inline) == view
