// Whether a table or view exists in the warehouse: some relations the reports and the export read (views of the
// ingest stage) may not exist in every warehouse version.
import type { Warehouse } from '../db/warehouse.ts';

export async function relationExists(wh: Warehouse, name: string): Promise<boolean> {
  const row = await wh.row<{ n: string }>(
    `select count(*) as n from information_schema.tables
     where table_catalog = current_database() and table_schema = 'main' and table_name = $name`,
    { name },
    { stage: 'report' },
  );
  return row !== undefined && row.n !== '0';
}
