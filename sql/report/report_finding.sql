-- report_finding: the findings of the billing months in scope, in report order (grain: finding_id).
-- The public columns of contract.md in contract order, then the evidence the HTML report shows. Ordered by money
-- at stake (cost_impact desc, unknown last) then finding_id, so findings.json, findings.csv and report.html list
-- the same findings in the same order on every run.
-- $billing_months: varchar[] of YYYY-MM; the run's days and resources: run_scope (sql/pipeline/run_scope_macros.sql).
with
finding_in_scope as (
  select *
  from finding
  where list_contains($billing_months::varchar[], billing_month)
    and in_scope_day(usage_date) and in_scope_resource(billing_resource_id)
),

final as (
  select
    finding_id,
    billing_month,
    usage_date,
    billing_resource_id,
    meter,
    kind,
    severity,
    billed_quantity,
    expected_quantity,
    delta_quantity,
    billed_cost,
    cost_impact,
    currency,
    money_direction,
    overbilled_cost,
    underbilled_cost,
    unverifiable_cost,
    provisional,
    explanation,
    rule,
    unit_convention,
    evidence::varchar as evidence_json,
    u.meter_unit as unit                 -- the unit of the three quantities (findings.csv's unit column)
  from finding_in_scope
  left join meter_key_unit as u
    on u.meter_key = finding_in_scope.meter
)

select * from final
order by cost_impact desc nulls last, finding_id
