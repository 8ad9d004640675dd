-- Cost views and overlapping exports (README "Cost views and overlapping exports"). Created when the warehouse is
-- opened (src/db/model.ts).
--
-- Azure writes the same usage in several cost views: ActualCost (what the invoice bills: reservation- and
-- savings-plan-covered usage at price 0), AmortizedCost (the same usage lines, covered ones at their amortized
-- price) and FOCUS (both costs in one row). Each delivery says which view it is; counted_delivery then decides, per
-- billing month, which current deliveries count, so every usage is reconciled once whatever mix of views and
-- overlapping export scopes the user points recon at.

-- counted_delivery: which current deliveries count (grain: delivery_id; every row of current_delivery).
-- The rule, per billing month, deterministic and independent of ingest order:
--   * Two current deliveries overlap when they bill the same usage: a resource × meter × day in both (usage charge
--     types only; purchases and unused commitments are not usage).
--   * Deliveries are ranked: the one billing more resources first (a billing-account export before a subscription
--     export it contains), then by cost view — focus (billed and amortized cost in one row), actual, amortized,
--     undetermined —, then the later period end, more usage keys, the later submission and the delivery id.
--   * A delivery is set aside when a higher-ranked delivery overlaps it and bills every resource it bills: its
--     usage is counted there. Quantities are the same in every view; only the money differs, and say so.
--   * Two counted deliveries that still overlap (each bills resources the other does not) cannot be counted once:
--     overlap_delivery_id names the other, and the billed stage refuses the month naming both exports.
-- Months with one current delivery cost nothing here: keys are computed only for months with two or more.
create or replace view counted_delivery as
with

-- current_delivery names delivery's columns one by one; the cost view is read from delivery itself
current_set as (
  select
    d.*,
    v.cost_view,
    v.cost_view_source,
    case v.cost_view when 'focus' then 1 when 'actual' then 2 when 'amortized' then 3 else 4 end as view_rank
  from current_delivery as d
  join delivery as v using (delivery_id)
),

shared_month as (
  select billing_month from current_set group by billing_month having count(*) > 1
),

usage_key as (
  select distinct c.billing_month, b.delivery_id, b.billing_resource_id, b.meter_id, b.usage_date
  from billing_line as b
  join current_set as c using (delivery_id)
  where c.billing_month in (select billing_month from shared_month)
    and b.billing_resource_id is not null
    and not is_non_usage_charge_type(b.charge_type)
),

key_count as (
  select delivery_id, count(*) as usage_key_count, count(distinct billing_resource_id) as resource_count
  from usage_key
  group by delivery_id
),

ranked as (
  select
    c.*,
    coalesce(k.usage_key_count, 0) as usage_key_count,
    coalesce(k.resource_count, 0) as resource_count,
    row_number() over (
      partition by c.billing_month
      order by coalesce(k.resource_count, 0) desc, c.view_rank, c.period_end desc nulls last,
               coalesce(k.usage_key_count, 0) desc, c.submitted_at desc nulls last, c.delivery_id
    ) as preference_rank
  from current_set as c
  left join key_count as k using (delivery_id)
),

shared_usage as (
  select a.delivery_id as delivery_id, b.delivery_id as other_delivery_id, count(*) as shared_key_count
  from usage_key as a
  join usage_key as b
    on b.billing_month = a.billing_month
    and b.delivery_id <> a.delivery_id
    and b.billing_resource_id = a.billing_resource_id
    and b.meter_id is not distinct from a.meter_id
    and b.usage_date = a.usage_date
  group by all
),

resource_set as (
  select distinct delivery_id, billing_resource_id from usage_key
),

-- for each overlapping pair: how many of delivery_id's resources other_delivery_id does not bill
pair as (
  select
    s.delivery_id,
    s.other_delivery_id,
    s.shared_key_count,
    count(*) filter (where o.billing_resource_id is null) as resources_outside_other
  from shared_usage as s
  join resource_set as r on r.delivery_id = s.delivery_id
  left join resource_set as o on o.delivery_id = s.other_delivery_id and o.billing_resource_id = r.billing_resource_id
  group by all
),

