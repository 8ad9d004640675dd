// Small inventory fixtures for the provisioning tests: a share's observations go into share_observation and the
// intervals the interval builder would derive from them into share_interval (each observation holds until the
// next; a deleted share is soft-deleted for its retention period), so each test states only what it is about.
import { v2RecommendedIops, v2RecommendedMibps, type MediaTier } from '../../src/billing/provisioning.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';

export const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg';

export function accountId(name: string): string {
  return `${SUB}/providers/microsoft.storage/storageaccounts/${name}`;
}

export function classicShareId(account: string, share: string): string {
  return `${accountId(account)}/fileservices/default/shares/${share}`;
}

export interface ObservationInput {
  at: string;
  gib?: number | null;
  iops?: number | null;
  mibps?: number | null;
  /** The share was deleted at `at`; it stays soft-deleted for `retentionDays` (null: unknown). */
  deleted?: { retentionDays: number | null };
  /** Azure's nextAllowedQuotaDowngradeTime / …Iops… / …Bandwidth… as the observation carries them. */
  nextQuotaDowngradeAt?: string;
  nextIopsDowngradeAt?: string;
  nextMibpsDowngradeAt?: string;
}

export interface ShareInput {
  account: string;
  share: string;
  kind?: 'classic' | 'fileshares';
  model?: 'v1' | 'v2' | 'payg';
  media?: MediaTier;
  redundancy?: string;
  protocol?: string | null;
  observations: readonly ObservationInput[];
}

const SOURCE = 'share_state.csv';

export async function addShare(wh: Warehouse, input: ShareInput): Promise<string> {
  const kind = input.kind ?? 'classic';
  const model = input.model ?? 'v2';
  const media = input.media ?? 'ssd';
  const shareId =
    kind === 'classic'
      ? classicShareId(input.account, input.share)
      : `${SUB}/providers/microsoft.fileshares/fileshares/${input.share}`;
  const billingId = kind === 'classic' ? accountId(input.account) : shareId;
  const common = {
    share: shareId,
    billing: billingId,
    kind,
    model,
    media,
    redundancy: input.redundancy ?? 'lrs',
    protocol: input.protocol === undefined ? 'smb' : input.protocol,
  };
  const observations = [...input.observations].sort((a, b) => a.at.localeCompare(b.at));
  for (const [index, o] of observations.entries()) {
    const line = index + 2;
    const gib = o.gib === undefined ? null : o.gib;
    const iops = o.iops === undefined ? null : o.iops;
    const mibps = o.mibps === undefined ? null : o.mibps;
    await wh.run(
      `insert into share_observation (observed_at, share_resource_id, billing_resource_id, resource_kind, billing_model,
         media_tier, redundancy, protocol, provisioned_gib, provisioned_iops, provisioned_mibps, is_deleted, deleted_at,
         retention_days, source_kind, source_file, source_line, next_quota_downgrade_at, next_iops_downgrade_at,
         next_mibps_downgrade_at)
       values ($at::timestamp, $share, $billing, $kind, $model, $media, $redundancy, $protocol, $gib, $iops, $mibps,
         $deleted, case when $deleted then $at::timestamp end, $retention, 'csv', $file, $line, $nextQuota::timestamp,
         $nextIops::timestamp, $nextMibps::timestamp)`,
      {
        ...common,
        at: o.at,
        gib,
        iops,
        mibps,
        deleted: o.deleted !== undefined,
        retention: o.deleted?.retentionDays ?? null,
        file: SOURCE,
        line,
        nextQuota: o.nextQuotaDowngradeAt ?? null,
        nextIops: o.nextIopsDowngradeAt ?? null,
        nextMibps: o.nextMibpsDowngradeAt ?? null,
      },
    );
    // Effective v2 IOPS/throughput: given, else the recommended default (what the interval builder fills in).
    const isIopsDefault = iops === null && model === 'v2' && gib !== null;
    const isMibpsDefault = mibps === null && model === 'v2' && gib !== null;
    const effectiveIops = isIopsDefault ? v2RecommendedIops(media, gib).toString() : iops;
    const effectiveMibps = isMibpsDefault ? v2RecommendedMibps(media, gib).toString() : mibps;
    const next = observations[index + 1]?.at ?? null;
    const state = o.deleted ? 'soft_deleted' : 'live';
    await wh.run(
      `insert into share_interval (share_interval_id, share_resource_id, billing_resource_id, resource_kind, state,
         valid_from, valid_to, billing_model, media_tier, redundancy, protocol, provisioned_gib, provisioned_iops,
         provisioned_mibps, observed_at, source_file, source_line, ends_by, deleted_at, retention_days, is_iops_default,
         is_mibps_default)
       values ($share || '@' || $at, $share, $billing, $kind, $state, $at::timestamp,
         case when $deleted then $at::timestamp + to_days($retention::integer) else $next::timestamp end,
         $model, $media, $redundancy, $protocol, $gib, $iops::bigint, $mibps::bigint, $at::timestamp, $file, $line,
         case when $deleted then (case when $retention is not null then 'purge' end)
              when $next is not null then 'next_observation' end,
         case when $deleted then $at::timestamp end, $retention::integer, $isIopsDefault, $isMibpsDefault)`,
      {
        ...common,
        at: o.at,
        next,
        state,
        deleted: o.deleted !== undefined,
        retention: o.deleted?.retentionDays ?? null,
        gib,
        iops: effectiveIops,
        mibps: effectiveMibps,
        isIopsDefault,
        isMibpsDefault,
        file: SOURCE,
        line,
      },
    );
  }
  return shareId;
}

export interface ViolationRow {
  violation_id: string;
  rule: string;
  dimension: string | null;
  share_resource_id: string | null;
  billing_resource_id: string;
  valid_from: string;
  valid_to: string | null;
  usage_date: string;
  unit: string | null;
  limit_value: string | null;
  actual_value: string | null;
  previous_value: string | null;
  raised_at: string | null;
  detail: string;
}

export async function violations(wh: Warehouse): Promise<ViolationRow[]> {
  return wh.rows<ViolationRow & Record<string, unknown>>(
    `select violation_id, rule, dimension, share_resource_id, billing_resource_id, valid_from, valid_to, usage_date, unit,
       limit_value, actual_value, previous_value, raised_at, detail
     from provisioning_violation order by rule, dimension, valid_from, share_resource_id`,
  );
}
