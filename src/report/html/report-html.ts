// report.html: one self-contained page — inline CSS, one inline script, inline SVG; nothing is fetched. A
// Content-Security-Policy pins the style and the script by hash and forbids every other source, so even a value
// that slipped past escapeHtml could neither run nor call out.
// Long because it is the page's template (cases table, charts, evidence) in one file, next to its CSP hashes.
import { createHash } from 'node:crypto';
import type { RunSummary } from '../summary.ts';
import { Decimal } from 'decimal.js';
import { meterUnit } from '../../billing/meters.ts';
import { DOCUMENT, formatMoney, formatQuantity } from '../../output/format.ts';
import { caseCount, countText, DIRECTION_LABELS, findingCount, moneyText, rollupRows } from '../money.ts';
import { MONEY_DIRECTIONS } from '../finding.ts';
import type { CaseRow, FindingRow, ReportData, RollupRow } from '../report-data.ts';
import { chartsFromPoints, renderChart } from './chart.ts';
import { escapeHtml } from './escape.ts';
import { quoteJsonNumbers } from './json-indent.ts';

const COLUMNS: { label: string; width: number; numeric?: boolean }[] = [
  { label: 'money', width: 96, numeric: true },
  { label: 'direction', width: 84 },
  { label: 'kind', width: 118 },
  { label: 'severity', width: 60 },
  { label: 'resource', width: 112 },
  { label: 'meter', width: 136 },
  { label: 'days', width: 164 },
  { label: 'n', width: 32, numeric: true },
  { label: 'billed', width: 106, numeric: true },
  { label: 'expected', width: 106, numeric: true },
  { label: 'Δ', width: 104, numeric: true },
];

// Column widths of the cases table (1,118 px plus 8 px of padding per cell: 1,206 px, inside the 1,216 px body of a 1,280 px window) and of the days table.
const WIDTHS = [
  ...COLUMNS.map(
    (column, index) => `#case-table > thead > tr > th:nth-child(${index + 1}) { width: ${column.width}px; }`,
  ),
  ...[96, 110, 110, 110, 90].map((width, index) => `table.days th:nth-child(${index + 1}) { width: ${width}px; }`),
].join('\n');

const STYLE = `${WIDTHS}
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1248px; padding: 0 16px 48px; color: #1b1f24; box-sizing: border-box; }
h1 { margin: 16px 0 4px; } h2 { margin-top: 28px; border-bottom: 1px solid #d0d7de; }
code, pre { font: 12px/1.4 ui-monospace, monospace; }
.totals { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; margin: 12px 0; }
.totals div { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 12px; }
.totals dt { color: #57606a; font-size: 13px; } .totals dd { margin: 0; font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.totals .overbilled dd { color: #b42318; } .totals .underbilled dd { color: #0969da; } .totals .unverifiable dd { color: #57606a; }
.first { display: grid; grid-template-columns: 5fr 7fr; gap: 16px; align-items: start; }
dl.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 4px 16px; }
dl.figures div { border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 10px; }
dl.figures dt { color: #57606a; font-size: 12px; } dl.figures dd { margin: 0; font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #eaeef2; padding: 4px 6px; text-align: left; vertical-align: top; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.nowrap { white-space: nowrap; }
ol.top { padding-left: 22px; margin: 4px 0; } ol.top li { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.severity-high { color: #b42318; font-weight: 600; } .severity-medium { color: #9a6700; }
.dir-overbilled { color: #b42318; } .dir-underbilled { color: #0969da; } .dir-unverifiable, .dir-none { color: #57606a; }
#case-table { table-layout: fixed; }
#case-table > thead > tr > th, #case-table > tbody > tr.case > td { padding: 4px; font-size: 13px; }
#case-table > tbody > tr.case > td { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#case-table th button { all: unset; cursor: pointer; font-weight: 600; }
#case-table th[aria-sort="ascending"] button::after { content: " ▲"; } #case-table th[aria-sort="descending"] button::after { content: " ▼"; }
tr.case { cursor: pointer; } tr.case:hover { background: #f6f8fa; }
tr.case-detail > td { white-space: normal; background: #fbfcfd; padding: 8px 12px 16px; }
tr.case-detail table td { white-space: normal; }
.detail { display: grid; grid-template-columns: 1fr; gap: 8px; }
.evidence dt { font-weight: 600; margin-top: 4px; } .evidence dd { margin: 0 0 0 12px; word-break: break-all; }
figure.chart-figure { margin: 0; border: 1px solid #d0d7de; border-radius: 6px; padding: 6px; max-width: 720px; }
figcaption { font-size: 12px; word-break: break-all; }
svg.chart, svg.overview { width: 100%; height: auto; }
svg .axis { stroke: #8c959f; stroke-width: 1; }
svg .label { font-size: 11px; fill: #57606a; }
svg .billed { fill: none; stroke: #0969da; stroke-width: 2; stroke-linecap: round; }
svg .expected { fill: none; stroke: #8250df; stroke-width: 2; stroke-dasharray: 5 4; stroke-linecap: round; }
svg .mark-finding { fill: #cf222e; } svg .mark-unverifiable { fill: #8c959f; }
svg .bar-overbilled { fill: #cf222e; } svg .bar-underbilled { fill: #0969da; } svg .bar-unverifiable { fill: #8c959f; }
.legend-billed { color: #0969da; } .legend-expected { color: #8250df; }
.filters { display: flex; gap: 12px; flex-wrap: wrap; align-items: center; margin: 8px 0; }
tr[hidden] { display: none; }
`;

