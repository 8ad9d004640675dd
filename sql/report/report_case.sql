-- report_case: the cases of the billing months in scope, in report order (grain: case_id). The columns of the
-- finding_case view (sql/diff/finding_case.sql); lists as lists. Ordered by money at stake (unknown last),
-- then severity, then case_id, so cases.json, cases.csv, summary.md and report.html list them in the same order.
-- $billing_months: varchar[] of YYYY-MM.
with
case_in_scope as (
  select *
  from finding_case
  where list_contains($billing_months::varchar[], billing_month)
    and in_scope_span(first_day, last_day) and in_scope_resource(billing_resource_id)
),

final as (
  select
    case_id,
    billing_month,
    billing_resource_id,
    meter,
    meters,
    billed_meter_name,
    kind,
    cause,
    severity,
    money_direction,
    first_day::varchar as first_day,
    last_day::varchar as last_day,
    day_count::integer as day_count,
    finding_count::integer as finding_count,
    billed_quantity,
    expected_quantity,
    delta_quantity,
    billed_cost,
    cost_impact,
    overbilled_cost,
    underbilled_cost,
    unverifiable_cost,
    currency,
    provisional,
    explanation,
    finding_ids
  from case_in_scope
)

select * from final
order by cost_impact desc nulls last, list_position(['high', 'medium', 'low'], severity), case_id
