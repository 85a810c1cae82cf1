// The dashboard page (docs/dashboard.md). One script for both pages:
//  - offline (`eligo reconcile --html`): the payout view is inlined as <script id="eligo-payouts">;
//  - served (eligo-server GET /dashboard): reads /v1/dashboard/reports, /v1/dashboard/payouts and
//    /v1/dashboard/decisions with the API key given in the page (or in the URL's #key=…, never sent).
// Money arrives as exact decimal text and is shown as that text (only grouped by threes); numbers are made
// from it only for the height of bars and lines.
(function () {
  "use strict";

  var TEXT = {
    zh: {
      title: "民生直达驾驶舱", toggle: "English", report: "报告", scope: "政策与期次", all: "全部",
      headline: "兑付概况", class: "类别", orders: "笔数", money: "金额（元）", paid: "已到账（元）",
      anomalies: "异常笔数", anomaly_money: "异常金额（元）", policy: "政策", period: "期次",
      chart_classes: "各类别兑付单笔数与金额", chart_communities: "需关注的社区（异常笔数排名）",
      chart_trend: "各期次趋势", anomaly_table: "异常明细", community: "社区", number: "单号/流水号",
      payee: "收款人（已脱敏）", amount: "金额（元）", evidence: "依据", workbook: "下载对账工作簿 (xlsx)",
      fig_orders: "兑付单", fig_amount: "应发金额（元）", fig_paid: "已到账金额（元）", fig_anomalies: "异常兑付单",
      fig_anomaly_amount: "异常金额（元）", fig_orphans: "无对应兑付单的银行流水", unit_orders: "笔",
      records_note: "银行流水 {n} 笔，金额 {a} 元；其中无对应兑付单 {o} 笔（{oa} 元），截止日后 {c} 笔。未认领兑付单 {u} 笔；被拒绝的行：兑付单 {ro}，流水 {rb}。",
      shown: "显示 {s} 条，共 {t} 条", truncated: "（明细过多，仅列出前 {s} 条；完整清单见对账工作簿）",
      unclaimed: "未认领", count_series: "笔数", money_series: "金额（元）", anomaly_series: "异常笔数",
      source: "数据：{s}", cutoff: "截止日 {c}", pii_masked: "身份证号、卡号、姓名已脱敏",
      pii_clear: "注意：依据文本未脱敏（报告以 --clear-pii 生成）", key_title: "需要 API 密钥", key_use: "使用",
      no_echarts: "图表库 ECharts 未加载，图表无法显示（请运行 scripts/bootstrap）；以下数字仍为准确值。",
      no_reports: "报告目录中还没有对账报告。", decisions: "审核决定", pack: "规则包",
      chart_verdicts: "按结论的申请数", chart_failing: "未通过的条件（排名）", chart_missing: "待补材料（按缺少的事实）",
      chart_points: "积分分布", chart_decisions_time: "随时间的决定数", fig_decisions: "决定总数",
      eligible: "符合", ineligible: "不符合", needs_evidence: "待补材料", no_decisions: "尚无审核决定。",
      error: "出错了：", footer: "图表：Apache ECharts {v}，随页面提供，不连接外部网络。"
    },
    en: {
      title: "Benefits dashboard", toggle: "中文", report: "Report", scope: "Policy and period", all: "All",
      headline: "Payouts at a glance", class: "Class", orders: "Orders", money: "Amount (CNY)", paid: "Paid (CNY)",
      anomalies: "Anomalies", anomaly_money: "Anomalous amount (CNY)", policy: "Policy", period: "Period",
      chart_classes: "Orders and money by class", chart_communities: "Communities needing attention (by anomalies)",
      chart_trend: "Trend over periods", anomaly_table: "Anomalies", community: "Community", number: "Order / serial no.",
      payee: "Payee (masked)", amount: "Amount (CNY)", evidence: "Evidence", workbook: "Download the workbook (xlsx)",
      fig_orders: "Orders", fig_amount: "Amount due (CNY)", fig_paid: "Paid (CNY)", fig_anomalies: "Anomalous orders",
      fig_anomaly_amount: "Anomalous amount (CNY)", fig_orphans: "Bank records without an order", unit_orders: "",
      records_note: "{n} bank records, {a} CNY; {o} without an order ({oa} CNY), {c} after the cut-off. {u} orders unclaimed; rejected rows: orders {ro}, bank {rb}.",
      shown: "{s} of {t} shown", truncated: " (too many to list: the first {s}; the workbook has them all)",
      unclaimed: "unclaimed", count_series: "Orders", money_series: "Amount (CNY)", anomaly_series: "Anomalies",
      source: "Data: {s}", cutoff: "cut-off {c}", pii_masked: "ID numbers, cards and names masked",
      pii_clear: "Note: evidence texts are in clear (report made with --clear-pii)", key_title: "API key needed",
      key_use: "Use", no_echarts: "ECharts did not load, so the charts cannot be drawn (run scripts/bootstrap); the figures below are exact.",
      no_reports: "No reconciliation report in the reports folder yet.", decisions: "Decisions", pack: "Pack",
      chart_verdicts: "Applications by verdict", chart_failing: "Failing checks (ranked)",
      chart_missing: "Needs evidence, by missing fact", chart_points: "Points distribution",
      chart_decisions_time: "Decisions over time", fig_decisions: "Decisions", eligible: "Eligible",
      ineligible: "Ineligible", needs_evidence: "Needs evidence", no_decisions: "No decisions yet.",
      error: "Error: ", footer: "Charts: Apache ECharts {v}, served with the page; nothing is loaded from outside."
    }
  };

  var state = {
    lang: "zh", mode: "offline", key: "", reports: [], report: null, view: null, scope: "", decisions: null,
    pack: "", charts: {}, refresh: 30, timer: null, pinned: false
  };
  window.eligoDashboard = state;  // read by tests: state.charts[name].getOption()

  function t(name, vars) {
    var s = TEXT[state.lang][name];
    if (s === undefined) s = name;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  // "1234567.50" → "1,234,567.50", on the text: no rounding, no binary floating point.
  function money(s) {
    s = String(s);
    var neg = s.charAt(0) === "-";
    if (neg) s = s.slice(1);
    var parts = s.split(".");
    var i = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (neg ? "-" : "") + i + (parts.length > 1 ? "." + parts[1] : "");
  }
  function classLabel(id) {
    var cs = state.view ? state.view.classes : [];
    for (var i = 0; i < cs.length; ++i) if (cs[i].id === id) return cs[i][state.lang];
    return id;
  }
  function showError(message) {
    var s = $("status");
    s.textContent = t("error") + message;
    s.classList.remove("hidden");
  }
  function hasCharts() { return typeof window.echarts !== "undefined"; }
  function chart(name, id, option) {
    if (!hasCharts()) return;
    var c = state.charts[name];
    if (!c) c = state.charts[name] = window.echarts.init($(id), null, { renderer: "canvas" });
    c.setOption(option, true);
  }

  // ── payouts ──────────────────────────────────────────────────────────────────────────────────────
  function scopeGroup() {
    var v = state.view;
    if (!state.scope) return v.totals.orders;
    for (var i = 0; i < v.by_policy_period.length; ++i) {
      var g = v.by_policy_period[i];
      if (g.policy + "\u0000" + g.period === state.scope) return g;
    }
    return v.totals.orders;
  }

  function renderPayouts() {
    var v = state.view;
    $("payouts").classList.remove("hidden");
    var meta = [t("source", { s: v.source })];
    if (v.cutoff) meta.push(t("cutoff", { c: v.cutoff }));
    meta.push(v.pii === "clear" ? t("pii_clear") : t("pii_masked"));
    $("meta").textContent = meta.join(" · ");

    var scope = $("scope-select");
    scope.textContent = "";
    scope.appendChild(el("option", { value: "" }, t("all")));
    v.by_policy_period.forEach(function (g) {
      var o = el("option", { value: g.policy + "\u0000" + g.period }, g.policy + " · " + g.period);
      scope.appendChild(o);
    });
    scope.value = state.scope;

    var g = scopeGroup();
    var orphans = v.totals.records.by_class.orphan_record;
    var figures = [
      ["fig_orders", g.count, "orders", false], ["fig_amount", money(g.amount), "amount", false],
      ["fig_paid", money(g.paid), "paid", false], ["fig_anomalies", g.anomalies, "anomalies", g.anomalies > 0],
      ["fig_anomaly_amount", money(g.anomaly_amount), "anomaly_amount", g.anomalies > 0]
    ];
    if (!state.scope) figures.push(["fig_orphans", orphans.count, "orphans", orphans.count > 0]);
    var ul = $("headline");
    ul.textContent = "";
    figures.forEach(function (f) {
      var li = el("li", { "data-figure": f[2] });
      if (f[3]) li.className = "alert";
      li.appendChild(el("span", { "class": "label" }, t(f[0])));
      li.appendChild(el("span", { "class": "value" }, f[1]));
      ul.appendChild(li);
    });

    var body = $("class-table").tBodies[0];
    body.textContent = "";
    var names = [], counts = [], amounts = [];
    Object.keys(g.by_class).forEach(function (id) {
      var c = g.by_class[id];
      var tr = el("tr", { "data-class": id, "data-side": "orders" });
      var anomaly = v.classes.filter(function (k) { return k.id === id; })[0].anomaly;
      if (anomaly && c.count > 0) tr.className = "anomaly";
      tr.appendChild(el("td", null, classLabel(id)));
      tr.appendChild(el("td", { "class": "num" }, c.count));
      tr.appendChild(el("td", { "class": "num" }, money(c.amount)));
      body.appendChild(tr);
      names.push(classLabel(id)); counts.push(c.count); amounts.push(Number(c.amount));
    });
    if (!state.scope) {  // bank records no order claims belong to no policy or period
      var tr = el("tr", { "data-class": "orphan_record", "data-side": "bank" });
      if (orphans.count > 0) tr.className = "anomaly";
      tr.appendChild(el("td", null, classLabel("orphan_record")));
      tr.appendChild(el("td", { "class": "num" }, orphans.count));
      tr.appendChild(el("td", { "class": "num" }, money(orphans.amount)));
      body.appendChild(tr);
      names.push(classLabel("orphan_record")); counts.push(orphans.count); amounts.push(Number(orphans.amount));
    }
    var rec = v.totals.records;
    $("records-note").textContent = t("records_note", {
      n: rec.count, a: money(rec.amount), o: orphans.count, oa: money(orphans.amount),
      c: rec.by_class.after_cutoff.count, u: v.unclaimed, ro: v.rejected.orders, rb: v.rejected.bank
    });

    chart("classes", "chart-classes", {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: [t("count_series"), t("money_series")] },
      grid: { left: 60, right: 80, bottom: 90 },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: [{ type: "value", name: t("count_series") }, { type: "value", name: t("money_series") }],
      series: [
        { name: t("count_series"), type: "bar", data: counts, label: { show: true, position: "top" } },
        { name: t("money_series"), type: "bar", yAxisIndex: 1, data: amounts }
      ]
    });

    var ranked = v.by_community.filter(function (c) { return c.anomalies > 0; }).slice(0, 15);
    chart("communities", "chart-communities", {
      animation: false,
      tooltip: { trigger: "axis" },
      grid: { left: 110, right: 40 },
      xAxis: { type: "value", name: t("anomaly_series") },
      yAxis: { type: "category", inverse: true, axisLabel: { interval: 0 },
               data: ranked.map(function (c) { return c.community || t("unclaimed"); }) },
      series: [{ name: t("anomaly_series"), type: "bar", data: ranked.map(function (c) { return c.anomalies; }),
                 label: { show: true, position: "right" } }]
    });

    var policies = [];
    v.by_policy_period.forEach(function (p) { if (policies.indexOf(p.policy) < 0) policies.push(p.policy); });
    var periods = [];
    v.by_policy_period.forEach(function (p) { if (periods.indexOf(p.period) < 0) periods.push(p.period); });
    periods.sort();
    var series = [];
    policies.forEach(function (pol) {
      var byPeriod = {};
      v.by_policy_period.forEach(function (p) { if (p.policy === pol) byPeriod[p.period] = p; });
      series.push({ name: pol + " · " + t("money_series"), type: "line", connectNulls: true,
                    data: periods.map(function (pe) { return byPeriod[pe] ? Number(byPeriod[pe].amount) : null; }) });
      series.push({ name: pol + " · " + t("anomaly_series"), type: "bar", yAxisIndex: 1,
                    data: periods.map(function (pe) { return byPeriod[pe] ? byPeriod[pe].anomalies : null; }) });
    });
    chart("trend", "chart-trend", {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { type: "scroll" },
      xAxis: { type: "category", data: periods },
      yAxis: [{ type: "value", name: t("money_series") }, { type: "value", name: t("anomaly_series") }],
      series: series
    });
    var pbody = $("period-table").tBodies[0];
    pbody.textContent = "";
    v.by_policy_period.forEach(function (p) {
      var tr = el("tr", { "data-policy": p.policy, "data-period": p.period });
      [p.policy, p.period].forEach(function (x) { tr.appendChild(el("td", null, x)); });
      [p.count, money(p.amount), money(p.paid), p.anomalies, money(p.anomaly_amount)].forEach(function (x) {
        tr.appendChild(el("td", { "class": "num" }, x));
      });
      pbody.appendChild(tr);
    });

    var fc = $("filter-community"), fk = $("filter-class");
    var keepC = fc.value, keepK = fk.value;
    fc.textContent = ""; fk.textContent = "";
    fc.appendChild(el("option", { value: "*" }, t("all")));
    fk.appendChild(el("option", { value: "*" }, t("all")));
    var seen = {};
    v.anomalies.rows.forEach(function (r) { seen[r.community] = true; });
    Object.keys(seen).sort().forEach(function (c) { fc.appendChild(el("option", { value: c }, c || t("unclaimed"))); });
    v.classes.filter(function (c) { return c.anomaly; }).forEach(function (c) {
      fk.appendChild(el("option", { value: c.id }, c[state.lang]));
    });
    fc.value = keepC && fc.querySelector('option[value="' + keepC + '"]') ? keepC : "*";
    fk.value = keepK || "*";
    renderAnomalies();

    var link = $("workbook-link");
    if (state.report && state.report.workbook) {
      link.href = state.report.workbook;
      link.classList.remove("hidden");
    } else {
      link.classList.add("hidden");
    }
  }

  function renderAnomalies() {
    var v = state.view, fc = $("filter-community").value, fk = $("filter-class").value;
    var body = $("anomaly-table").tBodies[0];
    body.textContent = "";
    var scope = state.scope ? state.scope.split("\u0000") : null;
    var n = 0;
    v.anomalies.rows.forEach(function (r) {
      if (fc !== "*" && r.community !== fc) return;
      if (fk !== "*" && r["class"] !== fk) return;
      if (scope && (r.policy !== scope[0] || r.period !== scope[1])) return;
      ++n;
      var tr = el("tr", { "data-no": r.no, "data-class": r["class"] });
      tr.appendChild(el("td", null, r.no));
      tr.appendChild(el("td", null, classLabel(r["class"])));
      tr.appendChild(el("td", null, r.community || (r.side === "orders" ? t("unclaimed") : "")));
      tr.appendChild(el("td", null, (r.name ? r.name + " " : "") + r.payee));
      tr.appendChild(el("td", { "class": "num" }, money(r.amount)));
      tr.appendChild(el("td", null, r.evidence));
      body.appendChild(tr);
    });
    var note = t("shown", { s: n, t: v.anomalies.total });
    if (v.anomalies.shown < v.anomalies.total) note += t("truncated", { s: v.anomalies.shown });
    $("anomaly-count").textContent = note;
  }

  // ── decisions (served page only) ────────────────────────────────────────────────────────────────
  function renderDecisions() {
    var d = state.decisions;
    if (!d) return;
    $("decisions").classList.remove("hidden");
    var sel = $("pack-select");
    sel.textContent = "";
    d.packs.forEach(function (p) {
      sel.appendChild(el("option", { value: p.pack + "@" + p.version }, p.pack + " " + p.version));
    });
    var ul = $("decision-headline");
    ul.textContent = "";
    if (d.packs.length === 0) {
      ul.appendChild(el("li", null, t("no_decisions")));
      return;
    }
    if (!state.pack) state.pack = d.packs[0].pack + "@" + d.packs[0].version;
    sel.value = state.pack;
    var p = d.packs.filter(function (x) { return x.pack + "@" + x.version === state.pack; })[0] || d.packs[0];
    var figs = [["fig_decisions", p.total, "decisions"]];
    ["eligible", "ineligible", "needs_evidence"].forEach(function (k) { figs.push([k, p.by_verdict[k] || 0, k]); });
    figs.forEach(function (f) {
      var li = el("li", { "data-figure": f[2] });
      li.appendChild(el("span", { "class": "label" }, t(f[0])));
      li.appendChild(el("span", { "class": "value" }, f[1]));
      ul.appendChild(li);
    });
    var verdicts = ["eligible", "ineligible", "needs_evidence"];
    chart("verdicts", "chart-verdicts", {
      animation: false, tooltip: {},
      series: [{ type: "pie", radius: "65%", label: { formatter: "{b}: {c}" },
                 data: verdicts.map(function (k) { return { name: t(k), value: p.by_verdict[k] || 0 }; }) }]
    });
    function ranked(name, id, rows, key) {
      chart(name, id, {
        animation: false, tooltip: {}, grid: { left: 160, right: 40 },
        xAxis: { type: "value" },
        yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r[key]; }) },
        series: [{ type: "bar", data: rows.map(function (r) { return r.count; }), label: { show: true, position: "right" } }]
      });
    }
    ranked("failing", "chart-failing", p.failing_checks, "label");
    ranked("missing", "chart-missing", p.missing_facts, "fact");
    chart("points", "chart-points", {
      animation: false, tooltip: {},
      xAxis: { type: "category", data: p.points.map(function (b) { return b.range; }) },
      yAxis: { type: "value" },
      series: [{ type: "bar", data: p.points.map(function (b) { return b.count; }) }]
    });
    chart("decisions_time", "chart-decisions-time", {
      animation: false, tooltip: { trigger: "axis" }, legend: {},
      xAxis: { type: "category", data: p.over_time.map(function (b) { return b.minute; }) },
      yAxis: { type: "value" },
      series: verdicts.map(function (k) {
        return { name: t(k), type: "bar", stack: "v", data: p.over_time.map(function (b) { return b[k] || 0; }) };
      })
    });
  }

  // ── served page: the JSON endpoints ─────────────────────────────────────────────────────────────
  function api(path) {
    var headers = {};
    if (state.key) headers.Authorization = "Bearer " + state.key;
    return fetch(path, { headers: headers, credentials: "omit" }).then(function (r) {
      if (r.status === 401 || r.status === 403) {
        $("key-form").classList.remove("hidden");
        throw new Error(r.status === 401 ? "API key needed (401)" : "this key may not read the dashboard (403)");
      }
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body.code + ": " + body.message);
        return body;
      });
    });
  }

  function loadReport(id) {
    return api("/v1/dashboard/payouts?report=" + encodeURIComponent(id)).then(function (view) {
      state.report = state.reports.filter(function (r) { return r.id === id; })[0];
      state.view = view;
      state.scope = "";
      renderAll();
    });
  }

  function fillReports(list) {
    state.reports = list.reports;
    var sel = $("report-select");
    sel.textContent = "";
    list.reports.forEach(function (r) { sel.appendChild(el("option", { value: r.id }, r.id + " (" + r.source + ")")); });
    if (state.report) sel.value = state.report.id;
    list.problems.forEach(function (p) { showNote(p.message); });
  }

  // Every state.refresh seconds (?refresh=N, default 30; 0 = never): new reports and new decisions. The
  // newest report is followed unless a report was picked by hand.
  function refresh() {
    return api("/v1/dashboard/reports").then(function (list) {
      fillReports(list);
      var newest = list.reports.length ? list.reports[0].id : null;
      if (newest && !state.pinned && (!state.report || state.report.id !== newest)) return loadReport(newest);
    }).then(function () { return api("/v1/dashboard/decisions"); }).then(function (d) {
      state.decisions = d;
      renderDecisions();
    }).catch(fail);
  }

  function loadServed() {
    return api("/v1/dashboard/reports").then(function (list) {
      fillReports(list);
      var payouts = list.reports.length
        ? loadReport(list.reports[0].id)
        : Promise.resolve(showNote(t("no_reports")));
      return payouts.then(function () { return api("/v1/dashboard/decisions"); }).then(function (d) {
        state.decisions = d;
        renderDecisions();
        document.body.setAttribute("data-rendered", "true");
        if (state.refresh > 0 && !state.timer) state.timer = setInterval(refresh, state.refresh * 1000);
      });
    });
  }

  function showNote(text) {
    var s = $("status");
    s.textContent = text;
    s.className = "note";
  }

  function applyLang() {
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    document.title = t("title");
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (e) {
      e.textContent = t(e.getAttribute("data-i18n"));
    });
    $("lang-toggle").textContent = t("toggle");
    $("footer").textContent = t("footer", { v: hasCharts() ? window.echarts.version : "—" });
    if (!hasCharts()) showError(t("no_echarts"));
  }

  function renderAll() {
    applyLang();
    if (state.view) renderPayouts();
    renderDecisions();
    if (state.mode === "offline") document.body.setAttribute("data-rendered", "true");  // tests wait for this
  }

  function start() {
    $("lang-toggle").addEventListener("click", function () {
      state.lang = state.lang === "zh" ? "en" : "zh";
      renderAll();
    });
    $("scope-select").addEventListener("change", function (e) { state.scope = e.target.value; renderAll(); });
    $("filter-community").addEventListener("change", renderAnomalies);
    $("filter-class").addEventListener("change", renderAnomalies);
    $("pack-select").addEventListener("change", function (e) { state.pack = e.target.value; renderDecisions(); });
    $("report-select").addEventListener("change", function (e) {
      state.pinned = true;
      loadReport(e.target.value).catch(fail);
    });
    $("workbook-link").addEventListener("click", function (e) {
      // The key travels in a header, never in a URL: fetch the workbook, then hand it over as a download.
      e.preventDefault();
      var headers = state.key ? { Authorization: "Bearer " + state.key } : {};
      fetch(state.report.workbook, { headers: headers, credentials: "omit" }).then(function (r) {
        if (!r.ok) throw new Error("workbook: " + r.status);
        return r.blob();
      }).then(function (blob) {
        var a = el("a", { href: URL.createObjectURL(blob), download: state.report.id + "-reconciliation.xlsx" });
        document.body.appendChild(a);
        a.click();
        a.remove();
      }).catch(fail);
    });
    if (/[?&]lang=en\b/.test(location.search)) state.lang = "en";
    var every = /[?&]refresh=([0-9]+)/.exec(location.search);
    state.refresh = every ? Number(every[1]) : 30;
    var inline = $("eligo-payouts");
    if (inline) {
      state.mode = "offline";
      state.view = JSON.parse(inline.textContent);
      $("report-select").parentNode.classList.add("hidden");
      renderAll();
      return;
    }
    state.mode = "served";
    var m = /#key=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem("eligo-key", decodeURIComponent(m[1]));
      history.replaceState(null, "", location.pathname + location.search);
    }
    state.key = sessionStorage.getItem("eligo-key") || "";
    $("key-submit").addEventListener("submit", function (e) {
      e.preventDefault();
      state.key = $("key-input").value;
      sessionStorage.setItem("eligo-key", state.key);
      $("key-form").classList.add("hidden");
      $("status").classList.add("hidden");
      loadServed().catch(fail);
    });
    applyLang();
    loadServed().catch(fail);
  }
  function fail(e) { showError(e.message); document.body.setAttribute("data-rendered", "error"); }

  window.addEventListener("resize", function () {
    Object.keys(state.charts).forEach(function (k) { state.charts[k].resize(); });
  });
  start();
})();
