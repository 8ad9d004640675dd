// The share records' shape: share_record.sql reads its keyed records three times (the row itself, the accounts of
// classic JSON shares, the retention policies of deleted ones), and DuckDB stored each such CTE whole, raw text and
// all, on top of the typed records it stores once on purpose (identified): 10.9 s over the bench night's 730k
// records, 7.4–8.0 s with the typed records stored once and the small readers inlined.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { ingestInventory } from '../../src/inventory/index.ts';
import { materialisedCtesOfFile } from '../helpers/plan.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';
import { ACCOUNT, cleanup, inputFolder, shareId } from './helpers.ts';

const SHARES = 1000;

describe('the share records of a load', () => {
  let wh: Warehouse;
  let profileDir: string;
  let folder: string;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    profileDir = await mkdtemp(join(tmpdir(), 'recon-record-plan-'));
    const rows = Array.from(
      { length: SHARES },
      (_, i) => `2024-03-01T00:00:00Z,${shareId(`s${i}`)},${ACCOUNT},v2,ssd,lrs,smb,32\n`,
    );
    folder = await inputFolder({
      'share_state.csv':
        'observed_at,share_resource_id,billing_resource_id,billing_model,media_tier,redundancy,protocol,' +
        `provisioned_gib\n${rows.join('')}`,
    });
  });
  afterEach(async () => {
    delete process.env.RECON_PROFILE_DIR;
    wh.close();
    await cleanup(folder);
    await rm(profileDir, { recursive: true, force: true });
  });

  it('stores the typed records once and nothing else at their grain', async () => {
    process.env.RECON_PROFILE_DIR = profileDir;
    const report = await ingestInventory(wh, [folder]);
    delete process.env.RECON_PROFILE_DIR;
    expect(report).toMatchObject({ recordsIngested: SHARES, recordsQuarantined: 0, shares: SHARES });
    const profiles = await materialisedCtesOfFile(profileDir, 'share_record.sql');
    expect(profiles).toHaveLength(1);
    expect(profiles.flat().filter((cte) => cte.rows >= SHARES)).toEqual([{ name: 'identified', rows: SHARES }]);
  });
});
