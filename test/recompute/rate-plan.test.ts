// The rating's shape: recompute_meter_rate rates each interval once, joined to the meters its model and state bill.
// Written as a union of one select per meter, it read the sized intervals eleven times, and DuckDB answered by
// storing them and three filtered copies whole: recompute_interval_part took 13.0 s on the bench night with them,
// 3.6 s without. The view is stored, so a NOT MATERIALIZED in it would be dropped (DuckDB PR #19420).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { recompute } from '../../src/recompute/index.ts';
import { insertShareInterval, shareId } from './helpers.ts';
import { materialisedCtesOfFile, operatorsOfFile } from '../helpers/plan.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const SHARES = 1000;

describe('the rating of intervals', () => {
  let wh: Warehouse;
  let profileDir: string;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    profileDir = await mkdtemp(join(tmpdir(), 'recon-rate-plan-'));
    await insertShareInterval(wh, {
      share: shareId('s0'),
      from: '2024-03-01 00:00:00',
      to: '2024-03-02 00:00:00',
      model: 'v2',
      gib: 100n,
      iops: 3100n,
      mibps: 110n,
    });
    // copies of it under other share names: one interval per share
    await wh.run(
      `insert into share_interval
       select share_interval.* replace (
         replace(share_resource_id, '/shares/s0', '/shares/s' || copy) as share_resource_id,
         replace(share_interval_id, '/shares/s0', '/shares/s' || copy) as share_interval_id
       )
       from share_interval, range(1, ${SHARES}) as copies(copy)`,
    );
  });
  afterEach(async () => {
    delete process.env.RECON_PROFILE_DIR;
    wh.close();
    await rm(profileDir, { recursive: true, force: true });
  });

  it('stores nothing at the grain of the intervals', async () => {
    process.env.RECON_PROFILE_DIR = profileDir;
    await recompute(wh, { month: '2024-03' });
    delete process.env.RECON_PROFILE_DIR;
    // every share billed its three provisioned meters and its overflow for the day
    expect(
      await wh.rows(
        `select meter, count(distinct source_resource_id)::integer as shares from expected_share_usage
         where usage_date = date '2024-03-01' group by meter order by meter`,
      ),
    ).toEqual(
      ['v2.overflow_snapshot', 'v2.provisioned_iops', 'v2.provisioned_storage', 'v2.provisioned_throughput'].map(
        (meter) => ({ meter, shares: SHARES }),
      ),
    );
    // and gives the parts' and the shaped intervals' memory back to the stages after it
    expect(
      await wh.rows(
        `select table_name from duckdb_tables()
         where temporary and table_name in ('recompute_interval_part', 'recompute_source_interval')`,
      ),
    ).toEqual([]);
    const profiles = await materialisedCtesOfFile(profileDir, 'recompute_interval_part.sql');
    expect(profiles).toHaveLength(1);
    expect(profiles.flat().filter((cte) => cte.rows >= SHARES)).toEqual([]);
  });

  it('shapes the intervals once for the statements that read them', async () => {
    process.env.RECON_PROFILE_DIR = profileDir;
    await recompute(wh, { month: '2024-03' });
    delete process.env.RECON_PROFILE_DIR;
    // recompute_source_interval's window (the last interval of each share) runs when it is built, and the audit,
    // the rating and the coverage read the result instead of running it again, each over every interval
    const lastOfSource = async (file: string) =>
      (await operatorsOfFile(profileDir, file))
        .flat()
        .filter(
          (op) => op.name === 'WINDOW' && op.detail.includes('ROW_NUMBER() OVER (PARTITION BY source_resource_id'),
        );
    expect((await lastOfSource('recompute_source_interval.sql')).map((op) => op.rows)).toEqual([SHARES]);
    for (const reader of ['audit_interval.sql', 'recompute_interval_part.sql', 'inventory_coverage.sql']) {
      expect(await lastOfSource(reader), reader).toEqual([]);
    }
  });
});
