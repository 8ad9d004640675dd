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
   * For a table whose rows carry long lists: the query runs for a batch of billing resources at a time
   * ($batch_from, $batch_to; src/db/batches.ts), each batch in grain order, into a temporary table that is then
   * copied as it is (a scan keeps insertion order). countsSql counts the month's rows per billing resource
   * (columns batch_key, row_count) and must name every resource the query exports.
   */
  batchedBy?: { countsSql: string };
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
    // an hourly inventory's interval-id lists did not fit one sort in 1GB: batch by resource, weighted by intervals
    batchedBy: {
      countsSql: `select billing_resource_id as batch_key, count(*) as row_count
                  from (
                    select billing_resource_id from export_source where billing_month = $billing_month
                    union all
                    select billing_resource_id from expected_interval
                    where strftime(usage_date, '%Y-%m') = $billing_month
                  )
                  group by billing_resource_id`,
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
