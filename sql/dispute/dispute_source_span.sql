-- dispute_source_span (temp view) — grain: source_resource_id × span_from. The known spans of every share and disk
-- snapshot of the billed resources in scope, read as the recompute stage reads the inventory
-- (sql/recompute/recompute_source_interval.sql): an interval holds [valid_from, valid_to); one without valid_to holds
-- until its covered_to, else the latest time the inventory observed anything (the horizon). After the last interval
-- of a share that was purged (or of a snapshot that was deleted) the resource is known to be 'gone' for good.
-- dispute_involved_source (temp view) — grain: source_resource_id. The shares and snapshots with a span of the month
-- in which they existed (live or soft-deleted), numbered by id for the timeline's cap.
create or replace temp view dispute_source_span as
with
horizon as (
  select horizon from inventory_horizon
),
share_source as (
  select
    'share' as source_kind,
    share_interval_id as source_interval_id,
    share_resource_id as source_resource_id,
    billing_resource_id,
    state,
    valid_from,
    valid_to,
    covered_to,
    ends_by = 'purge' as is_gone_after,
    billing_model,
    media_tier,
    redundancy,
    access_tier,
    provisioned_gib,
    provisioned_iops,
    provisioned_mibps,
    used_bytes,
    snapshot_differential_bytes,
    is_iops_default,
    is_mibps_default,
    source_file,
    source_line
  from share_interval
),
snapshot_source as (
  select
    'disk_snapshot' as source_kind,
    snapshot_interval_id as source_interval_id,
    snapshot_resource_id as source_resource_id,
    snapshot_resource_id as billing_resource_id,
    'live' as state,
    valid_from,
    valid_to,
    covered_to,
    ends_by = 'deleted' as is_gone_after,
    'disk' as billing_model,
    null::varchar as media_tier,
    redundancy,
    null::varchar as access_tier,
    null::bigint as provisioned_gib,
    null::bigint as provisioned_iops,
    null::bigint as provisioned_mibps,
    used_bytes,
    null::bigint as snapshot_differential_bytes,
    false as is_iops_default,
    false as is_mibps_default,
    source_file,
    source_line
  from disk_snapshot_interval
),
source as (
  select * from share_source
  union all by name
  select * from snapshot_source
),
interval_span as (
  select
    source.*,
    source.valid_from as span_from,
    coalesce(source.valid_to, date_trunc('second', source.covered_to), horizon.horizon) as span_to,
    source.valid_to is null as is_open_ended,
    row_number() over (partition by source.source_resource_id order by source.valid_from desc) = 1 as is_last
  from source
  cross join horizon
  where dispute_resource_in_scope(source.billing_resource_id)
),
gone_span as (
  -- after a purge or deletion nothing exists to bill: known, not unknown
  select
    source_kind,
    null::varchar as source_interval_id,
    source_resource_id,
    billing_resource_id,
    'gone' as state,
    valid_to as span_from,
    'infinity'::timestamp as span_to,
    false as is_open_ended
  from interval_span
  where is_last and is_gone_after and valid_to is not null
),
span as (
  select * exclude (is_last, is_gone_after, valid_from, valid_to, covered_to) from interval_span
  union all by name
  select * from gone_span
),
final as (
  select * from span
)
select * from final;

create or replace temp view dispute_involved_source as
with
scope as (
  select * from dispute_scope
),
span as (
  select * from dispute_source_span
),
in_month as (
  select source_kind, source_resource_id, billing_resource_id
  from span
  cross join scope
  where span.state <> 'gone' and span.span_from < scope.month_end and span.span_to > scope.month_start
  group by all
),
final as (
  select *, row_number() over (order by source_resource_id) as source_rank
  from in_month
)
select * from final;
