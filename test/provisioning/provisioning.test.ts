// The provisioning stage: each rule with a small inventory, the 24-hour boundary, account limits over time, runs
// of intervals, scope and re-runs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';
import { evaluateProvisioning } from '../../src/provisioning/index.ts';
import { accountId, addShare, classicShareId, violations } from './fixtures.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await openTestWarehouse();
});
afterEach(() => {
  wh.close();
});

const T0 = '2024-10-01 00:00:00';

async function rules(): Promise<string[]> {
  return (await violations(wh)).map((v) => `${v.rule}${v.dimension ? `:${v.dimension}` : ''}`);
}

describe('per-share limits', () => {
  it('reports a v2 SSD share below the IOPS minimum, with the numbers in a sentence', async () => {
    const share = await addShare(wh, {
      account: 'acct1',
      share: 'x',
      observations: [{ at: T0, gib: 100, iops: 2000 }],
    });
    const report = await evaluateProvisioning(wh);
    expect(report).toEqual({ violations: 1, byRule: { v2_min_iops: 1 } });
    const [v] = await violations(wh);
    expect(v).toMatchObject({
      rule: 'v2_min_iops',
      dimension: 'iops',
      share_resource_id: share,
      billing_resource_id: accountId('acct1'),
      valid_from: T0,
      valid_to: null,
      usage_date: '2024-10-01',
      unit: 'IOPS',
      limit_value: '3000',
      actual_value: '2000',
      detail: 'Share acct1/x is provisioned with 2,000 IOPS on SSD; the v2 SSD minimum is 3,000 IOPS.',
    });
  });

  it('checks each v2 dimension against its media limits, both ends included', async () => {
    await addShare(wh, { account: 'a', share: 'ok-min', observations: [{ at: T0, gib: 32, iops: 3000, mibps: 100 }] });
    await addShare(wh, {
      account: 'a2',
      share: 'ok-max',
      observations: [{ at: T0, gib: 262144, iops: 102400, mibps: 10340 }],
    });
    await addShare(wh, { account: 'b', share: 'small', observations: [{ at: T0, gib: 31, iops: 3000, mibps: 100 }] });
    await addShare(wh, {
      account: 'c',
      share: 'big',
      media: 'hdd',
      observations: [{ at: T0, gib: 262145, iops: 50001, mibps: 5121 }],
    });
    await addShare(wh, {
      account: 'd',
      share: 'slow',
      media: 'hdd',
      observations: [{ at: T0, gib: 100, iops: 499, mibps: 59 }],
    });
    const report = await evaluateProvisioning(wh);
    expect(report.byRule).toEqual({
      // the one share in account c is also over the account's IOPS and throughput limits, which equal the share's
      account_v2_iops: 1,
      account_v2_throughput: 1,
      v2_min_storage: 1,
      v2_max_storage: 1,
      v2_max_iops: 1,
      v2_max_throughput: 1,
      v2_min_iops: 1,
      v2_min_throughput: 1,
    });
    const byRule = Object.fromEntries((await violations(wh)).map((v) => [v.rule, v]));
    expect(byRule.v2_max_throughput?.detail).toBe(
      'Share c/big is provisioned with 5,121 MiB/s on HDD; the v2 HDD maximum is 5,120 MiB/s.',
    );
    expect(byRule.v2_min_storage).toMatchObject({ limit_value: '32', actual_value: '31' });
  });

  it('uses the effective (recommended) IOPS and throughput when the inventory gives none', async () => {
    // 32 GiB on SSD: recommended 3,032 IOPS and 104 MiB/s, both inside the limits; on HDD 1,007 IOPS and 61 MiB/s.
    await addShare(wh, { account: 'a', share: 'ssd', observations: [{ at: T0, gib: 32 }] });
    await addShare(wh, { account: 'b', share: 'hdd', media: 'hdd', observations: [{ at: T0, gib: 32 }] });
    expect(await evaluateProvisioning(wh)).toEqual({ violations: 0, byRule: {} });
    const effective = await wh.rows(
      'select provisioned_iops, provisioned_mibps from share_interval order by media_tier desc',
    );
    expect(effective).toEqual([
      { provisioned_iops: '3032', provisioned_mibps: '104' },
      { provisioned_iops: '1007', provisioned_mibps: '61' },
    ]);
  });

  it('says when an out-of-range value is the recommended default', async () => {
    // 31 GiB on SSD: storage below the minimum; the recommended IOPS (3,031) is fine.
    await addShare(wh, { account: 'a', share: 's', observations: [{ at: T0, gib: 31 }] });
    await wh.run("update share_interval set provisioned_mibps = 99 where share_resource_id like '%/s'");
    await evaluateProvisioning(wh);
    const details = (await violations(wh)).map((v) => v.detail);
    expect(details).toEqual([
      'Share a/s is provisioned with 31 GiB on SSD; the v2 SSD minimum is 32 GiB.',
      'Share a/s is provisioned with 99 MiB/s (the recommended default for its storage, as none was given) on SSD; ' +
        'the v2 SSD minimum is 100 MiB/s.',
    ]);
  });

  it('checks v1 storage between 100 and 102,400 GiB', async () => {
    await addShare(wh, { account: 'a', share: 'min', model: 'v1', observations: [{ at: T0, gib: 100 }] });
    await addShare(wh, { account: 'b', share: 'max', model: 'v1', observations: [{ at: T0, gib: 102400 }] });
    await addShare(wh, { account: 'c', share: 'under', model: 'v1', observations: [{ at: T0, gib: 99 }] });
    await addShare(wh, { account: 'd', share: 'over', model: 'v1', observations: [{ at: T0, gib: 102401 }] });
    await evaluateProvisioning(wh);
    const found = await violations(wh);
    expect(found.map((v) => [v.rule, v.detail])).toEqual([
      [
        'account_v1_storage',
        'Storage account d has 102,401 GiB provisioned across its classic v1 SSD shares from 2024-10-01 00:00 UTC ' +
          '(1 live and 0 soft-deleted shares at the peak; soft-deleted shares count until purged); the account ' +
          'limit is 102,400 GiB.',
      ],
      ['v1_max_storage', 'Share d/over is provisioned with 102,401 GiB on SSD; the v1 SSD maximum is 102,400 GiB.'],
      ['v1_min_storage', 'Share c/under is provisioned with 99 GiB on SSD; the v1 SSD minimum is 100 GiB.'],
    ]);
  });

  it('reports a pay-as-you-go quota only when no share can have it', async () => {
    await addShare(wh, {
      account: 'a',
      share: 'default',
      model: 'payg',
      media: 'hdd',
      observations: [{ at: T0, gib: 102400 }],
    });
    await addShare(wh, { account: 'b', share: 'unset', model: 'payg', media: 'hdd', observations: [{ at: T0 }] });
    await addShare(wh, {
      account: 'c',
      share: 'huge',
      model: 'payg',
      media: 'hdd',
      observations: [{ at: T0, gib: 102401 }],
    });
    await evaluateProvisioning(wh);
    expect((await violations(wh)).map((v) => [v.rule, v.detail])).toEqual([
      [
        'payg_max_storage',
        "Share c/huge has a quota of 102,401 GiB; a pay-as-you-go share's quota is at most 102,400 GiB.",
      ],
    ]);
  });

  it('keeps one violation for a run of intervals in the same state, and a new one when the amount changes', async () => {
    await addShare(wh, {
      account: 'a',
      share: 's',
      observations: [
        { at: '2024-10-01 00:00:00', gib: 100, iops: 2000 },
        { at: '2024-10-02 00:00:00', gib: 100, iops: 2000 },
        { at: '2024-10-03 00:00:00', gib: 100, iops: 2500 },
        { at: '2024-10-04 00:00:00', gib: 100, iops: 4000 },
        { at: '2024-10-05 00:00:00', gib: 100, iops: 2500 },
      ],
    });
    await evaluateProvisioning(wh);
    const found = (await violations(wh)).filter((v) => v.rule === 'v2_min_iops');
    expect(found.map((v) => [v.valid_from, v.valid_to, v.actual_value])).toEqual([
      ['2024-10-01 00:00:00', '2024-10-03 00:00:00', '2000'],
      ['2024-10-03 00:00:00', '2024-10-04 00:00:00', '2500'],
      ['2024-10-05 00:00:00', null, '2500'],
    ]);
  });
});

