// report.html: one self-contained page — inline CSS, one inline script, inline SVG; nothing is fetched. A
// Content-Security-Policy pins the style and the script by hash and forbids every other source, so even a value
// that slipped past escapeHtml could neither run nor call out.
import { createHash } from 'node:crypto';
import type { RunSummary } from '../summary.ts';
import type { ReportScope } from '../index.ts';
import { displayDecimal, displayMoney } from '../decimal-text.ts';
import { caseCount, countText, DIRECTION_LABELS, findingCount, moneyText, rollupRows } from '../money.ts';
import { MONEY_DIRECTIONS } from '../finding.ts';
import type { FindingRow, ReportData, RollupRow } from '../report-data.ts';
import { chartsFromPoints, renderChart } from './chart.ts';
import { escapeHtml } from './escape.ts';
import { indentJson } from './json-indent.ts';

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 0 16px 48px; color: #1b1f24; }
h1 { margin: 16px 0 4px; } h2 { margin-top: 32px; border-bottom: 1px solid #d0d7de; }
code, pre { font: 12px/1.4 ui-monospace, monospace; }
dl.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 4px 16px; }
dl.figures div { border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 10px; }
dl.figures dt { color: #57606a; font-size: 12px; } dl.figures dd { margin: 0; font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #eaeef2; padding: 4px 6px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.id { word-break: break-all; min-width: 220px; max-width: 360px; }
.severity-high { color: #b42318; font-weight: 600; } .severity-medium { color: #9a6700; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; }
figure.chart-figure { margin: 0; border: 1px solid #d0d7de; border-radius: 6px; padding: 6px; }
figcaption { font-size: 12px; word-break: break-all; }
svg.chart { width: 100%; height: auto; }
svg .axis { stroke: #8c959f; stroke-width: 1; }
svg .label { font-size: 11px; fill: #57606a; }
svg .billed { fill: none; stroke: #0969da; stroke-width: 2; stroke-linecap: round; }
svg .expected { fill: none; stroke: #8250df; stroke-width: 2; stroke-dasharray: 5 4; stroke-linecap: round; }
svg .mark-finding { fill: #cf222e; } svg .mark-unverifiable { fill: #8c959f; }
.legend-billed { color: #0969da; } .legend-expected { color: #8250df; }
.filters { display: flex; gap: 12px; flex-wrap: wrap; align-items: center; margin: 8px 0; }
details pre { white-space: pre-wrap; word-break: break-all; background: #f6f8fa; padding: 8px; }
tr[hidden] { display: none; }
`;

// Filters the findings table by kind, severity and a text match on ids; plain DOM, no library.
const SCRIPT = `
(function () {
  var kind = document.getElementById('filter-kind');
  var severity = document.getElementById('filter-severity');
  var text = document.getElementById('filter-text');
  var shown = document.getElementById('shown-count');
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.finding'));
  function apply() {
    var k = kind.value, s = severity.value, t = text.value.trim().toLowerCase(), n = 0;
    rows.forEach(function (row) {
      var visible = (!k || row.getAttribute('data-kind') === k) && (!s || row.getAttribute('data-severity') === s) &&
        (!t || row.getAttribute('data-search').indexOf(t) !== -1);
      row.hidden = !visible;
      if (visible) n++;
    });
    shown.textContent = n + ' of ' + rows.length + ' findings shown';
  }
  kind.addEventListener('change', apply);
  severity.addEventListener('change', apply);
  text.addEventListener('input', apply);
  apply();
})();
`;

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${sha256Base64(STYLE)}'`,
  `script-src 'sha256-${sha256Base64(SCRIPT)}'`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function renderReportHtml(summary: RunSummary, scope: ReportScope, data: ReportData): string {
  const charts = chartsFromPoints(data.chartPoints);
  const pairCount = data.chartPoints[0]?.pair_count ?? '0';
  const months = scope.billingMonths.join(', ') || 'none';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`recon report ${months} — run ${summary.run_id}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    header(summary, months, data.rollup),
    rollupSection(data.rollup),
    '<section id="charts"><h2>Billed vs expected</h2>',
    `<p>Daily quantity in the meter's unit: <span class="legend-billed">━ billed</span>, <span class="legend-expected">╌ expected</span>; red dots mark days with a finding, grey dots days the inventory could not verify. `,
    `${charts.length} of ${escapeHtml(pairCount)} compared resource × meter pairs are charted, most money at stake first; all of them are in parquet/comparison.</p>`,
    `<div class="charts">${charts.map(renderChart).join('\n')}</div></section>`,
    findingsSection(data.findings),
    `<p><small>Money and quantities are rounded for display (hover a figure for the exact value); findings.json holds the exact values.</small></p>`,
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

function header(summary: RunSummary, months: string, rollup: readonly RollupRow[]): string {
  const totals = rollupRows(rollup, 'total').get(null) ?? [];
  const severities = rollupRows(rollup, 'severity');
  const severityText = ['high', 'medium', 'low']
    .map((severity) => `${findingCount(severities.get(severity) ?? [])} ${severity}`)
    .join(' · ');
  const figures: [string, string][] = [
    ['run', summary.run_id],
    ['pipeline', summary.pipeline],
    ['status', summary.status],
    ['billing months', months],
    ['export files', String(summary.inputs.files)],
    ['rows read', String(summary.inputs.rows_read)],
    ['rows ingested', String(summary.inputs.rows_ingested)],
    ['rows quarantined', String(summary.inputs.rows_quarantined)],
    ['deliveries replaced', String(summary.inputs.deliveries_replaced)],
    ['deliveries incomplete', String(summary.inputs.deliveries_incomplete)],
    ['found', countText(caseCount(totals), findingCount(totals))],
    ['findings by severity', severityText],
    ...MONEY_DIRECTIONS.map((direction): [string, string] => [
      DIRECTION_LABELS[direction],
      moneyText(totals, direction),
    ]),
  ];
  const items = figures
    .map(([label, value]) => `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`)
    .join('');
  return `<header><h1>recon report</h1><dl class="figures" id="run-figures">${items}</dl></header>`;
}

function rollupSection(rollup: readonly RollupRow[]): string {
  const rows = [...rollupRows(rollup, 'kind').entries()]
    .map(
      ([kind, rows]) =>
        `<tr><td>${escapeHtml(kind ?? '—')}</td><td class="num">${caseCount(rows)}</td><td class="num">${findingCount(rows)}</td>${MONEY_DIRECTIONS.map((direction) => `<td class="num">${escapeHtml(moneyText(rows, direction))}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<section id="by-kind"><h2>Cases by kind</h2><table><thead><tr><th>kind</th><th class="num">cases</th><th class="num">findings</th><th class="num">overbilled</th><th class="num">underbilled</th><th class="num">unverifiable</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function findingsSection(findings: readonly FindingRow[]): string {
  const kinds = [...new Set(findings.map((finding) => finding.kind))].sort();
  const options = (values: readonly string[]): string =>
    [
      '<option value="">all</option>',
      ...values.map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`),
    ].join('');
  return [
    '<section id="findings"><h2>Findings by money at stake</h2>',
    '<div class="filters">',
    `<label>kind <select id="filter-kind">${options(kinds)}</select></label>`,
    `<label>severity <select id="filter-severity">${options(['high', 'medium', 'low'])}</select></label>`,
    '<label>resource, meter or id <input id="filter-text" type="search"></label>',
    '<span id="shown-count"></span>',
    '</div>',
    '<table id="finding-table"><thead><tr>',
    '<th class="num">money at stake</th><th>kind</th><th>severity</th><th>billed resource</th><th>meter</th><th>day</th>',
    '<th class="num">billed</th><th class="num">expected</th><th class="num">delta</th><th>evidence</th>',
    '</tr></thead><tbody>',
    findings.map(findingRow).join('\n'),
    '</tbody></table></section>',
  ].join('\n');
}

function findingRow(finding: FindingRow): string {
  const search = [finding.finding_id, finding.billing_resource_id ?? '', finding.meter ?? ''].join(' ').toLowerCase();
  const quantity = (value: string | null): string =>
    `<td class="num" title="${escapeHtml(value ?? '')}">${escapeHtml(displayDecimal(value))}</td>`;
  const day = finding.usage_date ?? `${finding.billing_month} (month)`;
  return [
    `<tr class="finding" id="finding-${escapeHtml(finding.finding_id)}" data-kind="${escapeHtml(finding.kind)}" data-severity="${escapeHtml(finding.severity)}" data-search="${escapeHtml(search)}">`,
    `<td class="num" title="${escapeHtml(finding.cost_impact ?? '')}">${escapeHtml(displayMoney(finding.cost_impact, finding.currency))}</td>`,
    `<td>${escapeHtml(finding.kind)}</td>`,
    `<td class="severity-${escapeHtml(finding.severity)}">${escapeHtml(finding.severity)}</td>`,
    `<td class="id"><code>${escapeHtml(finding.billing_resource_id ?? '—')}</code></td>`,
    `<td>${escapeHtml(finding.meter ?? '(unmapped)')}</td>`,
    `<td>${escapeHtml(day)}${finding.provisional ? ' <small>(provisional)</small>' : ''}</td>`,
    quantity(finding.billed_quantity),
    quantity(finding.expected_quantity),
    quantity(finding.delta_quantity),
    `<td>${evidence(finding)}</td>`,
    '</tr>',
  ].join('');
}

function evidence(finding: FindingRow): string {
  const facts: [string, string | null][] = [
    ['finding', finding.finding_id],
    ['rule', finding.rule],
    ['unit convention', finding.unit_convention],
    ['billed cost', finding.billed_cost === null ? null : displayMoney(finding.billed_cost, finding.currency)],
  ];
  const list = facts
    .filter((fact): fact is [string, string] => fact[1] !== null)
    .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  const json = finding.evidence_json === null ? '' : `<pre>${escapeHtml(indentJson(finding.evidence_json))}</pre>`;
  return `<details><summary>${escapeHtml(finding.explanation)}</summary><dl>${list}</dl>${json}</details>`;
}
