-- provisioning_violation_new: every provisioning rule broken anywhere in the inventory's history
-- (billing-rules.md §1–§4), before the stage narrows it to its scope.
-- grain: violation_id = md5(rule | dimension | resource | valid_from). Consecutive intervals of a share (or segments
-- of an account) in the same violating state are one run, so a violation keeps its id as later observations extend
-- it. Limits and availability are data (provisioning_limit, provisioning_availability); formulas are the 004 macros.
create or replace temp table provisioning_violation_new as
with
limits as (
  select * from provisioning_limit
),

availability as (
  select * from provisioning_availability
),

-- Live share intervals with the effective v2 IOPS/throughput (the interval builder fills in the recommended default
-- when none was observed, and flags it).
live_intervals as (
  select
    *,
    coalesce(is_iops_default, false) as is_iops_recommended,
    coalesce(is_mibps_default, false) as is_mibps_recommended,
    case resource_kind
      when 'classic' then regexp_extract(billing_resource_id, '[^/]+$') || '/' || regexp_extract(share_resource_id, '[^/]+$')
      else regexp_extract(share_resource_id, '[^/]+$')
    end as share_label
  from share_interval
  where state = 'live'
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
),

-- Availability, most general problem first: the model for the resource kind, then media, redundancy, protocol.
offered_media as (
  select billing_model, resource_kind, string_agg(distinct upper(media_tier), ', ' order by upper(media_tier)) as media_list
  from availability group by all
),

offered_redundancy as (
  select billing_model, resource_kind, media_tier,
    string_agg(distinct upper(redundancy), ', ' order by upper(redundancy)) as redundancy_list
  from availability group by all
),

offered_protocol as (
  select billing_model, resource_kind, media_tier, redundancy,
    string_agg(distinct upper(protocol), ', ' order by upper(protocol)) as protocol_list,
    list(protocol) as protocols
  from availability group by all
),

availability_checks as (
  select
    i.*,
    case i.billing_model when 'v2' then 'provisioned v2' when 'v1' then 'provisioned v1' else 'pay-as-you-go' end as model_label,
    case i.resource_kind when 'classic' then 'classic' else 'Microsoft.FileShares' end as kind_label,
    m.media_list,
    r.redundancy_list,
    p.protocol_list,
    p.protocols is not null and (i.protocol is null or list_contains(p.protocols, i.protocol)) as is_available
  from live_intervals as i
  left join offered_media as m on m.billing_model = i.billing_model and m.resource_kind = i.resource_kind
  left join offered_redundancy as r
    on r.billing_model = i.billing_model and r.resource_kind = i.resource_kind and r.media_tier = i.media_tier
  left join offered_protocol as p
    on p.billing_model = i.billing_model and p.resource_kind = i.resource_kind and p.media_tier = i.media_tier
    and p.redundancy = i.redundancy
),

availability_violations as (
  select
    'availability' as rule,
    null::varchar as dimension,
    share_resource_id,
    billing_resource_id,
    billing_model,
    media_tier,
    valid_from,
    valid_to,
    observed_at,
    null::varchar as unit,
    null::bigint as limit_value,
    null::bigint as actual_value,
    null::bigint as previous_value,
    null::timestamp as raised_at,
    'Share ' || share_label || ' is described as ' || model_label || ' ' || kind_label || ' on ' || upper(media_tier)
    || ' ' || upper(redundancy) || coalesce(' over ' || upper(protocol), '') || ', which Azure does not offer: '
    || case
      when media_list is null then model_label || ' is not offered for ' || kind_label || ' shares.'
      when redundancy_list is null then model_label || ' ' || kind_label || ' shares exist only on ' || media_list || '.'
      when protocol_list is null then
        upper(redundancy) || ' is not offered for ' || model_label || ' ' || kind_label || ' shares on ' || upper(media_tier)
        || ' (offered: ' || redundancy_list || ').'
      else
        upper(protocol) || ' is not offered for ' || model_label || ' ' || kind_label || ' shares on ' || upper(media_tier)
        || ' ' || upper(redundancy) || ' (offered: ' || protocol_list || ').'
    end as detail,
    source_file,
    source_line
  from availability_checks
  where not is_available
),

-- Collapse consecutive intervals of a share in the same violating state (same sentence) into one run.
share_violations as (
  select * from share_limit_violations
  union all
  select * from availability_violations
),

share_runs_flagged as (
  select
    *,
    case when lag(valid_to) over w = valid_from and lag(detail) over w = detail then 0 else 1 end as is_run_start
  from share_violations
  window w as (partition by share_resource_id, rule, dimension order by valid_from)
),

share_runs_numbered as (
  select
    *,
    sum(is_run_start) over (partition by share_resource_id, rule, dimension order by valid_from rows unbounded preceding)
      as run_number
  from share_runs_flagged
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
),

