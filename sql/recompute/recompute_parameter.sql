-- recompute_parameter (temp table) — grain: one row. What a recompute (or an hourly evidence query) works with:
-- the usage days [window_from, window_to) of the stage's slice (run_scope: scope_start_at() … scope_end_at(), null:
-- unbounded); the horizon: how far the inventory as a whole vouches for what it saw (given, else the latest time it
-- looked at anything) — open intervals without their own covered_to, and resources known to be gone, hold until
-- then; and the bucket the time integral is split into.
-- Horizon and bucket are bound parameters from src/recompute/scope.ts; every other recompute SQL file reads it.
create or replace temp table recompute_parameter as
with
inventory as (
  select horizon from inventory_horizon
),
final as (
  select
    scope_start_at() as window_from,
    scope_end_at() as window_to,
    -- whole seconds: quantities are integrals over whole seconds (see audit_interval.sql)
    date_trunc('second', coalesce($horizon::timestamp, inventory.horizon)) as horizon,
    $horizon::timestamp is not null as is_horizon_given,
    $bucket::interval as bucket
  from inventory
)
select * from final;
