// `recon findings`: the warehouse's findings for the terminal, filtered, so an analyst need not open files. The
// table rounds numbers for a person (src/output/format.ts); json and csv carry the exact values — the public finding
// of contract.md (as in findings.json) plus its unit.
import { listValue } from '@duckdb/node-api';
import type { Warehouse } from '../db/warehouse.ts';
import type { PublicFinding } from '../report/finding.ts';
import { renderFindingsCsv, toPublicFinding } from '../report/findings-files.ts';
import type { FindingRow } from '../report/report-data.ts';
import { formatMoney, formatQuantity, plural } from '../output/format.ts';
import { severityText, type Palette } from '../output/color.ts';

/** The finding kinds of contract.md, and misdated_charge (month-level; README "Month-level comparison"). */
export const FINDING_KINDS = [
  'missing_charge',
  'unexpected_charge',
  'quantity_mismatch',
  'unit_mismatch',
  'wrong_meter',
  'duplicate_charge',
  'unmapped_meter',
  'price_mismatch',
  'metadata_violation',
  'unverifiable',
  'misdated_charge',
] as const;

export const SEVERITY_ORDER = ['high', 'medium', 'low'] as const;
export type ListedSeverity = (typeof SEVERITY_ORDER)[number];
export const OUTPUT_FORMATS = ['table', 'json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface FindingFilter {
  kinds: readonly string[];
  /** This severity or above. */
  minSeverity: ListedSeverity | undefined;
  /** Lower-case billed resource id prefixes. */
  resources: readonly string[];
  month: string | undefined;
}

export type ListedFinding = PublicFinding & { unit: string | null };

export async function listFindings(wh: Warehouse, filter: FindingFilter): Promise<ListedFinding[]> {
  const severities =
    filter.minSeverity === undefined ? [] : SEVERITY_ORDER.slice(0, SEVERITY_ORDER.indexOf(filter.minSeverity) + 1);
  const rows = await wh.rowsFromFile<FindingRow & { unit: string | null } & Record<string, unknown>>(
    'report/finding_listing.sql',
    {
      // An empty list has no item type DuckDB could bind: null stands for "no filter".
      kinds: filter.kinds.length > 0 ? listValue([...filter.kinds]) : null,
      severities: severities.length > 0 ? listValue(severities) : null,
      prefixes: filter.resources.length > 0 ? listValue([...filter.resources]) : null,
      month: filter.month ?? null,
    },
  );
  return rows.map((row) => ({ ...toPublicFinding(row), unit: row.unit }));
}

/** JSON: exactly findings.json's objects, each with its unit added last. */
export function findingsJson(findings: readonly ListedFinding[]): string {
  return `${JSON.stringify(findings, null, 2)}\n`;
}

/** CSV: findings.csv's columns (unit beside the quantities), without the BOM: this goes to a pipe or a program. */
export function findingsCsv(findings: readonly ListedFinding[]): string {
  return renderFindingsCsv(findings, { bom: false });
}

/** A table for a person: short ids (a unique prefix works with `recon explain`), rounded numbers with units. */
export function findingsTable(findings: readonly ListedFinding[], colors: Palette): string {
  const header = ['ID', 'MONTH', 'DAY', 'KIND', 'SEVERITY', 'DELTA', 'AT STAKE', 'RESOURCE'];
  const rows = findings.map((f) => [
    f.finding_id.slice(0, 8),
    f.billing_month,
    f.usage_date ?? '-',
    f.kind,
    f.severity,
    formatQuantity(f.delta_quantity, f.unit),
    formatMoney(f.cost_impact, f.currency),
    shortResource(f.billing_resource_id),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const rightAligned = new Set([5, 6]);
  const line = (cells: readonly string[], paint = (cell: string, _column: number) => cell): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        const padded = rightAligned.has(column) ? cell.padStart(width) : cell.padEnd(width);
        return column === cells.length - 1 ? paint(cell, column) : paint(padded, column);
      })
      .join('  ');
  const lines = [colors.bold(line(header))];
  for (const row of rows) {
    lines.push(
      line(row, (cell, column) =>
        column === 4 ? severityText(colors, cell.trim()) + cell.slice(cell.trim().length) : cell,
      ),
    );
  }
  lines.push('', `${plural(findings.length, 'finding')}. 'recon explain <ID>' shows how one was derived.`);
  return `${lines.join('\n')}\n`;
}

/** '/subscriptions/…/storageAccounts/acct/fileServices/default/shares/engineering' → 'acct/…/engineering'. */
function shortResource(id: string | null): string {
  if (id === null) return '-';
  const parts = id.split('/').filter((part) => part !== '');
  if (parts.length <= 2) return id;
  const account = parts.findIndex((part) => /^(storageaccounts|snapshots|disks)$/i.test(part));
  const name = parts[parts.length - 1] ?? id;
  if (account >= 0 && account + 1 < parts.length - 1) return `${parts[account + 1] ?? ''}/…/${name}`;
  return account >= 0 ? (parts[account + 1] ?? id) : name;
}
