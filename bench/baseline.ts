// The raw baseline the bench compares recon with: DuckDB alone reading the same export CSVs and aggregating the
// columns the pipeline needs, with the warehouse's own settings (threads, memory limit). No line scan, no hashing,
// no quarantine, no typed staging, and DuckDB's own sniffed types (numbers as DOUBLE — what recon may not do):
// the speed of simply reading the file.
// Usage (a measured child of bench/run.ts): node --import tsx bench/baseline.ts <dialect> <csv file>...
import { listValue } from '@duckdb/node-api';
import { Warehouse } from '../src/db/warehouse.ts';
import { quoteIdentifier } from '../src/db/quote.ts';
import { DIALECTS, type Dialect, type SourceField } from '../src/ingest/dialects.ts';

const [dialectArg, ...files] = process.argv.slice(2);
if (dialectArg === undefined || !(dialectArg in DIALECTS) || files.length === 0) {
  throw new Error('usage: baseline.ts ea|mca|focus <csv file>...');
}
const spec = DIALECTS[dialectArg as Dialect];
const column = (field: SourceField): string => {
  const name = spec.columns[field]?.[0];
  if (name === undefined) throw new Error(`dialect ${spec.dialect} has no column for ${field}`);
  return quoteIdentifier(name);
};
const day = spec.dialect === 'focus' ? column('charge_period_start') : column('charge_date');
const total = (field: SourceField) => `sum(${column(field)})`;

const wh = await Warehouse.open({ path: ':memory:' });
const result = await wh.row<{ rows_read: string; groups: string }>(
  `select sum(lines) as rows_read, count(*) as groups from (
     select count(*) as lines, ${total('quantity')} as quantity, ${total('cost')} as cost,
            ${total('effective_price')} as price
     from read_csv($1, header = true)
     group by ${day}, lower(${column('billing_resource_id')}), lower(${column('meter_id')}),
              ${column('meter_name')}, ${column('unit_of_measure')}, ${column('charge_type')}
   )`,
  [listValue(files)],
);
wh.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
