-- expected_hourly (query) — grain: meter × usage_hour, for one billed resource ($billing_resource_id).
-- Dispute evidence computed on demand from the same rules and integral as expected_share_usage, with
-- recompute_parameter.bucket set to one hour. Quantities as exact decimal strings; numerator and denominator beside them.
with
hour_usage as (
  select * from recompute_share_usage where billing_resource_id = $billing_resource_id
),
hour_interval as (
  -- the intervals of every share / snapshot of the hour, share by share, each share's in time order
  select
    billing_resource_id,
    meter,
    bucket_start as usage_hour,
    interval_ids_in_order(source_resource_id, valid_from, source_interval_id) as interval_ids
  from recompute_interval_bucket
  where billing_resource_id = $billing_resource_id
  group by all
),
summed as (
  select
    billing_resource_id,
    meter,
    bucket_start as usage_hour,
    rule,
    quantity_denominator,
    sum(quantity_numerator) as quantity_numerator,
    list_sort(list(source_resource_id)) as source_resource_ids,
    sum(unknown_seconds) as unknown_seconds
  from hour_usage
  group by all
),
final as (
  select
    billing_resource_id,
    meter,
    strftime(usage_hour, '%Y-%m-%d %H:%M:%S') as usage_hour,
    rule,
    exact_quotient_38_20(quantity_numerator, quantity_denominator)::varchar as quantity,
    quantity_numerator::varchar as quantity_numerator,
    quantity_denominator::varchar as quantity_denominator,
    source_resource_ids,
    hour_interval.interval_ids,
    unknown_seconds = 0 as is_complete
  from summed
  left join hour_interval using (billing_resource_id, meter, usage_hour)
  where quantity_numerator > 0 or unknown_seconds > 0
)
select * from final
order by meter, usage_hour;
