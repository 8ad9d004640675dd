-- meter_money (query) — grain: meter × currency, plus one total row per currency (is_total, meter null). Money
-- billed (the compared cells' billed cost) and money at stake (the sum of the findings' cost_impact) for the
-- resources in scope and the month. Never summed across currencies.
with
cell as (
  select * from comparison
  where dispute_month_in_scope(billing_month) and dispute_resource_in_scope(billing_resource_id)
    and currency is not null
),
found as (
  select * from finding
  where dispute_month_in_scope(billing_month) and dispute_resource_in_scope(billing_resource_id)
),
billed as (
  select meter, currency, billed_cost as amount, null::decimal(38, 18) as impact, 0 as is_finding from cell
),
impact as (
  select meter, currency, null::decimal(38, 18) as amount, cost_impact as impact, 1 as is_finding from found
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
    sum(impact) as cost_impact,
    sum(is_finding) as finding_count
  from money
  group by grouping sets ((meter, currency), (currency))
)
select * from final
order by is_total, meter nulls last, currency nulls last;
