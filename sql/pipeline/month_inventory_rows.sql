-- month_inventory_rows (query) — grain: one row per inventory fact that can change the numbers of one billing
-- month [$month_start, $month_end), as the engine's hash of the fact. The incremental plan digests these rows per
-- month, so inventory that arrives after a month (tomorrow's observations) leaves that month's fingerprint, and its
-- findings, alone.
-- A month depends on:
--   intervals overlapping it, cut to the month (a later observation closing an open interval at the month's end
--   changes nothing inside it);
--   every observation before the month's end (the 24-hour downgrade rule and the coverage spans look back);
--   per billed resource and share, whether it was still observed, or had an interval, at the month's end (coverage
--   runs to the last observation; a share's last interval decides where it is known to be gone);
--   the inventory horizon, cut to the month's end (a purged share is known to be gone up to it);
--   transaction counts of hours inside it.
with
horizon as (
  select least(horizon, $month_end::timestamp) as horizon_in_month from inventory_horizon
),
share_interval_in_month as (
  select 'share_interval' as kind, hash(cut) as row_hash
  from (
    select
      i.* exclude (valid_from, valid_to, covered_to, ends_by),
      greatest(i.valid_from, $month_start::timestamp) as from_in_month,
      least(coalesce(i.valid_to, i.covered_to, $month_end::timestamp), $month_end::timestamp) as to_in_month
    from share_interval as i
    where i.valid_from < $month_end::timestamp
      and coalesce(i.valid_to, i.covered_to, 'infinity'::timestamp) > $month_start::timestamp
  ) as cut
),
snapshot_interval_in_month as (
  select 'disk_snapshot_interval', hash(cut) as row_hash
  from (
    select
      i.* exclude (valid_from, valid_to, covered_to, ends_by),
      greatest(i.valid_from, $month_start::timestamp) as from_in_month,
      least(coalesce(i.valid_to, i.covered_to, $month_end::timestamp), $month_end::timestamp) as to_in_month
    from disk_snapshot_interval as i
    where i.valid_from < $month_end::timestamp
      and coalesce(i.valid_to, i.covered_to, 'infinity'::timestamp) > $month_start::timestamp
  ) as cut
),
observation_before_end as (
  select 'share_observation', hash(o) from share_observation as o where o.observed_at < $month_end::timestamp
  union all
  select 'storage_account_observation', hash(o)
  from storage_account_observation as o where o.observed_at < $month_end::timestamp
  union all
  select 'file_service_observation', hash(o)
  from file_service_observation as o where o.observed_at < $month_end::timestamp
  union all
  select 'disk_snapshot_observation', hash(o)
  from disk_snapshot_observation as o where o.observed_at < $month_end::timestamp
),
last_observed as (
  select 'last_observed', hash(resource_id, least(max(observed_at), $month_end::timestamp))
  from (
    select billing_resource_id as resource_id, observed_at from share_observation
    union all
    select storage_account_id, observed_at from storage_account_observation
    union all
    select snapshot_resource_id, observed_at from disk_snapshot_observation
  )
  group by resource_id
  union all
  -- whether a share's last interval is its last (a purged share known to be gone) depends on later intervals
  select 'last_interval', hash(share_resource_id, least(max(valid_from), $month_end::timestamp))
  from share_interval
  group by share_resource_id
),
transactions_in_month as (
  select 'transaction_count', hash(t)
  from transaction_count as t
  where t.usage_hour >= $month_start::timestamp and t.usage_hour < $month_end::timestamp
),
final as (
  select 'horizon' as kind, hash(horizon_in_month) as row_hash from horizon
  union all select * from share_interval_in_month
  union all select * from snapshot_interval_in_month
  union all select * from observation_before_end
  union all select * from last_observed
  union all select * from transactions_in_month
)

select * from final
