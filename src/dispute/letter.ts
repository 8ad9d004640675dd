// Long because the letter is one document: claim, underbilled and unverifiable lists, meter table, method.
// letter.md: a short claim an analyst can attach to an Azure support case — the resources and billing period, the
// overbilled charges it claims (and only those), the underbilled and unverifiable ones listed apart and not
// claimed, billed against expected per meter, the attached files, and how the expected figures were derived. It
// names meters as Azure does (MeterName, MeterSubCategory, MeterId; recon's key in brackets) and export files by
// their path in the export's folder. The customer's own provisioning changes (metadata_violation) are in an
// appendix, never in the claim. Display figures only (rounded for reading, and the letter says so); the CSVs carry
// the exact values. Rendering is pure: the same data gives the same letter byte for byte.
import { METERS, isMeterKey } from '../billing/meters.ts';
import { RECOMPUTE_RULES } from '../recompute/index.ts';
import { exportRelativePath, periodText } from '../output/azure-terms.ts';
import { DOCUMENT, formatDecimal, formatMoney } from '../output/format.ts';
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
  /** The MeterName(s) Azure billed the meter under in scope; empty when nothing was billed on it. */
  meter_names: string[];
};

export type MeterMoneyRow = {
  is_total: boolean;
  meter: string | null;
  currency: string | null;
  billed_cost: string | null;
  overbilled_cost: string | null;
  underbilled_cost: string | null;
  unverifiable_cost: string | null;
  finding_count: string;
};

/** A case of the scope with the meter as Azure billed it (sql/dispute/letter_case.sql). */
export type LetterCaseRow = {
  case_id: string;
  billing_resource_id: string | null;
  meter: string | null;
  meters: string[] | null;
  billed_meter_name: string | null;
  kind: string;
  severity: string;
  money_direction: 'overbilled' | 'underbilled' | 'unverifiable' | 'none';
  first_day: string | null;
  last_day: string | null;
  day_count: number;
  finding_count: number;
  cost_impact: string | null;
  currency: string | null;
  provisional: boolean;
  explanation: string;
  meter_names: string[];
  meter_subcategories: string[];
  meter_ids: string[];
  source_files: string[];
  export_scopes: string[];
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
  cases: readonly LetterCaseRow[];
  files: readonly AttachedFile[];
  /** Shares / snapshots the month involves, and how many of them timeline.csv shows. */
  timelineSources: { involved: number; shown: number };
}

const UNMAPPED = 'unmapped meter';

/** Cases listed per section; the rest are in deltas.csv. */
export const LETTER_CASES = 10;

const SECTIONS = [
  {
    direction: 'overbilled',
    title: 'Overbilled charges (claimed)',
    intro: 'Azure billed more than the resources used or were provisioned for. These are the charges we claim.',
  },
  {
    direction: 'underbilled',
    title: 'Underbilled charges (not claimed)',
    intro:
      'Azure billed less than the resources used or were provisioned for (Azure may still bill these). We list them ' +
      'for completeness; they are not part of the claim and are not netted against it.',
  },
  {
    direction: 'unverifiable',
    title: 'Charges we could not verify (not claimed)',
    intro:
      'Billed, but our records cannot confirm or refute them (no inventory for the resource or day, or a meter we ' +
      'do not reconcile). We ask for no credit on them.',
  },
] as const;

