// Each delivery's cost view (README "Cost views and overlapping exports"): from the manifest's exportConfig.type,
// from FOCUS columns, or, for EA/MCA files without a manifest (actual and amortized have the same columns), from
// the values: commitment purchases and covered usage at 0 are actual; unused-commitment rows and priced covered
// usage are amortized; with no commitment line both views read the same, and the view stays undetermined.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { ingestExports } from '../../src/ingest/index.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ingest');
const EA = join(FIXTURES, 'ea-real-header', 'part_0_0001.csv');
// the fixture's v1 line, on demand: the same usage as a reservation would show it in each view
const ON_DEMAND = ',0.16,5.2851612903225806451612903226,0.16,USD,';
const ON_DEMAND_TAIL = ',Usage,UsageBased,Azure,0.16,OnDemand,';

describe('cost view of a delivery', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
  });
  afterEach(() => {
    wh.close();
  });

  const view = () => wh.rows('select cost_view, cost_view_source from delivery order by source_path');

  /** The EA fixture as a loose file, with its v1 line rewritten by `edit`, plus `extra` rows. */
  async function looseEa(edit: (line: string) => string, extra: readonly string[] = []): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'recon-view-'));
    const lines = (await readFile(EA, 'utf8')).split('\n');
    const index = lines.findIndex((l) => l.includes('Premium LRS Provisioned'));
    const v1 = lines[index] ?? '';
    lines[index] = edit(v1);
    const file = join(dir, 'usage.csv');
    await writeFile(file, [...lines.filter(Boolean), ...extra.map((e) => e.replace('\n', ''))].join('\n') + '\n');
    return file;
  }

  it('is read from the manifest exportConfig.type', async () => {
    await ingestExports(wh, [join(FIXTURES, 'mtd')]);
    const rows = await view();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toEqual({ cost_view: 'actual', cost_view_source: 'manifest exportConfig.type ActualCost' });
    }
  });

  it('is focus for a FOCUS file, which keeps both costs with their own prices', async () => {
    await ingestExports(wh, [join(FIXTURES, 'focus-1.0')]);
    expect(await view()).toEqual([
      { cost_view: 'focus', cost_view_source: 'FOCUS columns (BilledCost and EffectiveCost in one row)' },
    ]);
    const line = await wh.row(
      'select cost, billed_unit_price, effective_cost, effective_price from billing_line order by source_line limit 1',
    );
    expect(line).toEqual({
      cost: '0.1403000000000000000000000000',
      billed_unit_price: null, // the fixture leaves x_BilledUnitPrice empty: BilledCost is then not checkable
      effective_cost: '0.1403000000000000000000000000',
      effective_price: '0.0001370000000000000000000000',
    });
  });

  it('stays undetermined for an EA file without a manifest or a commitment line', async () => {
    await ingestExports(wh, [await looseEa((line) => line)]);
    expect(await view()).toEqual([
      {
        cost_view: null,
        cost_view_source: 'undetermined: no manifest, and no commitment-discount line (both views read the same)',
      },
    ]);
  });

  it('is actual when covered usage is billed at 0 or the file holds the reservation purchase', async () => {
    const covered = (line: string) =>
      line.replace(ON_DEMAND, ',0,0,0.16,USD,').replace(ON_DEMAND_TAIL, ',Usage,UsageBased,Azure,0.16,Reservation,');
    await ingestExports(wh, [await looseEa(covered)]);
    const purchase = (line: string) => line.replace(ON_DEMAND_TAIL, ',Purchase,OneTime,Azure,0.16,Reservation,');
    await ingestExports(wh, [
      await looseEa((line) => line, [purchase((await readFile(EA, 'utf8')).split('\n')[2] ?? '')]),
    ]);
    const rows = await view();
    expect(rows.map((r) => r.cost_view)).toEqual(['actual', 'actual']);
    expect(rows[0]?.cost_view_source).toBe(
      'values: commitment purchases or reservation/savings-plan usage billed at 0',
    );
  });

  it('is amortized when covered usage is priced or the file has unused-reservation rows', async () => {
    const covered = (line: string) => line.replace(ON_DEMAND_TAIL, ',Usage,UsageBased,Azure,0.16,Reservation,');
    await ingestExports(wh, [await looseEa(covered)]);
    const unused = (line: string) =>
      line.replace(ON_DEMAND_TAIL, ',UnusedReservation,UsageBased,Azure,0.16,Reservation,');
    await ingestExports(wh, [
      await looseEa((line) => line, [unused((await readFile(EA, 'utf8')).split('\n')[2] ?? '')]),
    ]);
    const rows = await view();
    expect(rows.map((r) => r.cost_view)).toEqual(['amortized', 'amortized']);
    expect(rows[0]?.cost_view_source).toBe('values: unused-commitment rows or priced reservation/savings-plan usage');
  });
});