// Sorts (every column), filters (kind, severity, resource, meter, text) and expands the cases table; plain DOM.
const SCRIPT = `
(function () {
  var table = document.getElementById('case-table');
  var body = table.tBodies[0];
  var shown = document.getElementById('shown-count');
  var filters = ['kind', 'severity', 'resource', 'meter'].map(function (name) {
    return { name: name, input: document.getElementById('filter-' + name) };
  });
  var text = document.getElementById('filter-text');
  var cases = Array.prototype.slice.call(body.querySelectorAll('tr.case'));
  function detailOf(row) { return document.getElementById('detail-' + row.getAttribute('data-case')); }
  function apply() {
    var t = text.value.trim().toLowerCase(), n = 0;
    cases.forEach(function (row) {
      var visible = filters.every(function (f) { return !f.input.value || row.getAttribute('data-' + f.name) === f.input.value; }) &&
        (!t || row.getAttribute('data-search').indexOf(t) !== -1);
      row.hidden = !visible;
      if (!visible) detailOf(row).hidden = true;
      if (visible) n++;
    });
    shown.textContent = n + ' of ' + cases.length + ' cases shown';
  }
  filters.forEach(function (f) { f.input.addEventListener('change', apply); });
  text.addEventListener('input', apply);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, column) {
    th.querySelector('button').addEventListener('click', function () {
      var descending = th.getAttribute('aria-sort') !== 'descending';
      headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      var numeric = th.classList.contains('num');
      var key = function (row) { return row.cells[column].getAttribute('data-value') || ''; };
      cases.sort(function (a, b) {
        var x = key(a), y = key(b), order;
        if (numeric) {
          if (x === '' || y === '') order = x === y ? 0 : x === '' ? 1 : -1;
          else order = Number(x) - Number(y);
          if (x === '' || y === '') return order;
        } else {
          order = x < y ? -1 : x > y ? 1 : 0;
        }
        return descending ? -order : order;
      });
      cases.forEach(function (row) { body.appendChild(row); body.appendChild(detailOf(row)); });
    });
  });
  cases.forEach(function (row) {
    row.addEventListener('click', function () {
      var detail = detailOf(row);
      detail.hidden = !detail.hidden;
      row.setAttribute('aria-expanded', String(!detail.hidden));
    });
  });
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

/** Top cases on the first screen. */
const TOP_CASES = 5;

export function renderReportHtml(summary: RunSummary, billingMonths: readonly string[], data: ReportData): string {
  const charts = chartsFromPoints(data.chartPoints);
  const pairCount = Number(data.chartPoints[0]?.pair_count ?? '0');
  const months = billingMonths.join(', ') || 'none';
  // Charts only for the resource × meter pairs a case is about; the clean pairs are summarised in one line.
  const chartByPair = new Map<string, string>();
  charts.forEach((chart, index) => {
    if (chart.findingCount > 0) {
      chartByPair.set(pairKey(chart.billingMonth, chart.billingResourceId, chart.meter), renderChart(chart, index));
    }
  });
  const findings = new Map(data.findings.map((finding) => [finding.finding_id, finding]));
  const totals = rollupRows(data.rollup, 'total').get(null) ?? [];
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`recon report ${months} — run ${summary.run_id}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    `<header><h1>recon report · ${escapeHtml(months)}</h1>`,
    `<p id="case-counts">${escapeHtml(countText(caseCount(totals), findingCount(totals)))} · run ${escapeHtml(summary.run_id)} · ${escapeHtml(summary.status)}</p>`,
    moneyTotals(totals),
    '</header>',
    '<section class="first">',
    byKindAndSeverity(data.cases),
    topCases(data.cases),
    '</section>',
    overviewChart(data.cases),
    casesSection(data.cases, findings, chartByPair),
    `<p id="clean-pairs">${escapeHtml(cleanPairsText(pairCount, chartByPair.size, charts.length))}</p>`,
    runDetails(summary, months, data.rollup),
    `<p><small>Money is rounded to cents and quantities for reading (hover a figure for the exact value); cases.json and findings.json hold the exact values. A case is one problem: the findings of one resource, meter and kind over contiguous days.</small></p>`,
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

