-- loose_overlap: the first usage (resource × meter × day) the delivery being staged bills that a counted line of
-- another export scope already bills, when one side is a loose download without the export layout (scope 'loose:'
-- or 'file:'): the same usage delivered twice, once as a download and once as an export (one row or none).
-- Different exports of one account (ActualCost and AmortizedCost, two subscriptions) are not compared here.
with staged as (
  select distinct billing_resource_id, meter_id, cast(charge_period_start as date) as usage_date
  from ingest_delivery_row
  where reason is null and billing_resource_id is not null
),

is_loose as (
  select starts_with(cast($export_scope as varchar), 'loose:') or starts_with(cast($export_scope as varchar), 'file:') as yes
),

counted as (
  select c.billing_resource_id, c.meter_id, c.usage_date, c.source_file
  from current_billing_line as c
  join delivery as d using (delivery_id)
  where d.export_scope <> cast($export_scope as varchar)
    and ((select yes from is_loose)
         or starts_with(d.export_scope, 'loose:') or starts_with(d.export_scope, 'file:'))
),

final as (
  select c.source_file, s.billing_resource_id, s.meter_id, s.usage_date::varchar as usage_date
  from staged as s
  join counted as c using (billing_resource_id, meter_id, usage_date)
  order by s.usage_date, s.billing_resource_id, s.meter_id, c.source_file
  limit 1
)

select * from final
