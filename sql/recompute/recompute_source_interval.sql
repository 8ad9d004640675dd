-- recompute_source_interval (temp view) — grain: source_interval_id.
-- Every share interval and disk-snapshot interval of a billed resource in scope, in one shape, cut to the scope
-- window and — when it has no valid_to — to how far the inventory vouches for it: the horizon the caller gave, else
-- the interval's covered_to (set by the interval builder), else the latest observation: [clipped_from, clipped_to).
-- is_in_window says whether
-- anything of it is left. Intervals outside the window stay visible for inventory_coverage (a share purged before
-- the window is known to be gone inside it).
create or replace temp view recompute_source_interval as
with
scope as (
  select * from recompute_scope
),
share_source as (
  select
    'share' as source_kind,
    share_interval_id as source_interval_id,
    share_resource_id as source_resource_id,
    billing_resource_id,
    state,
    valid_from,
    valid_to,
    covered_to,
    billing_model,
    access_tier,
    provisioned_gib,
    provisioned_iops,
    provisioned_mibps,
    used_bytes,
    snapshot_differential_bytes,
    metadata_bytes,
    source_file,
    source_line
  from share_interval
),
snapshot_source as (
  -- a disk snapshot is billed on its own id; it has no soft-deleted state (deletion ends its interval)
  select
    'disk_snapshot' as source_kind,
    snapshot_interval_id as source_interval_id,
    snapshot_resource_id as source_resource_id,
    snapshot_resource_id as billing_resource_id,
    'live' as state,
    valid_from,
    valid_to,
    covered_to,
    'disk' as billing_model,
    null::varchar as access_tier,
    null::bigint as provisioned_gib,
    null::bigint as provisioned_iops,
    null::bigint as provisioned_mibps,
    used_bytes,
    null::bigint as snapshot_differential_bytes,
    null::bigint as metadata_bytes,
    source_file,
    source_line
  from disk_snapshot_interval
),
source as (
  select * from share_source
  union all by name
  select * from snapshot_source
),
in_scope as (
  select
    source.*,
    -- the last interval of a share or snapshot that has an end: the resource is gone from valid_to on
    row_number() over (partition by source_resource_id order by valid_from desc) = 1 as is_last_of_source
  from source
  where recompute_resource_in_scope(billing_resource_id)
),
ended as (
  select
    in_scope.*,
    scope.horizon,
    scope.window_from,
    scope.window_to,
    coalesce(
      in_scope.valid_to,
      -- whole seconds, rounded down: the inventory vouches for no more than it says
      case
        when scope.is_horizon_given then scope.horizon
        else coalesce(date_trunc('second', in_scope.covered_to), scope.horizon)
      end
    ) as effective_to
  from in_scope
  cross join scope
),
clipped as (
  select
    *,
    greatest(valid_from, window_from) as clipped_from,
    least(effective_to, window_to) as clipped_to,
    valid_to is null and (window_to is null or effective_to < window_to) as is_open_ended
  from ended
),
final as (
  select
    *,
    coalesce(clipped_from < clipped_to, false) as is_in_window
  from clipped
)
select * from final;
