import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { disputeSlug, TIMELINE_SOURCE_LIMIT, writeEvidencePack } from '../../src/dispute/index.ts';
import { ACCOUNT, GIB, insertDelivery, insertInterval, insertLine, shareOf } from './fixture.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

describe('disputeSlug', () => {
  it('names one prefix by its last path segment, lower-case', () => {
    expect(disputeSlug([ACCOUNT])).toBe('acct1');
    expect(disputeSlug([`${ACCOUNT.toUpperCase()}/`])).toBe('acct1');
    expect(disputeSlug([`${ACCOUNT}/fileServices/default/shares/Team_Share.01`])).toBe('team-share-01');
  });

  it('adds a hash of the whole set for several prefixes, whatever their order or case', () => {
    const other = ACCOUNT.replace('acct1', 'acct2');
    const slug = disputeSlug([other, ACCOUNT]);
    expect(slug).toMatch(/^acct1-acct2-[0-9a-f]{8}$/);
    expect(disputeSlug([ACCOUNT.toUpperCase(), other, ACCOUNT])).toBe(slug);
    expect(disputeSlug([ACCOUNT, ACCOUNT.replace('acct1', 'acct3')])).not.toBe(slug);
  });

  it('cuts a long name to 40 characters plus a hash, and never yields an empty name', () => {
    const long = disputeSlug([`${ACCOUNT}/fileservices/default/shares/${'a'.repeat(30)}-${'b'.repeat(30)}`]);
    expect(long).toMatch(/^a{30}-b{9}-[0-9a-f]{8}$/);
    expect(disputeSlug(['/'])).toMatch(/^resource-[0-9a-f]{8}$/);
    expect(disputeSlug(['/subscriptions/__/'])).toMatch(/^resource-[0-9a-f]{8}$/);
  });
});

describe('timeline cap', () => {
  let wh: Warehouse;
  let out: string;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    out = await mkdtemp(join(tmpdir(), 'recon-dispute-cap-'));
  });
  afterEach(async () => {
    wh.close();
    await rm(out, { recursive: true, force: true });
  });

  it(`shows the first ${TIMELINE_SOURCE_LIMIT} shares by id and says so in the letter`, async () => {
    const count = TIMELINE_SOURCE_LIMIT + 1;
    for (let n = 0; n < count; n += 1) {
      await insertInterval(wh, {
        share: shareOf(`share-${String(n).padStart(2, '0')}`),
        from: '2025-02-01 00:00:00',
        to: '2025-02-27 12:00:00',
        gib: 100,
        iops: 3000,
        mibps: 100,
        usedBytes: GIB,
        line: n + 2,
      });
    }
    await insertDelivery(wh, 'd-feb', '2025-03-02 03:00:00', '2025-02');
    await insertLine(wh, {
      delivery: 'd-feb',
      line: 2,
      day: '2025-02-27',
      quantity: '5100',
      price: '0.0001',
      cost: '0.51',
    });

    const { folder } = await writeEvidencePack(wh, out, { month: '2025-02', resourcePrefixes: [ACCOUNT] });
    const timeline = (await readFile(join(folder, 'timeline.csv'), 'utf8')).split('\r\n');
    const shares = new Set(timeline.slice(1, -1).map((line) => line.split(',')[1]));
    expect(shares.size).toBe(TIMELINE_SOURCE_LIMIT);
    expect(shares.has(shareOf('share-00'))).toBe(true);
    expect(shares.has(shareOf(`share-${count - 1}`))).toBe(false);
    // 672 hours of February each; from 12:00 on the 27th nothing is known (the interval ended, no purge)
    expect(timeline).toHaveLength(1 + TIMELINE_SOURCE_LIMIT * 672 + 1);
    expect(timeline.filter((line) => line.includes(',2025-02-27 12:00:00,unknown,3600,'))).toHaveLength(
      TIMELINE_SOURCE_LIMIT,
    );
    const letter = await readFile(join(folder, 'letter.md'), 'utf8');
    expect(letter).toContain(
      `timeline.csv shows the first ${TIMELINE_SOURCE_LIMIT} of the ${count} shares and snapshots involved`,
    );
    expect(letter).toContain('found no discrepancy');
  });
});