function pairKey(month: string, resource: string | null, meter: string | null): string {
  return `${month}|${resource ?? ''}|${meter ?? ''}`;
}

function moneyTotals(totals: readonly RollupRow[]): string {
  const items = MONEY_DIRECTIONS.map(
    (direction) =>
      `<div class="${direction}"><dt>${escapeHtml(DIRECTION_LABELS[direction])}</dt><dd>${escapeHtml(moneyText(totals, direction))}</dd></div>`,
  ).join('');
  return `<dl class="totals" id="money-totals">${items}</dl>`;
}

const SEVERITY_ORDER = ['high', 'medium', 'low'] as const;

function byKindAndSeverity(cases: readonly CaseRow[]): string {
  const kinds = [...new Set(cases.map((row) => row.kind))].sort();
  const count = (kind: string, severity: string) =>
    cases.filter((row) => row.kind === kind && row.severity === severity).length;
  const rows = kinds
    .map(
      (kind) =>
        `<tr><td>${escapeHtml(kind)}</td>${SEVERITY_ORDER.map((severity) => `<td class="num">${count(kind, severity) || ''}</td>`).join('')}<td class="num">${cases.filter((row) => row.kind === kind).length}</td></tr>`,
    )
    .join('');
  return `<div id="by-kind"><h2>Cases by kind and severity</h2><table><thead><tr><th>kind</th><th class="num">high</th><th class="num">medium</th><th class="num">low</th><th class="num">cases</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function topCases(cases: readonly CaseRow[]): string {
  const top = cases.filter((row) => row.cost_impact !== null).slice(0, TOP_CASES);
  const items = top
    .map(
      (row) =>
        `<li><b class="dir-${escapeHtml(row.money_direction)}">${escapeHtml(formatMoney(row.cost_impact, row.currency, DOCUMENT))} ${escapeHtml(row.money_direction)}</b> · ${escapeHtml(row.kind)} · ${resourceName(row.billing_resource_id)} · ${escapeHtml(meterText(row))} · <span class="nowrap">${escapeHtml(daysText(row))}</span></li>`,
    )
    .join('');
  return `<div id="top-cases"><h2>Top cases by money</h2>${top.length === 0 ? '<p>No case carries money.</p>' : `<ol class="top">${items}</ol>`}</div>`;
}

/** The resource's short name (account, share or snapshot) with the full ARM id on hover. */
function resourceName(id: string | null): string {
  if (id === null) return '<span>(no resource)</span>';
  return `<span class="resource" title="${escapeHtml(id)}">${escapeHtml(shortName(id))}</span>`;
}

function shortName(id: string): string {
  return (
    id
      .split('/')
      .filter((segment) => segment !== '')
      .at(-1) ?? id
  );
}

function meterText(row: CaseRow): string {
  return row.meter ?? row.billed_meter_name ?? (row.meters?.join(', ') || '(no meter)');
}

function daysText(row: CaseRow): string {
  if (row.first_day === null) return `${row.billing_month} (month)`;
  return row.first_day === row.last_day ? row.first_day : `${row.first_day} – ${row.last_day}`;
}

/** One bar chart: the cases' money by kind, a bar per direction. */
function overviewChart(cases: readonly CaseRow[]): string {
  const kinds = [...new Set(cases.map((row) => row.kind))].sort();
  const sums = kinds.map((kind) => {
    const members = cases.filter((row) => row.kind === kind);
    return {
      kind,
      amounts: MONEY_DIRECTIONS.map((direction) =>
        members.reduce((sum, row) => sum.plus(row[`${direction}_cost`] ?? '0'), new Decimal(0)),
      ),
    };
  });
  const max = Decimal.max(0, ...sums.flatMap((sum) => sum.amounts));
  if (max.isZero()) return '';
  const width = 900;
  const barArea = 560;
  const rowHeight = 22;
  const rows = sums.map((sum, index) => {
    const y = 8 + index * rowHeight;
    let x = 200;
    const bars = sum.amounts
      .map((amount, d) => {
        // a log scale would hide the small kinds less, but a linear one is honest about the sizes
        const w = amount.div(max).mul(barArea).toDecimalPlaces(1).toNumber();
        const bar = `<rect class="bar-${MONEY_DIRECTIONS[d] ?? ''}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="14"/>`;
        x += w;
        return bar;
      })
      .join('');
    const label = sum.amounts
      .map((amount, d) =>
        amount.isZero() ? '' : `${formatMoney(amount.toFixed(), null, DOCUMENT)} ${MONEY_DIRECTIONS[d] ?? ''}`,
      )
      .filter((text) => text !== '')
      .join(' · ');
    return `<text class="label" x="192" y="${y + 11}" text-anchor="end">${escapeHtml(sum.kind)}</text>${bars}<text class="label" x="${(x + 6).toFixed(1)}" y="${y + 11}">${escapeHtml(label)}</text>`;
  });
  const height = 16 + sums.length * rowHeight;
  return `<section id="overview"><h2>Money by kind</h2><svg class="overview" viewBox="0 0 ${width} ${height}" role="img" aria-label="money by kind" xmlns="http://www.w3.org/2000/svg">${rows.join('')}</svg></section>`;
}

