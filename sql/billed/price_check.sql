-- price_check: each Files or snapshot line's billed cost against quantity × effective price
-- (grain: delivery_id × source_file × source_line; mapped and unmapped lines).
-- Exports state cost = quantity × effective price (export-formats §0.4), in export units. DuckDB cannot multiply
-- two DECIMAL(38,28) (the scale would be 56), so quantity is cast to 12 fractional digits and price to 16: the
-- product has scale 28 and 10 integer digits. The cast moves the product by at most
-- 5e-13 × price + 5e-17 × quantity, far below the tolerance.
-- is_price_mismatch: |cost − quantity × price| > 0.000001 in billing currency (exports apply no rounding; a
-- micro-unit absorbs rounding to 6+ decimals and the cast above). Lines without a price or quantity are not
-- checkable and never flagged.
create or replace view price_check as
with

lines as (
  select * from billed_line_meter
  where classification in ('mapped', 'unmapped')
),

settings as (
  select 0.000001::decimal(38, 28) as tolerance_billing_currency
),

computed as (
  select
    l.*,
    s.tolerance_billing_currency,
    l.quantity is not null and l.effective_price is not null and l.cost is not null as is_checkable,
    -- A refund's quantity by the sign of its cost (billed_line_meter.net_quantity): its price stays positive.
    l.net_quantity::decimal(38, 12) * l.effective_price::decimal(38, 16) as expected_cost_billing_currency
  from lines as l
  cross join settings as s
),

final as (
  select
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
    unit_of_measure,
    quantity,
    effective_price,
    cost as cost_billing_currency,
    billing_currency,
    expected_cost_billing_currency,
    cost - expected_cost_billing_currency as cost_difference_billing_currency,
    abs(cost - expected_cost_billing_currency) as abs_cost_difference_billing_currency,
    tolerance_billing_currency,
    is_checkable,
    coalesce(abs(cost - expected_cost_billing_currency) > tolerance_billing_currency, false) as is_price_mismatch
  from computed
)

select * from final
