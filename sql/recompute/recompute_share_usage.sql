-- recompute_share_usage (temp view) — grain: source_resource_id × meter × bucket_start.
-- The time integral of recompute_meter_rate over each bucket (a UTC day for expected_share_usage, an hour for the
-- dispute evidence): amount × overlap seconds of each interval part (recompute_interval_part) summed as an exact
-- HUGEINT numerator. No list of interval ids here: an ordered list per share × meter × day is an aggregate state
-- DuckDB cannot spill, and it ran out of memory at hourly inventory changes (issue 14); expected_interval keeps
-- them, one row each. Transaction counts (already hourly, per billed account) are summed per bucket beside them;
-- delete transactions on payg.delete_ops.
create or replace temp view recompute_share_usage as
with
scope as (
  select * from recompute_parameter
),
interval_part as (
  select * from recompute_interval_part
),
interval_usage as (
  select
    source_kind,
    source_resource_id,
    billing_resource_id,
    meter,
    bucket_start,
    rule,
    unit_kind,
    numerator_unit,
    denominator_base,
    sum(amount * overlap_seconds) as quantity_numerator,
    sum(overlap_seconds) as covered_seconds,
    sum(case when is_amount_known then 0 else overlap_seconds end) as unknown_seconds,
    bool_or(is_open_ended) as is_open_ended,
    max(case when is_open_ended then clipped_to end) as horizon
  from interval_part
  group by all
),
-- The Delete Operations meter exists for transaction-optimized shares only (hot and cool have no delete meter,
-- billing-rules §4), and transaction counts are per account: an hour's deletes are expected on payg.delete_ops when
-- every live pay-as-you-go share of the account was transaction optimized that hour, not at all when none was, and
-- are unknown (lower bound 0, the hour counted as unknown) when its tiers were mixed or unknown.
delete_hour_tier as (
  select
    t.billing_resource_id,
    t.usage_hour,
    count(*) filter (where s.access_tier = 'transaction_optimized') as optimized_shares,
    count(*) filter (where s.access_tier is distinct from 'transaction_optimized') as other_shares
  from (select distinct billing_resource_id, usage_hour from transaction_count where bucket = 'delete') as t
  join share_interval as s
    on s.billing_resource_id = t.billing_resource_id
    and s.billing_model = 'payg'
    and s.state = 'live'
    and s.valid_from < t.usage_hour + interval 1 hour
    and coalesce(s.valid_to, s.covered_to, 'infinity'::timestamp) > t.usage_hour
  group by all
),
transaction_usage as (
  select
    'transaction_count' as source_kind,
    t.billing_resource_id as source_resource_id,
    t.billing_resource_id,
    bucket_meter.meter,
    time_bucket(scope.bucket, t.usage_hour) as bucket_start,
    meter_rule.rule,
    meter_rule.unit_kind,
    meter_rule.numerator_unit,
    meter_rule.denominator_base,
    sum(case when t.bucket <> 'delete' or d.other_shares = 0 then t.transaction_count::hugeint else 0 end)
      as quantity_numerator,
    null::bigint as covered_seconds,
    count(distinct t.usage_hour) filter (where t.bucket = 'delete' and d.other_shares > 0) * 3600 as unknown_seconds,
    false as is_open_ended,
    null::timestamp as horizon
  from transaction_count t
  cross join scope
  join recompute_bucket_meter bucket_meter on bucket_meter.bucket = t.bucket
  join recompute_meter_rule meter_rule on meter_rule.meter = bucket_meter.meter
  left join delete_hour_tier as d
    on t.bucket = 'delete' and d.billing_resource_id = t.billing_resource_id and d.usage_hour = t.usage_hour
  where (scope.window_from is null or t.usage_hour >= scope.window_from)
    and (scope.window_to is null or t.usage_hour < scope.window_to)
    and in_scope_resource(t.billing_resource_id)
    and (t.bucket <> 'delete' or d.optimized_shares > 0)
  group by all
),
usage as (
  select * from interval_usage
  union all by name
  select * from transaction_usage
),
final as (
  select
    source_kind,
    source_resource_id,
    billing_resource_id,
    meter,
    bucket_start,
    strftime(bucket_start, '%Y-%m') as billing_month,
    rule,
    numerator_unit,
    day(last_day(bucket_start))::integer as days_in_month,
    quantity_numerator,
    case unit_kind
      when 'monthly_units' then denominator_base * day(last_day(bucket_start))
      else denominator_base
    end as quantity_denominator,
    covered_seconds,
    unknown_seconds,
    is_open_ended,
    horizon
  from usage
)
select * from final;
