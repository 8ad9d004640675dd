-- finding export: the findings of one billing month (grain: finding_id). The public columns of contract.md in
-- contract order with the meter's unit beside the quantities, then the billed attributes of the resource for
-- dashboards (sql/export/macros.sql), then the evidence columns (rule, unit_convention, evidence JSON, run_id).
-- Quantities and money are DECIMAL(28, 18), the warehouse's scale in at most 28 digits (docs/parquet-schemas.md):
-- exact, and a value with more than 10 integer digits fails the cast and stops the export.
-- export_source is the finding table (a temporary view set up by src/export/index.ts). $billing_month: YYYY-MM.
with
finding_in_month as (
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
    f.finding_id::varchar as finding_id,
    f.billing_month::varchar as billing_month,
    usage_date::date as usage_date,
    f.billing_resource_id::varchar as billing_resource_id,
    f.meter::varchar as meter,
    kind::varchar as kind,
    severity::varchar as severity,
    billed_quantity::decimal(28, 18) as billed_quantity,
    expected_quantity::decimal(28, 18) as expected_quantity,
    delta_quantity::decimal(28, 18) as delta_quantity,
    u.unit::varchar as unit,
    billed_cost::decimal(28, 18) as billed_cost,
    cost_impact::decimal(28, 18) as cost_impact,
    currency::varchar as currency,
    money_direction::varchar as money_direction,
    overbilled_cost::decimal(28, 18) as overbilled_cost,
    underbilled_cost::decimal(28, 18) as underbilled_cost,
    unverifiable_cost::decimal(28, 18) as unverifiable_cost,
    provisional::boolean as provisional,
    explanation::varchar as explanation,
    coalesce(r.subscription_id, export_arm_subscription(f.billing_resource_id))::varchar as subscription_id,
    coalesce(r.resource_group, export_arm_resource_group(f.billing_resource_id))::varchar as resource_group,
    coalesce(r.resource_name, export_arm_resource_name(f.billing_resource_id))::varchar as resource_name,
    r.tags::json as tags,
    rule::varchar as rule,
    unit_convention::varchar as unit_convention,
    evidence::json as evidence,
    run_id::varchar as run_id
  from finding_in_month as f
  left join billed_resource as r on r.billing_resource_id = f.billing_resource_id
  left join meter_unit as u on u.meter = f.meter
)

select * from final
order by finding_id
