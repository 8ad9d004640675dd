-- finding export: the findings of one billing month (grain: finding_id). The public columns of contract.md in
-- contract order, then the evidence columns (rule, unit_convention, evidence JSON, run_id).
-- export_source is the finding table (a temporary view set up by src/export/index.ts). $billing_month: YYYY-MM.
with
finding_in_month as (
  select *
  from export_source
  where billing_month = $billing_month
),

final as (
  select
    finding_id::varchar as finding_id,
    billing_month::varchar as billing_month,
    usage_date::date as usage_date,
    billing_resource_id::varchar as billing_resource_id,
    meter::varchar as meter,
    kind::varchar as kind,
    severity::varchar as severity,
    billed_quantity::decimal(38, 18) as billed_quantity,
    expected_quantity::decimal(38, 18) as expected_quantity,
    delta_quantity::decimal(38, 18) as delta_quantity,
    billed_cost::decimal(38, 18) as billed_cost,
    cost_impact::decimal(38, 18) as cost_impact,
    currency::varchar as currency,
    money_direction::varchar as money_direction,
    overbilled_cost::decimal(38, 18) as overbilled_cost,
    underbilled_cost::decimal(38, 18) as underbilled_cost,
    unverifiable_cost::decimal(38, 18) as unverifiable_cost,
    provisional::boolean as provisional,
    explanation::varchar as explanation,
    rule::varchar as rule,
    unit_convention::varchar as unit_convention,
    evidence::json as evidence,
    run_id::varchar as run_id
  from finding_in_month
)

select * from final
order by finding_id
