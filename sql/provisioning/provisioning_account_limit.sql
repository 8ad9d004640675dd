-- account_violation: storage-account limits (provisioning_limit, limit_scope 'account'; billing-rules.md §2) at every
-- point in time over classic v1/v2 shares, with consecutive over-limit segments collapsed into one run
-- (equal_state_runs). grain: billing_resource_id, billing_model, media_tier, dimension, run.
create or replace temp view account_limit_segment as
with
limits as (
  select * from provisioning_limit
),

-- Storage-account limits at every point in time, over classic v1/v2 shares. Soft-deleted shares keep counting
-- against them until purged (§2 "Soft delete"; the share_interval row ends at the purge). A sweep of +/- deltas
-- at interval edges gives the totals per segment without a range join. An unknown (NULL) amount adds nothing, and a
-- soft-deleted share whose retention is unknown (open interval) is left out: either can hide a violation, neither
-- can invent one.
account_intervals as (
  select * from share_interval
  where resource_kind = 'classic' and billing_model in ('v1', 'v2')
    and not (state = 'soft_deleted' and valid_to is null)
),

account_deltas as (
  select
    billing_resource_id, billing_model, media_tier, valid_from as changed_at,
    coalesce(provisioned_gib, 0) as delta_gib,
    coalesce(provisioned_iops, 0) as delta_iops,
    coalesce(provisioned_mibps, 0) as delta_mibps,
    case when state = 'live' then 1 else 0 end as delta_live_shares,
    case when state = 'soft_deleted' then 1 else 0 end as delta_soft_deleted_shares
  from account_intervals
  union all
  select
    billing_resource_id, billing_model, media_tier, valid_to,
    -coalesce(provisioned_gib, 0),
    -coalesce(provisioned_iops, 0),
    -coalesce(provisioned_mibps, 0),
    -case when state = 'live' then 1 else 0 end,
    -case when state = 'soft_deleted' then 1 else 0 end
  from account_intervals
  where valid_to is not null
),

account_points as (
  select
    billing_resource_id, billing_model, media_tier, changed_at,
    sum(delta_gib) as delta_gib,
    sum(delta_iops) as delta_iops,
    sum(delta_mibps) as delta_mibps,
    sum(delta_live_shares) as delta_live_shares,
    sum(delta_soft_deleted_shares) as delta_soft_deleted_shares
  from account_deltas
  group by all
),

account_segments as (
  select
    billing_resource_id,
    billing_model,
    media_tier,
    changed_at as valid_from,
    lead(changed_at) over w as valid_to,
    sum(delta_gib) over w_running as total_gib,
    sum(delta_iops) over w_running as total_iops,
    sum(delta_mibps) over w_running as total_mibps,
    sum(delta_live_shares) over w_running as live_shares,
    sum(delta_soft_deleted_shares) over w_running as soft_deleted_shares
  from account_points
  window
    w as (partition by billing_resource_id, billing_model, media_tier order by changed_at),
    w_running as (partition by billing_resource_id, billing_model, media_tier order by changed_at rows unbounded preceding)
),

account_amounts as (
  select *, 'storage' as dimension, total_gib::bigint as amount from account_segments
  union all
  select *, 'iops', total_iops::bigint from account_segments
  union all
  select *, 'throughput', total_mibps::bigint from account_segments
  union all
  select *, 'share_count', (live_shares + soft_deleted_shares)::bigint from account_segments
),

account_checks as (
  select a.*, l.unit, l.max_value as limit_value, a.amount > l.max_value as is_over
  from account_amounts as a
  join limits as l
    on l.limit_scope = 'account'
    and l.billing_model = a.billing_model
    and l.media_tier = a.media_tier
    and l.dimension = a.dimension
)
select *, [billing_resource_id, billing_model, media_tier, dimension] as run_key, is_over as state from account_checks;

-- Segments are contiguous by construction (each ends where the next starts), so a run is a stretch of consecutive
-- segments over the limit. Only those enter the runs, so the runs sort the few over-limit segments rather than
-- every account's every point in time: segments under the limit between two over it leave a gap (the first over
-- segment ends where they start), which ends the run just as their own state would.
create or replace temp view account_over_limit_segment as
select * from account_limit_segment
where is_over;

create or replace temp view account_violation as
with
account_runs_numbered as (
  select * from equal_state_runs(account_over_limit_segment)
),

account_runs as (
  select
    'account_' || billing_model || '_' || dimension as rule,
    dimension,
    billing_resource_id,
    billing_model,
    media_tier,
    min(valid_from) as valid_from,
    case when bool_or(valid_to is null) then null else max(valid_to) end as valid_to,
    arg_min(unit, valid_from) as unit,
    arg_min(limit_value, valid_from) as limit_value,
    arg_min(amount, valid_from) as first_amount,
    max(amount) as peak_amount,
    arg_max(live_shares, amount)::bigint as live_shares_at_peak,
    arg_max(soft_deleted_shares, amount)::bigint as soft_deleted_shares_at_peak
  from account_runs_numbered
  group by billing_resource_id, billing_model, media_tier, dimension, run_number
),

account_violations as (
  select
    rule,
    dimension,
    null::varchar as share_resource_id,
    billing_resource_id,
    billing_model,
    media_tier,
    valid_from,
    valid_to,
    valid_from as observed_at,
    unit,
    limit_value,
    peak_amount as actual_value,
    null::bigint as previous_value,
    null::timestamp as raised_at,
    'Storage account ' || regexp_extract(billing_resource_id, '[^/]+$') || ' '
    || case dimension
      when 'share_count' then 'holds ' || format('{:,}', first_amount) || ' classic ' || billing_model || ' '
        || upper(media_tier) || ' shares'
      else 'has ' || format('{:,}', first_amount) || ' ' || unit || ' provisioned across its classic ' || billing_model
        || ' ' || upper(media_tier) || ' shares'
    end
    || ' from ' || strftime(valid_from, '%Y-%m-%d %H:%M') || ' UTC'
    || case when peak_amount > first_amount then ', peaking at ' || format('{:,}', peak_amount) || ' ' || unit else '' end
    || ' (' || format('{:,}', live_shares_at_peak) || ' live and ' || format('{:,}', soft_deleted_shares_at_peak)
    || ' soft-deleted shares at the peak; soft-deleted shares count until purged); the account limit is '
    || format('{:,}', limit_value) || ' ' || unit || '.' as detail,
    null::varchar as source_file,
    null::bigint as source_line
  from account_runs
)
select * from account_violations;
