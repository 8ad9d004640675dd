// Money from the finding roll-up: one amount per currency and per direction (overbilled, underbilled,
// unverifiable), never summed across currencies or directions.
import { DOCUMENT, formatMoney, plural } from '../output/format.ts';
import type { MONEY_DIRECTIONS } from './finding.ts';
import type { RollupRow } from './report-data.ts';

export type Direction = (typeof MONEY_DIRECTIONS)[number];

/** What each direction means to the reader, in the words every report uses. */
export const DIRECTION_LABELS: Record<Direction, string> = {
  overbilled: 'Overbilled (claimable)',
  underbilled: 'Underbilled (owed)',
  unverifiable: 'Unverifiable (billed, cannot be checked)',
};

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

/** Count of cases across the currencies of one roll-up value. */
export function caseCount(rows: readonly RollupRow[]): bigint {
  return rows.reduce((sum, row) => sum + BigInt(row.case_count), 0n);
}

/** '11 cases (44 findings)': the two grains, always together. */
export function countText(cases: bigint, findings: bigint): string {
  return `${plural(cases, 'case')} (${plural(findings, 'finding')})`;
}

/** One direction's money, e.g. '12.34 EUR' or '12.34 EUR + 3.00 USD'; '—' when no row carries a figure. */
export function moneyText(rows: readonly RollupRow[], direction: Direction): string {
  const amounts = rows
    .map((row) => ({ amount: row[`${direction}_cost`], currency: row.currency }))
    .filter((row) => row.amount !== null)
    .map((row) => formatMoney(row.amount, row.currency, DOCUMENT));
  return amounts.length === 0 ? '—' : amounts.join(' + ');
}
