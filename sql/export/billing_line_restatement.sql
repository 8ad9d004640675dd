-- billing_line_restatement export: what the current delivery of an export scope × month changed against the
-- delivery it replaced, one billing month (grain: export_scope × billing_month × billing_resource_id × meter_id ×
-- usage_date). export_source is the ingest stage's billing_line_restatement view (a temporary view set up by
-- src/export/index.ts). $billing_month: YYYY-MM.
-- Quantities are in the unit_of_measure of the meter's billed lines. As in billing_line.sql: DECIMAL(28, 18) rounded
-- half away from zero at the 18th decimal, the warehouse's exact DECIMAL(38, 28) in the <column>_exact text beside.
with
restatement_in_month as (
  select *
  from export_source
  where billing_month = $billing_month
),

-- The unit the two deliveries bill the meter in (one per meter_id in an export; the smallest if they ever differ).
meter_unit as (
  select delivery_id, meter_id, min(unit_of_measure) as unit_of_measure
  from billing_line
  group by delivery_id, meter_id
),

final as (
  select
    export_scope::varchar as export_scope,
    billing_month::varchar as billing_month,
    billing_resource_id::varchar as billing_resource_id,
    meter_id::varchar as meter_id,
    usage_date::date as usage_date,
    coalesce(
      (select u.unit_of_measure from meter_unit as u
       where u.delivery_id = r.current_delivery_id and u.meter_id is not distinct from r.meter_id),
      (select u.unit_of_measure from meter_unit as u
       where u.delivery_id = r.replaced_delivery_id and u.meter_id is not distinct from r.meter_id)
    )::varchar as unit_of_measure,
    replaced_delivery_id::varchar as replaced_delivery_id,
    current_delivery_id::varchar as current_delivery_id,
    export_decimal_28_18(replaced_quantity) as replaced_quantity,
    replaced_quantity::decimal(38, 28)::varchar as replaced_quantity_exact,
    export_decimal_28_18(current_quantity) as current_quantity,
    current_quantity::decimal(38, 28)::varchar as current_quantity_exact,
    export_decimal_28_18(delta_quantity) as delta_quantity,
    delta_quantity::decimal(38, 28)::varchar as delta_quantity_exact,
    export_decimal_28_18(replaced_cost) as replaced_cost,
    replaced_cost::decimal(38, 28)::varchar as replaced_cost_exact,
    export_decimal_28_18(current_cost) as current_cost,
    current_cost::decimal(38, 28)::varchar as current_cost_exact,
    export_decimal_28_18(delta_cost) as delta_cost,
    delta_cost::decimal(38, 28)::varchar as delta_cost_exact
  from restatement_in_month as r
)

select * from final
order by export_scope, billing_resource_id nulls first, meter_id nulls first, usage_date
