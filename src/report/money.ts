// Money at stake from the finding roll-up: one amount per currency, never summed across currencies.
import { displayMoney } from '../output/decimal-text.ts';
import type { RollupRow } from './report-data.ts';

/** The rows of one roll-up dimension and value, e.g. ('kind', 'missing_charge'), one per currency. */
export function rollupRows(
  rollup: readonly RollupRow[],
  dimension: RollupRow['dimension'],
): Map<string | null, RollupRow[]> {
  const byValue = new Map<string | null, RollupRow[]>();
  for (const row of rollup) {
    if (row.dimension !== dimension) continue;
    const rows = byValue.get(row.value) ?? [];
    rows.push(row);
    byValue.set(row.value, rows);
  }
  return byValue;
}

/** Count of findings across the currencies of one roll-up value. BIGINT counts arrive as strings. */
export function findingCount(rows: readonly RollupRow[]): bigint {
  return rows.reduce((sum, row) => sum + BigInt(row.finding_count), 0n);
}

/** '12.34 EUR' or '12.34 EUR + 3.00 USD'; '—' when no finding carries a figure. */
export function moneyText(rows: readonly RollupRow[]): string {
  const amounts = rows
    .filter((row) => row.cost_impact !== null)
    .map((row) => displayMoney(row.cost_impact, row.currency));
  return amounts.length === 0 ? '—' : amounts.join(' + ');
}
