// summary.md: what an analyst reads first. Every figure comes from the run summary or the warehouse; money and
// quantities are rounded for display only (findings.json holds the exact values).
import type { RunSummary } from './summary.ts';
import { meterUnit } from '../billing/meters.ts';
import { DOCUMENT, formatMoney, formatQuantity, plural } from '../output/format.ts';
import { caseCount, countText, DIRECTION_LABELS, findingCount, moneyText, rollupRows } from './money.ts';
import { MONEY_DIRECTIONS } from './finding.ts';
import type { CaseRow, ReportData, RollupRow } from './report-data.ts';

/** Cases listed by money at stake in summary.md. */
export const TOP_CASES = 10;

export function renderSummaryMarkdown(summary: RunSummary, billingMonths: readonly string[], data: ReportData): string {
  const lines: string[] = [];
  const months = billingMonths.length === 0 ? 'none' : billingMonths.join(', ');
  const totals = rollupRows(data.rollup, 'total').get(null) ?? [];
  const total = findingCount(totals);
  lines.push(`# recon run ${md(summary.run_id)}`, '');
  lines.push(`- pipeline: ${md(summary.pipeline)}`);
  lines.push(`- status: **${md(summary.status)}**`);
  lines.push(`- billing months: ${md(months)}`);
  lines.push(`- found: **${countText(caseCount(totals), total)}**`);
  // Three totals, never one sum: a claim, a debt and an open question do not add up.
  for (const direction of MONEY_DIRECTIONS) {
    lines.push(`- ${DIRECTION_LABELS[direction]}: **${md(moneyText(totals, direction))}**`);
  }
  lines.push('');

  if (summary.warnings.length > 0) {
    lines.push('## Warnings', '', ...summary.warnings.map((warning) => `- ${md(warning)}`), '');
  }

  lines.push('## Inputs', '');
  const inputs = summary.inputs;
  lines.push(
    table(
      ['input', 'count'],
      [
        ['export files', String(inputs.files)],
        ['rows read', String(inputs.rows_read)],
        ['rows ingested', String(inputs.rows_ingested)],
        ['rows quarantined', String(inputs.rows_quarantined)],
        [
          'rows kept with an unreadable Tags, AdditionalInfo or UnitPrice',
          String(inputs.rows_with_descriptive_problems),
        ],
        ['deliveries replaced', String(inputs.deliveries_replaced)],
        ['deliveries incomplete', String(inputs.deliveries_incomplete)],
        ['inventory files', String(inputs.inventory_files)],
        ['inventory records read', String(inputs.inventory_records_read)],
        ['inventory records quarantined', String(inputs.inventory_records_quarantined)],
        ['transaction rows read', String(inputs.transaction_rows_read)],
        ['transaction rows quarantined', String(inputs.transaction_rows_quarantined)],
      ],
      ['left', 'right'],
    ),
    '',
  );

  lines.push('## Deliveries counted', '');
  const { used, set_aside: setAside } = summary.deliveries;
  if (used.length + setAside.length === 0) {
    lines.push('No current delivery in the billing months above.', '');
  } else {
    lines.push(
      'Each usage is reconciled once: per billing month, one delivery of each export counts, and a delivery whose ' +
        'usage another export also bills (another cost view of it, or a wider scope) is set aside.',
      '',
      table(
        ['month', 'export', 'cost view', 'used', 'why', 'delivery'],
        [
          ...used.map((d) => [d.billing_month, d.export, costView(d), 'yes', '', d.source_path]),
          ...setAside.map((d) => [d.billing_month, d.export, costView(d), 'set aside', d.reason ?? '', d.source_path]),
        ],
        ['left', 'left', 'left', 'left', 'left', 'left'],
      ),
      '',
    );
  }

  lines.push('## Quarantined rows by reason', '');
  if (data.quarantine.length === 0) {
    lines.push('Nothing was quarantined.', '');
  } else {
    lines.push(
      'Ingest rows of the deliveries of the billing months above; inventory and transaction records of every file read.',
      '',
      table(
        ['stage', 'reason', 'rows', 'first examples (file:line)'],
        data.quarantine.map((row) => [row.stage, row.reason, row.row_count, row.examples.join(', ')]),
        ['left', 'left', 'right', 'left'],
      ),
      '',
    );
  }

  lines.push('## Findings', '');
  if (total === 0n) {
    lines.push('No findings.', '');
  } else {
    lines.push('### By kind', '', rollupTable('kind', rollupRows(data.rollup, 'kind')), '');
    lines.push('### By meter', '', rollupTable('meter', rollupRows(data.rollup, 'meter'), '(unmapped)'), '');
    lines.push('### By severity', '', rollupTable('severity', rollupRows(data.rollup, 'severity')), '');
    lines.push(`### Top ${Math.min(TOP_CASES, data.cases.length)} cases by money at stake`, '');
    data.cases.slice(0, TOP_CASES).forEach((row, index) => lines.push(topCase(index + 1, row)));
    lines.push('');
  }

  lines.push('## Stage timings', '');
  lines.push(
    table(
      ['stage', 'seconds', 'rows'],
      summary.stages.map((stage) => [stage.name, stage.seconds.toFixed(1), String(stage.rows)]),
      ['left', 'right', 'right'],
    ),
    '',
  );
  lines.push(`Run fingerprint: \`${md(summary.fingerprint.value)}\` (same fingerprint, same findings).`, '');
  lines.push(
    'A case is one problem: the findings of one resource, meter and kind over contiguous days (cases.json lists',
    'its findings). Money and quantities are rounded for display; findings.json, findings.csv, cases.json and',
    'cases.csv hold the exact values.',
  );
  return `${lines.join('\n')}\n`;
}

