// recon explain: the finding, each contributing interval, the rule, the month length and the exact arithmetic, with
// expected usage from the real recompute stage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { explainFinding } from '../../src/diff/explain.ts';
import { recompute } from '../../src/recompute/index.ts';
import { ACCOUNT, billAndDiff, findings, insertDelivery, insertLine } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';
import { insertShareIntervals } from '../helpers/builders.ts';

const SHARE = `${ACCOUNT}/fileservices/default/shares/data`;

let wh: Warehouse;
beforeEach(async () => {
  wh = await openTestWarehouse({ meterCatalog: true });
});
afterEach(() => {
  wh.close();
});

async function shareInterval(from: string, to: string, gib: number, line: number): Promise<void> {
  await insertShareIntervals(wh, [
    {
      share_resource_id: SHARE,
      billing_resource_id: ACCOUNT,
      resource_kind: 'classic',
      state: 'live',
      valid_from: from,
      valid_to: to,
      billing_model: 'v2',
      media_tier: 'ssd',
      redundancy: 'lrs',
      protocol: 'smb',
      provisioned_gib: gib,
      provisioned_iops: 4024,
      provisioned_mibps: 203,
      used_bytes: 1000000,
      observed_at: from,
      source_file: 'share_state.csv',
      source_line: line,
      covered_to: to,
      ends_by: 'next_observation',
    },
  ]);
}

describe('explainFinding', () => {
  it('shows each interval, the rule, the month length and the numerator ÷ denominator', async () => {
    // resized from 1,024 to 2,048 GiB at noon on 2026-10-10: 12 h × 1,024 + 12 h × 2,048 = 36,864 GiB-hours
    await shareInterval('2026-10-01 00:00:00', '2026-10-10 12:00:00', 1024, 2);
    await shareInterval('2026-10-10 12:00:00', '2026-11-01 00:00:00', 2048, 3);
    await recompute(wh, { from: '2026-10-10', to: '2026-10-10' });
    await insertDelivery(wh, 'd1');
    // the file as the analyst's machine holds it: explain names only what Azure's export wrote (the file name here)
    await insertLine(wh, { source_line: 7, quantity: '24576', source_file: '/home/analyst/Downloads/part_0.csv' });
    await billAndDiff(wh, { scope: { from: '2026-10-10', to: '2026-10-10' } });
    const rows = await findings(wh);
    const mismatch = rows.find((f) => f.meter === 'v2.provisioned_storage');
    expect(mismatch).toMatchObject({
      kind: 'quantity_mismatch',
      expected_quantity: '36864.000000000000000000',
      delta_quantity: '-12288.000000000000000000',
    });

    const text = await explainFinding(wh, mismatch?.finding_id ?? '');
    expect(text).toContain(`Finding ${mismatch?.finding_id}: quantity_mismatch`);
    // Azure's language first (the meter as the invoice names it, the billing period, the export file), recon's keys
    // in brackets; rules cite recon's own docs/billing-rules.md
    expect(text).toContain(
      "  meter            MeterName 'SSD LRS Provisioned Storage', MeterSubCategory 'Azure Files Provisioned v2' [recon meter v2.provisioned_storage]",
    );
    expect(text).toContain('  billing period   2026-10 (usage days 2026-10-01 to 2026-10-31, UTC)');
    expect(text).toContain('  export files     part_0.csv\n');
    expect(text).toContain('  rules            docs/billing-rules.md [check ');
    expect(text).toContain(
      'Expected (provisioned GiB × hours live (docs/billing-rules.md §2)) [rule v2_provisioned_storage_hourly]',
    );
    expect(text).not.toContain('/home/analyst');
    expect(text).not.toContain('billed_usage');
    expect(text).toContain("Billed (the export's lines of the day, net of refunds and corrections)");
    expect(text).toContain('October 2026 has 31 days.');
    // 1024 × 2^30 × 43200 + 2048 × 2^30 × 43200 byte-seconds over 3600 × 2^30
    expect(text).toContain(
      'quantity = 142,496,706,959,769,600 byte_seconds ÷ 3,865,470,566,400 (3600 s per hour × 2^30 bytes per GiB) = 36,864 GiB-hours',
    );
    expect(text).toContain(
      `interval ${SHARE}@2026-10-01T00:00:00Z: live 2026-10-01 00:00:00 → 2026-10-10 12:00:00; v2 ssd lrs; provisioned 1,024 GiB, 4,024 IOPS, 203 MiB/s, used 1,000,000 bytes [share_state.csv:2]`,
    );
    expect(text).toContain(`interval ${SHARE}@2026-10-10T12:00:00Z: live 2026-10-10 12:00:00 → 2026-11-01 00:00:00`);
    expect(text).toContain('inventory coverage: 86,400 of 86,400 s of 2026-10-10 (whole day)');
    expect(text).toContain('v2 ssd lrs: 24,576 GiB-hours');
    expect(text).toContain('lines: part_0.csv:7');
    expect(text).toContain('Deliveries: d1 (submitted 2026-11-05 00:00:00)');
  });

  it('returns undefined for an unknown id', async () => {
    expect(await explainFinding(wh, '0000000000000000')).toBeUndefined();
  });
});
