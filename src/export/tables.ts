// The tables exported to Parquet and where each reads from (a table or a view of the model: src/db/model.ts creates
// every view when the warehouse is opened, so each source exists).
// Adding a table is one entry here plus its sql/export/<table>.sql (and its section in docs/parquet-schemas.md).
export interface ExportTable {
  /** Folder name under parquet/ and the table's public name. */
  name: string;
  /** The relation to read (for billing lines: the view of the lines that count). */
  source: string;
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
  /**
   * A temporary table of the month the query reads, built first a batch of usage dates at a time
   * (src/db/date-batches.ts: it aggregates about one group per row): its SQL file (a query bounded by $from_date
   * and $to_date, and $billing_month) and the query counting its input rows per usage_date.
   */
  monthInput?: { table: string; sqlFile: string; countsSql: string };
}

export const EXPORT_TABLES: readonly ExportTable[] = [
  {
    name: 'billing_line',
    source: 'current_billing_line',
    sqlFile: 'export/billing_line.sql',
    partitioning: 'billing_month',
  },
  {
    name: 'expected_usage',
    source: 'expected_usage',
    sqlFile: 'export/expected_usage.sql',
    partitioning: 'billing_month',
    monthInput: {
      table: 'export_expected_usage_evidence',
      sqlFile: 'export/expected_usage_evidence.sql',
      countsSql: `select usage_date, count(*) as row_count from expected_interval
                  where strftime(usage_date, '%Y-%m') = $billing_month group by usage_date`,
    },
  },
  { name: 'finding', source: 'finding', sqlFile: 'export/finding.sql', partitioning: 'billing_month' },
  {
    name: 'finding_case',
    source: 'finding_case',
    sqlFile: 'export/finding_case.sql',
    partitioning: 'billing_month',
  },
  { name: 'delivery', source: 'delivery', sqlFile: 'export/delivery.sql', partitioning: 'billing_month' },
  { name: 'comparison', source: 'comparison', sqlFile: 'export/comparison.sql', partitioning: 'billing_month' },
  {
    name: 'billing_line_restatement',
    source: 'billing_line_restatement',
    sqlFile: 'export/billing_line_restatement.sql',
    partitioning: 'billing_month',
  },
  { name: 'meter', source: 'export_meter', sqlFile: 'export/meter.sql', partitioning: 'none' },
];
