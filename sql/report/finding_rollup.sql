-- finding_rollup: case and finding counts and money by direction of the billing months in scope, rolled up by
-- kind, by meter, by severity and overall (grain: dimension × value × currency). Money is summed per currency and
-- per direction (overbilled, underbilled, unverifiable), never across either. Cases are counted from finding_case
-- (a case's kind, meter and severity), findings from finding. value is null for the 'total' dimension and for the
-- meter of unmapped_meter findings (and of cases that span the meters of a resource the inventory never observed).
-- $billing_months: varchar[] of YYYY-MM; the run's days and resources: run_scope (sql/pipeline/run_scope_macros.sql).
with
finding_in_scope as (
  select kind, meter, severity, currency, overbilled_cost, underbilled_cost, unverifiable_cost
  from finding
  where list_contains($billing_months::varchar[], billing_month)
    and in_scope_day(usage_date) and in_scope_resource(billing_resource_id)
),

case_in_scope as (
  select kind, meter, severity, currency, overbilled_cost, underbilled_cost, unverifiable_cost
  from finding_case
  where list_contains($billing_months::varchar[], billing_month)
    and in_scope_span(first_day, last_day) and in_scope_resource(billing_resource_id)
),

finding_rolled_up as (
  select
    case
      when grouping(kind) = 0 then 'kind'
      when grouping(meter) = 0 then 'meter'
      when grouping(severity) = 0 then 'severity'
      else 'total'
    end as dimension,
    coalesce(kind, meter, severity) as value,
    currency,
    count(*) as finding_count
  from finding_in_scope
  group by grouping sets ((kind, currency), (meter, currency), (severity, currency), (currency))
),

case_rolled_up as (
  select
    case
      when grouping(kind) = 0 then 'kind'
      when grouping(meter) = 0 then 'meter'
      when grouping(severity) = 0 then 'severity'
      else 'total'
    end as dimension,
    coalesce(kind, meter, severity) as value,
    currency,
    count(*) as case_count,
    sum(overbilled_cost) as overbilled_cost,
    sum(underbilled_cost) as underbilled_cost,
    sum(unverifiable_cost) as unverifiable_cost
  from case_in_scope
  group by grouping sets ((kind, currency), (meter, currency), (severity, currency), (currency))
),

final as (
  select
    dimension,
    value,
    currency,
    coalesce(f.finding_count, 0) as finding_count,
    coalesce(c.case_count, 0) as case_count,
    c.overbilled_cost,
    c.underbilled_cost,
    c.unverifiable_cost
  from finding_rolled_up as f
  full join case_rolled_up as c using (dimension, value, currency)
)

select * from final
order by
  dimension,
  case when dimension = 'severity' then list_position(['high', 'medium', 'low'], value) end,
  value nulls last,
  currency nulls last
