-- diff_report: the findings of the scope counted for the run summary (grain: dimension × value).
-- dimension 'kind' / 'severity' count findings; 'currency' sums cost_impact per currency (DECIMAL, as text);
-- 'month' lists the billing months compared.
with

parameter as (
  select * from diff_parameter
),

findings as (
  select f.*
  from finding as f
  cross join parameter as p
  where f.billing_month in (select billing_month from diff_month)
    and in_scope_row(f.billing_month, f.usage_date, f.billing_resource_id)
),

final as (
  select 'kind' as dimension, kind as value, count(*)::varchar as amount from findings group by kind
  union all
  select 'severity', severity, count(*)::varchar from findings group by severity
  union all
  select 'currency', currency, sum(cost_impact)::varchar from findings where cost_impact is not null group by currency
  union all
  select 'month', billing_month, null from diff_month
)

select * from final
order by dimension, value
