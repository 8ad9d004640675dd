// letter.md: a short claim an analyst can attach to an Azure support case — the resources and month, billed against
// expected per meter with the money at stake, the main findings, the attached files, and how the expected figures
// were derived. Display figures only (rounded by the report's helpers, and the letter says so); the CSVs carry the
// exact values. Rendering is pure: the same data gives the same letter byte for byte.
import { METERS, isMeterKey } from '../billing/meters.ts';
import { RECOMPUTE_RULES } from '../recompute/index.ts';
import { displayDecimal, displayMoney } from '../output/decimal-text.ts';
import { md } from '../report/summary-markdown.ts';

// Row shapes of the sql/dispute queries (types, not interfaces: Warehouse.rows wants an indexable record).
export type ScopeResourceRow = {
  billing_resource_id: string;
  billed_line_count: string;
  expected_row_count: string;
  subscription_ids: string[];
  billing_account_ids: string[];
};

export type MeterQuantityRow = {
  meter: string | null;
  meter_unit: string | null;
  billed_quantity: string | null;
  expected_quantity: string | null;
  delta_quantity: string | null;
  /** Compared cells (comparison rows) of the meter: 0 when the meter only has expected rows or findings. */
  cell_count: string;
};

export type MeterMoneyRow = {
  is_total: boolean;
  meter: string | null;
  currency: string | null;
  billed_cost: string | null;
  cost_impact: string | null;
  finding_count: string;
};

export type TopFindingRow = {
  finding_id: string;
  usage_date: string | null;
  billing_resource_id: string | null;
  meter: string | null;
  kind: string;
  severity: string;
  cost_impact: string | null;
  currency: string | null;
  provisional: boolean;
  explanation: string;
};

export interface AttachedFile {
  name: string;
  description: string;
}

export interface LetterData {
  month: string;
  prefixes: readonly string[];
  resources: readonly ScopeResourceRow[];
  meterQuantities: readonly MeterQuantityRow[];
  meterMoney: readonly MeterMoneyRow[];
  topFindings: readonly TopFindingRow[];
  files: readonly AttachedFile[];
  /** Shares / snapshots the month involves, and how many of them timeline.csv shows. */
  timelineSources: { involved: number; shown: number };
}

const UNMAPPED = 'unmapped meter';

