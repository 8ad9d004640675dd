-- finding_rollup: finding counts and money at stake of the billing months in scope, rolled up by kind, by meter,
-- by severity and overall (grain: dimension × value × currency). Money is summed per currency, never across.
-- value is null for the 'total' dimension and for the meter of unmapped_meter findings.
-- $billing_months: varchar[] of YYYY-MM; the run's days and resources: run_scope (sql/pipeline/run_scope_macros.sql).
with
finding_in_scope as (
  select kind, meter, severity, currency, cost_impact
  from finding
  where list_contains($billing_months::varchar[], billing_month)
    and in_scope_day(usage_date) and in_scope_resource(billing_resource_id)
),

rolled_up as (
  select
    case
      when grouping(kind) = 0 then 'kind'
      when grouping(meter) = 0 then 'meter'
      when grouping(severity) = 0 then 'severity'
      else 'total'
    end as dimension,
    coalesce(kind, meter, severity) as value,
    currency,
    count(*) as finding_count,
    sum(cost_impact) as cost_impact
  from finding_in_scope
  group by grouping sets ((kind, currency), (meter, currency), (severity, currency), (currency))
),

final as (
  select dimension, value, currency, finding_count, cost_impact
  from rolled_up
)

select * from final
order by
  dimension,
  case when dimension = 'severity' then list_position(['high', 'medium', 'low'], value) end,
  value nulls last,
  currency nulls last
