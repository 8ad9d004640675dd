-- share_interval — grain: share_interval_id. Each share observation holds from its observed_at until the next
-- observation of the same share starts (valid_to exclusive). A deleted share is soft_deleted from deleted_at
-- (its first observation of that deletion; later ones of the same deletion go on from their observed_at) until
-- deleted_at + retention_days — the purge, after which it has no interval — or until the next observation
-- (a restore). An interval with no later observation and no purge is open (valid_to NULL); covered_to says how
-- far the inventory vouches for it (inventory_held_to: a change-log CSV row holds to $as_of, else to $billed_until,
-- the end of the billed period; a JSON snapshot to the end of its UTC day, or $as_of when later). Provisioned v2
-- shares without IOPS / throughput get Azure's recommended defaults (sql/provisioning/model.sql).
-- The intervals of the shares [$batch_from, $batch_to]: the inventory stage builds them a batch of shares at a time
-- (src/db/batches.ts says why: the windows over a month of hourly observations of 10,000 shares, 7.3M wide rows,
-- ran out of memory under --memory-limit 1GB in one statement).
with
observation as (
  select * from share_observation
  where share_resource_id between $batch_from and $batch_to
),
ordered as (
  select
    *,
    lag(observed_at) over by_share as previous_observed_at,
    lag(is_deleted) over by_share as previous_is_deleted,
    lag(deleted_at) over by_share as previous_deleted_at
  from observation
  window by_share as (partition by share_resource_id order by observed_at)
),
started as (
  select
    *,
    case
      when not is_deleted then observed_at
      -- the same deletion seen again: this observation goes on from when it was made
      when previous_is_deleted and previous_deleted_at = deleted_at then observed_at
      -- a deletion is known from deleted_at, but never before the previous observation saw the share live
      else greatest(deleted_at, coalesce(previous_observed_at, deleted_at))
    end as starts_at,
    case when is_deleted then deleted_at + to_days(retention_days) end as purged_at
  from ordered
),
-- A share deleted and re-created with the same name is two shares in time: ARM lists the deleted incarnation under
-- its versioned id (…/shares/<name>_<version>; share names have no '_'), which keeps its own soft-deleted history.
-- Its deletion ends the live history of …/shares/<name> at deleted_at, so the two never overlap (no doubled usage);
-- the re-created share holds from its own observation on. Read from every share: the versioned id of a share in
-- the batch may sort outside it.
incarnation_deletion as (
  select distinct regexp_replace(share_resource_id, '_[^/_]+$', '') as share_resource_id, deleted_at
  from share_observation
  where is_deleted and deleted_at is not null and regexp_matches(share_resource_id, '/shares/[^/_]+_[^/_]+$')
),
chained as (
  select
    s.*,
    least(
      lead(s.starts_at) over (partition by s.share_resource_id order by s.observed_at),
      case when not s.is_deleted then (
        select min(d.deleted_at) from incarnation_deletion as d
        where d.share_resource_id = s.share_resource_id and d.deleted_at > s.starts_at
      ) end
    ) as next_starts_at
  from started as s
),
bounded as (
  select
    *,
    least(next_starts_at, purged_at) as ends_at,
    case
      when purged_at is not null and (next_starts_at is null or purged_at <= next_starts_at) then 'purge'
      when next_starts_at is not null then 'next_observation'
    end as ends_by
  from chained
),
effective as (
  select
    *,
    billing_model = 'v2' and provisioned_iops is null and provisioned_gib is not null as is_iops_default,
    billing_model = 'v2' and provisioned_mibps is null and provisioned_gib is not null as is_mibps_default
  from bounded
  -- an observation made after the purge, or superseded at once, leaves nothing
  where ends_at is null or ends_at > starts_at
),
final as (
  select
    inv_interval_id(share_resource_id, starts_at) as share_interval_id,
    share_resource_id,
    billing_resource_id,
    resource_kind,
    case when is_deleted then 'soft_deleted' else 'live' end as state,
    starts_at as valid_from,
    ends_at as valid_to,
    billing_model,
    media_tier,
    redundancy,
    protocol,
    access_tier,
    provisioned_gib,
    case when is_iops_default then v2_recommended_iops(media_tier, provisioned_gib) else provisioned_iops end
      as provisioned_iops,
    case when is_mibps_default then v2_recommended_mibps(media_tier, provisioned_gib) else provisioned_mibps end
      as provisioned_mibps,
    used_bytes,
    snapshot_differential_bytes,
    metadata_bytes,
    observed_at,
    source_file,
    source_line,
    coalesce(ends_at, inventory_held_to(source_kind, observed_at, $as_of::timestamp, $billed_until::timestamp))
      as covered_to,
    ends_by,
    deleted_at,
    retention_days,
    is_iops_default,
    is_mibps_default
  from effective
)
select * from final
