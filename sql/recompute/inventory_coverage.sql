-- inventory_coverage — grain: billing_resource_id × usage_date.
-- How much of each UTC day the inventory observed a billed resource, so the diff can call a charge the inventory
-- cannot confirm or refute `unverifiable` instead of `unexpected`. Observed time is the union of:
--   1. every share / snapshot interval of the resource, live or soft-deleted (open ones up to the horizon);
--   2. after the last interval of a share or snapshot ends (purge, deletion without soft delete, snapshot deleted):
--      the resource is known to be gone, up to the horizon;
--   3. for an account (or a FileShares share), the span from its first to its last observation in
--      storage_account_observation / share_observation: the inventory was looking at it, so time no share interval
--      covers inside that span is known to hold no share.
-- Rows only for days with observed time; a missing day was not observed at all.
delete from inventory_coverage
where in_scope_usage_day(usage_date) and in_scope_resource(billing_resource_id);

insert into inventory_coverage by name
with
scope as (
  select * from recompute_parameter
),
source_interval as (
  select * from recompute_source_interval
),
interval_span as (
  select billing_resource_id, clipped_from as span_from, clipped_to as span_to
  from source_interval
  where is_in_window
),
gone_span as (
  select
    billing_resource_id,
    greatest(valid_to, window_from) as span_from,
    least(horizon, window_to) as span_to
  from source_interval
  where is_last_of_source and valid_to is not null
),
observation as (
  select storage_account_id as billing_resource_id, observed_at from storage_account_observation
  union all
  select billing_resource_id, observed_at from share_observation
),
observed_span as (
  select
    billing_resource_id,
    greatest(min(observed_at), any_value(scope.window_from)) as span_from,
    least(max(observed_at), any_value(scope.window_to)) as span_to
  from observation
  cross join scope
  where in_scope_resource(billing_resource_id)
  group by billing_resource_id
),
span as (
  select * from interval_span
  union all
  select * from gone_span
  union all
  select * from observed_span
),
valid_span as (
  select * from span where span_from < span_to
),
ordered as (
  select
    *,
    max(span_to) over (
      partition by billing_resource_id order by span_from, span_to rows between unbounded preceding and 1 preceding
    ) as previous_max_to
  from valid_span
),
island_numbered as (
  select
    *,
    sum(case when previous_max_to is null or span_from > previous_max_to then 1 else 0 end) over (
      partition by billing_resource_id order by span_from, span_to rows unbounded preceding
    ) as island_no
  from ordered
),
island as (
  select billing_resource_id, island_no, min(span_from) as island_from, max(span_to) as island_to
  from island_numbered
  group by billing_resource_id, island_no
),
island_day as (
  select
    island.billing_resource_id,
    day.day_start::date as usage_date,
    epoch_us(least(island.island_to, day.day_start + interval 1 day))
      - epoch_us(greatest(island.island_from, day.day_start)) as covered_us
  from island
  cross join range(date_trunc('day', island.island_from), island.island_to, interval 1 day) as day(day_start)
),
final as (
  select
    billing_resource_id,
    usage_date,
    strftime(usage_date, '%Y-%m') as billing_month,
    sum(covered_us) // 1000000 as covered_seconds,
    sum(covered_us) = 86400000000 as is_fully_covered
  from island_day
  group by billing_resource_id, usage_date
)
select * from final;
