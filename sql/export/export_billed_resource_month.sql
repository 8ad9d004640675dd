-- export_billed_resource_month: the latest billed line's subscription, resource group, name and tags for each resource
-- and billing month (grain: billing_resource_id × billing_month), read by the macro export_billed_resource
-- (sql/export/macros.sql). One line, not a mix of lines: the latest charge period, ties to the newest delivery, then
-- the last line, so the pick is deterministic. export_line is the billing lines that count (current_billing_line,
-- else billing_line), a temporary view set up by src/export/index.ts. Temporary: it lives for the export.
-- The pick is a max over each resource and month's line keys (a hash aggregate of 20,000 small states on the bench
-- month), then the picked lines are read back: a window ordering every line with its tags took 8–9 s of a night.
-- A struct compares field by field, so the max is the latest charge period, then the newest delivery, then the last
-- line; none of its fields is ever NULL (billing_line's grain and charge_period_start are required).
create or replace temp table export_billed_resource_month as
with
picked_line as (
  select
    billing_resource_id,
    billing_month,
    max({
      'charge_period_start': charge_period_start,
      'delivery_id': delivery_id,
      'source_file': source_file,
      'source_line': source_line
    }) as pick
  from export_line
  where billing_resource_id is not null
  group by billing_resource_id, billing_month
)

select p.billing_resource_id, p.billing_month, l.subscription_id, l.resource_group, l.resource_name, l.tags
from picked_line as p
join export_line as l
  on l.delivery_id = p.pick.delivery_id
  and l.source_file = p.pick.source_file
  and l.source_line = p.pick.source_line