describe('the 24-hour rule', () => {
  async function raiseThenLower(loweredAt: string) {
    await addShare(wh, {
      account: 'a',
      share: 's',
      observations: [
        { at: '2024-10-01 00:00:00', gib: 1000, iops: 5000, mibps: 200 },
        { at: '2024-10-01 12:00:00', gib: 2000, iops: 5000, mibps: 200 },
        { at: loweredAt, gib: 1500, iops: 5000, mibps: 200 },
      ],
    });
    return evaluateProvisioning(wh);
  }

  it('reports a lowering 23h59m after the last raise', async () => {
    expect(await raiseThenLower('2024-10-02 11:59:00')).toEqual({ violations: 1, byRule: { downgrade_within_24h: 1 } });
    const [v] = await violations(wh);
    expect(v).toMatchObject({
      rule: 'downgrade_within_24h',
      dimension: 'storage',
      valid_from: '2024-10-02 11:59:00',
      valid_to: '2024-10-02 11:59:00',
      usage_date: '2024-10-02',
      unit: 'GiB',
      previous_value: '2000',
      actual_value: '1500',
      raised_at: '2024-10-01 12:00:00',
      detail:
        'Share a/s had its provisioned storage lowered from 2,000 to 1,500 GiB at 2024-10-02 11:59 UTC, 23 h 59 min ' +
        'after it was raised to 2,000 GiB at 2024-10-01 12:00 UTC; Azure allows lowering a provisioned amount only ' +
        '24 hours after it was last raised.',
    });
  });

  it('allows a lowering 24h00m after the last raise', async () => {
    expect(await raiseThenLower('2024-10-02 12:00:00')).toEqual({ violations: 0, byRule: {} });
  });

  it('measures from the last raise, not the first, and ignores a lowering with no raise before it', async () => {
    await addShare(wh, {
      account: 'a',
      share: 's',
      observations: [
        { at: '2024-10-01 00:00:00', gib: 5000, iops: 5000, mibps: 200 },
        { at: '2024-10-01 06:00:00', gib: 4000, iops: 5000, mibps: 200 }, // no raise seen before: allowed
        { at: '2024-10-03 00:00:00', gib: 6000, iops: 8000, mibps: 200 }, // raise
        { at: '2024-10-03 20:00:00', gib: 6000, iops: 9000, mibps: 300 }, // raise IOPS and throughput again
        { at: '2024-10-04 06:00:00', gib: 5500, iops: 8500, mibps: 250 }, // storage 30 h after its raise; IOPS 10 h
      ],
    });
    await evaluateProvisioning(wh);
    const found = await violations(wh);
    expect(found.map((v) => [v.dimension, v.previous_value, v.actual_value, v.raised_at])).toEqual([
      ['iops', '9000', '8500', '2024-10-03 20:00:00'],
      ['throughput', '300', '250', '2024-10-03 20:00:00'],
    ]);
  });

  it('uses the next-allowed-downgrade time Azure reported when the raise itself was not observed', async () => {
    // The raise happened before the first observation; ARM says storage may be lowered from Oct 2 06:00.
    const observations = (loweredAt: string) => [
      { at: '2024-10-01 08:00:00', gib: 2000, iops: 5000, mibps: 200, nextQuotaDowngradeAt: '2024-10-02 06:00:00' },
      { at: loweredAt, gib: 1500, iops: 5000, mibps: 200 },
    ];
    await addShare(wh, { account: 'a', share: 'early', observations: observations('2024-10-02 05:59:00') });
    await addShare(wh, { account: 'a', share: 'on-time', observations: observations('2024-10-02 06:00:00') });
    await evaluateProvisioning(wh);
    const found = await violations(wh);
    expect(found.map((v) => [v.share_resource_id, v.raised_at])).toEqual([[classicShareId('a', 'early'), null]]);
    expect(found[0]?.detail).toBe(
      'Share a/early had its provisioned storage lowered from 2,000 to 1,500 GiB at 2024-10-02 05:59 UTC, before ' +
        '2024-10-02 06:00 UTC, the earliest downgrade time Azure reported at the previous observation; Azure allows ' +
        'lowering a provisioned amount only 24 hours after it was last raised.',
    );
    const allowed = await wh.rows('select downgrade_allowed_at from provisioning_violation');
    expect(allowed).toEqual([{ downgrade_allowed_at: '2024-10-02 06:00:00' }]);
  });

  it('applies to v1 storage', async () => {
    await addShare(wh, {
      account: 'a',
      share: 'v1',
      model: 'v1',
      observations: [
        { at: '2024-10-01 00:00:00', gib: 1000 },
        { at: '2024-10-01 01:00:00', gib: 1100 },
        { at: '2024-10-01 02:00:00', gib: 1050 },
      ],
    });
    expect(await evaluateProvisioning(wh)).toEqual({ violations: 1, byRule: { downgrade_within_24h: 1 } });
  });

  it('does not apply to pay-as-you-go quotas', async () => {
    await addShare(wh, {
      account: 'a',
      share: 'p',
      model: 'payg',
      media: 'hdd',
      observations: [
        { at: '2024-10-01 00:00:00', gib: 1000 },
        { at: '2024-10-01 01:00:00', gib: 1100 },
        { at: '2024-10-01 02:00:00', gib: 1050 },
      ],
    });
    expect(await evaluateProvisioning(wh)).toEqual({ violations: 0, byRule: {} });
  });
});

