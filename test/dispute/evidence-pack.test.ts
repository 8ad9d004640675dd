import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { writeEvidencePack } from '../../src/dispute/index.ts';
import { InputError } from '../../src/errors.ts';
import {
  ACCOUNT,
  insertDisputeFixture,
  EXPLANATION_IOPS,
  EXPLANATION_STORAGE,
  insertDelivery,
  insertLine,
  intervalId,
  MONTH,
  OTHER_ACCOUNT,
  S1,
  S2,
} from './fixture.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const FILES = [
  'billed.csv',
  'deltas.csv',
  'expected-hourly.csv',
  'expected.csv',
  'letter.md',
  'restatements.csv',
  'timeline.csv',
];

describe('writeEvidencePack', () => {
  let wh: Warehouse;
  let out: string;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    await insertDisputeFixture(wh);
    out = await mkdtemp(join(tmpdir(), 'recon-dispute-'));
  });
  afterEach(async () => {
    wh.close();
    await rm(out, { recursive: true, force: true });
  });

  const folder = (): string => join(out, 'dispute-acct1-2025-03');
  const read = (name: string): Promise<string> => readFile(join(folder(), name), 'utf8');
  // Every CSV of the pack starts with the UTF-8 BOM (Excel then reads it as UTF-8); the lines are compared without it.
  const lines = async (name: string): Promise<string[]> => {
    const text = await read(name);
    expect(text.startsWith('\uFEFF'), `${name} starts with the UTF-8 BOM`).toBe(true);
    return text.slice(1).split('\r\n');
  };
  // the prefix is matched case-insensitively, as --resource is
  const pack = (): Promise<{ folder: string; files: string[] }> =>
    writeEvidencePack(wh, out, { month: MONTH, resourcePrefixes: [ACCOUNT.toUpperCase()] });

  it('writes the seven files into dispute-<slug>-<month>/ and nothing else', async () => {
    const result = await pack();
    expect(result.folder).toBe(folder());
    expect([...result.files].sort()).toEqual(FILES.map((name) => join(folder(), name)));
    expect((await readdir(folder())).sort()).toEqual(FILES);
  });

  it('timeline.csv splits the resize hour in two rows that add up to 3600 s, and shows deletion and purge', async () => {
    await pack();
    const timeline = await lines('timeline.csv');
    expect(timeline[0]).toBe(
      'source_kind,source_resource_id,billing_resource_id,hour_start,state,seconds_in_state,billing_model,media_tier,' +
        'redundancy,access_tier,provisioned_gib,provisioned_iops,provisioned_mibps,used_bytes,' +
        'snapshot_differential_bytes,is_iops_default,is_mibps_default,is_open_ended,source_interval_id,source_file,' +
        'source_line',
    );
    const at = (share: string, hour: string): string[] =>
      timeline.filter((line) => line.startsWith(`share,${share},${ACCOUNT},${hour},`));
    expect(at(S1, '2025-03-10 09:00:00')).toEqual([
      `share,${S1},${ACCOUNT},2025-03-10 09:00:00,live,3600,v2,ssd,lrs,premium,100,3000,100,10737418240,0,false,false,` +
        `false,${intervalId(S1, '2025-02-20 00:00:00')},inventory/share_state.csv,2`,
    ]);
    expect(at(S1, '2025-03-10 10:00:00')).toEqual([
      `share,${S1},${ACCOUNT},2025-03-10 10:00:00,live,1200,v2,ssd,lrs,premium,100,3000,100,10737418240,0,false,false,` +
        `false,${intervalId(S1, '2025-02-20 00:00:00')},inventory/share_state.csv,2`,
      `share,${S1},${ACCOUNT},2025-03-10 10:00:00,live,2400,v2,ssd,lrs,premium,200,3000,100,10737418240,0,false,false,` +
        `true,${intervalId(S1, '2025-03-10 10:20:00')},inventory/share_state.csv,7`,
    ]);
    expect(at(S2, '2025-03-20 00:00:00').map((line) => line.split(',')[4])).toEqual(['soft_deleted']);
    expect(at(S2, '2025-03-27 00:00:00')).toEqual([
      `share,${S2},${ACCOUNT},2025-03-27 00:00:00,gone,3600,,,,,,,,,,,,false,,,`,
    ]);
    // 744 hours per share, one more row for the split hour; the other account's share is not involved
    expect(timeline.filter((line) => line.startsWith(`share,${S1},`))).toHaveLength(745);
    expect(timeline.filter((line) => line.startsWith(`share,${S2},`))).toHaveLength(744);
    expect(timeline.some((line) => line.includes(OTHER_ACCOUNT))).toBe(false);
    expect(timeline.at(-1)).toBe('');
  });

  it('expected.csv carries the exact quantity, the fraction, the rule and the intervals of each day', async () => {
    await pack();
    const expected = await lines('expected.csv');
    const day = expected.filter((line) => line.startsWith(`${ACCOUNT},v2.provisioned_storage,GiB-hours,2025-03-10,`));
    // (100 GiB × 10 h 20 min + 200 GiB × 13 h 40 min + 50 GiB × 24 h) = 4966.666… GiB-hours, rounded at the 20th place
    expect(day).toEqual([
      `${ACCOUNT},v2.provisioned_storage,GiB-hours,2025-03-10,v2_provisioned_storage_hourly,` +
        '4966.66666666666666666667,19198503813120000,3865470566400,byte_seconds,31,2,' +
        `${S1} ${S2},${intervalId(S1, '2025-02-20 00:00:00')} ${intervalId(S1, '2025-03-10 10:20:00')} ` +
        `${intervalId(S2, '2025-03-01 00:00:00')},0,true,false`,
    ]);
    // soft-deleted s2 on the 20th: used 10 GiB × 24 h
    expect(
      expected.filter((line) => line.startsWith(`${ACCOUNT},v2.soft_deleted,GiB-hours,2025-03-20,`))[0]?.split(',')[5],
    ).toBe('240');
    expect(expected.some((line) => line.startsWith(OTHER_ACCOUNT))).toBe(false);
  });

  it('expected-hourly.csv gives the resize hour exactly', async () => {
    await pack();
    const hourly = await lines('expected-hourly.csv');
    expect(hourly[0]).toBe(
      'billing_resource_id,meter,meter_unit,usage_hour,rule,quantity,quantity_numerator,quantity_denominator,' +
        'source_resource_ids,interval_ids,is_complete',
    );
    // 100 GiB × 1/3 h + 200 GiB × 2/3 h + 50 GiB × 1 h
    expect(
      hourly.filter((line) => line.startsWith(`${ACCOUNT},v2.provisioned_storage,GiB-hours,2025-03-10 10:00:00,`)),
    ).toEqual([
      `${ACCOUNT},v2.provisioned_storage,GiB-hours,2025-03-10 10:00:00,v2_provisioned_storage_hourly,` +
        `216.66666666666666666667,837518622720000,3865470566400,${S1} ${S2},` +
        `${intervalId(S1, '2025-02-20 00:00:00')} ${intervalId(S1, '2025-03-10 10:20:00')} ` +
        `${intervalId(S2, '2025-03-01 00:00:00')},true`,
    ]);
  });

  it('billed.csv lists the current delivery’s lines of the month with file and line, formulas neutralised', async () => {
    // April's delivery of the same export is another month: not in March's pack
    await insertDelivery(wh, 'd-april', '2025-04-03 03:00:00', '2025-04');
    await insertLine(wh, {
      delivery: 'd-april',
      line: 2,
      day: '2025-04-01',
      quantity: '6000',
      price: '0.000123',
      cost: '0.738',
    });
    await pack();
    const billed = await lines('billed.csv');
    expect(billed.slice(1, -1).map((line) => line.split(',').slice(-5).join(','))).toEqual([
      'd-late,/subscriptions/sub-1,2025-03-15 03:00:00,exports/d-late/part_0_0001.csv,2',
      'd-late,/subscriptions/sub-1,2025-03-15 03:00:00,exports/d-late/part_0_0001.csv,5',
      'd-late,/subscriptions/sub-1,2025-03-15 03:00:00,exports/d-late/part_0_0001.csv,3',
    ]);
    expect(billed[1]).toBe(
      `${ACCOUNT},2025-03-10,2025-03-10 00:00:00,2025-03-11 00:00:00,v2.provisioned_storage,` +
        '6f1c1a5e-0000-4000-8000-000000000001,Storage,Azure Files v2,SSD LRS Provisioned Storage,1 GiB/Hour,5200,5200,' +
        'GiB-hours,0.000123,0.000123,0.6396,EUR,Usage,,OnDemand,sub-1,d-late,/subscriptions/sub-1,2025-03-15 03:00:00,' +
        'exports/d-late/part_0_0001.csv,2',
    );
    expect(billed[2]).toContain(',"\'=HYPERLINK(""http://example.invalid"",""x"")",');
  });

  it('deltas.csv puts each compared cell beside its findings', async () => {
    await pack();
    expect((await lines('deltas.csv')).slice(1)).toEqual([
      `${ACCOUNT},v2.provisioned_iops,2025-03-10,,72000,-72000,IOPS-hours,,0.000123,EUR,true,finding,f-iops-0310,` +
        `missing_charge,high,,72000,-72000,1.234567890123456789,false,"${EXPLANATION_IOPS}"`,
      `${ACCOUNT},v2.provisioned_storage,2025-03-10,5200,4966.666666666666666667,233.333333333333333333,GiB-hours,0.6396,` +
        '0.000123,EUR,true,finding,f-storage-0310,quantity_mismatch,medium,5200,4966.666666666666666667,' +
        `233.333333333333333333,0.0287,false,"${EXPLANATION_STORAGE}"`,
      `${ACCOUNT},v2.provisioned_storage,2025-03-11,6000,6000,0,GiB-hours,0.738,0.000123,EUR,true,match,,,,,,,,,`,
      '',
    ]);
  });

  it('restatements.csv shows what the later delivery changed', async () => {
    await pack();
    const restated = await lines('restatements.csv');
    expect(restated[1]).toBe(
      `${ACCOUNT},6f1c1a5e-0000-4000-8000-000000000001,SSD LRS Provisioned Storage,2025-03-10,4966.666667,5200,` +
        '233.333333,1 GiB/Hour,0.610900000041,0.6396,0.028699999959,/subscriptions/sub-1,d-early,d-late',
    );
    // the line only the later delivery has: the replaced side is empty, not zero
    expect(restated[2]).toMatch(/,2025-03-11,,1,1,1 GiB\/Hour,,0\.01,0\.01,\/subscriptions\/sub-1,d-early,d-late$/);
    expect(restated).toHaveLength(4);
  });

  it('letter.md claims only the overbilled money, lists underbilled charges apart, per meter and in total', async () => {
    await pack();
    const letter = await read('letter.md');
    // The claim is the sum of the overbilled money of the scope, never overbilled + underbilled.
    const claimed = await wh.row<{ amount: string }>(
      `select sum(overbilled_cost)::varchar as amount from finding
       where billing_month = '2025-03' and starts_with(billing_resource_id, $account)`,
      { account: ACCOUNT },
    );
    expect(claimed?.amount).toBe('0.028700000000000000');
    expect(letter).toContain('We ask you to credit **0.03 EUR**, the overbilled charges listed below.');
    expect(letter).not.toContain('1.26');
    expect(letter).toContain(`Billed resources whose id starts with \`${ACCOUNT}\`:`);
    expect(letter).toContain(
      [
        '| Meter | Unit | Billed | Expected | Difference | Billed cost | Overbilled | Underbilled | Unverifiable |',
        '|---|---|--:|--:|--:|--:|--:|--:|--:|',
        '| not billed [v2.provisioned_iops] | IOPS-hours | — | 72,000 | -72,000 | — | — | 1.23 EUR | — |',
        "| 'SSD LRS Provisioned Storage' [v2.provisioned_storage] | GiB-hours | 11,200 | 10,966.6667 | 233.3333 | 1.38 EUR | 0.03 EUR | — | — |",
        '| **Total** |  |  |  |  | **1.38 EUR** | **0.03 EUR** | **1.23 EUR** | — |',
      ].join('\n'),
    );
    const section = (title: string): string => letter.split(`## ${title}`)[1]?.split('\n## ')[0] ?? '';
    const overbilled = section('Overbilled charges (claimed)');
    expect(overbilled).toContain('**0.03 EUR** · 2025-03-10 · quantity_mismatch (medium)');
    expect(overbilled).toContain(EXPLANATION_STORAGE);
    expect(overbilled).not.toContain('missing_charge');
    const underbilled = section('Underbilled charges (not claimed)');
    expect(underbilled).toContain('**1.23 EUR** · 2025-03-10 · missing_charge (high)');
    expect(underbilled).toContain(EXPLANATION_IOPS);
    expect(letter).toContain(`- \`${ACCOUNT}\`: 3 billed line(s), 100 expected meter-day(s)`);
    for (const file of FILES.filter((name) => name !== 'letter.md')) expect(letter).toContain(`- ${file}: `);
    expect(letter).toContain(
      '- `v2.provisioned_storage` (GiB-hours): provisioned GiB × hours live (docs/billing-rules.md §2) ' +
        '[rule v2_provisioned_storage_hourly]',
    );
    expect(letter).toContain('- `v2.soft_deleted` (GiB-hours): ');
    expect(letter).not.toContain('timeline.csv shows the first');
  });

  it('re-running replaces the files with the same content', async () => {
    await pack();
    const first = await Promise.all(FILES.map((name) => read(name)));
    await writeFile(join(folder(), 'letter.md'), 'edited by hand');
    await pack();
    expect(await Promise.all(FILES.map((name) => read(name)))).toEqual(first);
    expect((await readdir(folder())).sort()).toEqual(FILES);
  });

  it('refuses a scope with nothing billed or expected, naming the prefixes and month', async () => {
    const missing = `${ACCOUNT}-nope`;
    await expect(writeEvidencePack(wh, out, { month: MONTH, resourcePrefixes: [missing] })).rejects.toThrow(
      new InputError(
        `dispute: nothing was billed or expected in 2025-03 for resource prefix(es) '${missing}': check the ids, ` +
          'or run the nightly pipeline for that month first',
      ),
    );
    await expect(writeEvidencePack(wh, out, { month: '2025-04', resourcePrefixes: [ACCOUNT] })).rejects.toThrow(
      /nothing was billed or expected in 2025-04 /,
    );
    expect(await readdir(out)).toEqual([]);
  });

  it('refuses a malformed month and a missing or empty prefix', async () => {
    await expect(writeEvidencePack(wh, out, { month: '2025-3', resourcePrefixes: [ACCOUNT] })).rejects.toThrow(
      InputError,
    );
    await expect(writeEvidencePack(wh, out, { month: MONTH, resourcePrefixes: [] })).rejects.toThrow(
      /name at least one resource/,
    );
    await expect(writeEvidencePack(wh, out, { month: MONTH, resourcePrefixes: [' '] })).rejects.toThrow(
      /empty resource prefix/,
    );
  });
});
