-- billing_line rows of one delivery (grain: delivery_id × source_file × source_line).
-- Input: ingest_delivery_row (every file's rows converted by the dialect mapping, src/ingest/typed-select.ts, in
-- file and line order) and the variable ingest_unit_of (ingest_unit as a map: resolveUnits in file-ingest.ts). Rows
-- with a problem go to the quarantine instead (quarantine.sql). $delivery_id.
-- One table scanned and no join: the rows are stored in the order they come in, without a sort of the delivery.
insert into billing_line by name
with typed as (
  select *, getvariable('ingest_unit_of')[unit_of_measure] as u from ingest_delivery_row where reason is null
),

final as (
  select
    cast($delivery_id as varchar) as delivery_id,
    t.source_file,
    t.source_line,
    strftime(t.charge_period_start, '%Y-%m') as billing_month,
    t.charge_period_start,
    t.charge_period_end,
    cast(t.charge_period_start as date) as usage_date,
    t.billing_account_id,
    t.billing_profile_id,
    t.subscription_id,
    t.resource_group,
    t.billing_resource_id,
    t.resource_name,
    t.resource_location,
    t.service_name,
    t.product_name,
    t.meter_id,
    t.meter_category,
    t.meter_subcategory,
    t.meter_name,
    t.meter_region,
    t.unit_of_measure,
    cast(coalesce(t.pricing_block_size, t.u.pricing_block_size) as decimal(38, 10)) as pricing_block_size,
    coalesce(t.distinct_unit, t.u.distinct_unit) as distinct_unit,
    t.quantity,
    t.effective_price,
    t.unit_price,
    t.cost,
    t.billed_unit_price,
    t.effective_cost,
    t.billing_currency,
    t.charge_type,
    t.charge_class,
    t.pricing_model,
    t.frequency,
    t.reservation_id,
    t.tags,
    t.additional_info
  from typed as t
)

select * from final