function casesSection(
  cases: readonly CaseRow[],
  findings: ReadonlyMap<string, FindingRow>,
  charts: ReadonlyMap<string, string>,
): string {
  const labelled = (choices: readonly (readonly [value: string, label: string])[]): string =>
    [
      '<option value="">all</option>',
      ...choices.map(([value, label]) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`),
    ].join('');
  const options = (values: readonly string[]): string => labelled(values.map((v) => [v, v]));
  const distinctOf = (pick: (row: CaseRow) => string) => [...new Set(cases.map(pick))].sort();
  const head = COLUMNS.map(
    (column) =>
      `<th${column.numeric === true ? ' class="num"' : ''}><button type="button">${escapeHtml(column.label)}</button></th>`,
  ).join('');
  return [
    '<section id="cases"><h2>Cases</h2>',
    '<div class="filters">',
    `<label>kind <select id="filter-kind">${options(distinctOf((row) => row.kind))}</select></label>`,
    `<label>severity <select id="filter-severity">${options(['high', 'medium', 'low'])}</select></label>`,
    `<label>resource <select id="filter-resource">${labelled(resourceChoices(cases))}</select></label>`,
    `<label>meter <select id="filter-meter">${options(distinctOf(meterText))}</select></label>`,
    '<label>text <input id="filter-text" type="search"></label>',
    '<span id="shown-count"></span>',
    '</div>',
    `<table id="case-table"><thead><tr>${head}</tr></thead><tbody>`,
    cases.map((row) => caseRows(row, findings, charts)).join('\n'),
    '</tbody></table></section>',
  ].join('\n');
}

/**
 * The resource filter's options: the full id as the value, so two resources whose ids end in the same name (a
 * share 'data' in two accounts) stay two; the short name as the label, or the full id where the short name is shared.
 */
function resourceChoices(cases: readonly CaseRow[]): [value: string, label: string][] {
  const ids = [...new Set(cases.flatMap((row) => (row.billing_resource_id === null ? [] : [row.billing_resource_id])))];
  const holders = new Map<string, number>();
  for (const id of ids) holders.set(shortName(id), (holders.get(shortName(id)) ?? 0) + 1);
  return ids
    .map((id): [string, string] => [id, holders.get(shortName(id)) === 1 ? shortName(id) : id])
    .sort(([idA, labelA], [idB, labelB]) => byText(labelA, labelB) || byText(idA, idB));
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function caseRows(
  row: CaseRow,
  findings: ReadonlyMap<string, FindingRow>,
  charts: ReadonlyMap<string, string>,
): string {
  const members = row.finding_ids.flatMap((id) => {
    const finding = findings.get(id);
    return finding === undefined ? [] : [finding];
  });
  const search = [
    row.case_id,
    row.billing_resource_id ?? '',
    meterText(row),
    row.kind,
    row.explanation,
    ...row.finding_ids,
  ]
    .join(' ')
    .toLowerCase();
  const num = (value: string | null, text: string) =>
    `<td class="num" data-value="${escapeHtml(value ?? '')}" title="${escapeHtml(value ?? '')}">${escapeHtml(text)}</td>`;
  const cell = (value: string, html: string, extra = '') =>
    `<td data-value="${escapeHtml(value)}"${extra}>${html}</td>`;
  const unit = meterUnit(row.meter);
  const quantity = (value: string | null) => num(value, formatQuantity(value, unit, DOCUMENT));
  const resource = shortName(row.billing_resource_id ?? '');
  // the resource filter matches the full id (resourceChoices); the column sorts by the short name it shows
  const severityRank = String(SEVERITY_ORDER.indexOf(row.severity as (typeof SEVERITY_ORDER)[number]));
  const chartKeys = row.meter === null ? (row.meters ?? []) : [row.meter];
  const chartHtml = chartKeys
    .map((meter) => charts.get(pairKey(row.billing_month, row.billing_resource_id, meter)))
    .filter((html): html is string => html !== undefined)
    .join('');
  return [
    `<tr class="case" id="case-${escapeHtml(row.case_id)}" data-case="${escapeHtml(row.case_id)}" data-kind="${escapeHtml(row.kind)}" data-severity="${escapeHtml(row.severity)}" data-resource="${escapeHtml(row.billing_resource_id ?? '')}" data-meter="${escapeHtml(meterText(row))}" data-search="${escapeHtml(search)}" aria-expanded="false">`,
    num(row.cost_impact, formatMoney(row.cost_impact, row.currency, DOCUMENT)),
    cell(row.money_direction, escapeHtml(row.money_direction), ` class="dir-${escapeHtml(row.money_direction)}"`),
    cell(row.kind, escapeHtml(row.kind)),
    cell(severityRank, escapeHtml(row.severity), ` class="severity-${escapeHtml(row.severity)}"`),
    cell(resource, resourceName(row.billing_resource_id)),
    cell(meterText(row), escapeHtml(meterText(row)), ` title="${escapeHtml(meterText(row))}"`),
    cell(row.first_day ?? '', escapeHtml(daysText(row)), ' class="nowrap"'),
    num(String(row.day_count), String(row.day_count)),
    quantity(row.billed_quantity),
    quantity(row.expected_quantity),
    quantity(row.delta_quantity),
    '</tr>',
    `<tr class="case-detail" id="detail-${escapeHtml(row.case_id)}" hidden><td colspan="${COLUMNS.length}"><div class="detail">`,
    `<p><b>${escapeHtml(row.kind)}</b> on <code>${escapeHtml(row.billing_resource_id ?? '(no resource)')}</code> · ${escapeHtml(meterText(row))} · ${escapeHtml(daysText(row))}${row.provisional ? ' · provisional (Azure may still restate these days)' : ''} [case ${escapeHtml(row.case_id)}]</p>`,
    `<p class="explanation">${escapeHtml(row.explanation)}</p>`,
    daysTable(members),
    chartHtml,
    members.map(evidence).join(''),
    '</div></td></tr>',
  ].join('');
}

function daysTable(members: readonly FindingRow[]): string {
  const rows = members
    .map(
      (finding) =>
        `<tr class="finding" id="finding-${escapeHtml(finding.finding_id)}"><td class="nowrap">${escapeHtml(finding.usage_date ?? `${finding.billing_month} (month)`)}</td><td class="num">${escapeHtml(formatQuantity(finding.billed_quantity, finding.unit, DOCUMENT))}</td><td class="num">${escapeHtml(formatQuantity(finding.expected_quantity, finding.unit, DOCUMENT))}</td><td class="num">${escapeHtml(formatQuantity(finding.delta_quantity, finding.unit, DOCUMENT))}</td><td class="num" title="${escapeHtml(finding.cost_impact ?? '')}">${escapeHtml(formatMoney(finding.cost_impact, finding.currency, DOCUMENT))}</td><td>${escapeHtml(finding.explanation)}</td></tr>`,
    )
    .join('');
  return `<table class="days"><thead><tr><th>day</th><th class="num">billed</th><th class="num">expected</th><th class="num">Δ</th><th class="num">money</th><th>explanation</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A finding's evidence as readable text: one line per fact, lists joined, never raw JSON. */
function evidence(finding: FindingRow): string {
  const facts: [string, string][] = [];
  if (finding.rule !== null) facts.push(['rule', finding.rule]);
  if (finding.unit_convention !== null) facts.push(['unit convention', finding.unit_convention]);
  if (finding.billed_cost !== null)
    facts.push(['billed cost', formatMoney(finding.billed_cost, finding.currency, DOCUMENT)]);
  for (const [key, value] of evidenceFacts(finding.evidence_json)) facts.push([key, value]);
  if (facts.length === 0) return '';
  const list = facts.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('');
  return `<details class="evidence-block"><summary>evidence for ${escapeHtml(finding.usage_date ?? finding.billing_month)} [finding ${escapeHtml(finding.finding_id)}]</summary><dl class="evidence">${list}</dl></details>`;
}

function evidenceFacts(json: string | null): [string, string][] {
  if (json === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(quoteJsonNumbers(json));
  } catch {
    return [['evidence', json]];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [['evidence', json]];
  return Object.entries(parsed as Record<string, unknown>).flatMap(([key, value]): [string, string][] => {
    if (value === null) return [];
    return [[key.replaceAll('_', ' '), factText(value)]];
  });
}

function factText(value: unknown): string {
  if (Array.isArray(value)) return value.map(factText).join(', ');
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${key}: ${factText(inner)}`)
      .join('; ');
  }
  return String(value);
}

function cleanPairsText(pairs: number, withCase: number, charted: number): string {
  const clean = Math.max(pairs - charted, 0) + (charted - withCase);
  return `${pairs.toLocaleString('en-US')} resource × meter pairs compared: ${withCase.toLocaleString('en-US')} with a case (charted in their case), ${clean.toLocaleString('en-US')} without one (every day matches or only unverifiable days; all are in parquet/comparison).`;
}

function runDetails(summary: RunSummary, months: string, rollup: readonly RollupRow[]): string {
  const totals = rollupRows(rollup, 'total').get(null) ?? [];
  const severities = rollupRows(rollup, 'severity');
  const severityText = SEVERITY_ORDER.map(
    (severity) => `${findingCount(severities.get(severity) ?? [])} ${severity}`,
  ).join(' · ');
  const figures: [string, string][] = [
    ['run', summary.run_id],
    ['pipeline', summary.pipeline],
    ['status', summary.status],
    ['billing months', months],
    ['export files', summary.inputs.files.toLocaleString('en-US')],
    ['rows read', summary.inputs.rows_read.toLocaleString('en-US')],
    ['rows ingested', summary.inputs.rows_ingested.toLocaleString('en-US')],
    ['rows quarantined', summary.inputs.rows_quarantined.toLocaleString('en-US')],
    ['deliveries replaced', summary.inputs.deliveries_replaced.toLocaleString('en-US')],
    ['deliveries incomplete', summary.inputs.deliveries_incomplete.toLocaleString('en-US')],
    ['found', countText(caseCount(totals), findingCount(totals))],
    ['findings by severity', severityText],
  ];
  const items = figures
    .map(([label, value]) => `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`)
    .join('');
  return `<section id="run"><h2>Run</h2><dl class="figures" id="run-figures">${items}</dl></section>`;
}
