// Small inventory fixtures for the provisioning tests: a share's observations go into share_observation and the
// intervals the interval builder would derive from them into share_interval (each observation holds until the
// next; a deleted share is soft-deleted for its retention period), so each test states only what it is about.
import { v2RecommendedIops, v2RecommendedMibps, type MediaTier } from '../../src/billing/provisioning.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { addHours, insertShareIntervals, insertShareObservations } from '../helpers/builders.ts';

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
    const deleted = o.deleted !== undefined;
    const retention = o.deleted?.retentionDays ?? null;
    await insertShareObservations(wh, [
      {
        observed_at: o.at,
        share_resource_id: common.share,
        billing_resource_id: common.billing,
        resource_kind: common.kind,
        billing_model: common.model,
        media_tier: common.media,
        redundancy: common.redundancy,
        protocol: common.protocol,
        provisioned_gib: gib,
        provisioned_iops: iops,
        provisioned_mibps: mibps,
        is_deleted: deleted,
        deleted_at: deleted ? o.at : null,
        retention_days: retention,
        source_kind: 'csv',
        source_file: SOURCE,
        source_line: line,
        next_quota_downgrade_at: o.nextQuotaDowngradeAt ?? null,
        next_iops_downgrade_at: o.nextIopsDowngradeAt ?? null,
        next_mibps_downgrade_at: o.nextMibpsDowngradeAt ?? null,
      },
    ]);
    // Effective v2 IOPS/throughput: given, else the recommended default (what the interval builder fills in).
    const isIopsDefault = iops === null && model === 'v2' && gib !== null;
    const isMibpsDefault = mibps === null && model === 'v2' && gib !== null;
    const effectiveIops = isIopsDefault ? v2RecommendedIops(media, gib).toString() : iops;
    const effectiveMibps = isMibpsDefault ? v2RecommendedMibps(media, gib).toString() : mibps;
    const next = observations[index + 1]?.at ?? null;
    const state = o.deleted ? 'soft_deleted' : 'live';
    // A deleted share stays soft-deleted for its retention (open when unknown); a live one until the next observation.
    const validTo = deleted ? (retention === null ? null : addHours(o.at, 24 * retention)) : next;
    await insertShareIntervals(wh, [
      {
        share_resource_id: common.share,
        billing_resource_id: common.billing,
        resource_kind: common.kind,
        state,
        valid_from: o.at,
        valid_to: validTo,
        billing_model: common.model,
        media_tier: common.media,
        redundancy: common.redundancy,
        protocol: common.protocol,
        provisioned_gib: gib,
        provisioned_iops: effectiveIops,
        provisioned_mibps: effectiveMibps,
        observed_at: o.at,
        source_file: SOURCE,
        source_line: line,
        ends_by: deleted ? (retention === null ? null : 'purge') : next === null ? null : 'next_observation',
        deleted_at: deleted ? o.at : null,
        retention_days: retention,
        is_iops_default: isIopsDefault,
        is_mibps_default: isMibpsDefault,
      },
    ]);
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
