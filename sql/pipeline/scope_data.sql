-- scope_data: whether anything was billed or is expected in the run's scope (grain: one row) — the runner refuses a
-- scope that matches nothing (exit 2). Billed: a current delivery's line in the scope's months, days and resources.
-- Expected: an inventory interval of a resource in scope that overlaps the scope's months and days.
-- Reads run_scope and its macros (run_scope_macros.sql).
with
billed as (
  select count(*) as line_count
  from current_billing_line
  where in_scope_month(billing_month) and in_scope_day(usage_date) and in_scope_resource(billing_resource_id)
),

span as (
  select
    greatest(min(billing_month || '-01')::date, coalesce(any_value(s.from_day), '0001-01-01'::date)) as first_day,
    least(max(billing_month || '-01')::date + interval 1 month - interval 1 day,
          coalesce(any_value(s.to_day), '9999-12-31'::date)) as last_day
  from run_scope_month, run_scope as s
),

inventoried as (
  select count(*) as interval_count
  from (
    select billing_resource_id, share_resource_id as resource_id, valid_from, valid_to from share_interval
    union all
    select snapshot_resource_id, snapshot_resource_id, valid_from, valid_to from disk_snapshot_interval
  ) as i, span
  where (in_scope_resource(i.billing_resource_id) or in_scope_resource(i.resource_id))
    and i.valid_from < span.last_day + interval 1 day
    and (i.valid_to is null or i.valid_to > span.first_day)
)

select billed.line_count, inventoried.interval_count
from billed, inventoried