export function renderLetter(data: LetterData): string {
  const totals = data.meterMoney.filter((row) => row.is_total);
  const findingCount = totals.reduce((sum, row) => sum + BigInt(row.finding_count), 0n);
  const atStake = moneyList(totals.map((row) => [row.cost_impact, row.currency]));
  const lines: string[] = [];

  lines.push(`# Billing dispute: Azure Files and snapshot charges, ${data.month}`, '');
  lines.push('To: Microsoft Azure support', '');
  const accounts = distinct(data.resources.flatMap((r) => r.billing_account_ids));
  const subscriptions = distinct(data.resources.flatMap((r) => r.subscription_ids));
  if (accounts.length > 0) lines.push(`Billing account: ${accounts.map(code).join(', ')}  `);
  if (subscriptions.length > 0) lines.push(`Subscription: ${subscriptions.map(code).join(', ')}  `);
  lines.push(`Billing month: ${data.month} (UTC calendar days)`, '');
  const claim =
    atStake === '—'
      ? `${findingCount} ${findingCount === 1n ? 'charge does' : 'charges do'} not match what the resources should ` +
        'have been billed. We ask you to review them.'
      : `${findingCount} ${findingCount === 1n ? 'charge does' : 'charges do'} not match what the resources should ` +
        `have been billed, with **${atStake}** at stake. We ask you to review them and credit the difference.`;
  lines.push(
    findingCount === 0n
      ? `We reconciled the ${data.month} charges of the resources below against their recorded state and found no ` +
          'discrepancy; the evidence is attached for reference.'
      : `We reconciled the ${data.month} charges of the resources below against their recorded state. ${claim}`,
    '',
  );

  lines.push('## Resources', '');
  lines.push(`Billed resources whose id starts with ${data.prefixes.map(code).join(' or ')}:`, '');
  for (const resource of data.resources) {
    lines.push(
      `- ${code(resource.billing_resource_id)}: ${resource.billed_line_count} billed line(s), ` +
        `${resource.expected_row_count} expected meter-day(s)`,
    );
  }
  lines.push('');

  lines.push('## Billed and expected, per meter', '');
  lines.push('| Meter | Unit | Billed | Expected | Difference | Billed cost | Money at stake |');
  lines.push('|---|---|--:|--:|--:|--:|--:|');
  for (const meter of data.meterQuantities) {
    const money = data.meterMoney.filter((row) => !row.is_total && row.meter === meter.meter);
    // a meter the diff did not compare and no finding names has nothing to claim
    if (meter.cell_count === '0' && money.every((row) => row.finding_count === '0')) continue;
    lines.push(
      tableRow([
        meter.meter ?? UNMAPPED,
        meter.meter_unit ?? '',
        displayDecimal(meter.billed_quantity),
        displayDecimal(meter.expected_quantity),
        displayDecimal(meter.delta_quantity),
        moneyList(money.map((row) => [row.billed_cost, row.currency])),
        moneyList(money.map((row) => [row.cost_impact, row.currency])),
      ]),
    );
  }
  lines.push(
    tableRow([
      '**Total**',
      '',
      '',
      '',
      '',
      bold(moneyList(totals.map((row) => [row.billed_cost, row.currency]))),
      bold(atStake),
    ]),
  );
  lines.push('');
  lines.push(
    'Quantities are in each meter’s unit over the whole month; the difference is billed minus expected. Money at ' +
      'stake is the sum of the findings’ cost impact (the difference priced at the billed effective price). ' +
      'Figures here are rounded for reading; the attached CSV files hold the exact values.',
    '',
  );

  if (data.topFindings.length > 0) {
    lines.push('## Main findings', '');
    data.topFindings.forEach((finding, index) => {
      const where = [finding.usage_date ?? data.month, finding.meter ?? UNMAPPED].join(' · ');
      const money = finding.cost_impact === null ? '' : ` · ${displayMoney(finding.cost_impact, finding.currency)}`;
      const resource =
        finding.billing_resource_id === null ? '' : ` on ${code(lastSegment(finding.billing_resource_id))}`;
      const provisional = finding.provisional ? ' (provisional: Azure may still restate this day)' : '';
      lines.push(
        `${index + 1}. **${where} · ${finding.kind} (${finding.severity})${money}**${resource}${provisional}: ` +
          `${md(oneLine(finding.explanation))} [${finding.finding_id}]`,
      );
    });
    if (findingCount > BigInt(data.topFindings.length)) {
      lines.push('', `All ${findingCount} findings are listed in deltas.csv.`);
    }
    lines.push('');
  }

  lines.push('## Attached files', '');
  for (const file of data.files) lines.push(`- ${file.name}: ${file.description}`);
  if (data.timelineSources.involved > data.timelineSources.shown) {
    lines.push(
      '',
      `timeline.csv shows the first ${data.timelineSources.shown} of the ${data.timelineSources.involved} shares ` +
        'and snapshots involved (by resource id); narrow the resource prefix for the others.',
    );
  }
  lines.push('');

  lines.push('## How the expected figures were derived', '');
  lines.push(
    'Each observation of a share or snapshot in the inventory holds until the next one (timeline.csv). Each ' +
      'meter’s quantity is integrated over the seconds each state held in every UTC day, summed over the shares ' +
      'billed on the resource, and kept as an exact fraction (quantity_numerator ÷ quantity_denominator in ' +
      'expected.csv). The rule per meter:',
    '',
  );
  for (const meter of distinct(data.meterQuantities.flatMap((row) => (row.meter === null ? [] : [row.meter])))) {
    lines.push(`- ${ruleLine(meter)}`);
  }
  lines.push('');
  return lines.join('\n');
}

function ruleLine(meter: string): string {
  if (!isMeterKey(meter)) return `${code(meter)}: not a canonical meter key`;
  const rule = RECOMPUTE_RULES[meter];
  const unit = METERS[meter].unit;
  return rule === null
    ? `${code(meter)} (${unit}): not recomputed from the inventory`
    : `${code(meter)} (${unit}): ${rule.formula} [rule ${rule.rule}]`;
}

/** '12.34 EUR', '12.34 EUR + 1.00 USD', or '—' when no amount is known. */
function moneyList(amounts: readonly (readonly [string | null, string | null])[]): string {
  const shown = amounts
    .filter(([amount]) => amount !== null)
    .map(([amount, currency]) => displayMoney(amount, currency));
  return shown.length === 0 ? '—' : shown.join(' + ');
}

function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((c) => oneLine(c).replaceAll('|', '\\|')).join(' | ')} |`;
}

function bold(text: string): string {
  return text === '—' ? text : `**${text}**`;
}

/**
 * Data inside a `code span`: backticks cannot be escaped there, so they are dropped, and line breaks become spaces
 * (a blank line would end the span's paragraph and let the rest of the value be read as Markdown or raw HTML).
 */
function code(text: string): string {
  return `\`${text.replace(/[\r\n]+/g, ' ').replaceAll('`', '')}\``;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function lastSegment(id: string): string {
  return (
    id
      .split('/')
      .filter((segment) => segment !== '')
      .at(-1) ?? id
  );
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
