// findings.json and findings.csv: the public finding object of contract.md, exactly its keys in its order.
// Decimals are spelled by canonicalDecimal (trailing zeros dropped, every significant digit kept); null stays null
// in JSON and is an empty cell in CSV.
import { canonicalDecimalOrNull } from '../output/format.ts';
import type { CsvCell, CsvOptions } from '../output/csv.ts';
import { renderCsv } from '../output/csv.ts';
import type { PublicFinding } from './finding.ts';
import type { FindingRow } from './report-data.ts';

/** The contract's finding keys, in contract order. */
export const FINDING_KEYS = [
  'finding_id',
  'billing_month',
  'usage_date',
  'billing_resource_id',
  'meter',
  'kind',
  'severity',
  'billed_quantity',
  'expected_quantity',
  'delta_quantity',
  'billed_cost',
  'cost_impact',
  'currency',
  'money_direction',
  'overbilled_cost',
  'underbilled_cost',
  'unverifiable_cost',
  'provisional',
  'explanation',
] as const;

export type FindingKey = (typeof FINDING_KEYS)[number];

const DECIMAL_KEYS = new Set<FindingKey>([
  'billed_quantity',
  'expected_quantity',
  'delta_quantity',
  'billed_cost',
  'cost_impact',
  'overbilled_cost',
  'underbilled_cost',
  'unverifiable_cost',
]);

export function toPublicFinding(row: FindingRow): PublicFinding {
  // Built key by key in contract order: JSON.stringify keeps insertion order, so this is the file's key order.
  return {
    finding_id: row.finding_id,
    billing_month: row.billing_month,
    usage_date: row.usage_date,
    billing_resource_id: row.billing_resource_id,
    meter: row.meter,
    kind: row.kind,
    severity: row.severity,
    billed_quantity: canonicalDecimalOrNull(row.billed_quantity),
    expected_quantity: canonicalDecimalOrNull(row.expected_quantity),
    delta_quantity: canonicalDecimalOrNull(row.delta_quantity),
    billed_cost: canonicalDecimalOrNull(row.billed_cost),
    cost_impact: canonicalDecimalOrNull(row.cost_impact),
    currency: row.currency,
    money_direction: row.money_direction,
    overbilled_cost: canonicalDecimalOrNull(row.overbilled_cost),
    underbilled_cost: canonicalDecimalOrNull(row.underbilled_cost),
    unverifiable_cost: canonicalDecimalOrNull(row.unverifiable_cost),
    provisional: row.provisional,
    explanation: row.explanation,
  };
}

export function renderFindingsJson(findings: readonly PublicFinding[]): string {
  return `${JSON.stringify(findings, null, 2)}\n`;
}

/** findings.csv's columns: the contract's keys with the quantities' unit beside them (after delta_quantity). */
export const FINDINGS_CSV_COLUMNS = [
  ...FINDING_KEYS.slice(0, FINDING_KEYS.indexOf('delta_quantity') + 1),
  'unit',
  ...FINDING_KEYS.slice(FINDING_KEYS.indexOf('delta_quantity') + 1),
] as const;

export type CsvFinding = PublicFinding & { unit: string | null };

export function renderFindingsCsv(findings: readonly CsvFinding[], options: CsvOptions = {}): string {
  const rows = findings.map((finding) =>
    FINDINGS_CSV_COLUMNS.map((key): CsvCell => {
      const value = finding[key];
      if (key !== 'unit' && DECIMAL_KEYS.has(key)) {
        return { type: 'number', value: value === null ? null : String(value) };
      }
      return { type: 'text', value: value === null ? null : String(value) };
    }),
  );
  return renderCsv(FINDINGS_CSV_COLUMNS, rows, options);
}