describe('availability', () => {
  const cases: [string, Parameters<typeof addShare>[1], string | null][] = [
    [
      'NFS on HDD (v2)',
      { account: 'a', share: 's', model: 'v2', media: 'hdd', protocol: 'nfs', observations: [{ at: T0, gib: 100 }] },
      'Share a/s is described as provisioned v2 classic on HDD LRS over NFS, which Azure does not offer: NFS is not ' +
        'offered for provisioned v2 classic shares on HDD LRS (offered: SMB).',
    ],
    [
      'v1 on HDD',
      { account: 'a', share: 's', model: 'v1', media: 'hdd', observations: [{ at: T0, gib: 100 }] },
      'Share a/s is described as provisioned v1 classic on HDD LRS over SMB, which Azure does not offer: provisioned ' +
        'v1 classic shares exist only on SSD.',
    ],
    [
      'pay-as-you-go on SSD',
      { account: 'a', share: 's', model: 'payg', media: 'ssd', observations: [{ at: T0, gib: 100 }] },
      'Share a/s is described as pay-as-you-go classic on SSD LRS over SMB, which Azure does not offer: ' +
        'pay-as-you-go classic shares exist only on HDD.',
    ],
    [
      'Microsoft.FileShares on v1',
      {
        account: 'a',
        share: 'f',
        kind: 'fileshares',
        model: 'v1',
        protocol: 'nfs',
        observations: [{ at: T0, gib: 100 }],
      },
      'Share f is described as provisioned v1 Microsoft.FileShares on SSD LRS over NFS, which Azure does not offer: ' +
        'provisioned v1 is not offered for Microsoft.FileShares shares.',
    ],
    [
      'Microsoft.FileShares over SMB',
      { account: 'a', share: 'f', kind: 'fileshares', observations: [{ at: T0, gib: 100 }] },
      'Share f is described as provisioned v2 Microsoft.FileShares on SSD LRS over SMB, which Azure does not offer: ' +
        'SMB is not offered for provisioned v2 Microsoft.FileShares shares on SSD LRS (offered: NFS).',
    ],
    [
      'Microsoft.FileShares on HDD',
      {
        account: 'a',
        share: 'f',
        kind: 'fileshares',
        media: 'hdd',
        protocol: 'nfs',
        observations: [{ at: T0, gib: 100 }],
      },
      'Share f is described as provisioned v2 Microsoft.FileShares on HDD LRS over NFS, which Azure does not offer: ' +
        'provisioned v2 Microsoft.FileShares shares exist only on SSD.',
    ],
    [
      'v2 SSD with GRS',
      { account: 'a', share: 's', redundancy: 'grs', observations: [{ at: T0, gib: 100 }] },
      'Share a/s is described as provisioned v2 classic on SSD GRS over SMB, which Azure does not offer: GRS is not ' +
        'offered for provisioned v2 classic shares on SSD (offered: LRS, ZRS).',
    ],
    [
      'v1 with GZRS',
      { account: 'a', share: 's', model: 'v1', redundancy: 'gzrs', observations: [{ at: T0, gib: 100 }] },
      'Share a/s is described as provisioned v1 classic on SSD GZRS over SMB, which Azure does not offer: GZRS is not ' +
        'offered for provisioned v1 classic shares on SSD (offered: LRS, ZRS).',
    ],
    [
      'v2 HDD GZRS over SMB',
      { account: 'a', share: 's', media: 'hdd', redundancy: 'gzrs', observations: [{ at: T0, gib: 100 }] },
      null,
    ],
    [
      'v2 SSD ZRS over NFS',
      { account: 'a', share: 's', redundancy: 'zrs', protocol: 'nfs', observations: [{ at: T0, gib: 100 }] },
      null,
    ],
    [
      'v2 FileShares SSD NFS',
      { account: 'a', share: 'f', kind: 'fileshares', protocol: 'nfs', observations: [{ at: T0, gib: 100 }] },
      null,
    ],
    [
      'pay-as-you-go RA-GZRS',
      {
        account: 'a',
        share: 's',
        model: 'payg',
        media: 'hdd',
        redundancy: 'ragzrs',
        observations: [{ at: T0, gib: 100 }],
      },
      null,
    ],
    [
      'v1 with unknown protocol',
      { account: 'a', share: 's', model: 'v1', protocol: null, observations: [{ at: T0, gib: 100 }] },
      null,
    ],
  ];
  it.each(cases)('%s', async (_name, share, detail) => {
    await addShare(wh, share);
    await evaluateProvisioning(wh);
    const found = (await violations(wh)).filter((v) => v.rule === 'availability');
    expect(found.map((v) => v.detail)).toEqual(detail === null ? [] : [detail]);
  });
});

