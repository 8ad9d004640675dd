-- explain_billed: the billed_usage variants of one key with their source lines (grain: model × media × redundancy ×
-- access_tier × billing_currency). $billing_resource_id, $meter, $usage_date.
with

billed as (
  select *
  from billed_usage
  where billing_resource_id = $billing_resource_id and meter_key = $meter and usage_date = $usage_date::date
),

final as (
  select
    model, media, redundancy, access_tier, billing_currency, meter_unit,
    quantity_meter_unit::varchar as quantity,
    charge_quantity_meter_unit::varchar as charge_quantity,
    correction_quantity_meter_unit::varchar as correction_quantity,
    free_quantity_meter_unit::varchar as free_quantity,
    cost_billing_currency::varchar as cost,
    effective_price_per_meter_unit::varchar as effective_price,
    line_count::varchar as line_count,
    correction_line_count::varchar as correction_line_count,
    units_seen,
    evidence
  from billed
)

select * from final
order by model, media, redundancy, access_tier, billing_currency