export function renderLetter(data: LetterData): string {
  const totals = data.meterMoney.filter((row) => row.is_total);
  const claim = moneyList(totals.map((row) => [row.overbilled_cost, row.currency]));
  const customerSide = data.cases.filter((row) => row.kind === 'metadata_violation');
  const billingCases = data.cases.filter((row) => row.kind !== 'metadata_violation');
  const findingCount = billingCases.reduce((sum, row) => sum + row.finding_count, 0);
  const lines: string[] = [];

  lines.push(`# Billing dispute: Azure Files and snapshot charges, billing period ${data.month}`, '');
  lines.push('To: Microsoft Azure support', '');
  const accounts = distinct(data.resources.flatMap((r) => r.billing_account_ids));
  const subscriptions = distinct(data.resources.flatMap((r) => r.subscription_ids));
  if (accounts.length > 0) lines.push(`Billing account: ${accounts.map(code).join(', ')}  `);
  if (subscriptions.length > 0) lines.push(`Subscription: ${subscriptions.map(code).join(', ')}  `);
  lines.push(`Billing period: ${data.month} (${periodText(data.month)}, UTC)`, '');
  const cases = `${billingCases.length} ${billingCases.length === 1 ? 'charge' : 'charges'}`;
  const found = `${cases} (${findingCount} daily ${findingCount === 1 ? 'line' : 'lines'}) that do not match`;
  let opening: string;
  if (billingCases.length === 0) {
    opening = 'found no discrepancy; the evidence is attached for reference.';
  } else if (claim === '—') {
    opening = `found ${found} what the resources should have been billed, none of them overbilled. We ask you to review them; we claim no credit.`;
  } else {
    opening = `found ${found} what the resources should have been billed. We ask you to credit **${claim}**, the overbilled charges listed below.`;
  }
  lines.push(
    `We reconciled the charges of billing period ${data.month} for the resources below against their recorded state and ${opening}`,
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

  for (const section of SECTIONS) {
    const rows = billingCases.filter((row) => row.money_direction === section.direction);
    if (rows.length === 0) continue;
    const total = moneyList(totals.map((row) => [row[`${section.direction}_cost`], row.currency]));
    lines.push(`## ${section.title}`, '', section.intro, '');
    rows.slice(0, LETTER_CASES).forEach((row, index) => lines.push(caseLines(index + 1, row, data.month)));
    if (rows.length > LETTER_CASES) lines.push('', `All ${rows.length} are listed in deltas.csv.`);
    lines.push('', `Total: **${total}**.`, '');
  }
  const unpriced = billingCases.filter((row) => row.money_direction === 'none');
  if (unpriced.length > 0) {
    lines.push('## Charges on the wrong meter, amount unknown (not claimed)', '');
    unpriced.forEach((row, index) => lines.push(caseLines(index + 1, row, data.month)));
    lines.push('');
  }

  lines.push('## Billed and expected, per meter', '');
  lines.push(
    '| Meter | Unit | Billed | Expected | Difference | Billed cost | Overbilled | Underbilled | Unverifiable |',
  );
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|');
  for (const meter of data.meterQuantities) {
    const money = data.meterMoney.filter((row) => !row.is_total && row.meter === meter.meter);
    // a meter the diff did not compare and no finding names has nothing to claim
    if (meter.cell_count === '0' && money.every((row) => row.finding_count === '0')) continue;
    lines.push(
      tableRow([
        meterCell(meter),
        meter.meter_unit ?? '',
        formatDecimal(meter.billed_quantity, undefined, DOCUMENT),
        formatDecimal(meter.expected_quantity, undefined, DOCUMENT),
        formatDecimal(meter.delta_quantity, undefined, DOCUMENT),
        moneyList(money.map((row) => [row.billed_cost, row.currency])),
        moneyList(money.map((row) => [row.overbilled_cost, row.currency])),
        moneyList(money.map((row) => [row.underbilled_cost, row.currency])),
        moneyList(money.map((row) => [row.unverifiable_cost, row.currency])),
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
      bold(claim),
      bold(moneyList(totals.map((row) => [row.underbilled_cost, row.currency]))),
      bold(moneyList(totals.map((row) => [row.unverifiable_cost, row.currency]))),
    ]),
  );
  lines.push('');
  lines.push(
    'Meters are named as Azure bills them (MeterName), with recon’s meter key in brackets; each charge above also ' +
      'gives MeterSubCategory and MeterId. Quantities are in each meter’s unit over the whole period; the difference is billed minus ' +
      'expected, priced at the billed effective price. Overbilled, underbilled and unverifiable money are never ' +
      'added together. Figures here are rounded for reading; the attached CSV files hold the exact values.',
    '',
  );

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
      'expected.csv). The rule per meter (sections of docs/billing-rules.md in the recon repository, which cites ' +
      'the Azure documentation each rule comes from):',
    '',
  );
  for (const meter of distinct(data.meterQuantities.flatMap((row) => (row.meter === null ? [] : [row.meter])))) {
    lines.push(`- ${ruleLine(meter)}`);
  }
  lines.push('');

  if (customerSide.length > 0) {
    lines.push('## Appendix: changes on our side (not claimed)', '');
    lines.push(
      'Our own records show provisioning changes Azure does not allow (for example a second change within 24 ' +
        'hours). They are our side’s to correct, not a billing error, and are not part of the claim:',
      '',
    );
    customerSide.forEach((row, index) =>
      lines.push(
        `${index + 1}. ${row.first_day ?? data.month} on ${code(lastSegment(row.billing_resource_id ?? ''))}: ` +
          `${md(oneLine(row.explanation))} [${row.kind}, case ${row.case_id}]`,
      ),
    );
    lines.push('');
  }
  return lines.join('\n');
}

/** One case: money, days, kind, the meter as Azure names it, the explanation, and where the charge came from. */
function caseLines(rank: number, row: LetterCaseRow, month: string): string {
  const money = row.cost_impact === null ? 'amount unknown' : formatMoney(row.cost_impact, row.currency, DOCUMENT);
  const days =
    row.first_day === null
      ? month
      : row.first_day === row.last_day
        ? row.first_day
        : `${row.first_day} to ${row.last_day} (${row.day_count} days)`;
  const resource = row.billing_resource_id === null ? '' : ` on ${code(lastSegment(row.billing_resource_id))}`;
  const provisional = row.provisional ? ' (provisional: Azure may still restate these days)' : '';
  const meter = azureMeter(row);
  const files = row.source_files.map((file) => code(exportRelativePath(file, row.export_scopes)));
  const source =
    files.length === 0
      ? ''
      : `\n   Charged in: ${files.slice(0, 3).join(', ')}${files.length > 3 ? `, and ${files.length - 3} more (billed.csv)` : ''}`;
  return (
    `${rank}. **${money}** · ${days} · ${row.kind} (${row.severity})${resource}${provisional}\n` +
    `   ${meter}\n` +
    `   ${md(oneLine(row.explanation))} [case ${row.case_id}, ${row.finding_count} daily ${row.finding_count === 1 ? 'finding' : 'findings'}]${source}`
  );
}

/** 'MeterName 'x', MeterSubCategory 'y', MeterId z [recon meter v2.provisioned_storage]'. */
function azureMeter(row: LetterCaseRow): string {
  const keys = row.meter === null ? (row.meters ?? []) : [row.meter];
  const key = keys.length === 0 ? '' : ` [recon meter ${keys.join(', ')}]`;
  if (row.meter_names.length === 0) return `Meter: nothing billed on it${key}`;
  const quoted = (values: readonly string[]) => values.map((v) => `'${md(v)}'`).join(' / ');
  const parts = [`MeterName ${quoted(row.meter_names)}`];
  if (row.meter_subcategories.length > 0) parts.push(`MeterSubCategory ${quoted(row.meter_subcategories)}`);
  if (row.meter_ids.length > 0) parts.push(`MeterId ${row.meter_ids.map(code).join(' / ')}`);
  return `${parts.join(', ')}${key}`;
}

function ruleLine(meter: string): string {
  if (!isMeterKey(meter)) return `${code(meter)}: not a canonical meter key`;
  const rule = RECOMPUTE_RULES[meter];
  const unit = METERS[meter].unit;
  return rule === null
    ? `${code(meter)} (${unit}): not recomputed from the inventory`
    : `${code(meter)} (${unit}): ${rule.formula} [rule ${rule.rule}]`;
}

/** The meter table's first cell: Azure's MeterName(s), recon's key in brackets ("'SSD LRS Provisioned IOPS' [v2.provisioned_iops]"). */
function meterCell(row: MeterQuantityRow): string {
  const key = row.meter ?? UNMAPPED;
  if (row.meter_names.length === 0) return `not billed [${key}]`;
  return `${row.meter_names.map((name) => `'${md(name)}'`).join(' / ')} [${key}]`;
}

/** '12.34 EUR', '12.34 EUR + 1.00 USD', or '—' when no amount is known. */
function moneyList(amounts: readonly (readonly [string | null, string | null])[]): string {
  const shown = amounts
    .filter(([amount]) => amount !== null)
    .map(([amount, currency]) => formatMoney(amount, currency, DOCUMENT));
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
