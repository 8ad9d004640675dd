-- expected_usage (query) — grain: billing_resource_id × meter × usage_date. What the recompute stage says each
-- resource in scope should have been billed on each day of the month: the rule, the exact quantity (numerator ÷
-- denominator, and the decimal rounded at the 20th place), and the shares / snapshots and intervals it came from.
with
expected as (
  select * from expected_usage
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
),
evidence as (
  -- the intervals behind each day, share by share, each share's in time order
  select
    billing_resource_id,
    meter,
    usage_date,
    interval_ids_in_order(source_resource_id, interval_from, source_interval_id) as interval_ids
  from expected_interval_source
  where in_scope_month(strftime(usage_date, '%Y-%m')) and in_scope_resource(billing_resource_id)
  group by all
),
unit as (
  -- the catalog's unit of each meter key (meter_key_unit, from src/billing/meters.ts)
  select meter_key as meter, meter_unit from meter_key_unit
),
final as (
  select
    e.billing_resource_id,
    e.meter,
    u.meter_unit,
    e.usage_date::varchar as usage_date,
    e.rule,
    e.quantity,
    e.quantity_numerator::varchar as quantity_numerator,
    e.quantity_denominator,
    e.numerator_unit,
    e.days_in_month,
    e.source_count,
    array_to_string(e.source_resource_ids, ' ') as source_resource_ids,
    array_to_string(i.interval_ids, ' ') as interval_ids,
    e.unknown_seconds,
    e.is_complete,
    e.is_open_ended
  from expected as e
  left join evidence as i using (billing_resource_id, meter, usage_date)
  left join unit as u using (meter)
)
select * from final
order by billing_resource_id, meter, usage_date;