-- The 24-hour rule, over consecutive live observations of a share (observed_at is when a value took effect, as the
-- intervals have it). v2: storage, IOPS and throughput (effective: given, else the recommended default); v1: storage.
-- A lowering breaks it when it comes before 24 hours after the last observed raise, or before the next-allowed-
-- downgrade time Azure reported at the previous observation (nextAllowed…DowngradeTime = last raise + 24 h, which
-- also covers raises made between observations).
observed_amounts as (
  select
    o.*,
    case o.resource_kind
      when 'classic' then regexp_extract(o.billing_resource_id, '[^/]+$') || '/' || regexp_extract(o.share_resource_id, '[^/]+$')
      else regexp_extract(o.share_resource_id, '[^/]+$')
    end as share_label
  from share_observation as o
  where not o.is_deleted and o.billing_model in ('v1', 'v2')
),

observed_dimensions as (
  select *, 'storage' as dimension, 'GiB' as unit, provisioned_gib as amount, false as is_recommended,
    next_quota_downgrade_at as next_downgrade_at
  from observed_amounts
  union all
  select *, 'iops', 'IOPS', coalesce(provisioned_iops, v2_recommended_iops(media_tier, provisioned_gib)),
    provisioned_iops is null, next_iops_downgrade_at
  from observed_amounts where billing_model = 'v2'
  union all
  select *, 'throughput', 'MiB/s', coalesce(provisioned_mibps, v2_recommended_mibps(media_tier, provisioned_gib)),
    provisioned_mibps is null, next_mibps_downgrade_at
  from observed_amounts where billing_model = 'v2'
),

amount_changes as (
  select *, lag(amount) over w as previous_amount, lag(next_downgrade_at) over w as reported_allowed_at
  from observed_dimensions
  where amount is not null
  window w as (partition by share_resource_id, billing_model, dimension order by observed_at)
),

last_raises as (
  select
    *,
    max(case when amount > previous_amount then observed_at end) over w as raised_at,
    last_value(case when amount > previous_amount then amount end ignore nulls) over w as raised_to
  from amount_changes
  window w as (
    partition by share_resource_id, billing_model, dimension order by observed_at
    rows between unbounded preceding and 1 preceding
  )
),

downgrade_checks as (
  select *, greatest(raised_at + interval 24 hours, reported_allowed_at) as allowed_at
  from last_raises
  where amount < previous_amount
),

early_downgrades as (
  select
    *,
    epoch_us(observed_at) - epoch_us(raised_at) as elapsed_us,
    raised_at is not null and observed_at < raised_at + interval 24 hours as is_within_24h_of_observed_raise
  from downgrade_checks
  where observed_at < allowed_at
),

downgrade_violations as (
  select
    'downgrade_within_24h' as rule,
    dimension,
    share_resource_id,
    billing_resource_id,
    billing_model,
    media_tier,
    observed_at as valid_from,
    observed_at as valid_to,
    observed_at,
    unit,
    null::bigint as limit_value,
    amount as actual_value,
    previous_amount as previous_value,
    raised_at,
    allowed_at as downgrade_allowed_at,
    'Share ' || share_label || ' had its provisioned ' || case dimension when 'iops' then 'IOPS' else dimension end
    || ' lowered from ' || format('{:,}', previous_amount) || ' to ' || format('{:,}', amount) || ' ' || unit
    || case when is_recommended then ' (the recommended default for its storage, as none was given)' else '' end
    || ' at ' || strftime(observed_at, '%Y-%m-%d %H:%M') || ' UTC, '
    || case
      when is_within_24h_of_observed_raise then
        (elapsed_us // 3600000000)::varchar || ' h ' || ((elapsed_us % 3600000000) // 60000000)::varchar
        || ' min after it was raised to ' || format('{:,}', raised_to) || ' ' || unit || ' at '
        || strftime(raised_at, '%Y-%m-%d %H:%M') || ' UTC'
      else
        'before ' || strftime(reported_allowed_at, '%Y-%m-%d %H:%M')
        || ' UTC, the earliest downgrade time Azure reported at the previous observation'
    end
    || '; Azure allows lowering a provisioned amount only 24 hours after it was last raised.' as detail,
    source_file,
    source_line
  from early_downgrades
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
),

account_runs_flagged as (
  select
    *,
    case when is_over and not coalesce(lag(is_over) over w, false) then 1 else 0 end as is_run_start
  from account_checks
  window w as (partition by billing_resource_id, billing_model, media_tier, dimension order by valid_from)
),

account_runs_numbered as (
  select
    *,
    sum(is_run_start) over (
      partition by billing_resource_id, billing_model, media_tier, dimension order by valid_from rows unbounded preceding
    ) as run_number
  from account_runs_flagged
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
  where is_over
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
),

all_violations as (
  select * from share_runs
  union all by name
  select * from downgrade_violations
  union all by name
  select * from account_violations
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
