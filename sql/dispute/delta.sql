-- delta (query) — grain: billing_resource_id × meter × usage_date × finding_id. Every compared cell of the resources
-- in scope for the month (billed, expected, delta, status) beside the findings raised on it; a cell with two findings
-- has two rows, and a finding with no cell (an unmapped meter, a month-level finding) has a row of its own.
with
cell as (
  select * from comparison
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
),
found as (
  select * from finding
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
),
joined as (
  select
    coalesce(c.billing_resource_id, f.billing_resource_id) as billing_resource_id,
    coalesce(c.meter, f.meter) as meter,
    coalesce(c.usage_date, f.usage_date) as usage_date,
    c.billed_quantity,
    c.expected_quantity,
    c.delta_quantity,
    u.meter_unit,
    c.billed_cost,
    c.effective_price,
    coalesce(c.currency, f.currency) as currency,
    c.is_covered,
    c.status,
    f.finding_id,
    f.kind,
    f.severity,
    f.billed_quantity as finding_billed_quantity,
    f.expected_quantity as finding_expected_quantity,
    f.delta_quantity as finding_delta_quantity,
    f.cost_impact,
    f.provisional,
    f.explanation
  from cell as c
  full outer join found as f
    on f.billing_resource_id = c.billing_resource_id
    and f.meter = c.meter
    and f.usage_date = c.usage_date
  left join meter_key_unit as u
    on u.meter_key = coalesce(c.meter, f.meter)
),
final as (
  select * replace (usage_date::varchar as usage_date) from joined
)
select * from final
order by billing_resource_id, meter nulls last, usage_date nulls last, finding_id nulls first;
