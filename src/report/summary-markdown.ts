// summary.md: what an analyst reads first. Every figure comes from the run summary or the warehouse; money and
// quantities are rounded for display only (findings.json holds the exact values).
import type { RunSummary } from './summary.ts';
import { displayDecimal, displayMoney } from '../output/decimal-text.ts';
import { findingCount, moneyText, rollupRows } from './money.ts';
import type { FindingRow, ReportData, RollupRow } from './report-data.ts';
import type { ReportScope } from './index.ts';

/** Findings listed by money at stake in summary.md. */
export const TOP_FINDINGS = 10;

export function renderSummaryMarkdown(summary: RunSummary, scope: ReportScope, data: ReportData): string {
  const lines: string[] = [];
  const months = scope.billingMonths.length === 0 ? 'none' : scope.billingMonths.join(', ');
  const total = findingCount(rollupRows(data.rollup, 'total').get(null) ?? []);
  lines.push(`# recon run ${md(summary.run_id)}`, '');
  lines.push(`- pipeline: ${md(summary.pipeline)}`);
  lines.push(`- status: **${md(summary.status)}**`);
  lines.push(`- billing months: ${md(months)}`);
  lines.push(`- findings: **${total}**`);
  lines.push(`- money at stake: **${md(moneyText(rollupRows(data.rollup, 'total').get(null) ?? []))}**`);
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
    lines.push(`### Top ${Math.min(TOP_FINDINGS, data.findings.length)} by money at stake`, '');
    data.findings.slice(0, TOP_FINDINGS).forEach((finding, index) => lines.push(topFinding(index + 1, finding)));
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
  lines.push('Money and quantities are rounded for display; findings.json and findings.csv hold the exact values.');
  return `${lines.join('\n')}\n`;
}

function costView(delivery: RunSummary['deliveries']['used'][number]): string {
  return `${delivery.cost_view ?? 'undetermined'} (${delivery.cost_view_source ?? 'not recorded'})`;
}

function rollupTable(label: string, byValue: Map<string | null, RollupRow[]>, nullLabel = '—'): string {
  const rows = [...byValue.entries()].map(([value, rows]) => [
    value ?? nullLabel,
    String(findingCount(rows)),
    moneyText(rows),
  ]);
  return table([label, 'findings', 'money at stake'], rows, ['left', 'right', 'right']);
}

function topFinding(rank: number, finding: FindingRow): string {
  const where = [
    finding.billing_resource_id ?? '(no resource)',
    finding.meter ?? '(unmapped meter)',
    finding.usage_date ?? finding.billing_month,
  ];
  const money = displayMoney(finding.cost_impact, finding.currency);
  const quantities = `billed ${displayDecimal(finding.billed_quantity)}, expected ${displayDecimal(finding.expected_quantity)}`;
  return [
    `${rank}. **${md(money)}** — ${md(finding.kind)} (${md(finding.severity)}) on \`${code(where.join(' · '))}\``,
    `   ${md(quantities)}. ${md(finding.explanation)} [finding ${md(finding.finding_id)}${finding.provisional ? ', provisional' : ''}]`,
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
