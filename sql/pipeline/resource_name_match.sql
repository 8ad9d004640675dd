-- resource_name_match: the ARM ids a --resource given as a name (no leading /subscriptions/) names
-- (grain: resource_id). A name matches an id segment that follows a resource type (storage account, classic or
-- FileShares share, disk snapshot), case-insensitively; the match is the id up to and including that segment, so an
-- account's name also covers its shares. Ids come from the current deliveries' billing lines and the inventory.
-- $name: the lower-cased name.
with
known_id as (
  select lower(billing_resource_id) as resource_id from current_billing_line where billing_resource_id is not null
  union select lower(billing_resource_id) from share_interval
  union select lower(share_resource_id) from share_interval
  union select lower(snapshot_resource_id) from disk_snapshot_interval
),

id_segment as (
  select resource_id, string_split(resource_id, '/') as segments
  from known_id
),

named as (
  select
    array_to_string(segments[1:position], '/') as resource_id
  from id_segment,
    unnest(range(2, len(segments) + 1)) as t(position)
  where segments[position] = $name
    and segments[position - 1] in ('storageaccounts', 'shares', 'fileshares', 'snapshots')
),

final as (
  select distinct resource_id from named
)

select * from final
order by resource_id
