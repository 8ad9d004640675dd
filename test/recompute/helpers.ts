// Test helpers: bound inserts of the recompute inputs (share_interval,
// disk_snapshot_interval, transaction_count) — the tables another stage fills in production.
import type { Warehouse } from '../../src/db/warehouse.ts';

export const GIB = 1_073_741_824n;

type Int = bigint | number | string | null;

export interface ShareIntervalInput {
  share: string;
  /** Billed resource; default: the storage account part of a classic share id, else the share itself. */
  billingResourceId?: string;
  kind?: 'classic' | 'fileshares';
  state?: 'live' | 'soft_deleted';
  model: 'v1' | 'v2' | 'payg';
  media?: 'ssd' | 'hdd';
  accessTier?: string | null;
  from: string;
  to: string | null;
  gib?: Int;
  iops?: Int;
  mibps?: Int;
  usedBytes?: Int;
  snapshotBytes?: Int;
  metadataBytes?: Int;
  observedAt?: string;
  coveredTo?: string;
  sourceLine?: number;
}

export function accountOf(shareId: string): string {
  const at = shareId.indexOf('/fileservices/');
  return at < 0 ? shareId : shareId.slice(0, at);
}

const text = (v: Int | undefined): string | null => (v === null || v === undefined ? null : String(v));

export async function insertShareInterval(wh: Warehouse, i: ShareIntervalInput): Promise<void> {
  await wh.run(
    `insert into share_interval (share_interval_id, share_resource_id, billing_resource_id, resource_kind, state,
       valid_from, valid_to, billing_model, media_tier, redundancy, protocol, access_tier, provisioned_gib,
       provisioned_iops, provisioned_mibps, used_bytes, snapshot_differential_bytes, metadata_bytes, observed_at,
       source_file, source_line, covered_to)
     values ($share || '@' || $from, $share, $billing, $kind, $state, $from::timestamp, $to::timestamp, $model, $media,
       'lrs', 'smb', $tier, $gib::bigint, $iops::bigint, $mibps::bigint, $used::bigint, $snap::bigint, $meta::bigint,
       $observed::timestamp, 'share_state.csv', $line, $covered::timestamp)`,
    {
      share: i.share,
      billing: i.billingResourceId ?? accountOf(i.share),
      kind: i.kind ?? (i.share.includes('/fileservices/') ? 'classic' : 'fileshares'),
      state: i.state ?? 'live',
      from: i.from,
      to: i.to,
      model: i.model,
      media: i.media ?? (i.model === 'payg' ? 'hdd' : 'ssd'),
      tier: i.accessTier ?? null,
      gib: text(i.gib),
      iops: text(i.iops),
      mibps: text(i.mibps),
      used: text(i.usedBytes),
      snap: text(i.snapshotBytes),
      meta: text(i.metadataBytes),
      observed: i.observedAt ?? i.from,
      line: i.sourceLine ?? 2,
      covered: i.coveredTo ?? null,
    },
  );
}

export async function insertSnapshotInterval(
  wh: Warehouse,
  i: { snapshot: string; from: string; to: string | null; usedBytes: Int; observedAt?: string },
): Promise<void> {
  await wh.run(
    `insert into disk_snapshot_interval (snapshot_interval_id, snapshot_resource_id, redundancy, used_bytes,
       valid_from, valid_to, observed_at, source_file, source_line)
     values ($snapshot || '@' || $from, $snapshot, 'lrs', $used::bigint, $from::timestamp, $to::timestamp,
       $observed::timestamp, 'disk_snapshot.csv', 2)`,
    { snapshot: i.snapshot, from: i.from, to: i.to, used: text(i.usedBytes), observed: i.observedAt ?? i.from },
  );
}

export async function insertTransactions(
  wh: Warehouse,
  t: { account: string; hour: string; apiName: string; bucket: string; count: Int },
): Promise<void> {
  await wh.run(
    `insert into transaction_count values ($hour::timestamp, $account, $api, $bucket, $count::bigint,
       'transactions.csv', 2)`,
    { hour: t.hour, account: t.account, api: t.apiName, bucket: t.bucket, count: text(t.count) },
  );
}

export const ACCOUNT = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/acct1';
export const shareId = (name: string, account = ACCOUNT): string => `${account}/fileservices/default/shares/${name}`;

/** Rows of a query with every value as returned (decimals as strings). */
export async function rows(
  wh: Warehouse,
  sql: string,
  params?: Record<string, string>,
): Promise<Record<string, unknown>[]> {
  return wh.rows(sql, params);
}
