// A dispute over an exports folder holding the same month as ActualCost and as AmortizedCost: the usage is counted
// once (counted_delivery sets the amortized delivery aside), in the letter's line counts and in billed.csv, whether
// or not the billed stage ran in this warehouse.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBilledUsage } from '../../src/billed/index.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { writeEvidencePack } from '../../src/dispute/index.ts';
import { ACCOUNT, GIB, insertDelivery, insertInterval, insertLine, MONTH, S1 } from './fixture.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

describe('dispute over two cost views of one month', () => {
  let wh: Warehouse;
  let out: string;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    out = await mkdtemp(join(tmpdir(), 'recon-dispute-views-'));
    await insertInterval(wh, {
      share: S1,
      from: '2025-03-01 00:00:00',
      to: '2025-03-31 00:00:00',
      gib: 100,
      iops: 3000,
      mibps: 100,
      usedBytes: GIB,
      line: 2,
    });
    await insertDelivery(wh, 'd-actual', '2025-03-12 03:00:00');
    await insertDelivery(wh, 'd-amortized', '2025-03-12 04:00:00');
    await wh.run(
      `update delivery set
         export_name = case delivery_id when 'd-actual' then 'daily-actual' else 'daily-amortized' end,
         export_scope = '/subscriptions/sub-1/providers/Microsoft.CostManagement/exports/' || delivery_id,
         dataset_type = case delivery_id when 'd-actual' then 'ActualCost' else 'AmortizedCost' end,
         cost_view = case delivery_id when 'd-actual' then 'actual' else 'amortized' end,
         cost_view_source = 'manifest exportConfig.type'`,
    );
    for (const delivery of ['d-actual', 'd-amortized']) {
      await insertLine(wh, { delivery, line: 2, day: '2025-03-10', quantity: '2400', price: '0.0001', cost: '0.24' });
      await insertLine(wh, { delivery, line: 3, day: '2025-03-11', quantity: '2400', price: '0.0001', cost: '0.24' });
    }
  });
  afterEach(async () => {
    wh.close();
    await rm(out, { recursive: true, force: true });
  });

  const counted = async (): Promise<void> => {
    const views = await wh.rows<{ delivery_id: string; is_counted: boolean }>(
      'select delivery_id, is_counted from counted_delivery order by delivery_id',
    );
    expect(views).toEqual([
      { delivery_id: 'd-actual', is_counted: true },
      { delivery_id: 'd-amortized', is_counted: false },
    ]);
  };

  const expectOnce = async (): Promise<void> => {
    const { folder } = await writeEvidencePack(wh, out, { month: MONTH, resourcePrefixes: [ACCOUNT] });
    const letter = await readFile(join(folder, 'letter.md'), 'utf8');
    expect(letter).toContain(`\`${ACCOUNT}\`: 2 billed line(s)`);
    const billed = (await readFile(join(folder, 'billed.csv'), 'utf8')).slice(1).split('\r\n').filter(Boolean);
    expect(billed.slice(1).map((line) => line.includes('exports/d-actual/'))).toEqual([true, true]);
  };

  it('counts each line once when the billed stage has not run', async () => {
    await counted();
    await expectOnce();
  });

  it('maps each line to its meter key from the catalog when the billed stage never ran in this warehouse', async () => {
    const { folder } = await writeEvidencePack(wh, out, { month: MONTH, resourcePrefixes: [ACCOUNT] });
    const [header = '', ...rows] = (await readFile(join(folder, 'billed.csv'), 'utf8'))
      .slice(1)
      .split('\r\n')
      .filter(Boolean);
    const keyColumn = header.split(',').indexOf('meter_key');
    expect(keyColumn).toBeGreaterThanOrEqual(0);
    expect(rows.map((row) => row.split(',')[keyColumn])).toEqual(['v2.provisioned_storage', 'v2.provisioned_storage']);
  });

  it('counts each line once when the billed stage mapped the lines', async () => {
    await counted();
    await buildBilledUsage(wh, { month: MONTH });
    await expectOnce();
  });
});
