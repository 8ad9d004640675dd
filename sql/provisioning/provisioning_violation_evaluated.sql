-- provisioning_violation_evaluated: every provisioning rule broken anywhere in the inventory's history
-- (billing-rules.md §1–§4), before the stage narrows it to its scope (provisioning_violation.sql). One file per rule
-- feeds it: provisioning_share_limit, provisioning_availability (collapsed into runs by provisioning_share_run),
-- provisioning_downgrade and provisioning_account_limit, the runs all by equal_state_runs.
-- grain: violation_id = md5(rule | dimension | resource | valid_from); a run keeps its id as observations extend it.
create or replace temp table provisioning_violation_evaluated as
with
all_violations as (
  select * from share_violation_run
  union all by name
  select * from downgrade_violation
  union all by name
  select * from account_violation
),

final as (
  select
    md5(concat_ws('|', rule, coalesce(dimension, ''), coalesce(share_resource_id, billing_resource_id),
      strftime(valid_from, '%Y-%m-%dT%H:%M:%S.%f'))) as violation_id,
    rule,
    dimension,
    share_resource_id,
    billing_resource_id,
    billing_model,
    media_tier,
    valid_from,
    valid_to,
    observed_at,
    valid_from::date as usage_date,
    unit,
    limit_value,
    actual_value,
    previous_value,
    raised_at,
    downgrade_allowed_at,
    detail,
    source_file,
    source_line
  from all_violations
)
select * from final;
