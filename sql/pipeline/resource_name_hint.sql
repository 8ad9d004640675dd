-- resource_name_hint: ARM ids of resources whose id contains $text, for the hint when a --resource names nothing
-- (grain: resource_id; at most $limit). $text: lower-cased; matched with contains, never as a pattern.
with
known_id as (
  select lower(billing_resource_id) as resource_id from current_billing_line where billing_resource_id is not null
  union select lower(share_resource_id) from share_interval
  union select lower(snapshot_resource_id) from disk_snapshot_interval
),

final as (
  select resource_id from known_id where contains(resource_id, $text)
)

select * from final
order by resource_id
limit $limit
