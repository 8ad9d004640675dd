-- diff_resource_delivery: when the counted deliveries that carried a resource's lines of a month were submitted
-- (grain: billing_month × billing_resource_id). The provisional flag measures the settle window from here, and
-- falls back to diff_month for a resource nothing was billed on.
create or replace temp table diff_resource_delivery as
with

lines as (
  select distinct billing_month, billing_resource_id, delivery_id
  from counted_billing_line
  where billing_month in (select billing_month from diff_month)
),

final as (
  select
    l.billing_month,
    l.billing_resource_id,
    case when bool_or(d.submitted_at is null) then null else min(d.submitted_at) end as submitted_at,
    list(distinct l.delivery_id order by l.delivery_id) as delivery_ids
  from lines as l
  join delivery as d using (delivery_id)
  group by l.billing_month, l.billing_resource_id
)

select * from final
