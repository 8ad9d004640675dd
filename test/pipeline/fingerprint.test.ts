// A month's fingerprint covers only the inventory that can change that month's numbers: tomorrow's observations
// must not make an incremental night rebuild last month, while a changed observation inside the month must.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunArgs, type RunConfig } from '../../src/config.ts';
import { ingestInventory } from '../../src/inventory/index.ts';
import { runFingerprint } from '../../src/pipeline/fingerprint.ts';
import { cleanup, inputFolder, shareId, SHARE_STATE_HEADER } from '../inventory/helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const config = parseRunArgs(['nightly']) as RunConfig;
const SHARE = shareId('finance');
const state = (at: string, gib: number) => `${at},${SHARE},v2,ssd,lrs,smb,premium,${gib},,,1000,0,,false,,`;

// One folder for every case: the source file's path is part of what a fingerprint covers.
let folder = '';
beforeAll(async () => (folder = await inputFolder({})));
afterAll(() => cleanup(folder));

async function monthDigests(rows: readonly string[]): Promise<Record<string, string>> {
  await writeFile(join(folder, 'share_state.csv'), [SHARE_STATE_HEADER, ...rows].join('\n') + '\n');
  const wh = await openTestWarehouse();
  try {
    await ingestInventory(wh, [folder]);
    return (await runFingerprint(wh, config, ['2026-10', '2026-11'])).months;
  } finally {
    wh.close();
  }
}

describe('month fingerprints', () => {
  // Observed through the first instant of November: the inventory vouches for all of 31 October.
  const october = ['2026-10-01T00:00:00Z', '2026-10-15T06:00:00Z', '2026-10-31T00:00:00Z', '2026-11-01T00:00:00Z'];

  it("leave October alone when November's observations arrive, and change November", async () => {
    const before = await monthDigests(october.map((at) => state(at, 1024)));
    const after = await monthDigests([
      ...october.map((at) => state(at, 1024)),
      state('2026-11-02T00:00:00Z', 2048),
      state('2026-11-03T12:00:00Z', 4096),
    ]);
    expect(after['2026-10']).toBe(before['2026-10']);
    expect(after['2026-11']).not.toBe(before['2026-11']);
  });

  it('change October when an October observation changes', async () => {
    const before = await monthDigests(october.map((at) => state(at, 1024)));
    const after = await monthDigests(october.map((at, i) => state(at, i === 1 ? 2048 : 1024)));
    expect(after['2026-10']).not.toBe(before['2026-10']);
  });

  it('change November when an observation before it changes (the state carries into it)', async () => {
    const before = await monthDigests(october.map((at) => state(at, 1024)));
    const after = await monthDigests(october.map((at, i) => state(at, i === 2 ? 4096 : 1024)));
    expect(after['2026-11']).not.toBe(before['2026-11']);
  });

  it("change October when the inventory's first look past its last day arrives (31 October becomes covered)", async () => {
    const before = await monthDigests(october.slice(0, 3).map((at) => state(at, 1024)));
    const after = await monthDigests(october.map((at) => state(at, 1024)));
    expect(after['2026-10']).not.toBe(before['2026-10']);
  });
});
