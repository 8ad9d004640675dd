-- share_violation_run: the share limit and availability violations with consecutive intervals of a share in the same
-- violating state (the same sentence) collapsed into one run (equal_state_runs), so a violation keeps its start,
-- and so its id, as later observations extend it. grain: share_resource_id, rule, dimension, run.
create or replace temp view share_violation_segment as
with
share_violations as (
  select * from share_limit_violation
  union all
  select * from share_availability_violation
)
select *, [share_resource_id, rule, dimension] as run_key, detail as state from share_violations;

create or replace temp view share_violation_run as
with
share_runs_numbered as (
  select * from equal_state_runs(share_violation_segment)
),

share_runs as (
  select
    rule,
    dimension,
    share_resource_id,
    arg_min(billing_resource_id, valid_from) as billing_resource_id,
    arg_min(billing_model, valid_from) as billing_model,
    arg_min(media_tier, valid_from) as media_tier,
    min(valid_from) as valid_from,
    case when bool_or(valid_to is null) then null else max(valid_to) end as valid_to,
    arg_min(observed_at, valid_from) as observed_at,
    arg_min(unit, valid_from) as unit,
    arg_min(limit_value, valid_from) as limit_value,
    arg_min(actual_value, valid_from) as actual_value,
    null::bigint as previous_value,
    null::timestamp as raised_at,
    arg_min(detail, valid_from) as detail,
    arg_min(source_file, valid_from) as source_file,
    arg_min(source_line, valid_from) as source_line
  from share_runs_numbered
  group by rule, dimension, share_resource_id, run_number
)
select * from share_runs;
