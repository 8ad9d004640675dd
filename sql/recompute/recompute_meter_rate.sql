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
-- The meters each kind of interval bills. sized is read once and joined to these few rows: a union of one select per
-- meter read it eleven times, and DuckDB stored it and its filtered copies whole (0.67M intervals a bench night).
meter_of_interval (billing_model, state, meter) as (
  values
    ('v2', 'live', 'v2.provisioned_storage'),
    ('v2', 'live', 'v2.provisioned_iops'),
    ('v2', 'live', 'v2.provisioned_throughput'),
    ('v2', 'live', 'v2.overflow_snapshot'),
    ('v2', 'soft_deleted', 'v2.soft_deleted'),
    ('v1', 'live', 'v1.provisioned'),
    ('v1', 'live', 'v1.snapshots'),
    ('v1', 'soft_deleted', 'v1.snapshots'),
    ('payg', 'live', 'payg.data_stored'),
    ('payg', 'soft_deleted', 'payg.data_stored'),
    ('payg', 'live', 'payg.metadata'),
    ('disk', 'live', 'disk.incremental_snapshot')
),
rated as (
  select
    sized.*,
    applies.meter,
    -- {amount per second in the base unit, whether every input it needs is known}
    case
      -- §2 provisioned v2, live: the provisioned storage, IOPS and throughput every hour
      when applies.meter = 'v2.provisioned_storage'
        then {'amount': coalesce(provisioned_bytes, 0), 'known': provisioned_bytes is not null}
      when applies.meter = 'v2.provisioned_iops'
        then {'amount': coalesce(provisioned_iops, 0)::hugeint, 'known': provisioned_iops is not null}
      when applies.meter = 'v2.provisioned_throughput'
        then {'amount': coalesce(provisioned_mibps, 0)::hugeint, 'known': provisioned_mibps is not null}
      -- §2 OverflowGiB = MAX((LiveShareUsedGiB + SnapshotDifferentialUsedGiB) - ProvisionedStorageGiB, 0), in bytes
      when applies.meter = 'v2.overflow_snapshot' then {
        'amount': case when provisioned_bytes is null then 0
          else greatest(coalesce(used_bytes_exact, 0) + coalesce(snapshot_bytes_exact, 0) - provisioned_bytes, 0) end,
        'known': provisioned_bytes is not null and used_bytes_exact is not null and snapshot_bytes_exact is not null
      }
      -- §3 provisioned v1: MAX(provisioned GiB, used GiB) while live
      when applies.meter = 'v1.provisioned' then {
        'amount': greatest(coalesce(provisioned_bytes, 0), coalesce(used_bytes_exact, 0)),
        'known': provisioned_bytes is not null and used_bytes_exact is not null
      }
      -- §3 Premium Snapshots: snapshot differential while live ...
      when applies.meter = 'v1.snapshots' and sized.state = 'live'
        then {'amount': coalesce(snapshot_bytes_exact, 0), 'known': snapshot_bytes_exact is not null}
      -- §4 Data Stored: live used (logical) + snapshot differential (physical) ...
      when applies.meter = 'payg.data_stored' and sized.state = 'live' then {
        'amount': coalesce(used_bytes_exact, 0) + coalesce(snapshot_bytes_exact, 0),
        'known': used_bytes_exact is not null and snapshot_bytes_exact is not null
      }
      -- §4 Metadata: hot and cool tiers only (other tiers are not rated, below); an unknown tier may or may not
      -- bill metadata
      when applies.meter = 'payg.metadata' then {
        'amount': case when lower(access_tier) in ('hot', 'cool') then coalesce(metadata_bytes_exact, 0) else 0 end,
        'known': coalesce(lower(access_tier) in ('hot', 'cool'), false) and metadata_bytes_exact is not null
      }
      -- §2, §3, §4 soft delete: the used capacity of the deleted share, on Soft-Deleted Usage (v2), Premium
      -- Snapshots (v1) or Data Stored (pay-as-you-go); §6 incremental disk snapshot: its used size, monthly units
      -- spread over the days (and seconds) of the month
      when sized.state = 'soft_deleted' or applies.meter = 'disk.incremental_snapshot'
        then {'amount': coalesce(used_bytes_exact, 0), 'known': used_bytes_exact is not null}
    end as rate
  from sized
  join meter_of_interval as applies using (billing_model, state)
  where applies.meter <> 'payg.metadata' or access_tier is null or lower(access_tier) in ('hot', 'cool')
),
meter_amount as (
  select * exclude (rate), rate.amount as amount, rate.known as is_amount_known
  from rated
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
