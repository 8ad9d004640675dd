// Batches of usage dates for the statements that aggregate about one group per line (src/db/batches.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BATCH_ROWS, batchRows, intoTempTable, planBatches, runInBatches } from '../../src/db/batches.ts';
import { InputError } from '../../src/errors.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const counts = (...perDay: number[]) =>
  perDay.map((n, i) => ({ batch_key: `2025-03-${String(10 + i).padStart(2, '0')}`, row_count: String(n) }));

describe('planBatches', () => {
  it('joins consecutive dates up to the limit and never splits a date', () => {
    expect(planBatches(counts(1, 3, 1, 1), 4)).toEqual([
      { batch_from: '2025-03-10', batch_to: '2025-03-11' },
      { batch_from: '2025-03-12', batch_to: '2025-03-13' },
    ]);
    // a date with more rows than the limit is a batch of its own
    expect(planBatches(counts(1, 9, 1), 2)).toEqual([
      { batch_from: '2025-03-10', batch_to: '2025-03-10' },
      { batch_from: '2025-03-11', batch_to: '2025-03-11' },
      { batch_from: '2025-03-12', batch_to: '2025-03-12' },
    ]);
    expect(planBatches(counts(5, 5, 5), 1_000)).toEqual([{ batch_from: '2025-03-10', batch_to: '2025-03-12' }]);
    expect(planBatches([], 10)).toEqual([]);
  });
});

describe('batchRows', () => {
  const saved = process.env.RECON_BATCH_ROWS;
  afterEach(() => {
    if (saved === undefined) delete process.env.RECON_BATCH_ROWS;
    else process.env.RECON_BATCH_ROWS = saved;
  });

  it('is BATCH_ROWS unless RECON_BATCH_ROWS says a positive whole number', () => {
    delete process.env.RECON_BATCH_ROWS;
    expect(batchRows()).toBe(BATCH_ROWS);
    process.env.RECON_BATCH_ROWS = '1000';
    expect(batchRows()).toBe(1000);
    for (const bad of ['0', '-5', '1e6', '12k', ' 7']) {
      process.env.RECON_BATCH_ROWS = bad;
      expect(() => batchRows()).toThrow(new InputError(`RECON_BATCH_ROWS '${bad}' is not a positive whole number`));
    }
  });
});

describe('runInBatches', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse({ migrate: false });
    await wh.run(
      `create temp table day_row as
       select ('2025-03-10'::date + (i % 4)::int) as usage_date, i from range(10) as t(i)`,
    );
  });
  afterEach(() => {
    wh.close();
  });

  it('runs one statement per batch, each bounded to its dates, the first creating and the rest inserting', async () => {
    const statements: string[] = [];
    const batches = await runInBatches(wh, {
      stage: 'test',
      file: '../test/fixtures/sql/batch_probe.sql',
      countsSql: 'select usage_date as batch_key, count(*) as row_count from day_row group by usage_date',
      statement: (query, index) => {
        const sql = intoTempTable('probe')(query, index);
        statements.push(sql.split(' ')[0] ?? '');
        return sql;
      },
      limit: 5,
    });
    // 3, 3, 2 and 2 rows a day with at most 5 a batch: [10], [11, 12], [13]
    expect(batches).toBe(3);
    expect(statements).toEqual(['create', 'insert', 'insert']);
    expect(
      await wh.rows('select usage_date::varchar as d, count(*)::varchar as n from probe group by 1 order by 1'),
    ).toEqual([
      { d: '2025-03-10', n: '3' },
      { d: '2025-03-11', n: '3' },
      { d: '2025-03-12', n: '2' },
      { d: '2025-03-13', n: '2' },
    ]);
  });

  it('with no dates, runs the statement once over none, so the table it creates exists, empty', async () => {
    const batches = await runInBatches(wh, {
      stage: 'test',
      file: '../test/fixtures/sql/batch_probe.sql',
      countsSql: 'select usage_date as batch_key, count(*) as row_count from day_row where false group by usage_date',
      statement: intoTempTable('probe'),
    });
    expect(batches).toBe(1);
    expect(await wh.row('select count(*)::varchar as n from probe')).toEqual({ n: '0' });
  });
});
