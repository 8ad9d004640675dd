// export_decimal_28_18 (sql/export/macros.sql): a warehouse DECIMAL(38, 28) as the export's DECIMAL(28, 18), rounded
// half away from zero at the 18th decimal, checked against decimal.js on the ties, both signs and the edges of the
// 10 integer digits a billing line may have.
import { listValue } from '@duckdb/node-api';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { loadSql } from '../../src/db/warehouse.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const Exact = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP }); // half away from zero
/** The value to 18 decimals as DuckDB writes it: a value that rounds to zero has no sign. */
const rounded18 = (value: string): string => new Exact(value).toFixed(18).replace(/^-(0\.0+)$/, '$1');

describe('export_decimal_28_18', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await openTestWarehouse();
    // the file's table macro binds against the export's per-run table: set up as src/export/index.ts does
    await wh.run('create temp view export_line as select * from current_billing_line');
    await wh.run(await loadSql('export/export_billed_resource_month.sql'));
    await wh.run(await loadSql('export/macros.sql'));
  });
  afterAll(() => {
    wh.close();
  });

  it('rounds half away from zero at the 18th decimal, on both signs', async () => {
    const values = [
      '0',
      '0.0000000000000000005',
      '-0.0000000000000000005',
      '0.0000000000000000004999999999',
      '-0.0000000000000000004999999999',
      '0.1234567890123456789012345678',
      '-0.1234567890123456785000000000',
      '0.0000000072922557592391990000',
      '9999999999.9999999999999999994',
      '-9999999999.9999999999999999994',
      '2376.0000000000000000000000000001',
    ];
    const rows = await wh.rows<{ v: string; rounded: string }>(
      `select v, export_decimal_28_18(v::decimal(38, 28))::varchar as rounded
       from unnest($values::varchar[]) as t(v)`,
      { values: listValue(values) },
    );
    expect(rows.map((row) => row.rounded)).toEqual(values.map(rounded18));
    expect(rows.find((row) => row.v === '-0.0000000000000000005')?.rounded).toBe('-0.000000000000000001');
  });

  it('fails on a value that rounds up to 11 integer digits rather than cut it', async () => {
    await expect(
      wh.run(`select export_decimal_28_18('-9999999999.9999999999999999995'::decimal(38, 28))`),
    ).rejects.toThrow(/Casting value "-10000000000.000000000000000000" to type DECIMAL\(28,18\) failed/);
  });
});
