-- Which deliveries and billing lines count (views over delivery and billing_line). Created when the warehouse is
-- opened (src/db/model.ts).

-- Deliveries count day by day (issue 11). A month-to-date export only grows, so the newest delivery of an export
-- speaks for every usage day it bills; a day it lacks (an empty or shrunken run) keeps what the newest delivery
-- that does bill it says, instead of vanishing. Each billing line counts in its own month (a file holding 30 Sep
-- and October bills both months), and no day of an export scope is counted from two deliveries.

-- delivery_day: the usage days each delivery bills, by the month of its lines (grain: delivery_id × usage_date).
-- A view, so it can never disagree with billing_line (one hash aggregate, ~0.25 s per 2 M lines).
create or replace view delivery_day as
with final as (
  select delivery_id, billing_month, usage_date, count(*) as line_count
  from billing_line
  group by delivery_id, billing_month, usage_date
)

select * from final;

-- delivery_eligible: deliveries that may count — complete ones whose content is still what some path holds (or was
-- never seen replaced). A delivery whose every path now holds other content has been replaced at its source.
create or replace view delivery_eligible as
with replaced as (
  select d.delivery_id
  from delivery as d
  where exists (
      select 1 from delivery_source as s where s.source_path = d.source_path and s.delivery_id <> d.delivery_id)
    and not exists (select 1 from delivery_source as s where s.delivery_id = d.delivery_id)
),

final as (
  select d.* from delivery as d
  where d.is_complete
    and regexp_full_match(d.billing_month, '\d{4}-(0[1-9]|1[0-2])')
    and d.delivery_id not in (select delivery_id from replaced)
)

select * from final;

-- delivery_recency: how new each eligible delivery is within its export scope (scope_rank, 1 = newest) and within
-- its scope × billing month (recency_rank). Month-to-date exports are cumulative snapshots. "Newest", in order:
--   1. submitted_at — the manifest's runInfo.submittedTime (or a loose file's export-time folder), later wins;
--      a delivery that has one outranks one that does not;
--   2. last_charge_at — the latest charge period in the data: a later run has seen later charges;
--   3. days_covered — more usage days covered;
--   4. rows_ingested, then delivery_id — deterministic tie-breaks between deliveries that say the same.
-- Ingest time and file modification times are deliberately not used: a copy or a git clone resets them. (What a
-- path held last is used, through delivery_eligible: that is what the user has now.)
create or replace view delivery_recency as
with ordered as (
  select
    delivery_id,
    export_scope,
    billing_month,
    row_number() over (
      partition by export_scope
      order by submitted_at desc nulls last, last_charge_at desc nulls last, days_covered desc,
               rows_ingested desc, delivery_id desc
    ) as scope_rank,
    row_number() over (
      partition by export_scope, billing_month
      order by submitted_at desc nulls last, last_charge_at desc nulls last, days_covered desc,
               rows_ingested desc, delivery_id desc
    ) as recency_rank
  from delivery_eligible
),

final as (
  select * from ordered
)

select * from final;

-- current_delivery_day: which delivery speaks for each usage day of an export scope — the newest eligible delivery
-- that bills the day (grain: export_scope × usage_date).
create or replace view current_delivery_day as
with billed_day as (
  select r.export_scope, dd.billing_month, dd.usage_date, dd.delivery_id, r.scope_rank
  from delivery_day as dd
  join delivery_recency as r using (delivery_id)
),

final as (
  select export_scope, billing_month, usage_date, arg_min(delivery_id, scope_rank) as delivery_id
  from billed_day
  group by export_scope, billing_month, usage_date
)

select * from final;

-- current_delivery: the deliveries that count in each billing month (grain: export_scope × billing_month ×
-- delivery_id): those that speak for at least one usage day of the month, and the newest delivery of a month even
-- when it speaks for none (an empty run, a file whose every row was quarantined: what it set aside is reported).
-- billing_month is the month counted; days_covered the days the delivery speaks for there; period_start and
-- period_end span those days and, in the delivery's own month, what it covers of that month. The rest is the
-- delivery as stored.
create or replace view current_delivery as
with served as (
  select export_scope, billing_month, delivery_id,
         min(usage_date) as first_day, max(usage_date) as last_day, count(*) as days_covered
  from current_delivery_day
  group by all
),

newest_unserved as (
  select r.export_scope, r.billing_month, r.delivery_id,
         null::date as first_day, null::date as last_day, 0 as days_covered
  from delivery_recency as r
  where r.recency_rank = 1
    and not exists (
      select 1 from served as s where s.delivery_id = r.delivery_id and s.billing_month = r.billing_month)
),

