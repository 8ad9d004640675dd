-- share_limit_violation: live share intervals whose storage (every model; the quota for pay-as-you-go), IOPS or
-- throughput (v2; v1 derives them from storage) lies outside provisioning_limit (billing-rules.md §1).
-- grain: one row per interval and breached dimension, before runs are collapsed (provisioning_share_run.sql).
create or replace temp view share_limit_violation as
with
limits as (
  select * from provisioning_limit
),

live_intervals as (
  select * from provisioning_live_interval
),

-- One row per interval and limited dimension: storage for every model (the quota, for pay-as-you-go), IOPS and
-- throughput for v2 (v1 derives them from storage).
share_amounts as (
  select *, 'storage' as dimension, provisioned_gib as amount, false as is_recommended from live_intervals
  union all
  select *, 'iops', provisioned_iops, is_iops_recommended from live_intervals where billing_model = 'v2'
  union all
  select *, 'throughput', provisioned_mibps, is_mibps_recommended from live_intervals where billing_model = 'v2'
),

share_limit_breaches as (
  select
    a.*,
    l.unit,
    case when a.amount < l.min_value then 'min' else 'max' end as side,
    case when a.amount < l.min_value then l.min_value else l.max_value end as limit_value
  from share_amounts as a
  join limits as l
    on l.limit_scope = 'share'
    and l.billing_model = a.billing_model
    and l.media_tier = a.media_tier
    and l.dimension = a.dimension
  where a.amount < l.min_value or a.amount > l.max_value
),

share_limit_violations as (
  select
    billing_model || '_' || side || '_' || dimension as rule,
    dimension,
    share_resource_id,
    billing_resource_id,
    billing_model,
    media_tier,
    valid_from,
    valid_to,
    observed_at,
    unit,
    limit_value,
    amount as actual_value,
    null::bigint as previous_value,
    null::timestamp as raised_at,
    case
      when billing_model = 'payg' then
        'Share ' || share_label || ' has a quota of ' || format('{:,}', amount) || ' GiB; a pay-as-you-go share''s quota '
        || case side when 'min' then 'is at least ' else 'is at most ' end || format('{:,}', limit_value) || ' GiB.'
      else
        'Share ' || share_label || ' is provisioned with ' || format('{:,}', amount) || ' ' || unit
        || case when is_recommended then ' (the recommended default for its storage, as none was given)' else '' end
        || ' on ' || upper(media_tier) || '; the ' || billing_model || ' ' || upper(media_tier) || ' '
        || case side when 'min' then 'minimum' else 'maximum' end || ' is ' || format('{:,}', limit_value) || ' ' || unit || '.'
    end as detail,
    source_file,
    source_line
  from share_limit_breaches
)
select * from share_limit_violations;
