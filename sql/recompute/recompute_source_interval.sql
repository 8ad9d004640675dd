-- recompute_source_interval (temp table, built once per scope by installRecompute) — grain: source_interval_id.
-- Every share interval and disk-snapshot interval of a billed resource in scope, in one shape, cut to the scope
-- window and — when it has no valid_to — to how far the inventory vouches for it: the horizon the caller gave, else
-- source_interval's vouched_to (sql/inventory/model.sql: covered_to, else the inventory horizon): [clipped_from, clipped_to).
-- is_in_window says whether
-- anything of it is left. Intervals outside the window stay visible for inventory_coverage (a share purged before
-- the window is known to be gone inside it).
-- A table, not a view: audit_interval, recompute_meter_rate (through recompute_interval_part) and inventory_coverage
-- each read it, and as a view each ran its window over every interval of the inventory again (756,547 in the bench
-- night, 0.6–0.9 s a time).
create or replace temp table recompute_source_interval as
with
scope as (
  select * from recompute_parameter
),
source as (
  -- one shape for shares and snapshots, and where an open interval ends (vouched_to): sql/inventory/model.sql
  select * exclude (is_gone_after, media_tier, redundancy, is_iops_default, is_mibps_default) from source_interval
),
in_scope as (
  select
    source.*,
    -- the last interval of a share or snapshot that has an end: the resource is gone from valid_to on
    row_number() over (partition by source_resource_id order by valid_from desc) = 1 as is_last_of_source
  from source
  where in_scope_resource(billing_resource_id)
),
ended as (
  select
    in_scope.*,
    scope.horizon,
    scope.window_from,
    scope.window_to,
    -- a horizon the caller gives overrides how far the inventory vouches for open intervals
    case when scope.is_horizon_given then coalesce(in_scope.valid_to, scope.horizon) else in_scope.vouched_to end
      as effective_to
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
