-- explain_finding: one finding with the expected_usage row of its key, for `recon explain` (grain: finding_id).
-- $finding_id: the 16-hex id.
with

found as (
  select * from finding where finding_id = lower(trim($finding_id))
),

final as (
  select
    f.finding_id, f.billing_month, f.usage_date::varchar as usage_date, f.billing_resource_id, f.meter, f.kind,
    f.severity, f.billed_quantity::varchar as billed_quantity, f.expected_quantity::varchar as expected_quantity,
    f.delta_quantity::varchar as delta_quantity, f.billed_cost::varchar as billed_cost,
    f.cost_impact::varchar as cost_impact, f.currency, f.provisional, f.explanation, f.rule, f.unit_convention,
    f.evidence::varchar as evidence, f.run_id,
    e.rule as expected_rule,
    e.quantity::varchar as expected_usage_quantity,
    e.quantity_numerator::varchar as quantity_numerator,
    e.quantity_denominator::varchar as quantity_denominator,
    e.numerator_unit,
    e.days_in_month,
    e.source_count,
    e.unknown_seconds,
    e.is_complete,
    e.is_open_ended,
    c.covered_seconds,
    u.meter_unit,
    u.unit_kind
  from found as f
  left join expected_usage as e
    on e.billing_resource_id = f.billing_resource_id and e.meter = f.meter and e.usage_date = f.usage_date
  left join inventory_coverage as c
    on c.billing_resource_id = f.billing_resource_id and c.usage_date = f.usage_date
  left join meter_key_unit as u
    on u.meter_key = f.meter
)

select * from final
