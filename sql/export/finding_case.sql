-- finding_case export: the cases of one billing month (grain: case_id): findings of one problem grouped over
-- contiguous days (sql/diff/finding_case.sql). export_source is the finding_case view (a temporary view set
-- up by src/export/index.ts). $billing_month: YYYY-MM. Quantities and money are DECIMAL(28, 18) as in the finding
-- export (sums of its exact values; a sum with more than 10 integer digits fails the cast and stops the export); the
-- unit beside the quantities and the billed attributes of the resource as in the finding export.
with
case_in_month as (
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
    c.case_id::varchar as case_id,
    c.billing_month::varchar as billing_month,
    c.billing_resource_id::varchar as billing_resource_id,
    c.meter::varchar as meter,
    meters::varchar[] as meters,
    billed_meter_name::varchar as billed_meter_name,
    kind::varchar as kind,
    cause::varchar as cause,
    severity::varchar as severity,
    money_direction::varchar as money_direction,
    first_day::date as first_day,
    last_day::date as last_day,
    day_count::integer as day_count,
    finding_count::integer as finding_count,
    billed_quantity::decimal(28, 18) as billed_quantity,
    expected_quantity::decimal(28, 18) as expected_quantity,
    delta_quantity::decimal(28, 18) as delta_quantity,
    u.unit::varchar as unit,
    billed_cost::decimal(28, 18) as billed_cost,
    cost_impact::decimal(28, 18) as cost_impact,
    overbilled_cost::decimal(28, 18) as overbilled_cost,
    underbilled_cost::decimal(28, 18) as underbilled_cost,
    unverifiable_cost::decimal(28, 18) as unverifiable_cost,
    currency::varchar as currency,
    provisional::boolean as provisional,
    explanation::varchar as explanation,
    coalesce(r.subscription_id, export_arm_subscription(c.billing_resource_id))::varchar as subscription_id,
    coalesce(r.resource_group, export_arm_resource_group(c.billing_resource_id))::varchar as resource_group,
    coalesce(r.resource_name, export_arm_resource_name(c.billing_resource_id))::varchar as resource_name,
    r.tags::json as tags,
    finding_ids::varchar[] as finding_ids
  from case_in_month as c
  left join billed_resource as r on r.billing_resource_id = c.billing_resource_id
  left join meter_unit as u on u.meter = c.meter
)

select * from final
order by case_id
