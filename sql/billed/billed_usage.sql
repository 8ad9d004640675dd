-- billed_usage: billed Files and snapshot usage per resource, meter key and day, in the key's own unit
-- (grain: billing_resource_id × meter_key × usage_date × model × media × redundancy × access_tier × billing_currency).
-- The rows of the slice's mapped lines (billed_scope_line) whose usage date is in [$batch_from, $batch_to]: the billed
-- stage inserts them a batch of dates at a time (src/db/batches.ts says why) after deleting the slice's old
-- rows, so a re-run replaces instead of appending.
-- Free companion meters ('… Provisioned IOPS Free') count toward their paid key; charges and corrections net.
-- effective_price_per_meter_unit: the one price of the paid lines when they share one; otherwise the price of the
-- paid line with the largest absolute cost (an exact export price, not an average: DuckDB cannot divide DECIMALs
-- exactly). distinct_price_count, min and max say when that choice mattered.
with

lines as (
  select l.*
  from billed_scope_line as l
  where l.usage_date between $batch_from::date and $batch_to::date
),

grouped as (
  select
    billing_month,
    usage_date,
    billing_resource_id,
    meter_key,
    model,
    media,
    redundancy,
    access_tier,
    billing_currency,
    any_value(meter_unit) as meter_unit,
    count(*) filter (where quantity_meter_unit is null) as unnormalised_line_count,
    sum(quantity_meter_unit) as summed_quantity,
    coalesce(sum(quantity_meter_unit) filter (where not is_free_companion), 0) as paid_quantity,
    coalesce(sum(quantity_meter_unit) filter (where is_free_companion), 0) as free_quantity,
    coalesce(sum(quantity_meter_unit) filter (where not is_correction), 0) as charge_quantity,
    coalesce(sum(quantity_meter_unit) filter (where is_correction), 0) as correction_quantity,
    coalesce(sum(cost), 0) as cost_billing_currency,
    coalesce(sum(cost) filter (where not is_correction), 0) as charge_cost_billing_currency,
    coalesce(sum(cost) filter (where is_correction), 0) as correction_cost_billing_currency,
    first(effective_price_per_meter_unit order by abs(cost) desc nulls last, effective_price_per_meter_unit desc)
      filter (where not is_free_companion and effective_price_per_meter_unit is not null) as paid_dominant_price,
    first(effective_price_per_meter_unit order by abs(cost) desc nulls last, effective_price_per_meter_unit desc)
      filter (where effective_price_per_meter_unit is not null) as any_dominant_price,
    len(list_distinct(list(effective_price_per_meter_unit))) as distinct_price_count,
    nullif(array_to_string(list_sort(list_distinct(list(price_basis))), '; '), '') as price_basis,
    min(effective_price_per_meter_unit) as min_price_per_meter_unit,
    max(effective_price_per_meter_unit) as max_price_per_meter_unit,
    count(*) as line_count,
    count(*) filter (where is_correction) as correction_line_count,
    len(list_distinct(list(delivery_id))) as delivery_count,
    count(*) filter (where not is_unit_expected) as unexpected_unit_line_count,
    list_sort(list_distinct(list(coalesce(unit_of_measure, '(none)')))) as units_seen,
    min(charge_period_start) as first_charge_period_start,
    max(charge_period_end) as last_charge_period_end,
    -- sorted as text, as the diff sorts a cell's lines (diff_billed_cell.sql): a list of {file, line} pairs sorted
    -- by line number cost a third of this statement (5 s of the 2M-row bench month), for an order nothing showed
    list_sort(list(source_file || ':' || source_line)) as evidence
  from lines
  group by all
),

final as (
  select
    billing_month,
    usage_date,
    billing_resource_id,
    meter_key,
    model,
    media,
    redundancy,
    access_tier,
    billing_currency,
    meter_unit,
    case when unnormalised_line_count = 0 then summed_quantity end as quantity_meter_unit,
    case when unnormalised_line_count = 0 then paid_quantity end as paid_quantity_meter_unit,
    case when unnormalised_line_count = 0 then free_quantity end as free_quantity_meter_unit,
    case when unnormalised_line_count = 0 then charge_quantity end as charge_quantity_meter_unit,
    case when unnormalised_line_count = 0 then correction_quantity end as correction_quantity_meter_unit,
    cost_billing_currency,
    charge_cost_billing_currency,
    correction_cost_billing_currency,
    coalesce(paid_dominant_price, any_dominant_price) as effective_price_per_meter_unit,
    distinct_price_count,
    price_basis,
    min_price_per_meter_unit,
    max_price_per_meter_unit,
    line_count,
    correction_line_count,
    delivery_count,
    unnormalised_line_count,
    unexpected_unit_line_count,
    units_seen,
    first_charge_period_start,
    last_charge_period_end,
    evidence,
    now()::timestamp as built_at
  from grouped
)

select * from final
