// A charge row the ingest quarantined still says which resource and day it bills: on that day "nothing billed" is
// not known, so an expected charge without billed lines is unverifiable (naming the quarantined line), never a
// missing_charge (issue 11).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import {
  ACCOUNT,
  PAYG_ACCOUNT,
  billAndDiff,
  findings,
  insertCoverage,
  insertDelivery,
  insertExpected,
  insertLine,
  v2DayGibHours,
} from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await openTestWarehouse({ meterCatalog: true });
  await insertDelivery(wh, 'd1');
  await insertCoverage(wh, ACCOUNT, '2026-10-01', '2026-10-31');
});
afterEach(() => {
  wh.close();
});

async function quarantined(
  line: number,
  resource: string,
  day: string,
  reason: string,
  deliveryId = 'd1',
  isFiles = true,
): Promise<void> {
  await wh.run(
    `insert into quarantine (stage, delivery_id, source_file, source_line, reason, raw_text, recorded_at,
       billing_resource_id, usage_date, is_files_or_snapshot)
     values ('ingest', $delivery, 'part_0.csv', $line, $reason, 'raw', now()::timestamp, $resource, $day::date, $files)`,
    { delivery: deliveryId, line, reason, resource, day, files: isFiles },
  );
}

describe('a quarantined charge on a day with nothing billed', () => {
  it('is unverifiable naming the quarantined line, not a missing_charge saying nothing billed', async () => {
    await insertLine(wh, { source_line: 2, quantity: '24576', usage_date: '2026-10-11' });
    await insertExpected(wh, v2DayGibHours(1024));
    await insertExpected(wh, { ...v2DayGibHours(1024), date: '2026-10-11' });
    await insertExpected(wh, { ...v2DayGibHours(1024), date: '2026-10-12' });
    await quarantined(7, ACCOUNT, '2026-10-10', 'Quantity: not a decimal: 24,576');
    // Quarantined rows of another resource, of a non-Files meter, or of a delivery that is not current say nothing.
    await quarantined(8, PAYG_ACCOUNT, '2026-10-12', 'Cost: missing');
    await quarantined(9, ACCOUNT, '2026-10-12', 'Cost: missing', 'd1', false);
    await quarantined(10, ACCOUNT, '2026-10-12', 'Cost: missing', 'd-other');
    const report = await billAndDiff(wh);
    expect(report.byKind).toEqual({ missing_charge: 1, unverifiable: 1 });
    const rows = await findings(wh);
    expect(rows.map((f) => [f.kind, f.usage_date])).toEqual([
      ['missing_charge', '2026-10-12'],
      ['unverifiable', '2026-10-10'],
    ]);
    const unverifiable = rows.find((f) => f.kind === 'unverifiable');
    expect(unverifiable?.explanation).not.toContain('nothing billed');
    expect(unverifiable?.explanation).toContain(
      'a charge line for this resource and day was quarantined (part_0.csv:7: Quantity: not a decimal: 24,576)',
    );
    expect(unverifiable?.billed_quantity).toBeNull();
    expect(unverifiable?.cost_impact).toBeNull();
  });
});
