-- recompute_scope (temp table) — grain: one row. The slice a recompute (or an hourly evidence query) works on:
-- usage days [window_from, window_to) (null: unbounded); the horizon: how far the inventory as a whole vouches for
-- what it saw (given, else the latest time it looked at anything) — open intervals without their own covered_to, and
-- resources known to be gone, hold until then; and the bucket the time integral is split into.
-- Set with bound parameters by src/recompute/scope.ts; every other recompute SQL file reads it.
create or replace temp table recompute_scope as
with
inventory as (
  select horizon from inventory_horizon
),
final as (
  select
    $window_from::timestamp as window_from,
    $window_to::timestamp as window_to,
    -- whole seconds: quantities are integrals over whole seconds (see audit_interval.sql)
    date_trunc('second', coalesce($horizon::timestamp, inventory.horizon)) as horizon,
    $horizon::timestamp is not null as is_horizon_given,
    $bucket::interval as bucket
  from inventory
)
select * from final;
