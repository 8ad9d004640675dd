-- Part of the model (src/db/model.ts): created when the warehouse is opened.
-- finding_case: findings grouped into cases (grain: case_id). A view over `finding`, so it always agrees with it
-- whatever slice a scoped run replaced. Findings are one case when, within one billing month, they share
--   - the billed resource,
--   - the meter (for an unmapped meter or a price check without a meter key: the meter name Azure billed),
--   - the family of their kind: missing_charge, unexpected_charge and quantity_mismatch are one family (the billed
--     quantity differs from the expected one; an unexpected charge is a mismatch against nothing, a missing charge
--     one of nothing billed), every other kind is its own,
--   - the money direction,
--   - the cause: for unverifiable findings, why (resource_not_observed — the inventory did not observe the resource
--     at all that day — or the diff's unverifiable_reason),
-- and their usage days are contiguous (gaps and islands on the distinct days). Where the cause is that the
-- inventory never observed the resource, the findings of all its meters are one case (meter null, meters lists
-- them). kind: the members' kind, or quantity_mismatch when one family mixes kinds (27 Oct billed too long, 28 Oct
-- billed at all). severity: the highest of the members'. explanation: the member's with the most money (then the
-- first day's). Quantities are summed only when the case has one meter.
-- case_id: the first 16 hex digits of sha256 of the group key and the first day: stable across re-runs on the same
-- inputs.
create or replace view finding_case as
with

keyed as (
  select
    f.*,
    case
      -- (->> binds looser than = and and: every JSON access is parenthesised)
      when f.kind = 'unverifiable' and (f.evidence ->> 'unverifiable_reason') = 'not_covered'
        and (f.evidence ->> 'covered_seconds')::bigint = 0 then 'resource_not_observed'
      when f.kind = 'unverifiable' then (f.evidence ->> 'unverifiable_reason')
    end as cause,
    case when f.kind in ('missing_charge', 'unexpected_charge', 'quantity_mismatch') then 'quantity' else f.kind end
      as family,
    case when f.meter is null then coalesce(f.evidence ->> 'meter_name', f.evidence ->> 'meter_names') end
      as billed_meter_name
  from finding as f
),

grouped as (
  select
    *,
    case when cause = 'resource_not_observed' then null else meter end as case_meter
  from keyed
),

islands as (
  select
    *,
    -- contiguous days share usage_date − rank; month-level findings (no day) form one island
    usage_date - (dense_rank() over (
      partition by billing_month, billing_resource_id, case_meter, billed_meter_name, family, money_direction, cause
      order by usage_date
    ))::integer as island
  from grouped
),

final as (
  select
    left(sha256(
      'case|' || billing_month || '|' || coalesce(billing_resource_id, '') || '|' || coalesce(case_meter, '*')
      || '|' || coalesce(billed_meter_name, '') || '|' || family || '|' || coalesce(money_direction, '') || '|'
      || coalesce(cause, '') || '|' || coalesce(min(usage_date)::varchar, '')
    ), 16) as case_id,
    billing_month,
    billing_resource_id,
    case_meter as meter,
    list(distinct meter order by meter) filter (where meter is not null) as meters,
    billed_meter_name,
    case when count(distinct kind) = 1 then min(kind) else 'quantity_mismatch' end as kind,
    cause,
    case max(case severity when 'high' then 3 when 'medium' then 2 else 1 end)
      when 3 then 'high' when 2 then 'medium' else 'low'
    end as severity,
    money_direction,
    min(usage_date) as first_day,
    max(usage_date) as last_day,
    count(distinct usage_date) as day_count,
    count(*) as finding_count,
    case when count(distinct meter) <= 1 then sum(billed_quantity) end as billed_quantity,
    case when count(distinct meter) <= 1 then sum(expected_quantity) end as expected_quantity,
    case when count(distinct meter) <= 1 then sum(delta_quantity) end as delta_quantity,
    sum(billed_cost) as billed_cost,
    sum(cost_impact) as cost_impact,
    sum(overbilled_cost) as overbilled_cost,
    sum(underbilled_cost) as underbilled_cost,
    sum(unverifiable_cost) as unverifiable_cost,
    min(currency) as currency,
    bool_or(provisional) as provisional,
    list(explanation order by cost_impact desc nulls last, usage_date, finding_id)[1] as explanation,
    list(finding_id order by usage_date, finding_id) as finding_ids
  from islands
  group by billing_month, billing_resource_id, case_meter, billed_meter_name, family, money_direction, cause, island
)

select * from final;
