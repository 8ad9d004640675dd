-- downgrade_violation: the 24-hour rule (billing-rules.md §3) over consecutive live observations of a v1/v2 share.
-- grain: one row per lowering observation and dimension (an instant: valid_to = valid_from).
create or replace temp view downgrade_violation as
with
-- The 24-hour rule, over consecutive live observations of a share (observed_at is when a value took effect, as the
-- intervals have it). v2: storage, IOPS and throughput (effective: given, else the recommended default); v1: storage.
-- A lowering breaks it when it comes before 24 hours after the last observed raise, or before the next-allowed-
-- downgrade time Azure reported at the previous observation (nextAllowed…DowngradeTime = last raise + 24 h, which
-- also covers raises made between observations).
-- The windows sort every observation of every v1/v2 share (1.2M rows × dimension for a month of 20,000 shares
-- observed daily), so they carry only what the rule reads; the wide columns are joined back for the lowerings that
-- break it, a handful.
observed_amounts as (
  select
    share_resource_id, billing_model, media_tier, observed_at, provisioned_gib, provisioned_iops, provisioned_mibps,
    next_quota_downgrade_at, next_iops_downgrade_at, next_mibps_downgrade_at
  from share_observation
  where not is_deleted and billing_model in ('v1', 'v2')
),

observed_dimensions as (
  select share_resource_id, billing_model, media_tier, observed_at, 'storage' as dimension, 'GiB' as unit,
    provisioned_gib as amount, false as is_recommended, next_quota_downgrade_at as next_downgrade_at
  from observed_amounts
  union all
  select share_resource_id, billing_model, media_tier, observed_at, 'iops', 'IOPS',
    coalesce(provisioned_iops, v2_recommended_iops(media_tier, provisioned_gib)), provisioned_iops is null,
    next_iops_downgrade_at
  from observed_amounts where billing_model = 'v2'
  union all
  select share_resource_id, billing_model, media_tier, observed_at, 'throughput', 'MiB/s',
    coalesce(provisioned_mibps, v2_recommended_mibps(media_tier, provisioned_gib)), provisioned_mibps is null,
    next_mibps_downgrade_at
  from observed_amounts where billing_model = 'v2'
),

amount_changes as (
  select *, lag(amount) over w as previous_amount, lag(next_downgrade_at) over w as reported_allowed_at
  from observed_dimensions
  where amount is not null
  window w as (partition by share_resource_id, billing_model, dimension order by observed_at)
),

-- Only a change can be a raise or a lowering: an observation that repeats the amount before it adds nothing to the
-- last raise, so the second window reads the changes alone.
raises_and_lowerings as (
  select * from amount_changes
  where amount <> previous_amount
),

last_raises as (
  select
    *,
    max(case when amount > previous_amount then observed_at end) over w as raised_at,
    last_value(case when amount > previous_amount then amount end ignore nulls) over w as raised_to
  from raises_and_lowerings
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
    d.*,
    o.billing_resource_id,
    o.source_file,
    o.source_line,
    share_label(o.resource_kind, o.billing_resource_id, o.share_resource_id) as share_label,
    epoch_us(d.observed_at) - epoch_us(d.raised_at) as elapsed_us,
    d.raised_at is not null and d.observed_at < d.raised_at + interval 24 hours as is_within_24h_of_observed_raise
  from downgrade_checks as d
  join share_observation as o on o.share_resource_id = d.share_resource_id and o.observed_at = d.observed_at
  where d.observed_at < d.allowed_at
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
)
select * from downgrade_violations;