describe('storage-account limits', () => {
  // HDD shares at their minimum IOPS and throughput: 51 × 500 IOPS and 51 × 60 MiB/s stay inside the account limits,
  // so the share count is the only limit in play. (On SSD, 35 shares at the 3,000 IOPS minimum already exceed
  // the account's 102,400 IOPS.)
  const small = { media: 'hdd', gib: 32, iops: 500, mibps: 60 } as const;

  it('reports the 51st v2 share in an account from the moment it appears', async () => {
    for (let i = 1; i <= 50; i++) {
      await addShare(wh, { account: 'full', share: `s${i}`, media: small.media, observations: [{ at: T0, ...small }] });
    }
    expect(await evaluateProvisioning(wh)).toEqual({ violations: 0, byRule: {} });
    await addShare(wh, {
      account: 'full',
      share: 's51',
      media: small.media,
      observations: [{ at: '2024-10-05 08:00:00', ...small }],
    });
    expect(await evaluateProvisioning(wh)).toEqual({ violations: 1, byRule: { account_v2_share_count: 1 } });
    const [v] = await violations(wh);
    expect(v).toMatchObject({
      rule: 'account_v2_share_count',
      share_resource_id: null,
      billing_resource_id: accountId('full'),
      valid_from: '2024-10-05 08:00:00',
      valid_to: null,
      usage_date: '2024-10-05',
      limit_value: '50',
      actual_value: '51',
      detail:
        'Storage account full holds 51 classic v2 HDD shares from 2024-10-05 08:00 UTC (51 live and 0 soft-deleted ' +
        'shares at the peak; soft-deleted shares count until purged); the account limit is 50 shares.',
    });
  });

  it('counts a soft-deleted share against the account until it is purged', async () => {
    for (let i = 1; i <= 49; i++) {
      await addShare(wh, { account: 'acct', share: `s${i}`, media: small.media, observations: [{ at: T0, ...small }] });
    }
    // s50 is deleted on Oct 3 and kept for 7 days; s51 is created on Oct 5, while s50 still counts.
    await addShare(wh, {
      account: 'acct',
      share: 's50',
      media: small.media,
      observations: [
        { at: T0, ...small },
        { at: '2024-10-03 00:00:00', ...small, deleted: { retentionDays: 7 } },
      ],
    });
    await addShare(wh, {
      account: 'acct',
      share: 's51',
      media: small.media,
      observations: [{ at: '2024-10-05 00:00:00', ...small }],
    });
    await evaluateProvisioning(wh);
    const found = await violations(wh);
    expect(found.map((v) => [v.rule, v.valid_from, v.valid_to, v.actual_value])).toEqual([
      ['account_v2_share_count', '2024-10-05 00:00:00', '2024-10-10 00:00:00', '51'],
    ]);
    expect(found[0]?.detail).toContain('(50 live and 1 soft-deleted shares at the peak;');
  });

  it('sums provisioned storage, IOPS and throughput per account and media at each point in time', async () => {
    // SSD account: 131,072 + 131,073 GiB = 262,145 GiB > 262,144 from Oct 2 to Oct 4 (when the second shrinks).
    await addShare(wh, {
      account: 'ssd',
      share: 'a',
      observations: [{ at: T0, gib: 131072, iops: 60000, mibps: 6000 }],
    });
    await addShare(wh, {
      account: 'ssd',
      share: 'b',
      observations: [
        { at: '2024-10-02 00:00:00', gib: 131073, iops: 42400, mibps: 4340 },
        { at: '2024-10-04 00:00:00', gib: 100000, iops: 42401, mibps: 4341 },
      ],
    });
    await evaluateProvisioning(wh);
    const found = await violations(wh);
    expect(found.map((v) => [v.rule, v.valid_from, v.valid_to, v.limit_value, v.actual_value])).toEqual([
      ['account_v2_iops', '2024-10-04 00:00:00', null, '102400', '102401'],
      ['account_v2_storage', '2024-10-02 00:00:00', '2024-10-04 00:00:00', '262144', '262145'],
      ['account_v2_throughput', '2024-10-04 00:00:00', null, '10340', '10341'],
    ]);
    expect(found[1]?.detail).toBe(
      'Storage account ssd has 262,145 GiB provisioned across its classic v2 SSD shares from 2024-10-02 00:00 UTC ' +
        '(2 live and 0 soft-deleted shares at the peak; soft-deleted shares count until purged); the account limit ' +
        'is 262,144 GiB.',
    );
  });

  it('keeps one violation while an account stays over its limit, and starts a new one after it falls below', async () => {
    // 131,072 GiB on share a; b takes the account over 262,144 GiB on Oct 2, further over on Oct 3, under on Oct 4
    // and over again on Oct 6 (IOPS and throughput stay at the account limits, not over).
    await addShare(wh, {
      account: 'ssd',
      share: 'a',
      observations: [{ at: T0, gib: 131072, iops: 60000, mibps: 6000 }],
    });
    const b = (at: string, gib: number) => ({ at, gib, iops: 42400, mibps: 4340 });
    await addShare(wh, {
      account: 'ssd',
      share: 'b',
      observations: [
        b('2024-10-02 00:00:00', 131073),
        b('2024-10-03 00:00:00', 131080),
        b('2024-10-04 00:00:00', 100000),
        b('2024-10-06 00:00:00', 131100),
      ],
    });
    await evaluateProvisioning(wh);
    const found = (await violations(wh)).filter((v) => v.rule.startsWith('account_'));
    expect(found.map((v) => [v.rule, v.valid_from, v.valid_to, v.actual_value])).toEqual([
      ['account_v2_storage', '2024-10-02 00:00:00', '2024-10-04 00:00:00', '262152'],
      ['account_v2_storage', '2024-10-06 00:00:00', null, '262172'],
    ]);
    expect(found[0]?.detail).toContain('has 262,145 GiB provisioned across its classic v2 SSD shares from 2024-10-02');
    expect(found[0]?.detail).toContain(', peaking at 262,152 GiB (');
  });

  it('applies the v1 account storage limit, counting soft-deleted shares until purged', async () => {
    await addShare(wh, { account: 'p', share: 'a', model: 'v1', observations: [{ at: T0, gib: 60000 }] });
    await addShare(wh, {
      account: 'p',
      share: 'b',
      model: 'v1',
      observations: [
        { at: T0, gib: 40000 },
        { at: '2024-10-02 00:00:00', gib: 40000, deleted: { retentionDays: 1 } },
      ],
    });
    await addShare(wh, {
      account: 'p',
      share: 'c',
      model: 'v1',
      observations: [{ at: '2024-10-02 12:00:00', gib: 2401 }],
    });
    await evaluateProvisioning(wh);
    expect((await violations(wh)).map((v) => [v.rule, v.valid_from, v.valid_to, v.actual_value])).toEqual([
      ['account_v1_storage', '2024-10-02 12:00:00', '2024-10-03 00:00:00', '102401'],
    ]);
  });

  it('leaves out a soft-deleted share whose retention is unknown, rather than count it forever', async () => {
    await addShare(wh, { account: 'p', share: 'a', model: 'v1', observations: [{ at: T0, gib: 60000 }] });
    await addShare(wh, {
      account: 'p',
      share: 'b',
      model: 'v1',
      observations: [
        { at: T0, gib: 40000 },
        { at: '2024-10-02 00:00:00', gib: 40000, deleted: { retentionDays: null } },
      ],
    });
    await addShare(wh, {
      account: 'p',
      share: 'c',
      model: 'v1',
      observations: [{ at: '2024-10-03 00:00:00', gib: 2401 }],
    });
    expect(await evaluateProvisioning(wh)).toEqual({ violations: 0, byRule: {} });
  });

  it('leaves Microsoft.FileShares shares out of account limits', async () => {
    for (let i = 1; i <= 51; i++) {
      await addShare(wh, {
        account: 'x',
        share: `f${i}`,
        kind: 'fileshares',
        protocol: 'nfs',
        observations: [{ at: T0, gib: 32 }],
      });
    }
    expect(await evaluateProvisioning(wh)).toEqual({ violations: 0, byRule: {} });
  });
});

