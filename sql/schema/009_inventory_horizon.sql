-- inventory_horizon (view) — grain: one row. How far the inventory as a whole vouches for what it saw: the latest
-- time it looked at anything, in whole seconds. Open intervals without their own covered_to, and resources known to
-- be gone, hold until then. Read by the recompute scope and the dispute timeline, so both draw the same line.
create view inventory_horizon as
with
observed_time as (
  select max(observed_at) as observed_at from share_interval
  union all select max(valid_from) from share_interval
  union all select max(covered_to) from share_interval
  union all select max(observed_at) from disk_snapshot_interval
  union all select max(valid_from) from disk_snapshot_interval
  union all select max(covered_to) from disk_snapshot_interval
  union all select max(observed_at) from share_observation
  union all select max(observed_at) from storage_account_observation
  union all select max(observed_at) from disk_snapshot_observation
),
final as (
  select date_trunc('second', max(observed_at)) as horizon from observed_time
)
select * from final;
