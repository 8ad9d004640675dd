-- recompute_meter_rate (temp view) — grain: source_interval_id × meter.
-- The billing rules of spec/billing-rules.md, once: for every interval in the window, the amount each meter bills
-- per second, as an integer in the meter's base unit (bytes for GiB meters, IOPS, MiB/s). amount × seconds is the
-- exact numerator; the denominator comes from recompute_meter_rule (hourly: 3600 × base per unit; monthly:
-- 86400 × days in month × base per unit).
--
-- Unknown inputs (NULL sizes, NULL tier) never become a silent zero: amount is then the lower bound the known
-- inputs give and is_amount_known is false, which expected_share_usage counts as unknown_seconds.
-- A soft-deleted share is billed on its used capacity only (§2, §3, §4: "based on the used capacity of the deleted
-- share"); its snapshot differential, metadata and provisioned figures are not billed.
create or replace temp view recompute_meter_rate as
with
source_interval as (
  select * from recompute_source_interval where is_in_window
),
meter_rule as (
  select * from recompute_meter_rule
),
sized as (
  select
    *,
    provisioned_gib::hugeint * 1073741824 as provisioned_bytes,
    used_bytes::hugeint as used_bytes_exact,
    snapshot_differential_bytes::hugeint as snapshot_bytes_exact,
    metadata_bytes::hugeint as metadata_bytes_exact
  from source_interval
),
v2_live as (
  select * from sized where billing_model = 'v2' and state = 'live'
),
v1_live as (
  select * from sized where billing_model = 'v1' and state = 'live'
),
payg_live as (
  select * from sized where billing_model = 'payg' and state = 'live'
),
soft_deleted as (
  select * from sized where billing_model in ('v1', 'v2', 'payg') and state = 'soft_deleted'
),
meter_amount as (
  -- §2 provisioned v2, live: the provisioned storage, IOPS and throughput every hour
  select *, 'v2.provisioned_storage' as meter,
    coalesce(provisioned_bytes, 0) as amount,
    provisioned_bytes is not null as is_amount_known
  from v2_live
  union all
  select *, 'v2.provisioned_iops',
    coalesce(provisioned_iops, 0)::hugeint,
    provisioned_iops is not null
  from v2_live
  union all
  select *, 'v2.provisioned_throughput',
    coalesce(provisioned_mibps, 0)::hugeint,
    provisioned_mibps is not null
  from v2_live
  union all
  -- §2 OverflowGiB = MAX((LiveShareUsedGiB + SnapshotDifferentialUsedGiB) - ProvisionedStorageGiB, 0), in bytes
  select *, 'v2.overflow_snapshot',
    case when provisioned_bytes is null then 0
      else greatest(coalesce(used_bytes_exact, 0) + coalesce(snapshot_bytes_exact, 0) - provisioned_bytes, 0) end,
    provisioned_bytes is not null and used_bytes_exact is not null and snapshot_bytes_exact is not null
  from v2_live
  union all
  -- §2 soft delete: used capacity on Soft-Deleted Usage; provisioned storage, IOPS and throughput not billed
  select *, 'v2.soft_deleted',
    coalesce(used_bytes_exact, 0),
    used_bytes_exact is not null
  from soft_deleted where billing_model = 'v2'
  union all
  -- §3 provisioned v1: MAX(provisioned GiB, used GiB) while live
  select *, 'v1.provisioned',
    greatest(coalesce(provisioned_bytes, 0), coalesce(used_bytes_exact, 0)),
    provisioned_bytes is not null and used_bytes_exact is not null
  from v1_live
  union all
  -- §3 Premium Snapshots: snapshot differential while live ...
  select *, 'v1.snapshots',
    coalesce(snapshot_bytes_exact, 0),
    snapshot_bytes_exact is not null
  from v1_live
  union all
  -- ... plus the used capacity of soft-deleted shares
  select *, 'v1.snapshots',
    coalesce(used_bytes_exact, 0),
    used_bytes_exact is not null
  from soft_deleted where billing_model = 'v1'
  union all
  -- §4 Data Stored: live used (logical) + snapshot differential (physical) ...
  select *, 'payg.data_stored',
    coalesce(used_bytes_exact, 0) + coalesce(snapshot_bytes_exact, 0),
    used_bytes_exact is not null and snapshot_bytes_exact is not null
  from payg_live
  union all
  -- ... + soft-deleted shares' used capacity
  select *, 'payg.data_stored',
    coalesce(used_bytes_exact, 0),
    used_bytes_exact is not null
  from soft_deleted where billing_model = 'payg'
  union all
  -- §4 Metadata: hot and cool tiers only; an unknown tier may or may not bill metadata
  select *, 'payg.metadata',
    case when lower(access_tier) in ('hot', 'cool') then coalesce(metadata_bytes_exact, 0) else 0 end,
    coalesce(lower(access_tier) in ('hot', 'cool'), false) and metadata_bytes_exact is not null
  from payg_live where access_tier is null or lower(access_tier) in ('hot', 'cool')
  union all
  -- §6 incremental disk snapshot: used size, monthly units spread over the days (and seconds) of the month
  select *, 'disk.incremental_snapshot',
    coalesce(used_bytes_exact, 0),
    used_bytes_exact is not null
  from sized where billing_model = 'disk'
),
final as (
  select
    meter_amount.*,
    meter_rule.rule,
    meter_rule.unit_kind,
    meter_rule.numerator_unit,
    meter_rule.denominator_base
  from meter_amount
  join meter_rule using (meter)
)
select * from final;