describe('re-runs and scope', () => {
  it('replaces its rows on a re-run and keeps a violation id as later observations extend it', async () => {
    const first = { at: '2024-10-01 00:00:00', gib: 31 };
    await addShare(wh, { account: 'a', share: 's', observations: [first] });
    await evaluateProvisioning(wh);
    const before = await violations(wh);
    expect(before).toHaveLength(1);
    await evaluateProvisioning(wh);
    expect(await violations(wh)).toEqual(before);

    // The next inventory has one more observation in the same state: the run grows, its id stays.
    await wh.run('delete from share_interval');
    await wh.run('delete from share_observation');
    await addShare(wh, { account: 'a', share: 's', observations: [first, { at: '2024-10-02 00:00:00', gib: 31 }] });
    await evaluateProvisioning(wh);
    const after = await violations(wh);
    expect(after).toHaveLength(1);
    expect(after[0]?.violation_id).toBe(before[0]?.violation_id);
    expect(after[0]?.valid_to).toBeNull();
  });

  it('replaces only the rows in its days and resources, and leaves the rest as they were', async () => {
    await addShare(wh, {
      account: 'a',
      share: 'early',
      observations: [
        { at: '2024-09-01 00:00:00', gib: 31 },
        { at: '2024-09-02 00:00:00', gib: 32 },
      ],
    });
    await addShare(wh, { account: 'a', share: 'late', observations: [{ at: '2024-10-10 00:00:00', gib: 31 }] });
    await addShare(wh, { account: 'b', share: 'other', observations: [{ at: '2024-10-10 00:00:00', gib: 31 }] });
    expect((await evaluateProvisioning(wh)).violations).toBe(3);

    // Remove everything the inventory says; a scoped run then clears only its own slice.
    await wh.run('delete from share_interval');
    await wh.run('delete from share_observation');
    const scoped = await evaluateProvisioning(wh, {
      from: '2024-10-01',
      to: '2024-10-31',
      resourcePrefixes: [accountId('A').toUpperCase()],
    });
    expect(scoped).toEqual({ violations: 0, byRule: {} });
    expect((await violations(wh)).map((v) => v.share_resource_id)).toEqual([
      classicShareId('a', 'early'),
      classicShareId('b', 'other'),
    ]);
  });

  it('matches resource prefixes case-insensitively, whatever the case of the stored ids', async () => {
    await addShare(wh, { account: 'MixedCase', share: 'Team', observations: [{ at: '2024-10-10 00:00:00', gib: 31 }] });
    const scoped = await evaluateProvisioning(wh, { resourcePrefixes: [accountId('mixedcase')] });
    expect(scoped.violations).toBe(1);
    expect((await violations(wh)).map((v) => v.share_resource_id)).toEqual([classicShareId('MixedCase', 'Team')]);
  });

  it('counts only violations in scope, and includes a run that started before the scope', async () => {
    await addShare(wh, { account: 'a', share: 'long', observations: [{ at: '2024-09-15 00:00:00', gib: 31 }] });
    await addShare(wh, {
      account: 'a',
      share: 'ended',
      observations: [
        { at: '2024-09-01 00:00:00', gib: 31 },
        { at: '2024-10-01 00:00:00', gib: 32 },
      ],
    });
    await addShare(wh, { account: 'a', share: 'after', observations: [{ at: '2024-11-01 00:00:00', gib: 31 }] });
    expect(await evaluateProvisioning(wh, { from: '2024-10-01', to: '2024-10-31' })).toEqual({
      violations: 1,
      byRule: { v2_min_storage: 1 },
    });
    expect((await violations(wh)).map((v) => v.share_resource_id)).toEqual([classicShareId('a', 'long')]);
  });

  it('refuses a malformed or inverted day range', async () => {
    await expect(evaluateProvisioning(wh, { from: '2024-02-30' })).rejects.toThrow(InputError);
    await expect(evaluateProvisioning(wh, { to: '10/31/2024' })).rejects.toThrow(
      /to '10\/31\/2024' is not a calendar date YYYY-MM-DD/,
    );
    await expect(evaluateProvisioning(wh, { from: '2024-10-02', to: '2024-10-01' })).rejects.toThrow(/after/);
    await expect(evaluateProvisioning(wh, { resourcePrefixes: [' '] })).rejects.toThrow(/empty resource prefix/);
  });
});