cover as (
  select
    p.delivery_id,
    arg_min(p.other_delivery_id, o.preference_rank) as covering_delivery_id,
    arg_min(p.shared_key_count, o.preference_rank) as covering_shared_key_count
  from pair as p
  join ranked as me on me.delivery_id = p.delivery_id
  join ranked as o on o.delivery_id = p.other_delivery_id
  where o.preference_rank < me.preference_rank and p.resources_outside_other = 0
  group by p.delivery_id
),

decided as (
  select r.*, c.covering_delivery_id, c.covering_shared_key_count, c.delivery_id is null as is_counted
  from ranked as r
  left join cover as c using (delivery_id)
),

conflict as (
  select
    p.delivery_id,
    arg_min(p.other_delivery_id, o.preference_rank) as overlap_delivery_id,
    arg_min(p.shared_key_count, o.preference_rank) as overlap_shared_key_count
  from pair as p
  join decided as me on me.delivery_id = p.delivery_id and me.is_counted
  join decided as o on o.delivery_id = p.other_delivery_id and o.is_counted
  group by p.delivery_id
),

final as (
  select
    d.delivery_id,
    d.export_scope,
    d.export_name,
    d.billing_month,
    d.cost_view,
    d.cost_view_source,
    d.source_path,
    d.preference_rank,
    d.resource_count,
    d.usage_key_count,
    d.is_counted,
    d.covering_delivery_id,
    d.covering_shared_key_count,
    case when not d.is_counted then
      'its usage is counted from ' || coalesce(cv.export_name, cv.export_scope) || ' (' || coalesce(cv.cost_view, 'cost view undetermined')
        || ', ' || cv.source_path || '): both bill the same usage (' || d.covering_shared_key_count
        || ' resource × meter × day keys) and that export bills every resource this one does'
        || case
             when cv.resource_count > d.resource_count then ' and more (a wider scope)'
             when cv.cost_view is distinct from d.cost_view then '; one cost view is counted per usage, and '
               || coalesce(cv.cost_view, 'undetermined') || ' ranks before ' || coalesce(d.cost_view, 'undetermined')
             else '; it ranks first (later period end, more usage, or later submission)'
           end
    end as set_aside_reason,
    x.overlap_delivery_id,
    x.overlap_shared_key_count
  from decided as d
  left join decided as cv on cv.delivery_id = d.covering_delivery_id
  left join conflict as x on x.delivery_id = d.delivery_id
)

select * from final;

-- counted_billing_line_of(months): billing lines of counted deliveries in the billing months of a list ('YYYY-MM';
-- null: every month), with their delivery's dialect and cost view (grain: as billing_line). The billed stage reads
-- this, not current_billing_line. A macro, so that a statement reading the lines twice scans them twice rather than
-- store a copy: DuckDB materialises a CTE read twice, and does not keep a NOT MATERIALIZED in a stored macro or view
-- (test/billed/line-plan.test.ts).
-- The counted deliveries are narrowed first to those with a line in the months (a delivery's period spans its
-- lines' days; a delivery without one is kept): the month test on the lines prunes nothing, while the delivery ids
-- the join keeps are pushed into the scan of the lines, so one month of a loaded year reads that month's row groups,
-- not the year's.
create or replace macro counted_billing_line_of(months) as table
with final as (
  select b.*, d.cost_view, d.dialect
  from billing_line as b
  join (
    select c.delivery_id, c.cost_view, dl.dialect
    from counted_delivery as c
    join delivery as dl using (delivery_id)
    where c.is_counted
      and (months is null
        or dl.period_start is null
        or dl.period_end is null
        or list_bool_or([m between strftime(dl.period_start, '%Y-%m') and strftime(dl.period_end, '%Y-%m')
          for m in months]))
  ) as d using (delivery_id)
  where months is null or list_contains(months, b.billing_month)
)

select * from final;

-- counted_billing_line: the same for every month.
create or replace view counted_billing_line as
select * from counted_billing_line_of(null);
