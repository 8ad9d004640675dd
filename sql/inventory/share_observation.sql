-- share_observation (rows to insert) — grain: share_resource_id × observed_at. The accepted share records of this
-- run (share_record temp table), merged per share and observation time: a nightly collection may hold both
-- `share-rm list` (no usage) and `share-rm show --expand stats` (usage) of the same share. Field by field, the
-- value of the last record that gives one wins (files in read order, then line / item order).
-- The records observed on the UTC days [$batch_from, $batch_to]: the inventory stage merges a batch of days at a
-- time (src/db/batches.ts says why: a group per share and time, with string-valued states; a month of hourly
-- records of 10,000 shares, 7.3M groups, ran out of memory under --memory-limit 1GB in one statement).
with
record as (
  select *, (file_ord::bigint * 10000000000 + source_line) as record_order
  from inventory_share_record
  where reject_reason is null
    and observed_at::date between $batch_from::date and $batch_to::date
),
merged as (
  select
    observed_at,
    share_resource_id,
    arg_max(billing_resource_id, record_order) as billing_resource_id,
    arg_max(resource_kind, record_order) as resource_kind,
    arg_max(billing_model, record_order) as billing_model,
    arg_max(media_tier, record_order) as media_tier,
    arg_max(redundancy, record_order) as redundancy,
    arg_max(protocol, record_order) filter (where protocol is not null) as protocol,
    arg_max(access_tier, record_order) filter (where access_tier is not null) as access_tier,
    arg_max(provisioned_gib, record_order) filter (where provisioned_gib is not null) as provisioned_gib,
    arg_max(provisioned_iops, record_order) filter (where provisioned_iops is not null) as provisioned_iops,
    arg_max(provisioned_mibps, record_order) filter (where provisioned_mibps is not null) as provisioned_mibps,
    arg_max(used_bytes, record_order) filter (where used_bytes is not null) as used_bytes,
    arg_max(snapshot_differential_bytes, record_order) filter (where snapshot_differential_bytes is not null)
      as snapshot_differential_bytes,
    arg_max(metadata_bytes, record_order) filter (where metadata_bytes is not null) as metadata_bytes,
    arg_max(is_deleted, record_order) as is_deleted,
    arg_max(deleted_at, record_order) filter (where deleted_at is not null) as deleted_at,
    arg_max(retention_days, record_order) filter (where retention_days is not null) as retention_days,
    arg_max(source_kind, record_order) as source_kind,
    arg_max(source_file, record_order) as source_file,
    arg_max(source_line, record_order) as source_line,
    arg_max(next_quota_downgrade_at, record_order) filter (where next_quota_downgrade_at is not null)
      as next_quota_downgrade_at,
    arg_max(next_iops_downgrade_at, record_order) filter (where next_iops_downgrade_at is not null)
      as next_iops_downgrade_at,
    arg_max(next_mibps_downgrade_at, record_order) filter (where next_mibps_downgrade_at is not null)
      as next_mibps_downgrade_at
  from record
  group by share_resource_id, observed_at
),
final as (
  select
    observed_at,
    share_resource_id,
    billing_resource_id,
    resource_kind,
    billing_model,
    media_tier,
    redundancy,
    protocol,
    access_tier,
    provisioned_gib,
    provisioned_iops,
    provisioned_mibps,
    used_bytes,
    snapshot_differential_bytes,
    metadata_bytes,
    is_deleted,
    -- a share live in the last record is not deleted, whatever an earlier record said
    case when is_deleted then deleted_at end as deleted_at,
    retention_days,
    source_kind,
    source_file,
    source_line,
    next_quota_downgrade_at,
    next_iops_downgrade_at,
    next_mibps_downgrade_at
  from merged
)
select * from final