function costView(delivery: RunSummary['deliveries']['used'][number]): string {
  return `${delivery.cost_view ?? 'undetermined'} (${delivery.cost_view_source ?? 'not recorded'})`;
}

function rollupTable(label: string, byValue: Map<string | null, RollupRow[]>, nullLabel = '—'): string {
  const rows = [...byValue.entries()].map(([value, rows]) => [
    value ?? nullLabel,
    caseCount(rows).toLocaleString('en-US'),
    findingCount(rows).toLocaleString('en-US'),
    ...MONEY_DIRECTIONS.map((direction) => moneyText(rows, direction)),
  ]);
  return table([label, 'cases', 'findings', 'overbilled', 'underbilled', 'unverifiable'], rows, [
    'left',
    'right',
    'right',
    'right',
    'right',
    'right',
  ]);
}

function topCase(rank: number, row: CaseRow): string {
  const unit = meterUnit(row.meter);
  const meter = row.meter ?? row.billed_meter_name ?? row.meters?.join(', ') ?? '(no meter)';
  const days =
    row.first_day === null
      ? row.billing_month
      : row.first_day === row.last_day
        ? row.first_day
        : `${row.first_day} – ${row.last_day} (${row.day_count} days)`;
  const money =
    row.money_direction === 'none'
      ? 'no money at stake'
      : `${formatMoney(row.cost_impact, row.currency, DOCUMENT)} ${row.money_direction}`;
  return [
    `${rank}. **${md(money)}** — ${md(row.kind)} (${md(row.severity)}) on \`${code(row.billing_resource_id ?? '(no resource)')}\``,
    `   ${md(meter)} · ${md(days)} · billed ${md(formatQuantity(row.billed_quantity, unit, DOCUMENT))}, expected ${md(formatQuantity(row.expected_quantity, unit, DOCUMENT))} · ${plural(row.finding_count, 'finding')}. ${md(row.explanation)} [case ${md(row.case_id)}${row.provisional ? ', provisional' : ''}]`,
  ].join('\n');
}

type Align = 'left' | 'right';

function table(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[]): string {
  const rule = align.map((side) => (side === 'right' ? '---:' : '---'));
  return [header, rule, ...rows.map((row) => row.map(md))].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/**
 * Data in Markdown text: line breaks become spaces (a row stays a row) and the characters that could start
 * markup, a link, raw HTML or an entity, or end a table cell are backslash-escaped (CommonMark escapes any ASCII
 * punctuation), so a renderer shows the data as text.
 */
export function md(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*[\]|<>&]/g, (char) => `\\${char}`);
}

/** Data inside a `code span`: backticks cannot be escaped there, so they are replaced. */
function code(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/`/g, "'");
}
