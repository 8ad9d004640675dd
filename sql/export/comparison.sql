-- comparison export: every compared cell of billed and expected usage, matching or not, one billing month
-- (grain: billing_resource_id × meter × usage_date).
-- The meter's unit beside the quantities, and the billed attributes of the resource for dashboards
-- (sql/export/macros.sql). Quantities and money are DECIMAL(28, 18), exact (docs/parquet-schemas.md).
-- export_source is the comparison table (a temporary view set up by src/export/index.ts). $billing_month: YYYY-MM.
with
comparison_in_month as (
  select *
  from export_source
  where billing_month = $billing_month
),

billed_resource as (
  select *
  from export_billed_resource($billing_month)
),

meter_unit as (
  select meter, unit
  from export_meter
),

final as (
  select
    c.billing_month::varchar as billing_month,
    c.billing_resource_id::varchar as billing_resource_id,
    c.meter::varchar as meter,
    usage_date::date as usage_date,
    billed_quantity::decimal(28, 18) as billed_quantity,
    expected_quantity::decimal(28, 18) as expected_quantity,
    delta_quantity::decimal(28, 18) as delta_quantity,
    u.unit::varchar as unit,
    billed_cost::decimal(28, 18) as billed_cost,
    effective_price::decimal(28, 18) as effective_price,
    currency::varchar as currency,
    is_covered::boolean as is_covered,
    status::varchar as status,
    coalesce(r.subscription_id, export_arm_subscription(c.billing_resource_id))::varchar as subscription_id,
    coalesce(r.resource_group, export_arm_resource_group(c.billing_resource_id))::varchar as resource_group,
    coalesce(r.resource_name, export_arm_resource_name(c.billing_resource_id))::varchar as resource_name,
    r.tags::json as tags
  from comparison_in_month as c
  left join billed_resource as r on r.billing_resource_id = c.billing_resource_id
  left join meter_unit as u on u.meter = c.meter
)

select * from final
order by billing_resource_id, meter, usage_date
