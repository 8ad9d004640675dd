-- How many complete deliveries are no longer current in the export scope × billing month pairs an ingest
-- call touched (one row). $scopes and $months are parallel JSON lists naming the pairs.
with touched as (
  select distinct
    unnest(from_json($scopes, '["varchar"]')) as export_scope,
    unnest(from_json($months, '["varchar"]')) as billing_month
),

replaced as (
  select d.delivery_id
  from delivery as d
  semi join touched as t using (export_scope, billing_month)
  where d.is_complete
    and d.delivery_id not in (select delivery_id from current_delivery)
),

final as (
  select count(*) as n from replaced
)

select * from final
