// The tables exported to Parquet and where each reads from. A table whose sources are all missing from the warehouse
// is skipped and reported, never an error: the views belong to other stages and a warehouse may predate them.
// Adding a table is one entry here plus its sql/export/<table>.sql (and its section in docs/parquet-schemas.md).
export interface ExportTable {
  /** Folder name under parquet/ and the table's public name. */
  name: string;
  /** Relations to read, first existing wins (a view of the rows that count before the raw table). */
  sources: readonly string[];
  /**
   * SQL file under sql/ selecting from the temporary view `export_source` (the chosen source) with explicit column
   * types and ORDER BY the grain: the documented Parquet schema whatever the source. A partitioned table's query
   * selects one month ($billing_month).
   */
  sqlFile: string;
  /**
   * 'billing_month': one folder per billing month (parquet/<table>/billing_month=YYYY-MM/data.parquet).
   * 'none': a dimension with no month, one file for all months (parquet/<table>/data.parquet), rewritten each export.
   */
  partitioning: 'billing_month' | 'none';
}

export const EXPORT_TABLES: readonly ExportTable[] = [
  {
    name: 'billing_line',
    sources: ['current_billing_line', 'billing_line'],
    sqlFile: 'export/billing_line.sql',
    partitioning: 'billing_month',
  },
  {
    name: 'expected_usage',
    sources: ['expected_usage'],
    sqlFile: 'export/expected_usage.sql',
    partitioning: 'billing_month',
  },
  { name: 'finding', sources: ['finding'], sqlFile: 'export/finding.sql', partitioning: 'billing_month' },
  {
    name: 'finding_case',
    sources: ['finding_case'],
    sqlFile: 'export/finding_case.sql',
    partitioning: 'billing_month',
  },
  { name: 'delivery', sources: ['delivery'], sqlFile: 'export/delivery.sql', partitioning: 'billing_month' },
  { name: 'comparison', sources: ['comparison'], sqlFile: 'export/comparison.sql', partitioning: 'billing_month' },
  {
    name: 'billing_line_restatement',
    sources: ['billing_line_restatement'],
    sqlFile: 'export/billing_line_restatement.sql',
    partitioning: 'billing_month',
  },
  { name: 'meter', sources: ['export_meter'], sqlFile: 'export/meter.sql', partitioning: 'none' },
];
