// The catalog match's shape: billed_line_meter_of matches distinct meter signatures (a few hundred a month) and
// joins them back to the lines; it must not store a copy of the month's lines on the way, in a warehouse reopened
// from its file as every night's is. DuckDB (1.5) does not keep a CTE's NOT MATERIALIZED when it stores a macro, and
// materialises a CTE read twice: on the 2M-row bench month that copy of the lines cost 8 of the statement's 9.5 s,
// and a night runs the match three times.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { insertDelivery, insertLines } from './helpers.ts';
import { materialisedCtes, tableScans } from '../helpers/plan.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const LINES = 3000;

describe('the catalog match over billing lines', () => {
  let dir: string;
  let wh: Warehouse;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recon-line-plan-'));
    const path = join(dir, 'recon.duckdb');
    const building = await openTestWarehouse({ path, meterCatalog: true });
    await insertDelivery(building, 'd1', '2025-03');
    // as a real export writes them: with a meter id and a product name
    const meters = [
      ['9cc4b9ed-5d7a-5c63-8b3e-4d3c5f2a1b01', 'SSD LRS Provisioned Storage'],
      ['2a5c0f1e-7b3d-5e8f-9a6c-1d2e3f4a5b02', 'SSD LRS Provisioned IOPS'],
      ['4e6f8a0b-2c4d-5e6f-8a0b-2c4d6e8f0a03', 'SSD LRS Provisioned Throughput MiBPS'],
    ];
    await insertLines(
      building,
      meters.map(([meter_id, meter_name], i) => ({
        source_line: i + 2,
        meter_id,
        meter_name,
        product_name: `Azure Files v2 - ${meter_name}`,
      })),
    );
    // copies at other source lines, so that a copy of the lines stands out from the signatures
    await building.run(
      `insert into billing_line
       select billing_line.* replace (source_line + copy * ${meters.length} as source_line)
       from billing_line, range(1, ${LINES / meters.length}) as copies(copy)`,
    );
    building.close();
    wh = await openTestWarehouse({ path });
  });
  afterEach(async () => {
    wh.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores nothing at the grain of the lines', async () => {
    const sql = "select classification, count(*)::varchar as n from billed_line_meter_of(['2025-03']) group by all";
    expect(await wh.rows(sql)).toEqual([{ classification: 'mapped', n: String(LINES) }]);
    const ctes = await materialisedCtes(wh, sql);
    expect(ctes.map((cte) => cte.name)).toContain('signatures'); // the walk reads the plan: the signatures are stored
    expect(ctes.filter((cte) => cte.rows >= LINES)).toEqual([]);
  });

  it('searches the duplicates without storing the lines (a stage slice as the diff gives it)', async () => {
    await wh.run("create temp table slice_line as from billed_line_meter_of(['2025-03'])");
    // the copies differ by source line alone: each meter's lines are one charge billed LINES / 3 times
    const sql = `select count(*)::varchar as n, count(*) filter (where is_repeat)::varchar as repeats
                 from duplicate_billed_line_of('slice_line')`;
    expect(await wh.rows(sql)).toEqual([{ n: String(LINES), repeats: String(LINES - 3) }]);
    expect((await materialisedCtes(wh, sql)).filter((cte) => cte.rows >= LINES)).toEqual([]);
  });
});

describe('the lines of one month in a warehouse of several', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse({ meterCatalog: true });
    for (const [delivery, month, day] of [
      ['d-march', '2025-03', '2025-03-10'],
      ['d-april', '2025-04', '2025-04-10'],
    ] as const) {
      await insertDelivery(wh, delivery, month);
      const lines = Array.from({ length: 50 }, (_, i) => ({
        delivery_id: delivery,
        source_line: i + 2,
        charge_period_start: `${day} ${String(i % 24).padStart(2, '0')}:00:00`,
      }));
      await insertLines(wh, lines);
    }
    // as the ingest records them (sql/ingest/delivery.sql): the span of the delivery's lines
    await wh.run(`update delivery set
      period_start = (select min(usage_date) from billing_line as b where b.delivery_id = delivery.delivery_id),
      period_end = (select max(usage_date) from billing_line as b where b.delivery_id = delivery.delivery_id)`);
  });
  afterEach(() => {
    wh.close();
  });

  it('reads only that month’s lines whole, not every month’s', async () => {
    // the months as the stages give them: a subquery (scope_month_list()), which DuckDB cannot fold into the scan
    const sql =
      "select count(*)::varchar as n from billed_line_meter_of((select list(m) from (values ('2025-04')) as t(m)))";
    expect(await wh.rows(sql)).toEqual([{ n: '50' }]);
    // the narrow scans (the deliveries' covered days, the set-aside prices) may read every line; the wide ones,
    // which carry each line's text and amounts, read April's alone
    const wide = (await tableScans(wh, sql)).filter(
      (s) => s.table === 'billing_line' && s.columns.includes('source_line'),
    );
    expect(wide.length).toBeGreaterThan(0);
    expect(wide.map((s) => s.rows)).toEqual(wide.map(() => 50));
  });
});
