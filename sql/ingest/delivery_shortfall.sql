-- delivery_shortfall: month-to-date exports only grow. For each export scope × billing month an ingest call touched,
-- the newest eligible delivery of that month, when it lacks usage days that an older delivery bills — an empty or
-- shrunken run — with the delivery still speaking for those days (grain: export_scope × billing_month × kept
-- delivery). $delivery_ids: JSON list of the deliveries the call ingested or found already ingested.
with touched as (
  select unnest(from_json($delivery_ids, '["varchar"]')) as delivery_id
),

touched_month as (
  select distinct d.export_scope, m.billing_month
  from delivery as d
  join (select delivery_id, billing_month from delivery_day
        union select delivery_id, billing_month from delivery) as m using (delivery_id)
  semi join touched using (delivery_id)
),

newest as (
  select r.export_scope, r.billing_month, arg_min(r.delivery_id, r.recency_rank) as delivery_id
  from delivery_recency as r
  semi join touched_month as t using (export_scope, billing_month)
  group by all
),

month_day as (
  select c.* from current_delivery_day as c semi join touched_month as t using (export_scope, billing_month)
),

kept as (
  select c.export_scope, c.billing_month, n.delivery_id as newest_delivery_id, c.delivery_id as kept_delivery_id,
         count(*) as kept_days, min(c.usage_date) as first_day, max(c.usage_date) as last_day
  from month_day as c
  join newest as n using (export_scope, billing_month)
  where not exists (
    select 1 from delivery_day as dd where dd.delivery_id = n.delivery_id and dd.usage_date = c.usage_date)
  group by all
),

final as (
  select
    k.export_scope, k.billing_month,
    nd.source_path as newest_source, k.kept_delivery_id, kd.source_path as kept_source,
    (select count(*) from delivery_day as dd
     where dd.delivery_id = k.newest_delivery_id and dd.billing_month = k.billing_month) as newest_days,
    (select count(*) from month_day as m
     where m.export_scope = k.export_scope and m.billing_month = k.billing_month) as month_days,
    k.kept_days, k.first_day::varchar as first_day, k.last_day::varchar as last_day
  from kept as k
  join delivery as nd on nd.delivery_id = k.newest_delivery_id
  join delivery as kd on kd.delivery_id = k.kept_delivery_id
)

select * from final
order by export_scope, billing_month, first_day
