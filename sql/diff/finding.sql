-- finding: every finding of the scope (grain: finding_id), from the diff_finding_* views. Replaces the scope's
-- slice (months, days, resource prefixes of diff_parameter), never appends.
-- finding_id: the first 16 hex digits of sha256(billing_resource_id|meter|usage_date|kind), with |id_part appended
--   where one kind can occur twice on a key (the meter name of an unmapped meter, the violation id) — stable across
--   re-runs on the same inputs.
-- severity: from the money at stake in billing currency (thresholds in diff_parameter, from src/diff/policy.ts):
--   high ≥ severity_high_cost, medium ≥ severity_medium_cost, else low. Unknown money: medium for charges that are
--   wrong or missing, low for unverifiable and unmapped meters. unverifiable is at most medium (the inventory cannot
--   confirm it), metadata_violation always medium.
-- provisional: the current delivery that carried the resource's lines that month (else any current delivery of the
--   month) was submitted less than settle_hours after the end of the usage day, or has no submission time.
-- money_direction and the three direction columns (sql/schema/001_baseline.sql, finding): which way the money at stake
--   goes. A quantity-based kind goes the way of billed − expected; a price check the way of billed − quantity ×
--   price; a duplicate or a charge on a meter nothing is expected on is overbilled; a missing charge underbilled;
--   unverifiable and unmapped charges cannot be checked; a metadata violation (the customer's own change) or a
--   wrong meter whose price difference is not in the inputs has no money direction ('none'). A known direction
--   with unknown money leaves the direction columns null.
delete from finding
where in_scope_row(billing_month, usage_date, billing_resource_id);

insert into finding by name
with

parameter as (
  select * from diff_parameter
),

candidates as (
  select * from diff_finding_comparison
  union all by name
  select * from diff_finding_month
  union all by name
  select * from diff_finding_duplicate
  union all by name
  select * from diff_finding_unmapped
  union all by name
  select * from diff_finding_price
  union all by name
  select * from diff_finding_metadata
),

settled as (
  select
    c.*,
    case when rd.billing_resource_id is not null then rd.submitted_at else m.submitted_at end as submitted_at,
    coalesce(rd.delivery_ids, m.delivery_ids) as delivery_ids
  from candidates as c
  join diff_month as m using (billing_month)
  left join diff_resource_delivery as rd using (billing_month, billing_resource_id)
),

directed as (
  select
    s.*,
    case
      when s.kind in ('metadata_violation', 'misdated_charge') then 'none'
      when s.kind in ('unverifiable', 'unmapped_meter') then 'unverifiable'
      when s.kind = 'missing_charge' then 'underbilled'
      when s.kind in ('unexpected_charge', 'duplicate_charge') then 'overbilled'
      when s.kind = 'wrong_meter' then case when s.cost_impact is null then 'none' else 'overbilled' end
      when s.kind = 'price_mismatch' then
        case when s.billed_cost >= (s.evidence ->> 'expected_cost')::decimal(38, 18) then 'overbilled' else 'underbilled' end
      when s.delta_quantity < 0 then 'underbilled'
      when s.delta_quantity > 0 then 'overbilled'
      else 'none'
    end as money_direction
  from settled as s
),

final as (
  select
    left(sha256(
      coalesce(s.billing_resource_id, '') || '|' || coalesce(s.meter, '') || '|' || coalesce(s.usage_date::varchar, '')
      || '|' || s.kind || coalesce('|' || s.id_part, '')
    ), 16) as finding_id,
    s.billing_month::varchar as billing_month,
    s.usage_date::date as usage_date,
    s.billing_resource_id::varchar as billing_resource_id,
    s.meter::varchar as meter,
    s.kind::varchar as kind,
    case
      when s.kind = 'metadata_violation' then 'medium'
      when s.cost_impact is null then case when s.kind in ('unverifiable', 'unmapped_meter') then 'low' else 'medium' end
      when s.cost_impact >= p.severity_high_cost then case when s.kind = 'unverifiable' then 'medium' else 'high' end
      when s.cost_impact >= p.severity_medium_cost then 'medium'
      else 'low'
    end as severity,
    s.billed_quantity::decimal(38, 18) as billed_quantity,
    s.expected_quantity::decimal(38, 18) as expected_quantity,
    s.delta_quantity::decimal(38, 18) as delta_quantity,
    s.billed_cost::decimal(38, 18) as billed_cost,
    s.cost_impact::decimal(38, 18) as cost_impact,
    s.currency::varchar as currency,
    s.money_direction::varchar as money_direction,
    case when s.money_direction = 'overbilled' then s.cost_impact end::decimal(38, 18) as overbilled_cost,
    case when s.money_direction = 'underbilled' then s.cost_impact end::decimal(38, 18) as underbilled_cost,
    case when s.money_direction = 'unverifiable' then coalesce(s.cost_impact, abs(s.billed_cost)) end::decimal(38, 18)
      as unverifiable_cost,
    coalesce(
      s.submitted_at < coalesce(s.usage_date, last_day(strptime(s.billing_month || '-01', '%Y-%m-%d')::date))
        + interval 1 day + to_hours(p.settle_hours),
      true
    ) as provisional,
    s.explanation::varchar as explanation,
    s.rule::varchar as rule,
    s.unit_convention::varchar as unit_convention,
    json_merge_patch(s.evidence, json_object('delivery_ids', s.delivery_ids, 'delivery_submitted_at', s.submitted_at::varchar))
      as evidence,
    p.run_id::varchar as run_id
  from directed as s
  cross join parameter as p
)

select * from final
order by finding_id
