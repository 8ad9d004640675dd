-- diff_billed_cell (temp table) — grain: billing_month × billing_resource_id × meter × usage_date: billed usage in
-- the diff's scope (diff_parameter, diff_month, in_scope_row) summed over its attribute variants (model, media,
-- redundancy, tier) and currency, for diff_cell.sql's join; variant_texts names each variant, for the evidence.
-- Built a batch of usage dates at a time, [$batch_from, $batch_to] (src/db/batches.ts says why).
with

parameter as (
  select * from diff_parameter
),

months as (
  select * from diff_month
),

billed_variant as (
  select b.*
  from billed_usage as b
  cross join parameter as p
  join months as m using (billing_month)
  where in_scope_row(b.billing_month, b.usage_date, b.billing_resource_id)
    and b.usage_date between $batch_from::date and $batch_to::date
),

final as (
  select
    billing_month,
    billing_resource_id,
    meter_key as meter,
    usage_date,
    -- a variant whose unit could not be normalised makes the cell's quantity unknown, never a silent zero
    case when bool_and(quantity_meter_unit is not null) then sum(quantity_meter_unit::decimal(38, 18)) end
      as billed_quantity,
    sum(cost_billing_currency::decimal(38, 18)) as billed_cost,
    arg_max(effective_price_per_meter_unit, abs(cost_billing_currency))
      filter (where effective_price_per_meter_unit is not null) as billed_price,
    nullif(array_to_string(list_sort(list_distinct(list(price_basis))), '; '), '') as price_basis,
    min(billing_currency) as billed_currency,
    sum(line_count) as line_count,
    sum(correction_line_count) as correction_line_count,
    list_sort(flatten(list(evidence))) as billed_evidence,
    list_sort(list(diff_variant_text(model, media, redundancy, access_tier))) as variant_texts
  from billed_variant
  group by billing_month, billing_resource_id, meter_key, usage_date
)

select * from final
