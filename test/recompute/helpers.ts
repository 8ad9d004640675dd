// Test helpers: the recompute inputs (share_interval, disk_snapshot_interval, transaction_count), the tables the
// inventory stage fills in production, with the recompute tests' defaults over test/helpers/builders.ts.
import type { Warehouse } from '../../src/db/warehouse.ts';
import { insertShareIntervals, insertSnapshotIntervals, insertTransactionCounts } from '../helpers/builders.ts';

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
  await insertShareIntervals(wh, [
    {
      share_resource_id: i.share,
      billing_resource_id: i.billingResourceId ?? accountOf(i.share),
      resource_kind: i.kind ?? (i.share.includes('/fileservices/') ? 'classic' : 'fileshares'),
      state: i.state ?? 'live',
      valid_from: i.from,
      valid_to: i.to,
      billing_model: i.model,
      media_tier: i.media ?? (i.model === 'payg' ? 'hdd' : 'ssd'),
      redundancy: 'lrs',
      protocol: 'smb',
      access_tier: i.accessTier ?? null,
      provisioned_gib: text(i.gib),
      provisioned_iops: text(i.iops),
      provisioned_mibps: text(i.mibps),
      used_bytes: text(i.usedBytes),
      snapshot_differential_bytes: text(i.snapshotBytes),
      metadata_bytes: text(i.metadataBytes),
      observed_at: i.observedAt ?? i.from,
      source_file: 'share_state.csv',
      source_line: i.sourceLine ?? 2,
      covered_to: i.coveredTo ?? null,
    },
  ]);
}

export async function insertSnapshotInterval(
  wh: Warehouse,
  i: { snapshot: string; from: string; to: string | null; usedBytes: Int; observedAt?: string },
): Promise<void> {
  await insertSnapshotIntervals(wh, [
    {
      snapshot_resource_id: i.snapshot,
      redundancy: 'lrs',
      used_bytes: text(i.usedBytes),
      valid_from: i.from,
      valid_to: i.to,
      observed_at: i.observedAt ?? i.from,
      source_file: 'disk_snapshot.csv',
      source_line: 2,
    },
  ]);
}

/** One hour of one API on an account; `count` must not be null (transaction_count is NOT NULL). */
export async function insertTransactions(
  wh: Warehouse,
  t: { account: string; hour: string; apiName: string; bucket: string; count: Int },
): Promise<void> {
  await insertTransactionCounts(wh, [
    {
      usage_hour: t.hour,
      billing_resource_id: t.account,
      api_name: t.apiName,
      bucket: t.bucket,
      transaction_count: String(t.count),
      source_file: 'transactions.csv',
      source_line: 2,
    },
  ]);
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
