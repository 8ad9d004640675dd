-- finding_listing: the findings `recon findings` lists (grain: finding_id), in the report's order (most money at
-- stake first, unknown last, then finding_id), with the meter's unit beside the quantities.
-- $kinds varchar[] (null: every kind), $severities varchar[] (null: every severity), $prefixes varchar[] (lower-cased
-- billed resource id prefixes, null: every resource), $month varchar (null: every month).
with

listed as (
  select f.*, u.meter_unit
  from finding as f
  left join meter_key_unit as u
    on u.meter_key = f.meter
  where ($kinds::varchar[] is null or list_contains($kinds::varchar[], f.kind))
    and ($severities::varchar[] is null or list_contains($severities::varchar[], f.severity))
    and ($month::varchar is null or f.billing_month = $month::varchar)
    -- a filter of a read-only listing, not a run's scope (no run_scope here); ids lower-cased, prefixes already are
    and ($prefixes::varchar[] is null
         or len(list_filter($prefixes::varchar[], p -> starts_with(lower(f.billing_resource_id), p))) > 0)
),

final as (
  select
    finding_id,
    billing_month,
    usage_date::varchar as usage_date,
    billing_resource_id,
    meter,
    kind,
    severity,
    billed_quantity::varchar as billed_quantity,
    expected_quantity::varchar as expected_quantity,
    delta_quantity::varchar as delta_quantity,
    billed_cost::varchar as billed_cost,
    cost_impact::varchar as cost_impact,
    currency,
    money_direction,
    overbilled_cost::varchar as overbilled_cost,
    underbilled_cost::varchar as underbilled_cost,
    unverifiable_cost::varchar as unverifiable_cost,
    provisional,
    explanation,
    meter_unit as unit
  from listed
)

select * from final
order by cost_impact::decimal(38, 18) desc nulls last, finding_id
