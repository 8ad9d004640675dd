-- disk_snapshot_interval — grain: snapshot_interval_id. Each snapshot observation holds until the next
-- observation of the same snapshot or its deleted_at (valid_to exclusive). The first observation holds from the
-- snapshot's created_at (it existed, unchanged, since it was taken); later ones from max(observed_at,
-- created_at). Open intervals are covered as far as inventory_held_to says (a change-log CSV row to $as_of, else
-- to $billed_until; a JSON snapshot to the end of its observation's UTC day, or $as_of when later).
with
observation as (
  select * from disk_snapshot_observation
),
started as (
  select
    *,
    case
      when lag(observed_at) over by_snapshot is null then coalesce(created_at, observed_at)
      else greatest(observed_at, created_at)
    end as starts_at
  from observation
  window by_snapshot as (partition by snapshot_resource_id order by observed_at)
),
chained as (
  select
    *,
    lead(starts_at) over (partition by snapshot_resource_id order by observed_at) as next_starts_at
  from started
),
bounded as (
  select
    *,
    least(next_starts_at, deleted_at) as ends_at,
    case
      when deleted_at is not null and (next_starts_at is null or deleted_at <= next_starts_at) then 'deleted'
      when next_starts_at is not null then 'next_observation'
    end as ends_by
  from chained
  where least(next_starts_at, deleted_at) is null or least(next_starts_at, deleted_at) > starts_at
),
final as (
  select
    inv_interval_id(snapshot_resource_id, starts_at) as snapshot_interval_id,
    snapshot_resource_id,
    source_disk_id,
    redundancy,
    used_bytes,
    starts_at as valid_from,
    ends_at as valid_to,
    observed_at,
    source_file,
    source_line,
    coalesce(ends_at, inventory_held_to(source_kind, observed_at, $as_of::timestamp, $billed_until::timestamp))
      as covered_to,
    ends_by,
    created_at,
    disk_size_bytes
  from bounded
)
select * from final;
