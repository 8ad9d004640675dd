-- billing_line export: the canonical charge rows of the deliveries that count, one billing month
-- (grain: delivery_id × source_file × source_line). export_source is the ingest stage's current_billing_line view
-- (billing_line when that view does not exist), set up by src/export/index.ts. Column types are cast explicitly so
-- the Parquet schema is the documented one whatever the warehouse holds (docs/parquet-schemas.md).
-- Quantity, prices and cost are DECIMAL(28, 18) so that every common reader takes them (.NET's decimal holds 28
-- digits); Azure writes up to 28 fractional digits, kept exactly by the warehouse's DECIMAL(38, 28), so the
-- DECIMAL(28, 18) figure is rounded half away from zero at the 18th decimal (export_decimal_28_18, macros.sql) and
-- the exact value is in the <column>_exact text column beside it. A line has at most 10 integer digits (ingest), so
-- the cast never overflows.
-- $billing_month: YYYY-MM.
with
billing_line_in_month as (
  select *
  from export_source
  where billing_month = $billing_month
),

final as (
  select
    delivery_id::varchar as delivery_id,
    source_file::varchar as source_file,
    source_line::bigint as source_line,
    billing_month::varchar as billing_month,
    charge_period_start::timestamp as charge_period_start,
    charge_period_end::timestamp as charge_period_end,
    usage_date::date as usage_date,
    billing_account_id::varchar as billing_account_id,
    billing_profile_id::varchar as billing_profile_id,
    subscription_id::varchar as subscription_id,
    resource_group::varchar as resource_group,
    billing_resource_id::varchar as billing_resource_id,
    resource_name::varchar as resource_name,
    resource_location::varchar as resource_location,
    service_name::varchar as service_name,
    product_name::varchar as product_name,
    meter_id::varchar as meter_id,
    meter_category::varchar as meter_category,
    meter_subcategory::varchar as meter_subcategory,
    meter_name::varchar as meter_name,
    meter_region::varchar as meter_region,
    unit_of_measure::varchar as unit_of_measure,
    pricing_block_size::decimal(28, 10) as pricing_block_size,
    distinct_unit::varchar as distinct_unit,
    export_decimal_28_18(quantity) as quantity,
    quantity::decimal(38, 28)::varchar as quantity_exact,
    export_decimal_28_18(effective_price) as effective_price,
    effective_price::decimal(38, 28)::varchar as effective_price_exact,
    export_decimal_28_18(unit_price) as unit_price,
    unit_price::decimal(38, 28)::varchar as unit_price_exact,
    export_decimal_28_18(cost) as cost,
    cost::decimal(38, 28)::varchar as cost_exact,
    export_decimal_28_18(billed_unit_price) as billed_unit_price,
    billed_unit_price::decimal(38, 28)::varchar as billed_unit_price_exact,
    export_decimal_28_18(effective_cost) as effective_cost,
    effective_cost::decimal(38, 28)::varchar as effective_cost_exact,
    billing_currency::varchar as billing_currency,
    charge_type::varchar as charge_type,
    charge_class::varchar as charge_class,
    pricing_model::varchar as pricing_model,
    frequency::varchar as frequency,
    reservation_id::varchar as reservation_id,
    tags::json as tags,
    additional_info::json as additional_info
  from billing_line_in_month
)

select * from final
order by delivery_id, source_file, source_line
