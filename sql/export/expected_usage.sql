-- expected_usage export: what each billed resource should have been billed per meter and UTC day, one billing
-- month (grain: billing_resource_id × meter × usage_date). quantity_numerator is HUGEINT in the warehouse, which
-- Parquet has no type for (DuckDB would write a lossy DOUBLE): it is written as DECIMAL(28, 0), exact (byte-seconds
-- of a 5 PiB account over a day need 21 digits; more than 28 fails the cast and stops the export).
-- quantity is DECIMAL(28, 18) like the finding's quantities: numerator ÷ denominator rounded half away from zero at
-- the 18th decimal, computed from the exact pair (never by re-rounding the warehouse's 20-decimal figure).
-- export_source is the expected_usage table (a temporary view set up by src/export/index.ts). $billing_month: YYYY-MM.
-- Run for a batch of billing resources at a time, [$batch_from, $batch_to], each batch in grain order, into the
-- table the export then copies as it is (src/export/tables.ts, batchedBy; src/db/batches.ts says why).
with
expected_usage_in_month as (
  select *
  from export_source
  where billing_month = $billing_month
    and billing_resource_id between $batch_from and $batch_to
),

meter_unit as (
  select meter, unit
  from export_meter
),

evidence as (
  -- the intervals behind each day, share by share, each share's in time order (expected_interval keeps them one
  -- row each; the list exists only in the export)
  select
    billing_resource_id,
    meter,
    usage_date,
    interval_ids_in_order(source_resource_id, interval_from, source_interval_id) as interval_ids
  from expected_interval_source
  where strftime(usage_date, '%Y-%m') = $billing_month
    and billing_resource_id between $batch_from and $batch_to
  group by all
),

final as (
  select
    e.billing_resource_id::varchar as billing_resource_id,
    e.meter::varchar as meter,
    e.usage_date::date as usage_date,
    billing_month::varchar as billing_month,
    rule::varchar as rule,
    export_quotient_18(quantity_numerator, quantity_denominator)::decimal(28, 18) as quantity,
    u.unit::varchar as unit,
    quantity_numerator::decimal(28, 0) as quantity_numerator,
    quantity_denominator::bigint as quantity_denominator,
    numerator_unit::varchar as numerator_unit,
    days_in_month::integer as days_in_month,
    source_count::integer as source_count,
    source_resource_ids::varchar[] as source_resource_ids,
    ev.interval_ids::varchar[] as interval_ids,
    unknown_seconds::bigint as unknown_seconds,
    is_complete::boolean as is_complete,
    is_open_ended::boolean as is_open_ended
  from expected_usage_in_month as e
  left join meter_unit as u on u.meter = e.meter
  left join evidence as ev
    on ev.billing_resource_id = e.billing_resource_id and ev.meter = e.meter and ev.usage_date = e.usage_date
)

select * from final
order by billing_resource_id, meter, usage_date
