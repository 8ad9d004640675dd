// expected_share_usage and expected_usage keep their grain without a primary key (migration 003): the recompute
// audits the keys of its slice before it commits (sql/recompute/audit_expected_key.sql).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { SqlError } from '../../src/errors.ts';
import { auditExpectedKeys, recompute } from '../../src/recompute/index.ts';
import { withStageScope } from '../../src/scope.ts';
import { insertShareInterval, shareId } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

describe('the recompute key audit', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    await insertShareInterval(wh, {
      share: shareId('a'),
      from: '2024-03-01 00:00:00',
      to: '2024-03-03 00:00:00',
      model: 'v2',
      gib: 100n,
      iops: 3000n,
      mibps: 100n,
    });
    await recompute(wh, { month: '2024-03' });
  });
  afterEach(() => {
    wh.close();
  });

  const audit = () => withStageScope(wh, 'recompute', { month: '2024-03' }, () => auditExpectedKeys(wh));

  it('passes what the rules wrote, and a recompute of the same month again', async () => {
    const before = await wh.rows('select count(*) as n from expected_share_usage');
    expect(Number((before[0] as { n: string }).n)).toBeGreaterThan(0);
    await expect(audit()).resolves.toBeUndefined();
    await recompute(wh, { month: '2024-03' });
    expect(await wh.rows('select count(*) as n from expected_share_usage')).toEqual(before);
  });

  it('refuses a share key held by two rows, naming the table and key', async () => {
    await wh.run(
      `insert into expected_share_usage select * from expected_share_usage
       where usage_date = date '2024-03-02' order by meter limit 1`,
    );
    const refused = audit();
    await expect(refused).rejects.toThrow(SqlError);
    await expect(refused).rejects.toThrow(
      /expected_share_usage: \/subscriptions\/s1\/.*\/shares\/a × [a-z0-9_.]+ × 2024-03-02: 2 rows for one key/,
    );
  });

  it('refuses a repeated expected_usage key too, and leaves other months out of it', async () => {
    await wh.run(
      `insert into expected_usage select * from expected_usage where usage_date = date '2024-03-01' limit 1`,
    );
    await expect(audit()).rejects.toThrow(/expected_usage: .* × 2024-03-01: 2 rows for one key/);
    await expect(
      withStageScope(wh, 'recompute', { month: '2024-04' }, () => auditExpectedKeys(wh)),
    ).resolves.toBeUndefined();
  });
});
