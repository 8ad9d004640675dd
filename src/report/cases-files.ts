// cases.json and cases.csv: one row per case (sql/diff/finding_case.sql), in report order. Decimals are
// spelled exactly (canonicalDecimal); in CSV the list columns (meters, finding_ids) are space-separated.
import { canonicalDecimalOrNull } from '../output/format.ts';
import type { CsvCell, CsvOptions } from '../output/csv.ts';
import { renderCsv } from '../output/csv.ts';
import type { CaseRow } from './report-data.ts';

export const CASE_KEYS = [
  'case_id',
  'billing_month',
  'billing_resource_id',
  'meter',
  'meters',
  'billed_meter_name',
  'kind',
  'cause',
  'severity',
  'money_direction',
  'first_day',
  'last_day',
  'day_count',
  'finding_count',
  'billed_quantity',
  'expected_quantity',
  'delta_quantity',
  'billed_cost',
  'cost_impact',
  'overbilled_cost',
  'underbilled_cost',
  'unverifiable_cost',
  'currency',
  'provisional',
  'explanation',
  'finding_ids',
] as const satisfies readonly (keyof CaseRow)[];

const DECIMAL_KEYS = new Set<keyof CaseRow>([
  'billed_quantity',
  'expected_quantity',
  'delta_quantity',
  'billed_cost',
  'cost_impact',
  'overbilled_cost',
  'underbilled_cost',
  'unverifiable_cost',
]);

/** A case with its decimals spelled exactly, keys in CASE_KEYS order. */
export function toPublicCase(row: CaseRow): CaseRow {
  const out: Record<string, unknown> = {};
  for (const key of CASE_KEYS) {
    const value = row[key];
    out[key] = DECIMAL_KEYS.has(key) ? canonicalDecimalOrNull(value as string | null) : value;
  }
  return out as unknown as CaseRow;
}

export function renderCasesJson(cases: readonly CaseRow[]): string {
  return `${JSON.stringify(cases, null, 2)}\n`;
}

export function renderCasesCsv(cases: readonly CaseRow[], options: CsvOptions = {}): string {
  const rows = cases.map((row) =>
    CASE_KEYS.map((key): CsvCell => {
      const value = row[key];
      if (value === null) return { type: DECIMAL_KEYS.has(key) ? 'number' : 'text', value: null };
      if (DECIMAL_KEYS.has(key) || typeof value === 'number') return { type: 'number', value: String(value) };
      if (Array.isArray(value)) return { type: 'text', value: value.join(' ') };
      return { type: 'text', value: String(value) };
    }),
  );
  return renderCsv(CASE_KEYS, rows, options);
}
