// The billed views over one slice of months: billed_line_meter_of(months) is billed_line_meter restricted to those
// months before any work is done (its catalog match runs over the slice's signatures only), and the duplicate and
// price checks run over any relation of billed_line_meter rows (duplicate_billed_line_of, price_check_of). A
// slice's rows must be exactly the whole view's rows of those months: the diff of one month reads only them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureMeterCatalog } from '../../src/billing/meter-catalog.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { insertDelivery, insertLine } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const MONTHS = [
  { delivery: 'march', month: '2025-03', day: '2025-03-10' },
  { delivery: 'april', month: '2025-04', day: '2025-04-10' },
];

async function rowsOf(wh: Warehouse, sql: string, order: string): Promise<Record<string, unknown>[]> {
  return wh.rows(`select * from (${sql}) order by ${order}`);
}

describe('billed views over a slice of months', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    await ensureMeterCatalog(wh); // the shipped catalog (data/meter-catalog.csv)
    for (const [i, { delivery, month, day }] of MONTHS.entries()) {
      await insertDelivery(wh, delivery, month);
      const at = {
        delivery_id: delivery,
        charge_period_start: `${day} 00:00:00`,
        charge_period_end: `${day} 01:00:00`,
      };
      await insertLine(wh, { ...at, source_line: 2 });
      await insertLine(wh, { ...at, source_line: 3 }); // a duplicate of line 2
      await insertLine(wh, { ...at, source_line: 4, quantity: '10', cost: `${i + 5}` }); // a price mismatch
      await insertLine(wh, {
        ...at,
        source_line: 5,
        meter_subcategory: 'Files v2',
        meter_name: 'Hot LRS Data Written',
      });
      await insertLine(wh, { ...at, source_line: 6, meter_category: 'Virtual Machines', meter_name: 'D2 v3' });
      // a meter only this month bills: its signature must not need the other month's lines
      await insertLine(wh, {
        ...at,
        source_line: 7,
        meter_subcategory: 'Premium Files',
        meter_name: `Premium ${i === 0 ? 'LRS' : 'ZRS'} Provisioned`,
        unit_of_measure: '1 GiB/Month',
        distinct_unit: 'GiB/Month',
      });
    }
  });
  afterEach(() => {
    wh.close();
  });

  it('billed_line_meter_of(months) is billed_line_meter of those months, and of every month for null', async () => {
    const order = 'delivery_id, source_file, source_line';
    const april = await rowsOf(wh, "from billed_line_meter_of(['2025-04'])", order);
    expect(april.map((r) => r.source_line)).toEqual(['2', '3', '4', '5', '6', '7']);
    expect(new Set(april.map((r) => r.classification))).toEqual(new Set(['mapped', 'unmapped', 'ignored']));
    expect(april).toEqual(await rowsOf(wh, "from billed_line_meter where billing_month = '2025-04'", order));
    expect(await rowsOf(wh, 'from billed_line_meter_of(null)', order)).toEqual(
      await rowsOf(wh, 'from billed_line_meter', order),
    );
    expect(await rowsOf(wh, "from billed_line_meter_of(['2025-05'])", order)).toEqual([]);
  });

  it('duplicate_billed_line_of and price_check_of a slice are the whole views of its months', async () => {
    await wh.run("create temp table april_line as from billed_line_meter_of(['2025-04'])");
    const duplicates = await rowsOf(wh, "from duplicate_billed_line_of('april_line')", 'source_line');
    expect(duplicates.map((r) => [r.source_line, r.is_repeat])).toEqual([
      ['2', false],
      ['3', true],
    ]);
    expect(duplicates).toEqual(
      await rowsOf(wh, "from duplicate_billed_line where billing_month = '2025-04'", 'source_line'),
    );
    const prices = await rowsOf(wh, "from price_check_of('april_line')", 'source_line, price_pair');
    expect(prices.filter((r) => r.is_price_mismatch).map((r) => r.source_line)).toEqual(['4']);
    expect(prices).toEqual(
      await rowsOf(wh, "from price_check where billing_month = '2025-04'", 'source_line, price_pair'),
    );
  });
});
