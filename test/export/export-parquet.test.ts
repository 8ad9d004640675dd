import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { InputError, SqlError } from '../../src/errors.ts';
import { exportParquet } from '../../src/export/index.ts';
import { EXPORT_TABLES } from '../../src/export/tables.ts';
import { BIG_NUMERATOR, insertExportFixture } from '../fixtures/report/export-warehouse.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const TABLES = EXPORT_TABLES.map((table) => table.name);
const MONTHLY = EXPORT_TABLES.filter((table) => table.partitioning === 'billing_month').map((table) => table.name);

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

describe('exportParquet', () => {
  let wh: Warehouse;
  let out: string;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    await insertExportFixture(wh);
    out = await mkdtemp(join(tmpdir(), 'recon-parquet-'));
  });
  afterEach(async () => {
    wh.close();
    await rm(out, { recursive: true, force: true });
  });

  const file = (table: string, month: string): string =>
    table === 'meter'
      ? join(out, 'parquet', table, 'data.parquet')
      : join(out, 'parquet', table, `billing_month=${month}`, 'data.parquet');
  const read = <T extends Record<string, unknown>>(sql: string, path: string): Promise<T[]> =>
    wh.rows<T>(sql, { path });

  it('writes one file per table and month asked for, and counts the rows', async () => {
    const result = await exportParquet(wh, out, ['2024-05']);
    expect(result.files).toEqual(TABLES.map((table) => file(table, '2024-05')));
    // May: 3 current billing lines, 2 expected rows, 4 findings, 4 cases (one each), 2 deliveries, 6 comparison
    // cells, 1 restatement; and the 17 meter keys.
    expect(result.rows).toBe(3 + 2 + 4 + 4 + 2 + 6 + 1 + 17);
    expect((await readdir(join(out, 'parquet'))).sort()).toEqual([...TABLES].sort()); // no staging folder left
    for (const table of MONTHLY) expect(await readdir(join(out, 'parquet', table))).toEqual(['billing_month=2024-05']);
    expect(await readdir(join(out, 'parquet', 'meter'))).toEqual(['data.parquet']);
  });

  it('exports the current delivery’s lines, ordered by the grain, with decimals exact', async () => {
    await exportParquet(wh, out, ['2024-05']);
    const lines = await read<{ delivery_id: string; source_line: string; quantity: string; cost: string }>(
      'select delivery_id, source_line, quantity, quantity_exact, cost, cost_exact from read_parquet($path)',
      file('billing_line', '2024-05'),
    );
    // DECIMAL(28,18) rounded half away from zero at the 18th decimal; the exact text beside it.
    const cost = { cost: '0.123456789012345679', cost_exact: '0.1234567890123456789012345678' };
    expect(lines).toEqual([
      {
        delivery_id: 'd-may',
        source_line: '2',
        quantity: '2376.000000000000000000',
        quantity_exact: '2376.0000000000000000000000000000',
        ...cost,
      },
      {
        delivery_id: 'd-may',
        source_line: '3',
        quantity: '2376.000000000000000000',
        quantity_exact: '2376.0000000000000000000000000000',
        ...cost,
      },
      {
        delivery_id: 'd-may',
        source_line: '5',
        quantity: '2400.000000000000000000',
        quantity_exact: '2400.0000000000000000000000000001',
        ...cost,
      },
    ]);
    const restated = await read(
      'select current_delivery_id, replaced_delivery_id, usage_date, delta_quantity from read_parquet($path)',
      file('billing_line_restatement', '2024-05'),
    );
    expect(restated).toEqual([
      {
        current_delivery_id: 'd-may',
        replaced_delivery_id: 'd-may-old',
        usage_date: '2024-05-01',
        delta_quantity: '76.000000000000000000',
      },
    ]);
    const deliveries = await read(
      'select delivery_id, is_current from read_parquet($path)',
      file('delivery', '2024-05'),
    );
    expect(deliveries).toEqual([
      { delivery_id: 'd-may', is_current: true },
      { delivery_id: 'd-may-old', is_current: false },
    ]);
    const expected = await read<{ meter: string; quantity: string; quantity_numerator: string }>(
      'select meter, quantity, quantity_numerator from read_parquet($path)',
      file('expected_usage', '2024-05'),
    );
    // 1 byte-second is 0.000000000000258700715… GiB-hours: rounded at the 18th decimal from the exact pair.
    expect(expected).toEqual([
      { meter: 'v2.provisioned_iops', quantity: '72000.000000000000000000', quantity_numerator: '259200000' },
      { meter: 'v2.provisioned_storage', quantity: '2376.000000000000258701', quantity_numerator: BIG_NUMERATOR },
    ]);
    const findings = await read<{ finding_id: string; cost_impact: string | null }>(
      'select finding_id, cost_impact from read_parquet($path)',
      file('finding', '2024-05'),
    );
    expect(findings.map((row) => row.finding_id)).toEqual(['f-hostile', 'f-missing', 'f-quantity', 'f-unmapped']);
    expect(findings[1]?.cost_impact).toBe('1.234567890123456789');
  });

  it('keeps DECIMAL in the Parquet schema (never a double)', async () => {
    await exportParquet(wh, out, ['2024-05']);
    const decimals = await read<{ name: string; logical_type: string }>(
      `select name, logical_type from parquet_schema($path) where converted_type = 'DECIMAL' order by name`,
      file('finding', '2024-05'),
    );
    expect(decimals).toEqual(
      [
        'billed_cost',
        'billed_quantity',
        'cost_impact',
        'delta_quantity',
        'expected_quantity',
        'overbilled_cost',
        'underbilled_cost',
        'unverifiable_cost',
      ].map((name) => ({
        name,
        logical_type: 'DecimalType(scale=18, precision=28)',
      })),
    );
    for (const table of TABLES) {
      const doubles = await read(
        `select name from parquet_schema($path) where type in ('DOUBLE', 'FLOAT')`,
        file(table, '2024-05'),
      );
      expect(doubles, table).toEqual([]);
    }
    const numerator = await read(
      `select logical_type from parquet_schema($path) where name = 'quantity_numerator'`,
      file('expected_usage', '2024-05'),
    );
    expect(numerator).toEqual([{ logical_type: 'DecimalType(scale=0, precision=28)' }]);
    // No reader has to hold more than 28 digits (.NET's decimal, hence Power BI's Parquet connector).
    for (const table of TABLES) {
      const wide = await read(
        `select name, logical_type from parquet_schema($path) where converted_type = 'DECIMAL' and "precision" > 28`,
        file(table, '2024-05'),
      );
      expect(wide, table).toEqual([]);
    }
  });

  it('reads back as a hive-partitioned dataset', async () => {
    await exportParquet(wh, out, ['2024-04', '2024-05']);
    const counts = await wh.rows(
      'select billing_month, count(*) as n from read_parquet($glob, hive_partitioning = true) group by 1 order by 1',
      { glob: join(out, 'parquet', 'finding', '*', '*.parquet') },
    );
    expect(counts).toEqual([
      { billing_month: '2024-04', n: '1' },
      { billing_month: '2024-05', n: '4' },
    ]);
  });

  it('replaces only the months exported, leaving other months and nothing stale behind', async () => {
    await exportParquet(wh, out, ['2024-04', '2024-05']);
    const april = await sha256(file('finding', '2024-04'));
    await writeFile(join(out, 'parquet', 'finding', 'billing_month=2024-05', 'stale.parquet'), 'stale');
    await wh.run("delete from finding where finding_id in ('f-quantity', 'f-april')");

    const result = await exportParquet(wh, out, ['2024-05']);

    expect(result.files).toContain(file('finding', '2024-05'));
    expect(await sha256(file('finding', '2024-04'))).toBe(april);
    expect(await readdir(join(out, 'parquet', 'finding', 'billing_month=2024-05'))).toEqual(['data.parquet']);
    const may = await read('select count(*) as n from read_parquet($path)', file('finding', '2024-05'));
    expect(may).toEqual([{ n: '3' }]);
  });

  it('writes an empty file, with the schema, for a month without rows (stale rows never survive)', async () => {
    await exportParquet(wh, out, ['2024-05']);
    await wh.run("delete from finding where billing_month = '2024-05'");
    await exportParquet(wh, out, ['2024-05']);
    const rows = await read<{ n: string }>('select count(*) as n from read_parquet($path)', file('finding', '2024-05'));
    expect(rows).toEqual([{ n: '0' }]);
    const columns = await read(
      'select count(*) as n from (describe select * from read_parquet($path))',
      file('finding', '2024-05'),
    );
    expect(columns).toEqual([{ n: '28' }]);
  });

  it('leaves the previous files untouched when a table fails to export', async () => {
    await exportParquet(wh, out, ['2024-05']);
    const before = await sha256(file('finding', '2024-05'));
    await wh.run(
      "insert into finding select * replace ('f-new' as finding_id) from finding where finding_id = 'f-quantity'",
    );
    // comparison loses a column its export selects: the export fails after finding's file is already staged.
    await wh.run('alter table comparison drop column effective_price');

    await expect(exportParquet(wh, out, ['2024-05'])).rejects.toThrow(SqlError);
    expect(await sha256(file('finding', '2024-05'))).toBe(before);
    expect((await readdir(join(out, 'parquet'))).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('refuses, naming table, month and value, a money value too wide for DECIMAL(28,18), and keeps the old files', async () => {
    await exportParquet(wh, out, ['2024-05']);
    const before = await sha256(file('finding', '2024-05'));
    // 11 integer digits: DECIMAL(38,18) in the warehouse holds it, the public DECIMAL(28,18) does not.
    await wh.run("update finding set cost_impact = 12345678901.5 where finding_id = 'f-quantity'");

    const failure = exportParquet(wh, out, ['2024-05']);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(
      /^cannot export finding, billing month 2024-05 to Parquet: the value 12345678901\.500000000000000000 does not fit its DECIMAL\(28,18\) column/,
    );
    expect(await sha256(file('finding', '2024-05'))).toBe(before);
  });

  it("exports the billing lines that count: a superseded delivery's lines stay in the warehouse, not in the file", async () => {
    await exportParquet(wh, out, ['2024-05']);
    const exported = await read('select count(*) as n from read_parquet($path)', file('billing_line', '2024-05'));
    const stored = await wh.rows("select count(*) as n from billing_line where billing_month = '2024-05'");
    const counted = await wh.rows("select count(*) as n from current_billing_line where billing_month = '2024-05'");
    expect(exported).toEqual(counted);
    expect(Number((counted[0] as { n: string }).n)).toBeLessThan(Number((stored[0] as { n: string }).n));
  });

  it('refuses a billing month that is not YYYY-MM, before writing anything', async () => {
    await expect(exportParquet(wh, out, ['2024-05', '../x'])).rejects.toThrow(InputError);
    await expect(readdir(join(out, 'parquet'))).rejects.toThrow(/ENOENT/);
  });
});

describe('exportParquet determinism', () => {
  it(
    'writes byte-identical files for the same content, whatever the insertion order or run',
    { timeout: 240_000 },
    async () => {
      const out = await mkdtemp(join(tmpdir(), 'recon-parquet-det-'));
      const hashes: Record<string, string>[] = [];
      try {
        for (const [run, reverse] of [
          ['a', false],
          ['b', false],
          ['c', true],
        ] as const) {
          const wh = await openTestWarehouse();
          await insertExportFixture(wh, { generatedLines: 150_000, reverse });
          try {
            const result = await exportParquet(wh, join(out, run), ['2024-04', '2024-05']);
            const byTable: Record<string, string> = {};
            for (const path of result.files) byTable[path.slice(join(out, run).length)] = await sha256(path);
            hashes.push(byTable);
          } finally {
            wh.close();
          }
        }
        expect(Object.keys(hashes[0] ?? {})).toHaveLength(MONTHLY.length * 2 + 1);
        expect(hashes[1]).toEqual(hashes[0]);
        expect(hashes[2]).toEqual(hashes[0]);
        // 150,000 lines span more than one row group: the order and the row-group split are both deterministic.
        const wh = await openTestWarehouse();
        await insertExportFixture(wh);
        try {
          const groups = await wh.rows('select count(distinct row_group_id) as n from parquet_metadata($path)', {
            path: join(out, 'a', 'parquet', 'billing_line', 'billing_month=2024-05', 'data.parquet'),
          });
          expect(groups).toEqual([{ n: '2' }]);
        } finally {
          wh.close();
        }
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    },
  );
});