describe('share_burst view', () => {
  it('gives burst limit and credits per live v1 and v2 interval', async () => {
    await addShare(wh, { account: 'a', share: 'v2', observations: [{ at: T0, gib: 100, iops: 5000 }] });
    await addShare(wh, { account: 'b', share: 'v1', model: 'v1', observations: [{ at: T0, gib: 10240 }] });
    await addShare(wh, { account: 'c', share: 'p', model: 'payg', media: 'hdd', observations: [{ at: T0, gib: 100 }] });
    const rows = await wh.rows(
      'select billing_model, baseline_iops, burst_limit_iops, burst_credits_io from share_burst order by billing_model',
    );
    expect(rows).toEqual([
      { billing_model: 'v1', baseline_iops: '13240', burst_limit_iops: '30720', burst_credits_io: '62928000' },
      { billing_model: 'v2', baseline_iops: '5000', burst_limit_iops: '15000', burst_credits_io: '36000000' },
    ]);
  });
});

describe('rule names', () => {
  it('names every rule after what it checks', async () => {
    await addShare(wh, { account: 'a', share: 's', observations: [{ at: T0, gib: 31, iops: 2999, mibps: 99 }] });
    await evaluateProvisioning(wh);
    expect(await rules()).toEqual(['v2_min_iops:iops', 'v2_min_storage:storage', 'v2_min_throughput:throughput']);
  });
});
