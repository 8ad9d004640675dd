-- price_check: each Files or snapshot line's cost against quantity × the price of that cost
-- (grain: delivery_id × source_file × source_line × price_pair; mapped and unmapped lines).
-- A cost is checked only against its own price (export-formats §0.4, §1c):
--   EA/MCA, either view: cost (Cost / CostInBillingCurrency) = Quantity × EffectivePrice. In ActualCost, usage a
--     reservation or savings plan covers has EffectivePrice 0 and cost 0; in AmortizedCost the amortized price and
--     cost: consistent in both, so coverage is never a price_mismatch.
--   FOCUS: BilledCost = PricingQuantity × x_BilledUnitPrice ('billed' pair) and EffectiveCost = PricingQuantity ×
--     x_EffectiveUnitPrice ('effective' pair). Never one cost against the other's price: on covered usage BilledCost
--     is 0 while x_EffectiveUnitPrice is the amortized price.
-- DuckDB cannot multiply two DECIMAL(38,28) (the scale would be 56), so quantity is cast to 12 fractional digits and
-- price to 16: the product has scale 28 and 10 integer digits. The cast moves the product by at most
-- 5e-13 × price + 5e-17 × quantity, far below the tolerance.
-- is_price_mismatch: |cost − quantity × price| > 0.000001 in billing currency (exports apply no rounding; a
-- micro-unit absorbs rounding to 6+ decimals and the cast above). A pair without a price, quantity or cost is not
-- checkable and never flagged.
-- price_check_of(line_relation): the same over the named relation of billed_line_meter rows (a stage's slice of
-- months, materialised once); the view is it over every counted line.
create or replace macro price_check_of(line_relation) as table
with

lines as (
  select * from query_table(line_relation)
  where classification in ('mapped', 'unmapped')
),

settings as (
  select 0.000001::decimal(38, 28) as tolerance_billing_currency
),

-- the priced pairs of each dialect: EA/MCA have one, FOCUS two
price_pair as (
  select * from (values
    (false, 'cost × EffectivePrice'),
    (true, 'BilledCost × x_BilledUnitPrice'),
    (true, 'EffectiveCost × x_EffectiveUnitPrice')
  ) as t (is_focus, price_pair)
),

-- one row per priced pair of a line, joined rather than a union of one select per pair: a union reads the lines
-- once per pair, and DuckDB answers that by storing a copy of every line (3 s of the bench night's findings)
paired as (
  select
    l.* exclude (cost),
    p.price_pair,
    case p.price_pair when 'EffectiveCost × x_EffectiveUnitPrice' then l.effective_cost else l.cost end as cost,
    case p.price_pair when 'BilledCost × x_BilledUnitPrice' then l.billed_unit_price else l.effective_price end
      as pair_price
  from lines as l
  join price_pair as p on p.is_focus = (l.dialect is not distinct from 'focus')
),

computed as (
  select
    l.*,
    s.tolerance_billing_currency,
    l.quantity is not null and l.pair_price is not null and l.cost is not null as is_checkable,
    -- A refund's quantity by the sign of its cost (billed_line_meter.net_quantity): its price stays positive.
    l.net_quantity::decimal(38, 12) * l.pair_price::decimal(38, 16) as expected_cost_billing_currency
  from paired as l
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
    price_pair,
    pricing_model,
    is_commitment_covered(pricing_model) as is_commitment_covered,
    quantity,
    pair_price as effective_price,
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

select * from final;

create or replace view price_check as
from price_check_of('billed_line_meter')
