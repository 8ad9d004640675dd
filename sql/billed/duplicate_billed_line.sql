-- duplicate_billed_line: Files and snapshot lines billed more than once within one delivery
-- (grain: delivery_id × source_file × source_line; only lines whose group has two or more members).
-- Identity of a charge: delivery × resource × meter (id and names) × charge period × quantity × cost × unit ×
-- currency × charge type/class × pricing model × reservation × frequency. Lines that differ in pricing model or
-- reservation are legitimately separate (e.g. part of a day covered by a reservation) and are not duplicates;
-- the same line in two deliveries is a restatement, which current_billing_line resolves, not a duplicate.
-- occurrence_rank 1 is the first line by file and line number; the others are the repeats (is_repeat).
create or replace view duplicate_billed_line as
with

lines as (
  select * from billed_line_meter
  where classification in ('mapped', 'unmapped')
),

grouped as (
  select
    *,
    count(*) over charge as occurrence_count,
    row_number() over (charge order by source_file, source_line) as occurrence_rank,
    md5(concat_ws(
      '|', delivery_id, billing_resource_id, meter_id, meter_category, meter_subcategory, meter_name,
      charge_period_start, charge_period_end, quantity, cost, unit_of_measure, billing_currency, charge_type,
      charge_class, pricing_model, reservation_id, frequency
    )) as duplicate_group_id
  from lines
  window charge as (
    partition by
      delivery_id, billing_resource_id, meter_id, meter_category, meter_subcategory, meter_name,
      charge_period_start, charge_period_end, quantity, cost, unit_of_measure, billing_currency, charge_type,
      charge_class, pricing_model, reservation_id, frequency
  )
),

final as (
  select
    duplicate_group_id,
    delivery_id,
    source_file,
    source_line,
    billing_month,
    usage_date,
    billing_resource_id,
    meter_id,
    meter_name,
    meter_key,
    classification,
    charge_period_start,
    charge_period_end,
    quantity,
    quantity_meter_unit,
    cost as cost_billing_currency,
    billing_currency,
    charge_type,
    charge_class,
    pricing_model,
    reservation_id,
    occurrence_count,
    occurrence_rank,
    occurrence_rank > 1 as is_repeat
  from grouped
  where occurrence_count > 1
)

select * from final
