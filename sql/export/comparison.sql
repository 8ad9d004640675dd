-- comparison export: every compared cell of billed and expected usage, matching or not, one billing month
-- (grain: billing_resource_id × meter × usage_date).
-- export_source is the comparison table (a temporary view set up by src/export/index.ts). $billing_month: YYYY-MM.
with
comparison_in_month as (
  select *
  from export_source
  where billing_month = $billing_month
),

final as (
  select
    billing_month::varchar as billing_month,
    billing_resource_id::varchar as billing_resource_id,
    meter::varchar as meter,
    usage_date::date as usage_date,
    billed_quantity::decimal(38, 18) as billed_quantity,
    expected_quantity::decimal(38, 18) as expected_quantity,
    delta_quantity::decimal(38, 18) as delta_quantity,
    billed_cost::decimal(38, 18) as billed_cost,
    effective_price::decimal(38, 18) as effective_price,
    currency::varchar as currency,
    is_covered::boolean as is_covered,
    status::varchar as status
  from comparison_in_month
)

select * from final
order by billing_resource_id, meter, usage_date