counted as (
  select * from served
  union all
  select * from newest_unserved
),

spanned as (
  select
    c.*,
    d.billing_month = c.billing_month as is_own_month,
    strptime(c.billing_month || '-01', '%Y-%m-%d')::date as month_first,
    last_day(strptime(c.billing_month || '-01', '%Y-%m-%d')::date) as month_last
  from counted as c
  join delivery as d using (delivery_id)
),

final as (
  select
    d.delivery_id, d.export_scope, d.export_name, d.dataset_type, d.data_version, d.dialect,
    s.billing_month, d.run_id, d.submitted_at,
    case when s.is_own_month then least(s.first_day, greatest(d.period_start, s.month_first)) else s.first_day end
      as period_start,
    case when s.is_own_month then greatest(s.last_day, least(d.period_end, s.month_last)) else s.last_day end
      as period_end,
    d.last_charge_at,
    cast(s.days_covered as integer) as days_covered,
    d.file_count, d.byte_count, d.rows_read, d.rows_ingested, d.rows_quarantined, d.expected_blob_count,
    d.expected_row_count, d.is_complete, d.incomplete_reason, d.source_path, d.ingested_at
  from spanned as s
  join delivery as d using (delivery_id)
)

select * from final;

-- current_billing_line: the billing lines that count — each usage day's lines from the delivery that speaks for it
-- (grain: as billing_line).
create or replace view current_billing_line as
with final as (
  select b.* from billing_line as b semi join current_delivery_day as c using (delivery_id, usage_date)
)

select * from final;

-- billing_line_restatement: what changed between the current delivery of a scope × month and the delivery it
-- replaced (the next newest complete one), per billing_resource_id × meter_id × usage_date; only keys whose
-- quantity or cost differ, including keys present in only one of the two (the other side is NULL).
-- (grain: export_scope × billing_month × billing_resource_id × meter_id × usage_date)
create or replace view billing_line_restatement as
with delivery_pair as (
  select cur.export_scope, cur.billing_month, cur.delivery_id as current_delivery_id,
         old.delivery_id as replaced_delivery_id
  from delivery_recency as cur
  join delivery_recency as old
    on old.export_scope = cur.export_scope and old.billing_month = cur.billing_month and old.recency_rank = 2
  where cur.recency_rank = 1
),

line_total as (
  select delivery_id, billing_resource_id, meter_id, usage_date,
         sum(quantity) as quantity, sum(cost) as cost
  from billing_line
  where delivery_id in (select current_delivery_id from delivery_pair union all select replaced_delivery_id from delivery_pair)
  group by all
),

current_total as (
  select p.export_scope, p.billing_month, t.billing_resource_id, t.meter_id, t.usage_date, t.quantity, t.cost
  from delivery_pair as p join line_total as t on t.delivery_id = p.current_delivery_id
),

replaced_total as (
  select p.export_scope, p.billing_month, t.billing_resource_id, t.meter_id, t.usage_date, t.quantity, t.cost
  from delivery_pair as p join line_total as t on t.delivery_id = p.replaced_delivery_id
),

compared as (
  select
    coalesce(c.export_scope, r.export_scope) as export_scope,
    coalesce(c.billing_month, r.billing_month) as billing_month,
    coalesce(c.billing_resource_id, r.billing_resource_id) as billing_resource_id,
    coalesce(c.meter_id, r.meter_id) as meter_id,
    coalesce(c.usage_date, r.usage_date) as usage_date,
    r.quantity as replaced_quantity,
    c.quantity as current_quantity,
    r.cost as replaced_cost,
    c.cost as current_cost
  from current_total as c
  full outer join replaced_total as r
    on r.export_scope = c.export_scope
    and r.billing_month = c.billing_month
    and r.billing_resource_id is not distinct from c.billing_resource_id
    and r.meter_id is not distinct from c.meter_id
    and r.usage_date = c.usage_date
),

final as (
  select
    p.export_scope, p.billing_month, x.billing_resource_id, x.meter_id, x.usage_date,
    p.replaced_delivery_id, p.current_delivery_id,
    x.replaced_quantity, x.current_quantity,
    coalesce(x.current_quantity, 0) - coalesce(x.replaced_quantity, 0) as delta_quantity,
    x.replaced_cost, x.current_cost,
    coalesce(x.current_cost, 0) - coalesce(x.replaced_cost, 0) as delta_cost
  from compared as x
  join delivery_pair as p using (export_scope, billing_month)
  where x.replaced_quantity is distinct from x.current_quantity or x.replaced_cost is distinct from x.current_cost
)

select * from final;
