-- finding_case export: the cases of one billing month (grain: case_id): findings of one problem grouped over
-- contiguous days (sql/schema/018_finding_case.sql). export_source is the finding_case view (a temporary view set
-- up by src/export/index.ts). $billing_month: YYYY-MM.
with
case_in_month as (
  select *
  from export_source
  where billing_month = $billing_month
),

final as (
  select
    case_id::varchar as case_id,
    billing_month::varchar as billing_month,
    billing_resource_id::varchar as billing_resource_id,
    meter::varchar as meter,
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
    billed_quantity::decimal(38, 18) as billed_quantity,
    expected_quantity::decimal(38, 18) as expected_quantity,
    delta_quantity::decimal(38, 18) as delta_quantity,
    billed_cost::decimal(38, 18) as billed_cost,
    cost_impact::decimal(38, 18) as cost_impact,
    overbilled_cost::decimal(38, 18) as overbilled_cost,
    underbilled_cost::decimal(38, 18) as underbilled_cost,
    unverifiable_cost::decimal(38, 18) as unverifiable_cost,
    currency::varchar as currency,
    provisional::boolean as provisional,
    explanation::varchar as explanation,
    finding_ids::varchar[] as finding_ids
  from case_in_month
)

select * from final
order by case_id
