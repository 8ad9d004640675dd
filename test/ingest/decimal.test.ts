// ingest_decimal's fast paths (DECIMAL(18, 8) widened, and the HUGEINT of the digits scaled by 10^-28,
// sql/ingest/model_macros.sql) must give exactly what DuckDB's own VARCHAR → DECIMAL(38, 28) cast gives, for every
// text they take.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

describe('ingest_decimal', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await openTestWarehouse();
  });
  afterAll(() => {
    wh.close();
  });

  const mismatches = (texts: string) =>
    wh.rows<{ v: string; fast: string | null; by_cast: string | null }>(
      `select v, ingest_decimal(v)::varchar as fast, try_cast(nullif(trim(v), '') as decimal(38, 28))::varchar as by_cast
       from (${texts}) where fast is distinct from by_cast`,
    );

  it('agrees with the cast on the edges of DECIMAL(38, 28) and on what exports write', async () => {
    const edges = [
      '0',
      '-0',
      '+0',
      '0.0',
      '7.',
      '-1.5',
      '+3',
      '12',
      '0.0000000000000000000000000001',
      '-0.0000000000000000000000000001',
      '9999999999.9999999999999999999999999999',
      '-9999999999.9999999999999999999999999999',
      '0.000137',
      '24576.000000000000',
      '1.2345678901234567890123456789',
      // the DECIMAL(18, 8) path's edges: 10 integer and 8 fractional digits, and one digit more
      '9999999999.99999999',
      '-9999999999.99999999',
      '+0.12345678',
      '-0.00000001',
      '0.123456789',
      '1.00000000',
      // not the fast path's shape: the cast decides (rounding, out of range, blanks, junk)
      '.5',
      ' 1.5 ',
      '1.23456789012345678901234567891',
      '12345678901',
      '1e3',
      '',
      ' ',
      'abc',
      '1,5',
      '--1',
    ];
    const values = edges.map((e) => `('${e}')`).join(', ');
    expect(await mismatches(`select * from (values ${values}) t(v)`)).toEqual([]);
  });

  it('agrees with the cast on 200,000 random decimals of every scale and sign', async () => {
    const random = `select (case when random() < 0.5 then '-' else '' end)
        || (random() * 10 ^ (floor(random() * 11)))::bigint::varchar
        || case when random() < 0.9 then '.' || left(replace(random()::varchar || random()::varchar, '0.', ''),
                                                   floor(random() * 29)::integer) else '' end as v
      from range(200000)`;
    expect(await mismatches(random)).toEqual([]);
  });
});
