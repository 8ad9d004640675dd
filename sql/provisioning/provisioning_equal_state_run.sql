-- equal_state_runs(segments): the one rule for "runs of equal state" used by every provisioning check. `segments` is
-- a relation with run_key (what a run belongs to: a share and rule, or an account and dimension), valid_from,
-- valid_to and state; a segment continues the run of the one before it (same run_key, ordered by valid_from) when it
-- starts where that one ended and has the same state. Returns the segments with run_number, counting runs per run_key.
create or replace temp macro equal_state_runs(segments) as table
with
flagged as (
  select
    *,
    case when lag(valid_to) over w = valid_from and lag(state) over w = state then 0 else 1 end as is_run_start
  from query_table(segments)
  window w as (partition by run_key order by valid_from)
)
select
  *,
  sum(is_run_start) over (partition by run_key order by valid_from rows unbounded preceding) as run_number
from flagged;
