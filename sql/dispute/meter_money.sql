-- meter_money (query) — grain: meter × currency, plus one total row per currency (is_total, meter null). Money
-- billed (the compared cells' billed cost) and the findings' money by direction — overbilled (claimable),
-- underbilled (owed), unverifiable — for the resources in scope and the month. Never summed across currencies or
-- directions.
with
cell as (
  select * from comparison
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
    and currency is not null
),
found as (
  select * from finding
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
),
billed as (
  select
    meter, currency, billed_cost as amount, null::decimal(38, 18) as overbilled, null::decimal(38, 18) as underbilled,
    null::decimal(38, 18) as unverifiable, 0 as is_finding
  from cell
),
impact as (
  select
    meter, currency, null::decimal(38, 18) as amount, overbilled_cost as overbilled, underbilled_cost as underbilled,
    unverifiable_cost as unverifiable, 1 as is_finding
  from found
),
money as (
  select * from billed
  union all
  select * from impact
),
final as (
  select
    grouping(meter) = 1 as is_total,
    meter,
    currency,
    sum(amount) as billed_cost,
    sum(overbilled) as overbilled_cost,
    sum(underbilled) as underbilled_cost,
    sum(unverifiable) as unverifiable_cost,
    sum(is_finding) as finding_count
  from money
  group by grouping sets ((meter, currency), (currency))
)
select * from final
order by is_total, meter nulls last, currency nulls last;
