-- recompute_interval_bucket (temp view) — grain: source_interval_id × meter × bucket_start.
-- Every interval of recompute_meter_rate split at the bucket boundaries it crosses (a UTC day for the recompute, an
-- hour for the dispute evidence) — cost grows with intervals, not hours. Materialised once per scope as
-- recompute_interval_part (the columns its readers need), which recompute_share_usage integrates per bucket and
-- expected_interval keeps as evidence.
create or replace temp view recompute_interval_bucket as
with
scope as (
  select * from recompute_parameter
),
meter_rate as (
  select * from recompute_meter_rate
),
interval_bucket as (
  select
    meter_rate.*,
    bucket.bucket_start,
    greatest(meter_rate.clipped_from, bucket.bucket_start) as part_from,
    least(meter_rate.clipped_to, bucket.bucket_start + scope.bucket) as part_to
  from meter_rate
  cross join scope
  cross join range(time_bucket(scope.bucket, meter_rate.clipped_from), meter_rate.clipped_to, scope.bucket)
    as bucket(bucket_start)
),
final as (
  select
    *,
    -- bounds are whole seconds (audit_interval.sql), so this division is exact
    (epoch_us(part_to) - epoch_us(part_from)) // 1000000 as overlap_seconds
  from interval_bucket
)
select * from final;
