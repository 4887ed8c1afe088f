//! `--format html`: one self-contained page for an audit. The v1 JSON
//! report (secrets redacted as in every format, unless `--show-secrets`)
//! is embedded as data and drawn by a small script in the page: the
//! posture with charts (static vs ephemeral, exposure age, reuse,
//! validation, CI posture), a sortable and filterable findings table with
//! locations, and the CI issues with their fixes.
//!
//! Nothing is fetched: a Content-Security-Policy of `default-src 'none'`
//! lets only the page's own inline style and script run, so the page works
//! offline and cannot call out even if a value in it tried to. Every value
//! from the scan reaches the page as text (`textContent`), never as markup,
//! and the embedded JSON has `<` escaped so no value can close its script
//! element.

use std::io::Write;

use super::Report;
use super::v1::V1ReportRef;

const STYLE: &str = r##"
:root { --fg:#1d2330; --muted:#5b6474; --line:#d9dee7; --bg:#f6f7f9; --card:#fff;
  --critical:#8b0000; --high:#d1352b; --medium:#e08a00; --low:#3a7bd5; --info:#7a8699;
  --static:#c0392b; --ephemeral:#2e8b57; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
header { padding:18px 28px; background:#1d2330; color:#fff; }
header h1 { margin:0 0 4px; font-size:20px; }
header p { margin:0; color:#c9d1dd; }
main { padding:20px 28px 40px; max-width:1400px; }
h2 { font-size:16px; margin:26px 0 10px; }
.cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(170px,1fr)); gap:10px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 12px; }
.card b { display:block; font-size:22px; }
.card span { color:var(--muted); font-size:12px; }
.charts { display:grid; grid-template-columns:repeat(auto-fill,minmax(320px,1fr)); gap:12px; }
.chart { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 12px; }
.chart h3 { margin:0 0 6px; font-size:13px; color:var(--muted); font-weight:600; }
.bar-label { font-size:11px; fill:var(--fg); }
table { width:100%; border-collapse:collapse; background:var(--card); border:1px solid var(--line); }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { cursor:pointer; user-select:none; background:#eef1f5; position:sticky; top:0; }
th[data-dir="asc"]::after { content:" ▲"; } th[data-dir="desc"]::after { content:" ▼"; }
td { overflow-wrap:anywhere; }
td.loc, .loc { font-family:ui-monospace, SFMono-Regular, Menlo, monospace; font-size:12px; }
.sev { display:inline-block; padding:1px 7px; border-radius:10px; color:#fff; font-size:11px; font-weight:600; }
.sev-critical { background:var(--critical); } .sev-high { background:var(--high); }
.sev-medium { background:var(--medium); } .sev-low { background:var(--low); } .sev-info { background:var(--info); }
.filters { display:flex; gap:8px; flex-wrap:wrap; margin-bottom:8px; }
.filters input, .filters select { padding:5px 8px; border:1px solid var(--line); border-radius:6px; font:inherit; }
.muted { color:var(--muted); }
.issue { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 12px; margin-bottom:8px; }
.issue pre { white-space:pre-wrap; margin:6px 0 0; font-size:12px; background:#f1f3f6; padding:8px; border-radius:6px; }
footer { color:var(--muted); font-size:12px; margin-top:30px; }
"##;

const SCRIPT: &str = r##"
"use strict";
const report = JSON.parse(document.getElementById("keysprawl-data").textContent);
const el = (tag, attrs, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
};
const SVG = "http://www.w3.org/2000/svg";
const svg = (tag, attrs, text) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = String(text);
  return e;
};
const SEVERITIES = ["critical", "high", "medium", "low", "info"];
const sevRank = (s) => SEVERITIES.indexOf(s);
const colors = { critical:"#8b0000", high:"#d1352b", medium:"#e08a00", low:"#3a7bd5", info:"#7a8699",
  static:"#c0392b", ephemeral:"#2e8b57", expired:"#7a8699", inspect:"#7a8699", unknown:"#b0b7c3",
  live:"#c0392b", revoked:"#2e8b57", error:"#e08a00", not_checked:"#b0b7c3", no_validator:"#b0b7c3" };

// Horizontal bars: [[label, value, color]].
function bars(title, rows) {
  const box = el("div", { class: "chart" }, el("h3", {}, title));
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const h = 22 * rows.length + 4;
  const s = svg("svg", { width: "100%", height: h, viewBox: `0 0 320 ${h}`, role: "img", "aria-label": title });
  rows.forEach(([label, value, color], i) => {
    const y = 4 + i * 22;
    s.append(svg("text", { x: 0, y: y + 13, class: "bar-label" }, label));
    s.append(svg("rect", { x: 120, y, width: Math.max(1, (value / max) * 170), height: 16, fill: color || "#3a7bd5", rx: 3 }));
    s.append(svg("text", { x: 124 + (value / max) * 170, y: y + 13, class: "bar-label" }, value));
  });
  box.append(s);
  return box;
}

function summary() {
  const s = report.summary, p = report.posture;
  const t = report.tool || {};
  document.getElementById("subtitle").textContent =
    `${t.name || "keysprawl"} ${t.version || ""} · ${s.findings} findings in ${s.files_scanned} files, ` +
    `${s.blobs_scanned} blobs, ${s.commits_scanned || 0} commits (${(s.bytes_scanned / 1048576).toFixed(1)} MiB) · ` +
    `${s.rules} rules · ${s.duration_ms} ms`;
  const cards = document.getElementById("cards");
  const card = (n, label) => cards.append(el("div", { class: "card" }, el("b", {}, n), el("span", {}, label)));
  card(p.credentials, "credentials");
  card(p.static, "static (long-lived)");
  card(p.ephemeral, "ephemeral");
  card(p.live, "live (validated)");
  card(p.live_static, "live and static");
  card(p.reused, "reused in 2+ files or repos");
  card(p.in_ci_and_code, "in both CI and code");
  card(p.removed_but_live, "removed from HEAD, still live");
  card(s.errors.length, "inputs that could not be read");
}

function charts() {
  const p = report.posture, fs = report.findings;
  const box = document.getElementById("charts");
  const sev = SEVERITIES.map((v) => [v, fs.filter((f) => f.severity === v).length, colors[v]]);
  box.append(bars("Findings by severity", sev));
  box.append(bars("Lifetime: static vs ephemeral", [
    ["static", p.static, colors.static], ["ephemeral", p.ephemeral, colors.ephemeral],
    ["expired", p.expired, colors.expired], ["unknown", p.unknown_lifetime, colors.unknown]]));
  const buckets = [["< 30 days", 0, 30], ["30–90 days", 30, 90], ["90–365 days", 90, 365],
    ["1–3 years", 365, 1095], ["> 3 years", 1095, Infinity]];
  const ages = fs.map((f) => f.credential && f.credential.exposure_days).filter((d) => typeof d === "number");
  const ageRows = buckets.map(([l, lo, hi]) => [l, ages.filter((d) => d >= lo && d < hi).length, "#6c5ce7"]);
  ageRows.push(["not in history", fs.length - ages.length, colors.unknown]);
  box.append(bars("Exposure age (first seen in history)", ageRows));
  const reuse = (f) => (f.reuse ? Math.max(f.reuse.files || 0, f.reuse.repos || 0) : 0);
  box.append(bars("Reuse across files and repositories", [
    ["1 place", fs.filter((f) => reuse(f) <= 1).length, "#3a7bd5"],
    ["2–4 places", fs.filter((f) => reuse(f) >= 2 && reuse(f) <= 4).length, "#e08a00"],
    ["5+ places", fs.filter((f) => reuse(f) >= 5).length, "#c0392b"],
    ["2+ repositories", fs.filter((f) => f.reuse && f.reuse.repos >= 2).length, "#8b0000"]]));
  const statuses = {};
  for (const f of fs) { const st = (f.validation && f.validation.status) || "not_checked"; statuses[st] = (statuses[st] || 0) + 1; }
  box.append(bars("Validation results", Object.entries(statuses).map(([k, v]) => [k.replace(/_/g, " "), v, colors[k]])));
  const ci = p.ci_audits || {};
  box.append(bars("CI posture", [
    ["stored cloud keys", p.pipelines_with_stored_cloud_keys || 0, "#c0392b"],
    ["shared CI secrets", p.shared_ci_secrets || 0, "#e08a00"],
    ["untrusted code", p.untrusted_code_exposures || 0, "#8b0000"],
    ["keys beside OIDC", ci.static_keys_beside_oidc || 0, "#6c5ce7"]]));
}

function locationText(f) {
  const l = (f.locations || [])[0];
  if (!l) return "";
  let s = (l.repo ? l.repo + ": " : "") + l.path + ":" + l.line;
  if (l.commit) s += " @ " + l.commit.slice(0, 12);
  const more = (f.locations.length - 1) + (f.locations_omitted || 0);
  return more > 0 ? `${s} (+${more} more)` : s;
}

const COLUMNS = [
  ["Severity", (f) => sevRank(f.severity), (f) => el("span", { class: "sev sev-" + f.severity }, f.severity)],
  ["Risk", (f) => -(f.risk || 0), (f) => f.risk],
  ["Rule", (f) => f.rule.id, (f) => el("span", { title: f.rule.description || "" }, f.rule.name, el("br"), el("span", { class: "muted" }, f.rule.id))],
  ["Provider", (f) => f.rule.provider, (f) => f.rule.provider],
  ["Secret", (f) => f.secret, (f) => f.secret],
  ["Lifetime", (f) => (f.credential && f.credential.lifetime) || "", (f) => (f.credential && f.credential.lifetime) || ""],
  ["Validation", (f) => (f.validation && f.validation.status) || "", (f) => ((f.validation && f.validation.status) || "").replace(/_/g, " ")],
  ["Confidence", (f) => f.confidence, (f) => f.confidence],
  ["Reuse", (f) => -((f.reuse && f.reuse.files) || 0), (f) => f.reuse ? `${f.reuse.files} files, ${f.reuse.repos} repos` : ""],
  ["Location", (f) => locationText(f), (f) => el("span", { class: "loc" }, locationText(f))],
];

let sortCol = 0, sortDir = "asc";
function table() {
  const head = document.getElementById("findings-head");
  COLUMNS.forEach(([name], i) => {
    const th = el("th", { scope: "col" }, name);
    th.addEventListener("click", () => {
      sortDir = sortCol === i && sortDir === "asc" ? "desc" : "asc";
      sortCol = i;
      draw();
    });
    head.append(th);
  });
  const sevSel = document.getElementById("severity");
  for (const s of SEVERITIES) sevSel.append(el("option", { value: s }, "at least " + s));
  document.getElementById("filter").addEventListener("input", draw);
  sevSel.addEventListener("change", draw);
  draw();
}

function draw() {
  const q = document.getElementById("filter").value.toLowerCase();
  const min = document.getElementById("severity").value;
  const rows = report.findings.filter((f) => {
    if (min && sevRank(f.severity) > sevRank(min)) return false;
    if (!q) return true;
    const hay = [f.rule.id, f.rule.name, f.rule.provider, f.severity, locationText(f),
      ...(f.locations || []).map((l) => l.path)].join(" ").toLowerCase();
    return hay.includes(q);
  });
  const key = COLUMNS[sortCol][1];
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return sortDir === "asc" ? c : -c;
  });
  [...document.querySelectorAll("#findings-head th")].forEach((th, i) => {
    if (i === sortCol) th.setAttribute("data-dir", sortDir); else th.removeAttribute("data-dir");
  });
  const body = document.getElementById("findings-body");
  body.replaceChildren(...rows.map((f) => {
    const tr = el("tr");
    for (const [, , cell] of COLUMNS) tr.append(el("td", {}, cell(f)));
    return tr;
  }));
  document.getElementById("shown").textContent = `${rows.length} of ${report.findings.length} findings`;
}

function ciIssues() {
  const box = document.getElementById("ci");
  const issues = report.ci || [];
  if (issues.length === 0) { box.append(el("p", { class: "muted" }, "No CI issues found.")); return; }
  for (const i of issues) {
    const where = (i.repo ? i.repo + ": " : "") + i.path + (i.line ? ":" + i.line : "") +
      (i.job ? ", job " + i.job : "") + (i.step ? ", step " + i.step : "");
    const d = el("div", { class: "issue" }, el("b", {}, i.title), el("div", { class: "muted loc" }, where));
    if (i.secrets && i.secrets.length) d.append(el("div", {}, "stored secrets: " + i.secrets.join(", ")));
    if (i.instead) d.append(el("pre", {}, i.instead));
    box.append(d);
  }
}

summary();
charts();
table();
ciIssues();
document.body.setAttribute("data-rendered", "true");
"##;

/// Write the page.
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let json = serde_json::to_string(&V1ReportRef(report))?;
    // `<` only occurs inside JSON strings, where `\u003c` means the same:
    // no value can end the script element (`</script>`) or open a comment.
    let json = json.replace('<', "\\u003c");
    let findings = report.findings.len();
    write!(
        out,
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>keysprawl report: {findings} findings</title>
<style>{STYLE}</style>
</head>
<body>
<header><h1>keysprawl: static and reused credentials</h1><p id="subtitle"></p></header>
<main>
<noscript><p>This report draws its tables with a script that is part of the page (nothing is fetched); the data is in the JSON block of the page source.</p></noscript>
<h2>Posture</h2>
<div class="cards" id="cards"></div>
<h2>Charts</h2>
<div class="charts" id="charts"></div>
<h2>Findings</h2>
<div class="filters">
<input id="filter" type="search" placeholder="Filter by rule, provider or path" aria-label="Filter findings">
<select id="severity" aria-label="Minimum severity"><option value="">every severity</option></select>
<span class="muted" id="shown"></span>
</div>
<table><thead><tr id="findings-head"></tr></thead><tbody id="findings-body"></tbody></table>
<h2>CI issues and their fixes</h2>
<div id="ci"></div>
<footer>Secrets are redacted unless the scan ran with --show-secrets. This file makes no network requests.</footer>
</main>
<script type="application/json" id="keysprawl-data">{json}</script>
<script>{SCRIPT}</script>
</body>
</html>
"#
    )
}
