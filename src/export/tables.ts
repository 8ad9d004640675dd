// The tables exported to Parquet and where each reads from. A table whose sources are all missing from the warehouse
// is skipped and reported, never an error: the views belong to other stages and a warehouse may predate them.
export interface ExportTable {
  /** Folder name under parquet/ and the table's public name. */
  name: string;
  /** Relations to read, first existing wins (a view of the rows that count before the raw table). */
  sources: readonly string[];
  /**
   * SQL file under sql/ selecting one month ($billing_month) from the temporary view `export_source` (the chosen
   * source) with explicit column types and ORDER BY the grain: the documented Parquet schema whatever the source.
   */
  sqlFile: string;
}

export const EXPORT_TABLES: readonly ExportTable[] = [
  { name: 'billing_line', sources: ['current_billing_line', 'billing_line'], sqlFile: 'export/billing_line.sql' },
  { name: 'expected_usage', sources: ['expected_usage'], sqlFile: 'export/expected_usage.sql' },
  { name: 'finding', sources: ['finding'], sqlFile: 'export/finding.sql' },
  { name: 'finding_case', sources: ['finding_case'], sqlFile: 'export/finding_case.sql' },
  { name: 'delivery', sources: ['delivery'], sqlFile: 'export/delivery.sql' },
  { name: 'comparison', sources: ['comparison'], sqlFile: 'export/comparison.sql' },
  {
    name: 'billing_line_restatement',
    sources: ['billing_line_restatement'],
    sqlFile: 'export/billing_line_restatement.sql',
  },
];
