// The canonical inventory CSVs of spec/contract.md: share_state.csv (one row per observation of a share, valid until
// the next), disk_snapshot.csv and transactions.csv. Ids carry no commas, so no field needs quoting.
import type { Calendar } from './calendar.ts';
import type { DiskSnapshot } from './disks.ts';
import type { FleetShare, ShareState } from './fleet.ts';

export const SHARE_STATE_HEADER =
  'observed_at,share_resource_id,billing_resource_id,billing_model,media_tier,redundancy,protocol,access_tier,' +
  'provisioned_gib,provisioned_iops,provisioned_mibps,used_bytes,snapshot_differential_bytes,metadata_bytes,' +
  'is_deleted,deleted_at,retention_days';

export const DISK_SNAPSHOT_HEADER =
  'observed_at,snapshot_resource_id,source_disk_id,redundancy,used_bytes,created_at,deleted_at';

export const TRANSACTIONS_HEADER = 'hour,billing_resource_id,api_name,count';

const text = (n: number | null) => (n === null ? '' : String(n));

export function shareStateLine(
  observedAt: string,
  share: FleetShare,
  state: ShareState,
  deletion: { deletedAt: string; retentionDays: number } | null,
): string {
  const r = share.resource;
  return [
    observedAt,
    share.id,
    r.id,
    r.model,
    r.media,
    r.redundancy,
    share.protocol,
    share.accessTier,
    state.gib,
    text(state.iops),
    text(state.mibps),
    state.usedBytes,
    state.snapBytes,
    text(state.metaBytes),
    deletion ? 'true' : 'false',
    deletion?.deletedAt ?? '',
    deletion ? deletion.retentionDays : '',
  ].join(',');
}

export function diskSnapshotLine(
  observedAt: string,
  snapshot: DiskSnapshot,
  calendar: Calendar,
  deleted: boolean,
): string {
  return [
    observedAt,
    snapshot.id,
    snapshot.disk.id,
    snapshot.disk.redundancy,
    snapshot.usedBytes,
    calendar.hourTime(snapshot.createdHour),
    deleted ? calendar.hourTime(snapshot.deletedHour) : '',
  ].join(',');
}

export function transactionLine(hour: string, accountId: string, apiName: string, count: number): string {
  return `${hour},${accountId},${apiName},${count}`;
}
